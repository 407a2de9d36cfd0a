"""Formats printed on stdout (``-f/--format``): text, json (summary), jsonl (findings), sarif, junit, github."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from mtqa.report.machine import github, junit, sarif
from mtqa.report.terminal import render_summary
from mtqa.types import is_missing

if TYPE_CHECKING:
    from mtqa.app import RunResult


def _text(run: RunResult, colour: bool) -> str:
    sentences = run.view.worst_sentences
    worst = sentences.head(3).to_dict("records") if not sentences.empty else []
    return render_summary(run.summary, colour, worst)


def _json(run: RunResult, colour: bool) -> str:
    return json.dumps(run.summary, indent=2, ensure_ascii=False, default=str)


def _jsonl(run: RunResult, colour: bool) -> str:
    """One finding per line; empty cells are ``null`` (never NaN, which JSON does not have)."""
    findings = run.tables["findings"]
    rows = ({k: None if is_missing(v) else v for k, v in row.items()} for row in findings.to_dict("records"))
    return "".join(json.dumps(row, ensure_ascii=False, default=str, allow_nan=False) + "\n" for row in rows)


RENDERERS: dict[str, Callable[[RunResult, bool], str]] = {
    "text": _text, "json": _json, "jsonl": _jsonl, "sarif": sarif, "junit": junit, "github": github,
}
NAMES = tuple(RENDERERS)
#: the full tables a format lists row by row (held in memory for it; the others need none)
TABLES_NEEDED: dict[str, tuple[str, ...]] = {
    "jsonl": ("findings",), "sarif": ("articles", "findings"), "junit": ("articles", "findings"),
    "github": ("articles", "findings"),
}


def render(name: str, run: RunResult, colour: bool) -> str:
    return RENDERERS[name](run, colour)
