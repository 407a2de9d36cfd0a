"""MT8xx: grammar slips typical of MT that a pattern can find with few false alarms."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import lowered_words
from mtqa.types import Document

# "The", "A" or "An" after "[a-z,] ", written with the capital first (the context checked after it)
# so the regex engine skips ahead to capitals T and A, not to every space.
_CAPITAL_ARTICLE = re.compile(r"(T(?<=[a-z,] T)he|A(?<=[a-z,] A)n?)(?= [A-Z][a-z])")
_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")


@rule("MT801", "capitalised-article", "Fluency/Grammar", "minor")
def capitalised_article(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A capitalised "The"/"A" inside a sentence, after an ordinary word: a lost sentence break or comma.

    Why: MT joins an introductory phrase to the main clause and keeps the capital
    ("After this meeting The White House declared"). Titles after "to", "in", "said",
    and similar words ("according to The New York Times") are allowed in rules.toml.
    Example: "After this meeting The White House declared that ..."
    """
    allow = lowered_words(ctx.params["allow_after"])
    starts = [s.start for s in doc.sentences]
    for m in _CAPITAL_ARTICLE.finditer(doc.text):  # one scan of the article; each match kept if it lies in one sentence
        index = bisect_right(starts, m.start()) - 1
        if index < 0:
            continue
        s = doc.sentences[index]
        if s.is_title or m.start() - 1 <= s.start or m.end() + 3 > s.end:
            continue
        prev = _PREV_WORD.search(doc.text, s.start, m.start() - 1)
        if prev and prev.group(1).lower() in allow:
            continue
        yield Hit(m.start(1), m.end(1), f"capitalised '{m.group(1)}' in mid-sentence",
                  suggestion=f"a comma before it, or '{m.group(1).lower()}'", confidence=0.5)
