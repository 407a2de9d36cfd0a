"""MT9xx: findings from the language model's scores (only when the fluency model runs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.types import Document

_QUOTES = "\"“”«»"


def candidate_words(text: str, words: list[Any]) -> list[Any]:
    """Words the rule may judge: plain lower-case English-looking words, not names, numbers or quotes.

    Skipped: words under 3 letters, with digits or non-ASCII letters, capitalised words
    (names), words inside quotation marks (often foreign or coined), and a sentence's first
    word: the model sees it without context, so its surprisal says little about fit (on
    the train data 1 of its 10 flags marked an error; docs/EVALUATION.md).
    """
    out = []
    for w in words:
        t = w.text
        if w.first or t[:1].isupper() or len(t) < 3 or not t.isascii() or not t.replace("-", "").replace("'", "").isalpha():
            continue
        if sum(text.count(q, 0, w.start) for q in _QUOTES) % 2 == 1:
            continue
        out.append(w)
    return out


@rule("MT901", "unexpected-word", "Accuracy/Mistranslation", "minor")
def unexpected_word(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A word far more surprising to the language model than its frequency and position predict.

    Why: a mistranslated word (a false friend, a wrong sense) is often one the context
    does not expect, even when it is a common English word. The expected surprisal comes
    from a linear model of word frequency and position fitted on human references; the
    threshold ``min_excess`` (in residual standard deviations) and the severity were set
    from the measured precision (see docs/EVALUATION.md). Names, numbers, quoted words and
    a sentence's first word are never flagged. Runs only with the fluency model (not with
    ``--no-fluency``).
    Example: "ingested" in "Russia had been ingested in the 2016 elections" (24 bits).
    """
    if not doc.fluency:
        return
    threshold = float(ctx.params["min_excess"])
    for s, scores in zip(doc.sentences, doc.fluency):
        if scores is None or s.is_title:
            continue
        for w in candidate_words(s.text, scores.words):
            if w.excess is not None and w.excess >= threshold:
                yield Hit(s.start + w.start, s.start + w.end,
                          f"'{w.text}' is unexpected here: {w.surprisal:.1f} bits of surprisal, "
                          f"{w.excess:.1f} SD above what a word this frequent would get",
                          suggestion="check the translation of this word", confidence=min(0.99, round(w.excess / 10, 2)))
