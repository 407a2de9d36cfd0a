"""MT71x: degenerate model output: decoder tokens, output with no words, text that compresses like a loop.

These are the gross failures a fluency model cannot be trusted with (a loop or a string
of model tokens can have very low surprisal), so they are rules with their own codes
and the estimate leaves the language model's features out for a sentence they flag
(``mtqa.scoring.estimate``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import body_sentences, contains_any
from mtqa.types import Document

#: special tokens of NMT and LM vocabularies, and subword markers that leaked into text
MODEL_TOKEN = re.compile(
    r"<(?:unk|s|/s|pad|mask|sep|cls|eos|bos|blank|UNK|PAD|MASK)>"
    r"|\[(?:UNK|PAD|MASK|SEP|CLS)\]"
    r"|<\|[a-z_]{2,20}\|>"             # <|endoftext|>, <|im_start|>
    r"|<extra_id_\d{1,3}>"             # T5 sentinels
    r"|\u2581"                         # SentencePiece word marker
    r"|\b\w+@@(?=\s)"                  # subword-nmt joiner: "un@@ known"
)
#: every MODEL_TOKEN match holds one of these
_MODEL_TOKEN_MARKS = ("<", "[", "\u2581", "@")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@rule("MT710", "model-token", "Fluency/Character encoding", "critical")
def model_token(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A decoder's special token or subword marker in the text (``<unk>``, ``</s>``, ``[UNK]``, ``▁``, ``@@``).

    Why: a model token in output means the decoder failed on the sentence (an unknown
    word, a broken detokenisation); never part of real text.
    Example: "The <unk> minister said so."
    """
    if not contains_any(doc.text, _MODEL_TOKEN_MARKS):
        return
    for m in MODEL_TOKEN.finditer(doc.text):
        yield Hit(m.start(), m.end(), f"model token {m.group()!r} in the text: the decoder failed here",
                  suggestion="retranslate the sentence")


@rule("MT711", "no-words", "Fluency/Grammar", "critical")
def no_words(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Output with no word or number at all, only punctuation or symbols (".", "...", "- -").

    Why: the MT system returned an empty translation; the text is gone.
    Example: "."
    """
    if not _LETTER_OR_DIGIT.search(doc.text):
        stripped = doc.text.strip()
        start = doc.text.find(stripped[:1]) if stripped else 0
        yield Hit(start, start + len(stripped), "no words: an empty translation", suggestion="retranslate the article")


@rule("MT712", "low-compression", "Fluency/Grammar", "major")
def low_compression(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A long sentence that compresses far better than any human sentence (zlib): a loop or
    oscillation that word n-grams miss ("A B A C A B A C ...").

    Why: degenerate decoding repeats material with small variations; text that zlib
    shrinks to a third of its size is repetitive whatever its words. A long sentence needs a
    lower ratio: long lists written by people compress to 30% too.
    Example: "the region of the east and the region of the east and the region of the east and ..."
    """
    min_bytes, long_bytes = int(ctx.params["min_bytes"]), int(ctx.params["long_bytes"])
    max_ratio, max_ratio_long = float(ctx.params["max_ratio"]), float(ctx.params["max_ratio_long"])
    for s in body_sentences(doc):
        raw = s.text.encode("utf-8")
        if len(raw) < min_bytes:
            continue
        ratio = len(zlib.compress(raw, 9)) / len(raw)
        if ratio < (max_ratio_long if len(raw) >= long_bytes else max_ratio):
            yield Hit(s.start, s.end, f"the sentence compresses to {ratio:.0%} of its size: repetitive, looping output")
