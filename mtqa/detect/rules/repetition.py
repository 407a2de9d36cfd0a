"""MT7xx: repetition: doubled words, repeated phrases, looping output, duplicate sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import body_sentences
from mtqa.types import Document

_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
_NORMALISE = re.compile(r"\W+")
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word and number tokens with their offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _joined(text: str, toks: list[tuple[str, int, int]], i: int, j: int) -> bool:
    """True when only spaces separate every token from ``i`` to ``j`` (no punctuation: not a list)."""
    return all(not text[toks[k][2]:toks[k + 1][1]].strip() for k in range(i, j))


@rule("MT701", "doubled-word", "Fluency/Grammar", "minor")
def doubled_word(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The same word twice in a row ("the the").

    Why: a classic NMT and editing slip. Legitimate doubles ("had had", "that that")
    are allowed in rules.toml.
    Example: "He said that the the plan failed."
    """
    allow = {a.lower() for a in ctx.params.get("allow", [])}
    for m in _DOUBLED.finditer(doc.text):
        pair = f"{m.group(1).lower()} {m.group(1).lower()}"
        first, second = m.group().split()[0], m.group().split()[-1]
        name_like = first[0].isupper() and second[0].isupper() and first.lower() not in ("the", "a", "an")
        if pair in allow or name_like:
            continue
        yield Hit(m.start(), m.end(), f"'{m.group(1)}' twice in a row", suggestion=m.group(1))


@rule("MT702", "repeated-phrase", "Fluency/Grammar", "major")
def repeated_phrase(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A phrase of several words repeated immediately ("in the city in the city").

    Why: NMT decoders repeat phrases when attention fails; the repeat is never meant.
    Example: "The talks will resume next week will resume next week."
    """
    min_n, max_n = int(ctx.params.get("min_n", 2)), int(ctx.params.get("max_n", 6))
    for s in body_sentences(doc):
        toks = _tokens(s.text)
        i = 0
        while i < len(toks):
            for n in range(max_n, min_n - 1, -1):
                if (i + 2 * n <= len(toks) and all(toks[i + k][0] == toks[i + n + k][0] for k in range(n))
                        and _joined(s.text, toks, i, i + 2 * n - 1)):
                    start, end = s.start + toks[i + n][1], s.start + toks[i + 2 * n - 1][2]
                    phrase = s.text[toks[i][1]:toks[i + n - 1][2]]
                    yield Hit(start, end, f"'{phrase}' repeated immediately", suggestion="remove the repeat")
                    i += 2 * n - 1
                    break
            i += 1


@rule("MT703", "looping-output", "Fluency/Grammar", "critical")
def looping_output(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Degenerate, looping output: a word or short phrase repeated three or more times, or a
    long sentence made of very few distinct words.

    Why: a known NMT failure (hallucinated loops) that turns a sentence into noise.
    Example: "the the the the the" or "and the people and the people and the people ..."
    """
    min_repeats, max_n = int(ctx.params.get("min_repeats", 3)), int(ctx.params.get("max_n", 4))
    punctuated_repeats = int(ctx.params.get("min_repeats_punctuated", 5))
    min_tokens, max_ratio = int(ctx.params.get("min_tokens", 20)), float(ctx.params.get("max_distinct_ratio", 0.3))
    for s in body_sentences(doc):
        toks = _tokens(s.text)
        words_only = [t[0] for t in toks]
        found = _loop(words_only, min_repeats, max_n)
        if found is not None:
            i, n, reps = found
            last = i + n * reps - 1
            if reps >= punctuated_repeats or _joined(s.text, toks, i, last):
                yield Hit(s.start + toks[i][1], s.start + toks[last][2],
                          f"'{' '.join(words_only[i:i + n])}' repeated {reps} times in a row (looping output)")
                continue
        if len(toks) >= min_tokens and len(set(words_only)) <= max_ratio * len(toks):
            yield Hit(s.start, s.end, f"{len(set(words_only))} distinct words in {len(toks)}: looping output")


def _loop(tokens: list[str], min_repeats: int, max_n: int) -> tuple[int, int, int] | None:
    """(start, n, repeats) of the longest run of an n-gram repeated at least ``min_repeats`` times in a row."""
    best: tuple[int, int, int] | None = None
    for i in range(len(tokens)):
        for n in range(1, max_n + 1):
            reps = 1
            while tokens[i + reps * n:i + (reps + 1) * n] == tokens[i:i + n] and i + (reps + 1) * n <= len(tokens):
                reps += 1
            if reps >= min_repeats and (best is None or reps * n > best[1] * best[2]):
                best = (i, n, reps)
    return best


@rule("MT704", "duplicate-sentence", "Fluency/Grammar", "minor")
def duplicate_sentence(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """The same sentence twice in one article.

    Why: scrapers duplicate paragraphs (teasers, pull quotes) and MT repeats sentences.
    Example: the lead paragraph repeated at the end of the article.
    """
    min_words = int(ctx.params.get("min_words", 6))
    seen: dict[str, int] = {}
    for s in body_sentences(doc):
        key = _NORMALISE.sub(" ", s.text.lower()).strip()
        if len(key.split()) < min_words:
            continue
        if key in seen:
            yield Hit(s.start, s.end, f"duplicate of sentence {seen[key]}", suggestion="remove the duplicate")
        else:
            seen[key] = s.index
