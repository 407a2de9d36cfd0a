"""MT2xx: broken segmentation, the pieces of sentences that MT and scraping leave behind."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import CLOSERS, body_sentences, ends_sentence, lowered_words, sentence_words
from mtqa.types import Document

_LEADING_PUNCT = re.compile(r"^[.,;:!?)\]}]+(?!\.\.)")
_OPENERS = "\"'“‘«([¿¡ "  # opening quotes and brackets, and the space
#: the last word of a text and what follows it, matched on the text reversed
_LAST_WORD_REVERSED = re.compile(r"\W*([^\W\d_]+)")


def _starts_lower(text: str, allow: frozenset[str]) -> bool:
    if text[:1].isupper():
        return False  # the usual case, decided before the word is cut out
    first = text.lstrip(_OPENERS)
    token = first.split(maxsplit=1)[0] if first else ""
    return (bool(token) and token[0].islower() and token.lower() not in allow
            and not any(c.isupper() or c.isdigit() or c == "." for c in token[1:].rstrip(".,;:")))


@rule("MT201", "orphan-fragment", "Fluency/Grammar", "minor")
def orphan_fragment(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A sentence of a few words that starts mid-sentence: the rest of its sentence is missing.

    Why: MT and scraping cut sentences at the wrong place and leave their tails behind.
    Example: "million." at the start of a paragraph; ". Finland in July".

    Minor: on the train data (MQM newstest2020, MLQE-PE train) 15 flags, precision 0.47
    (bench/rule_precision.py); a major rule needs 0.6.
    """
    max_words = int(ctx.params["fragment_max_words"])
    allow = lowered_words(ctx.params["lowercase_start_allow"])
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        if not (_LEADING_PUNCT.match(s.text) or _starts_lower(s.text, allow)):
            continue
        n = len(lowered[s.index])
        if 0 < n <= max_words:
            yield Hit(s.start, s.end, f"sentence fragment of {n} word{'s' * (n > 1)}: the rest of its sentence is missing",
                      suggestion="join it to its sentence or remove it")


@rule("MT202", "leading-punctuation", "Fluency/Punctuation", "minor")
def leading_punctuation(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A sentence that starts with a stray full stop, comma or closing bracket.

    Why: the mark belongs to the sentence before; it shows a broken join.
    Example: ". They should meet briefly in Paris next month."

    Minor: on the train data (MQM newstest2020, MLQE-PE train) 40 flags, precision 0.33
    (bench/rule_precision.py); a major rule needs 0.6.
    """
    for s in body_sentences(doc):
        m = _LEADING_PUNCT.match(s.text)
        if m:
            yield Hit(s.start, s.start + m.end(), f"sentence starts with stray punctuation {m.group()!r}", suggestion="remove it")


@rule("MT203", "lowercase-start", "Fluency/Grammar", "minor")
def lowercase_start(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A longer sentence that starts in lower case: its beginning (often the subject) is lost.

    Why: a truncated sentence reads as nonsense ("met several times ..." with no one meeting).
    Names like "iPhone" or "de Gaulle" are allowed (``lowercase_start_allow`` in rules.toml).
    Example: "met several times on the sidelines of international meetings ..."

    Minor: on the train data (MQM newstest2020, MLQE-PE train) 459 flags, precision 0.47
    (bench/rule_precision.py); a major rule needs 0.6.
    """
    allow = lowered_words(ctx.params["lowercase_start_allow"])
    max_fragment = int(ctx.params["fragment_max_words"])
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        if _starts_lower(s.text, allow) and not _LEADING_PUNCT.match(s.text) and len(lowered[s.index]) > max_fragment:
            end = s.start + len(s.text.split(maxsplit=1)[0])
            yield Hit(s.start, end, "sentence starts in lower case: its beginning is probably missing",
                      suggestion="restore the missing start of the sentence")


@rule("MT204", "missing-final-punctuation", "Fluency/Punctuation", "minor")
def missing_final_punctuation(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The last sentence of a paragraph has no final punctuation.

    Why: body sentences end with a full stop; a missing one often marks a cut sentence.
    Short lines are left alone, a one-sentence paragraph must be long
    (``min_words_alone``) so that subheads are not flagged, and the article's first
    paragraph is its headline when no title was detected.
    Example: "... but held only one bilateral summit in Helsinki in July"
    """
    min_words, min_alone = int(ctx.params["min_words"]), int(ctx.params["min_words_alone"])
    headline = next((p.index for p in doc.paragraphs if not p.is_title), None) if not doc.article.title else None
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        if not s.last_in_paragraph or s.paragraph == headline or ends_sentence(s.text) or s.text.rstrip()[-1] in ":;":
            continue
        if len(lowered[s.index]) >= (min_alone if s.first_in_paragraph else min_words):
            last = s.text.rstrip()
            start = s.start + last.rfind(last.split()[-1])  # the last word, where the punctuation is missing
            yield Hit(start, s.start + len(last), "paragraph ends without final punctuation", suggestion="end the sentence or check for a cut")


@rule("MT205", "truncated-ending", "Fluency/Grammar", "minor")
def truncated_ending(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A sentence that stops on a function word or a comma: it was cut off.

    Why: "... it violated the" cannot end an English sentence; the rest was lost.
    Example: "Russia denies Washington's allegations that it violated the"

    Minor: on the train data (MQM newstest2020, MLQE-PE train) 235 flags, precision 0.34
    (bench/rule_precision.py); a major rule needs 0.6.
    """
    function_words = lowered_words(ctx.params["function_words"])
    lowered = sentence_words(doc)
    for s in body_sentences(doc):
        body = s.text.rstrip()
        if not s.last_in_paragraph or ends_sentence(body) or len(lowered[s.index]) < 3:
            continue
        if body.endswith(","):
            yield Hit(s.end - 1, s.end, "sentence ends on a comma: it was cut off")
            continue
        tail = body.rstrip(CLOSERS)
        m = _LAST_WORD_REVERSED.match(tail[:-201:-1])  # the last word, read backwards from the end (200 characters at most)
        if m and (word := m.group(1)[::-1]).lower() in function_words:
            start = s.start + len(tail) - m.end(1)
            yield Hit(start, start + len(word), f"sentence ends on '{word}': it was cut off",
                      suggestion="restore the end of the sentence")
