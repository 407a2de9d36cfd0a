"""The short human summary printed on the terminal (colour only on a terminal without NO_COLOR)."""

from __future__ import annotations

import os
import re
import sys
from typing import Any, TextIO

_COLOURS = {"pass": "32", "warn": "33", "fail": "31", "error": "35", "critical": "31;1", "major": "31", "minor": "33"}


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]")


def safe(text: Any) -> str:
    """Untrusted text for a terminal or a CI log: control characters (newlines, ANSI
    escapes, bidi overrides) shown as ``\\xNN``/``\\uNNNN`` escapes, so that an id or a
    file name can neither forge a line (a GitHub workflow command) nor drive the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def use_colour(stream: TextIO, disabled: bool = False) -> bool:
    return not disabled and "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, key: str, colour: bool) -> str:
    return f"\033[{_COLOURS[key]}m{text}\033[0m" if colour and key in _COLOURS else text


def render_summary(summary: dict[str, Any], colour: bool, worst: list[dict[str, Any]] | None = None) -> str:
    """A few lines: article statuses, findings by severity and rule, gate verdict, signature."""
    a, f, gate = summary["articles"], summary["findings"], summary["gate"]
    lines = [
        f"mtqa: {a['total']} article(s), {summary['sentences']} sentence(s), {summary['words']} word(s)",
        "  status:   " + "  ".join(paint(f"{k} {a[k]}", k, colour) for k in ("pass", "warn", "fail", "error")),
        "  findings: " + "  ".join(paint(f"{k} {v}", k, colour) for k, v in f["by_severity"].items()) + f"  (total {f['total']})",
    ]
    if f["by_rule"]:
        top = sorted(f["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        lines.append("  rules:    " + "  ".join(f"{c} {n}" for c, n in top))
    if summary["quality"]["mean"] is not None:
        qd = summary["quality"]
        lines.append(f"  quality:  mean {qd['mean']}  median {qd['median']}  min {qd['min']}")
    fl = summary.get("fluency") or {}
    if fl.get("enabled"):
        lines.append(f"  fluency:  mean {fl.get('mean')}  model {fl.get('model')}")
    elif fl:
        lines.append(f"  fluency:  off ({fl.get('reason')})")
    if summary.get("baseline"):
        b = summary["baseline"]
        lines.append(f"  baseline: {b['suppressed']} finding(s) accepted by {safe(b['file'])}, not counted above")
    if summary.get("ignored_in_input"):
        lines.append(f"  ignored:  {summary['ignored_in_input']} finding(s) suppressed by the articles' mtqa_ignore field")
    ref = summary.get("reference")
    if ref:
        lines.append(f"  reference ({ref['segments']} segment(s)): BLEU {ref['bleu']}  chrF {ref['chrf']}  TER {ref['ter']}")
    for w in worst or []:
        text = w["text"] if len(w["text"]) <= 90 else w["text"][:89] + "…"
        codes = f" ({w['codes']})" if isinstance(w.get("codes"), str) and w["codes"] else ""
        lines.append(f"  worst:    [{safe(w['article_id'])}]{safe(codes)} {safe(text)}")
    for e in summary["errors"][:5]:
        loc = f"{e['path']}:{e['line']}" if e.get("line") else e["path"]
        lines.append(paint(f"  error:    {safe(loc)}: {safe(e['reason'])}", "error", colour))
    if len(summary["errors"]) > 5:
        lines.append(f"  ... and {len(summary['errors']) - 5} more errors (see articles.csv)")
    verdict = paint("PASSED", "pass", colour) if gate["exit_code"] == 0 else paint("FAILED", "fail", colour)
    lines.append(f"  gate:     {verdict}" + (f": {'; '.join(gate['reasons'])}" if gate["reasons"] else ""))
    lines.append(f"  signature: {summary['signature']['string']}")
    if summary["signature"].get("config"):
        lines.append(f"  config:   {safe(summary['signature']['config'])}")
    return "\n".join(lines)


def render_findings(rows: list[dict[str, Any]], colour: bool, show: int | None) -> list[str]:
    """``path:line:col: CODE [severity] message (-> suggestion)``, grouped by article in input
    order; for an article read from a record (JSONL/CSV/...) the line is the record's and the
    article id is named. At most ``show`` lines (None: all), then how many were left out."""
    lines: list[str] = []
    last = None
    for f in rows[:show] if show is not None else rows:
        if f["article_id"] != last and f["file_column"] is None:
            lines.append(f"{safe(f['file'])}:{f['file_line']}: [{safe(f['article_id'])}]")
        last = f["article_id"]
        col = f["file_column"] if f["file_column"] is not None else int(f["column"])
        line = f["file_line"] if f["file_column"] is not None else int(f["line"])
        where = f"{f['file']}:{f['file_line']}:{col}" if f["file_column"] is not None else f"  {line}:{col}"
        suggestion = f" (-> {safe(f['suggestion'])})" if isinstance(f.get("suggestion"), str) and f["suggestion"] else ""
        severity = paint(f"[{f['severity']}]", f["severity"], colour)
        lines.append(f"{safe(where)}: {f['code']} {severity} {safe(f['message'])}{suggestion}")
    if show is not None and len(rows) > show:
        lines.append(f"... and {len(rows) - show} more findings (--show-all lists them; findings.csv has all)")
    return lines


def render_statistics(findings: Any) -> list[str]:
    """Counts per rule and severity (most first) with the rule's name, like ruff's --statistics."""
    from mtqa.detect import all_rules

    if findings is None or len(findings) == 0:
        return []
    names = {r.code: r.name for r in all_rules()}
    counts = findings.groupby(["code", "severity"]).size().reset_index(name="n")
    counts = counts.sort_values(["n", "code"], ascending=[False, True])
    return [f"{int(r.n):>7}  {r.code:<6} {names.get(r.code, ''):<28} [{r.severity}]" for r in counts.itertuples()]


def print_error(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr; the message may quote input (file names, ids), so it is escaped."""
    print(f"mtqa: {safe(message)}", file=stream or sys.stderr)
