"""Detect: run the selected rules over a segmented document and collect findings."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from functools import lru_cache

from mtqa.detect.registry import Rule, RuleContext, all_rules, get_rule, select_rules
from mtqa.types import Document, Finding, Severity

__all__ = ["detect", "Rule", "all_rules", "get_rule", "select_rules"]


#: At most this many findings per rule and article; the last one says how many more there were
#: (counted up to MAX_COUNTED: a rule that would flag half a million words of a huge
#: article is not asked for the rest).
MAX_PER_RULE = 200
MAX_COUNTED = 10_000


def advice(replacements: Sequence[str]) -> str | None:
    """The advice a person reads for a hit's replacements: "remove it", or "replace with 'x' or 'y'"."""
    if not replacements:
        return None
    if replacements == ("",):
        return "remove it"
    return "replace with " + " or ".join(repr(r) for r in replacements)


@lru_cache(maxsize=1024)
def _context(r: Rule, source_lang: str | None) -> RuleContext:
    return RuleContext(r.params, source_lang)


def detect(doc: Document, rules: Sequence[Rule], severity_overrides: Mapping[str, Severity] | None = None) -> list[Finding]:
    """All findings for one document, sorted by position; one per (rule, span)."""
    overrides = severity_overrides or {}
    starts = [s.start for s in doc.sentences]
    seen: set[tuple[str, int, int]] = set()
    findings: list[Finding] = []
    for r in rules:
        ctx = _context(r, doc.article.source_lang)
        kept = extra = 0
        for hit in r.check(doc, ctx):
            key = (r.code, hit.start, hit.end)
            if key in seen:
                continue
            seen.add(key)
            if kept == MAX_PER_RULE:
                extra += 1
                if extra == MAX_COUNTED:
                    break
                continue
            kept += 1
            idx = bisect_right(starts, hit.start) - 1
            findings.append(Finding(
                article_id=doc.article.id,
                sentence=doc.sentences[idx].index if idx >= 0 else None,
                start=hit.start, end=hit.end, text=doc.text[hit.start:hit.end],
                code=r.code, name=r.name, category=r.category,
                severity=overrides.get(r.code) or hit.severity or r.severity,
                message=hit.message, suggestion=hit.suggestion or advice(hit.replacements), confidence=hit.confidence,
                replacements=hit.replacements,
                source_start=hit.source_span[0] if hit.source_span else None,
                source_end=hit.source_span[1] if hit.source_span else None,
            ))
        if extra:
            more = f"{extra}" if extra < MAX_COUNTED else f"at least {extra:,}"
            findings[-1].message += f" (and {more} more {r.code} findings in this article, not listed)"
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return findings
