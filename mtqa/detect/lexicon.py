"""False-friend and calque lexicons: data files under ``mtqa/data/lexicons/<lang>.tsv``.

Each row describes one wrong rendering MT produces from a source-language word:

| column      | meaning                                                                 |
|-------------|-------------------------------------------------------------------------|
| kind        | ``false_friend`` or ``calque``                                          |
| trigger     | comma-separated lower-case words; the row is tried only if one occurs   |
| match       | regex (case-insensitive); group ``w`` is the flagged span               |
| suggestion  | the likely right English                                                |
| source_word | the source-language word or phrase behind the error                     |
| severity    | ``major`` or ``minor``                                                  |
| scope       | ``any`` (also when the source language is unknown) or ``lang`` (only when the article's source_lang is this file's); with a known source_lang only that language's rows apply |
| requires    | regex the sentence must match (context that makes the reading wrong)    |
| unless      | regex that clears the sentence (context where the word is right)        |
| note        | why                                                                     |

Identical rows across languages are merged at load time, so a pattern runs once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mtqa.detect.registry import Hit, RuleContext
from mtqa.detect.textutil import ascii_tokens, load_tsv, lowered_text
from mtqa.types import Document, Severity



@dataclass(frozen=True)
class Entry:
    kind: str
    triggers: frozenset[str]
    match: re.Pattern[str]
    suggestion: str
    sources: tuple[tuple[str, str], ...]  # (lang, source word)
    severity: Severity
    scoped_langs: frozenset[str] | None  # None: applies whatever the source language
    requires: re.Pattern[str] | None

    @property
    def replacements(self) -> tuple[str, ...]:
        """The suggestion's alternatives ("fallout / repercussions") as texts for the span, a
        note in brackets dropped ("interfered (in)" -> "interfered"); none when the
        suggestion rewrites more than the span ("…comes as relations are tense")."""
        if "…" in self.suggestion or "..." in self.suggestion:
            return ()
        return tuple(alt for alt in (re.sub(r"\s*\([^)]*\)", "", a).strip() for a in self.suggestion.split(" / ")) if alt)
    unless: re.Pattern[str] | None
    note: str

    def applies_to(self, source_lang: str | None) -> bool:
        """With a known source language, only entries of that language apply (a Chinese source has
        no French false friends); without one, every ``any``-scoped entry does."""
        if source_lang:
            return any(lang == source_lang for lang, _ in self.sources)
        return self.scoped_langs is None

    def source_text(self, source_lang: str | None) -> str:
        own = [f"{w} ({lang})" for lang, w in self.sources if lang == source_lang]
        return "; ".join(own or [f"{w} ({lang})" for lang, w in self.sources])


def lexicon_languages() -> list[str]:
    folder = resources.files("mtqa.data").joinpath("lexicons")
    return sorted(p.name.removesuffix(".tsv") for p in folder.iterdir() if p.name.endswith(".tsv"))


@cache
def load_lexicon() -> tuple[Entry, ...]:
    """Every entry of every language, merged where the pattern and context are identical."""
    merged: dict[tuple[str, ...], dict] = {}
    for lang in lexicon_languages():
        for row in load_tsv(f"lexicons/{lang}.tsv"):
            key = (row["kind"], row["match"], row["requires"], row["unless"], row["scope"])
            slot = merged.setdefault(key, {"row": row, "sources": [], "langs": set()})
            slot["sources"].append((lang, row["source_word"]))
            slot["langs"].add(lang)
    entries = []
    for (kind, match, requires, unless, scope), slot in merged.items():
        row = slot["row"]
        entries.append(Entry(
            kind=kind,
            triggers=frozenset(t.strip() for t in row["trigger"].split(",") if t.strip()),
            match=re.compile(match, re.IGNORECASE),
            suggestion=row["suggestion"],
            sources=tuple(slot["sources"]),
            severity=Severity(row["severity"]),
            scoped_langs=frozenset(slot["langs"]) if scope == "lang" else None,
            requires=re.compile(requires, re.IGNORECASE) if requires else None,
            unless=re.compile(unless, re.IGNORECASE) if unless else None,
            note=row["note"],
        ))
    return tuple(entries)


@cache
def _trigger_index(kind: str) -> dict[str, list[int]]:
    """Trigger word -> positions of the entries of ``kind`` it can set off."""
    index: dict[str, list[int]] = {}
    for i, entry in enumerate(load_lexicon()):
        if entry.kind == kind:
            for trigger in entry.triggers:
                index.setdefault(trigger, []).append(i)
    return index


def lexicon_hits(doc: Document, ctx: RuleContext, kind: str) -> Iterator[Hit]:
    """Hits of every entry of ``kind`` whose trigger occurs and whose context conditions hold."""
    index = _trigger_index(kind)
    candidates = {i for token in ascii_tokens(doc) & index.keys() for i in index[token]}
    if not candidates:
        return
    starts = [s.start for s in doc.sentences]
    lowered = lowered_text(doc)
    entries = load_lexicon()
    for entry in (entries[i] for i in sorted(candidates)):
        if not entry.applies_to(ctx.source_lang):
            continue
        for idx in _sentences_with(entry.triggers, lowered, starts):
            s = doc.sentences[idx]
            if s.is_title:
                continue
            if entry.requires and not entry.requires.search(s.text):
                continue
            if entry.unless and entry.unless.search(s.text):
                continue
            yield from _entry_hits(entry, s.text, s.start, kind, ctx.source_lang)


def _sentences_with(triggers: frozenset[str], lowered: str, starts: list[int]) -> list[int]:
    """Indices of the sentences where a trigger word occurs (found with str.find, at C speed)."""
    found: set[int] = set()
    for trigger in triggers:
        pos = lowered.find(trigger)
        while pos != -1:
            found.add(bisect_right(starts, pos) - 1)
            pos = lowered.find(trigger, pos + len(trigger))
    return sorted(i for i in found if i >= 0)


def _entry_hits(entry: Entry, sentence: str, offset: int, kind: str, source_lang: str | None) -> Iterator[Hit]:
    group = "w" if "w" in entry.match.groupindex else 0
    label = "false friend" if kind == "false_friend" else "calque"
    for m in entry.match.finditer(sentence):
        start, end = m.span(group)
        message = f"'{m.group(group)}' looks like a {label} of {entry.source_text(source_lang)}"
        if entry.note:
            message += f": {entry.note}"
        yield Hit(start + offset, end + offset, message, suggestion=entry.suggestion, severity=entry.severity,
                  confidence=0.9 if entry.scoped_langs is None else 0.6, replacements=entry.replacements)
