"""MT8xx: grammar slips typical of MT that a pattern can find with few false alarms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import body_sentences
from mtqa.types import Document

# " (The|A|An)" after [a-z,], written with a literal first character (the context checked after it)
# so the regex engine skips ahead to candidates.
_CAPITAL_ARTICLE = re.compile(r" (?<=[a-z,] )(The|A|An)(?= [A-Z][a-z])")
_PREV_WORD = re.compile(r"([A-Za-z]+)\W*$")


@rule("MT801", "capitalised-article", "Fluency/Grammar", "minor")
def capitalised_article(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A capitalised "The"/"A" inside a sentence, after an ordinary word: a lost sentence break or comma.

    Why: MT joins an introductory phrase to the main clause and keeps the capital
    ("After this meeting The White House declared"). Titles after "to", "in", "said",
    and similar words ("according to The New York Times") are allowed in rules.toml.
    Example: "After this meeting The White House declared that ..."
    """
    allow = {w.lower() for w in ctx.params["allow_after"]}
    for s in body_sentences(doc):
        for m in _CAPITAL_ARTICLE.finditer(s.text):
            prev = _PREV_WORD.search(s.text[:m.start()])
            if prev and prev.group(1).lower() in allow:
                continue
            start = s.start + m.start(1)
            yield Hit(start, start + len(m.group(1)), f"capitalised '{m.group(1)}' in mid-sentence",
                      suggestion=f"a comma before it, or '{m.group(1).lower()}'", confidence=0.5)
