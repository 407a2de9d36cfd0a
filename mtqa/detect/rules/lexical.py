"""MT3xx: lexical MT artifacts, driven by the lexicons in ``mtqa/data/lexicons/``."""

from __future__ import annotations

from collections.abc import Iterator

from mtqa.detect.lexicon import lexicon_hits
from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.types import Document


@rule("MT301", "false-friend", "Accuracy/Mistranslation", "major")
def false_friend(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A word MT chose for its look-alike in the source language, with the wrong meaning.

    Why: false friends read fluently, so readers take the wrong meaning at face value.
    Each lexicon entry carries a context condition: "ingested" is fine for food or
    poison, wrong in "Russia had been ingested in the elections" (French *s'ingérer*,
    to interfere). ``source_lang`` narrows the entries; some apply only when it is known.
    Example: "he had been deceived" for French *déçu* (disappointed).
    """
    return lexicon_hits(doc, ctx, "false_friend")


@rule("MT302", "calque", "Accuracy/Mistranslation", "major")
def calque(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A phrase translated word for word from a source-language construction.

    Why: calques are grammatical but unidiomatic or misleading English, a sure sign of MT.
    Example: "to rarely confess" for French *un rare aveu* (a rare admission);
    "since three years" for *depuis trois ans* (for three years).
    """
    return lexicon_hits(doc, ctx, "calque")
