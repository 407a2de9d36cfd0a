"""MT6xx: typography that MT and the source language leave in English text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.detect.registry import Hit, RuleContext, rule
from mtqa.detect.textutil import contains_any
from mtqa.types import Document

_FRENCH_SPACING = re.compile(r"[ \u00a0\u202f]+[?!;:](?=\s|$|[\"”»])")
_GUILLEMET_MARKS = "«»‹›"
_GUILLEMETS = re.compile(f"[{_GUILLEMET_MARKS}]")
_DOUBLED_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€[\u0080-\u00bf™œ˜“”¢¦ž]?|Â[\u00a0-\u00bf]|\ufffd|Ð[\u0080-\u00bf]{1}|Ã©|Ã¨")
#: every _MOJIBAKE match holds one of these (a test checks the marks of each pattern that has them)
_MOJIBAKE_MARKS = ("Ã", "â", "Â", "\ufffd", "Ð")
# Anchored on the space (fast to scan for); the character before is checked in code.
_DETOKENISED = re.compile(r" +(?=[,.)](?:\s|$))| (?=n't\b)| (?='(?:s|re|ve|ll|d|m)\b)")
_OPEN_PAREN_SPACE = re.compile(r"\( +(?=\w)")
#: every _DETOKENISED match is a space before one of ,.)' or before "n't" (one scan for both)
_DETOKENISED_GATE = re.compile(r" (?:[,.)']|n't)")
#: a space before ? ! ; or : somewhere in the text (every _FRENCH_SPACING match has one); the mark
#: comes first in the pattern so that the regex engine skips ahead to marks, not to spaces
_FRENCH_SPACING_GATE = re.compile("[?!;:](?<=[ \u00a0\u202f][?!;:])")
_BRACKETS = re.compile(r"[()\[\]]")
_BRACKET_CHARS = ("(", ")", "[", "]")
_FULLWIDTH_MARKS = "，。：；！？（）【】「」『』、"
_FULLWIDTH = re.compile(f"[{_FULLWIDTH_MARKS}]")
_PAIRS = {")": "(", "]": "["}


@rule("MT601", "french-spacing", "Fluency/Punctuation", "minor")
def french_spacing(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A space before ``? ! : ;``, as French typography requires and English does not.

    Why: a sure trace of text translated from French without copy-editing.
    Example: "What were the spinoffs of Helsinki ?"
    """
    text = doc.text
    if not _FRENCH_SPACING_GATE.search(text):
        return
    for m in _FRENCH_SPACING.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            continue
        mark = m.group().strip()
        yield Hit(m.start(), m.end(), f"space before '{mark}' (French typography)", replacements=(mark,))


@rule("MT602", "guillemets", "Locale convention", "minor")
def guillemets(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Guillemets (« ») used as quotation marks in English text.

    Why: English uses “ ” or " "; guillemets come straight from a French, Italian or
    Russian source.
    Example: "He called it « a historic step »."
    """
    if not contains_any(doc.text, _GUILLEMET_MARKS):  # (a few substring tests cost less than one pattern scan)
        return
    for m in _GUILLEMETS.finditer(doc.text):
        yield Hit(m.start(), m.end(), f"guillemet '{m.group()}' in English text", replacements=("“" if m.group() in "«‹" else "”",))


@rule("MT603", "doubled-space", "Fluency/Punctuation", "minor")
def doubled_space(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Two or more spaces between words inside a sentence.

    Why: left where MT or the scraper removed a word or a tag.
    Example: "the  government said"
    """
    if "  " not in doc.text:
        return
    for s in doc.sentences:
        for m in _DOUBLED_SPACE.finditer(s.text):
            yield Hit(s.start + m.start(), s.start + m.end(), f"{len(m.group())} spaces between words", replacements=(" ",))


@rule("MT604", "unbalanced-brackets", "Fluency/Punctuation", "minor")
def unbalanced_brackets(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """A bracket opened or closed without its partner in the same paragraph.

    Why: MT drops or duplicates brackets when it reorders a sentence.
    Example: "The treaty (signed in 1987 was abandoned."
    """
    if not contains_any(doc.text, _BRACKET_CHARS):
        return
    for p in doc.paragraphs:
        stack: list[tuple[str, int]] = []
        for m in _BRACKETS.finditer(p.text):
            ch, i = m.group(), m.start()
            if ch in "([":
                stack.append((ch, i))
            elif ch in ")]":
                if stack and stack[-1][0] == _PAIRS[ch]:
                    stack.pop()
                elif not (ch == ")" and i > 0 and (p.text[i - 1].isdigit() or p.text[i - 1].isalpha()) and _is_list_marker(p.text, i)):
                    yield Hit(p.start + i, p.start + i + 1, f"closing '{ch}' without an opening one")
        for ch, i in stack:
            yield Hit(p.start + i, p.start + i + 1, f"opening '{ch}' is never closed")


def _is_list_marker(text: str, i: int) -> bool:
    """``a)`` or ``1)`` at the start of a line or after a space: an enumeration, not a bracket."""
    j = i - 1
    while j >= 0 and text[j].isalnum():
        j -= 1
    return (i - j - 1) <= 2 and (j < 0 or text[j] in " \t\n")


@rule("MT605", "mojibake", "Fluency/Character encoding", "major")
def mojibake(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """UTF-8 text decoded as Latin-1 or Windows-1252 ("Ã©" for "é", "â€™" for "’"), or U+FFFD.

    Why: garbled characters make words unreadable and show a broken pipeline.
    Example: "the governmentâ€™s plan for the cafÃ©"
    """
    if not contains_any(doc.text, _MOJIBAKE_MARKS):
        return
    for m in _MOJIBAKE.finditer(doc.text):
        yield Hit(m.start(), m.end(), f"garbled characters {m.group()!r} (mojibake)", suggestion="re-decode the source as UTF-8")


@rule("MT606", "detokenisation", "Fluency/Punctuation", "minor")
def detokenisation(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Tokeniser spacing left in the text: "word ,", "( word", "do n't", "Trump 's".

    Why: MT pipelines that forget to detokenise leave spaces around punctuation.
    Example: "The president , who arrived on Monday , said ."
    """
    text = doc.text
    if not _maybe_detokenised(text):
        return
    spans = [m.span() for m in _DETOKENISED.finditer(text) if m.start() > 0 and (text[m.start() - 1].isalnum())]
    spans += [(m.start() + 1, m.end()) for m in _OPEN_PAREN_SPACE.finditer(text)]
    for start, end in sorted(spans):
        yield Hit(start, end, "space around punctuation left by a tokeniser", replacements=("",))


def _maybe_detokenised(text: str) -> bool:
    """False when neither pattern of MT606 can match ``text`` (every _OPEN_PAREN_SPACE match holds "( ")."""
    return bool(_DETOKENISED_GATE.search(text)) or ("(" in text and "( " in text)


@rule("MT607", "fullwidth-punctuation", "Locale convention", "minor")
def fullwidth_punctuation(doc: Document, ctx: RuleContext) -> Iterator[Hit]:
    """Chinese or Japanese punctuation (，。：「」) in English text.

    Why: MT from Chinese or Japanese sometimes copies the source's full-width marks.
    Example: "The company said，it would grow。"
    """
    if not contains_any(doc.text, _FULLWIDTH_MARKS):
        return
    for m in _FULLWIDTH.finditer(doc.text):
        yield Hit(m.start(), m.end(), f"full-width punctuation '{m.group()}'", suggestion="use the ASCII mark")
