"""MT4xx: consistency inside one article (MT mixes conventions sentence by sentence)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import ascii_runs, load_tsv, lowered_text
from mtqa.types import Document

# "\b(Mr|Mrs|Ms|Dr|St|Prof)" written with a literal first letter (the boundary checked after it),
# so the regex engine skips ahead to capitals instead of trying every position.
_HONORIFIC = re.compile(r"(M(?<!\wM)(?:rs?|s)|D(?<!\wD)r|S(?<!\wS)t|P(?<!\wP)rof)(\.?)(?= [A-Z])")
# '"' at the start or after a space or opening bracket, written with the quote first (the
# character before it checked after it) so the regex engine skips ahead to quotes
_STRAIGHT_QUOTE = re.compile(r'"(?<![^\s(\[]")(?=\w)')
_CURLY_QUOTE = re.compile(r"“")
# The number patterns start with a digit (the character before it checked after it), so the
# regex engine skips ahead to digits instead of trying every position.
_DECIMAL_COMMA = re.compile(
    r"\d(?<![\d.,]\d)\d{0,2},\d{1,2}(?![\d,])(?=\s*(?:%|per\s?cent|percent|million|billion|trillion|bn|m\b|euros?|dollars?|pounds?|francs?|kilo|km|kg|tonnes?|degrees?|°|points?|times|metres?|meters?|hours?|years?))",
    re.I,
)
_EURO_THOUSANDS = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:\.\d{3})+,\d+(?![\d.,])|\d(?<![\d.,]\d)\d{0,2}(?:\.\d{3}){2,}(?![\d.,])")
_SPACE_THOUSANDS = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:[\u00a0\u202f ]\d{3})+(?![\d.,])(?=\s*(?:%|euros?|dollars?|people|inhabitants|residents|francs|km|kg|tonnes?|€|\$|jobs|workers|employees|soldiers|cases|deaths|voters|signatures)\b)", re.I)
#: what each number pattern's matches must hold, each written to start with its separator
#: (a scan for one character): a pattern runs only on an article where its part occurs
#: (no-break spaces are looked for with ``in``)
_COMMA_DECIMALS = re.compile(r",\d\d?(?![\d,])")
_DOT_THOUSANDS = re.compile(r"\.\d{3}")
_SPACE_DIGITS = re.compile(r" \d{3}")


def _minority(matches: list[tuple[str, int, int]]) -> Iterator[tuple[str, int, int, str]]:
    """For (style, start, end) items using two styles, the items of the rarer style (ties: the later style)."""
    counts = Counter(style for style, _, _ in matches)
    if len(counts) < 2:
        return
    order = {style: i for i, (style, _, _) in reversed(list(enumerate(matches)))}
    majority = max(counts, key=lambda st: (counts[st], -order[st]))
    for style, start, end in matches:
        if style != majority:
            yield style, start, end, majority


@rule("MT401", "honorific-style", "Fluency/Inconsistency", "minor")
def honorific_style(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Honorifics written both with and without a full stop in one article ("Mr. Putin" / "Mr Trump").

    Why: house style picks one; MT output mixes them sentence by sentence.
    The rarer style is flagged.
    Example: "Mr. Putin" in one paragraph, "Mr Trump" in the next.
    """
    matches = [("with" if m.group(2) else "without", m.start(), m.end()) for m in _HONORIFIC.finditer(doc.text)]
    for style, start, end, majority in _minority(matches):
        word = doc.text[start:end]
        fixed = word + "." if style == "without" else word.rstrip(".")
        yield Hit(start, end, f"'{word}' {style} a full stop, but this article mostly writes honorifics {majority} one",
                  replacements=(fixed,))


@cache
def _spelling() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for row in load_tsv("spelling_us_uk.tsv"):
        table[row["us"]] = ("US", row["uk"])
        table[row["uk"]] = ("UK", row["us"])
    return table


_SPELLING_WORD = re.compile(r"[a-z]+")


@rule("MT402", "spelling-variant-mix", "Fluency/Spelling", "minor")
def spelling_variant_mix(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """US and UK spellings mixed in one article ("color" and "colour", "organize" and "organise").

    Why: a human-edited article keeps one variety; MT engines switch between them.
    The rarer variety is flagged. Word pairs live in ``mtqa/data/spelling_us_uk.tsv``.
    Example: "in favor of" and "the labour market" in one article.
    """
    table = _spelling()
    varieties = {table[w][0] for w in table.keys() & ascii_runs(doc)}
    if len(varieties) < 2:
        return
    matches = []
    for m in _SPELLING_WORD.finditer(lowered_text(doc)):
        hit = table.get(m.group())
        if hit:
            matches.append((hit[0], m.start(), m.end()))
    for variety, start, end, majority in _minority(matches):
        word = doc.text[start:end]
        other = table[word.lower()][1]
        yield Hit(start, end, f"{variety} spelling '{word}' in an article that mostly uses {majority} spelling", replacements=(other,))


@rule("MT403", "quote-style-mix", "Fluency/Inconsistency", "minor")
def quote_style_mix(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Straight and curly opening double quotes mixed in one article.

    Why: publishing systems use one style; a mix shows sentences from different sources.
    Example: '"We will go," he said.' next to '“No,” she said.'
    """
    if '"' not in doc.text or "“" not in doc.text:
        return  # a mix needs both styles
    matches = [("straight", m.start(), m.end()) for m in _STRAIGHT_QUOTE.finditer(doc.text)]
    matches += [("curly", m.start(), m.end()) for m in _CURLY_QUOTE.finditer(doc.text)]
    matches.sort(key=lambda t: t[1])
    for style, start, end, majority in _minority(matches):
        yield Hit(start, end, f"{style} quote in an article that mostly uses {majority} quotes",
                  replacements=("“" if majority == "curly" else '"',))


def _spaced_digits(text: str) -> bool:
    """A digit, a space and three digits somewhere in ``text`` (a no-break space anywhere counts too)."""
    if "\u00a0" in text or "\u202f" in text:
        return True
    return any(text[m.start() - 1:m.start()].isdigit() for m in _SPACE_DIGITS.finditer(text))


@rule("MT404", "number-format", "Locale convention", "major")
def number_format(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Numbers in a continental format: decimal commas ("3,5 million"), "1.234.567", "10 000 euros".

    Why: in English "3,5" is not three and a half; MT often copies the source format,
    which changes the number a reader sees.
    Example: "a budget of 3,5 million euros" for 3.5 million.
    """
    text = doc.text
    for m in _DECIMAL_COMMA.finditer(text) if _COMMA_DECIMALS.search(text) else ():
        yield Hit(m.start(), m.end(), f"decimal comma in '{m.group()}'", replacements=(m.group().replace(",", "."),))
    for m in _EURO_THOUSANDS.finditer(text) if _DOT_THOUSANDS.search(text) else ():
        fixed = m.group().replace(".", "\0").replace(",", ".").replace("\0", ",")
        yield Hit(m.start(), m.end(), f"continental number format '{m.group()}'", replacements=(fixed,))
    for m in _SPACE_THOUSANDS.finditer(text) if _spaced_digits(text) else ():
        fixed = re.sub(r"[\u00a0\u202f ]", ",", m.group())
        yield Hit(m.start(), m.end(), f"space as thousands separator in '{m.group()}'", replacements=(fixed,))
