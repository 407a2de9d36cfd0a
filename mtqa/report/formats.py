"""Formats printed on stdout (``-f/--format``): text, json (summary), jsonl (findings), sarif, junit, github."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from mtqa.report.machine import github, joined_findings, junit, sarif
from mtqa.report.terminal import render_findings, render_statistics, render_summary, safe
from mtqa.types import is_missing

if TYPE_CHECKING:
    from mtqa.aggregate import RunResult


def _text(run: RunResult, colour: bool, show: int | None = 50, statistics: bool = False) -> str:
    """ruff's shape: one ``path:line:col: CODE [severity] message (-> suggestion)`` line per
    finding, grouped by article (at most ``show``; None: all), or with ``statistics`` the
    counts per rule and severity; then the summary, the verdict and the output folder."""
    sentences = run.view.worst_sentences
    worst = sentences.head(3).to_dict("records") if not sentences.empty else []
    if statistics:
        lines = render_statistics(run.tables.get("findings"))
    else:
        lines = render_findings(joined_findings(run), colour, show) if "findings" in run.tables else []
    text = "\n".join([*lines, render_summary(run.summary, colour, worst)])
    if run.out_dir is not None:
        text += f"\n  outputs:  {safe(str(run.out_dir))}/"
    return text


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
    "text": ("articles", "findings"), "jsonl": ("findings",), "sarif": ("articles", "findings"), "junit": ("articles", "findings"),
    "github": ("articles", "findings"),
}


def render(name: str, run: RunResult, colour: bool, show: int | None = 50, statistics: bool = False) -> str:
    """What ``-f NAME`` prints; ``show`` and ``statistics`` shape the text format."""
    if name == "text":
        return _text(run, colour, show, statistics)
    return RENDERERS[name](run, colour)
