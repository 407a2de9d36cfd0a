"""A Markdown job summary of a finished run (``mtqa gate OUT -f markdown``), for CI pages
such as GitHub's ``$GITHUB_STEP_SUMMARY``. Corpus text (ids, reasons) is escaped so that it
can add neither markup nor table cells."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from mtqa.gate import GateResult
from mtqa.report.terminal import safe

#: failing articles listed (the articles table has all)
LISTED = 20
_MARKUP = re.compile(r"([\\`*_\[\]<>|~])")  # emphasis, code, links, HTML, table cells, strike-through


def md(text: Any) -> str:
    """Untrusted text as literal Markdown: control characters escaped, markup characters backslashed."""
    return _MARKUP.sub(r"\\\1", safe(text))


def job_summary(articles: pd.DataFrame, verdict: GateResult, summary: dict[str, Any]) -> str:
    """Verdict, status counts, the policy, the most frequent rules and the failing articles."""
    word = "PASSED" if verdict.exit_code == 0 else "FAILED"
    counts = articles["status"].value_counts().to_dict()
    p = verdict.policy
    lines = [f"### mtqa: gate {word}", "",
             "| pass | warn | fail | error |", "|---:|---:|---:|---:|",
             "| " + " | ".join(str(counts.get(k, 0)) for k in ("pass", "warn", "fail", "error")) + " |", "",
             f"Policy: fail-on `{p.get('fail_on')}`, min-quality `{'off' if p.get('min_quality') is None else p['min_quality']}`, "
             f"max-failing-articles `{p.get('max_failing_articles')}`."]
    lines += [f"- {md(r)}" for r in verdict.reasons]
    by_rule = (summary.get("findings") or {}).get("by_rule") or {}
    if by_rule:
        top = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        lines += ["", "Findings per rule: " + ", ".join(f"{md(code)} {n}" for code, n in top)]
    failing = articles[articles.status.isin(["fail", "error"])]
    if len(failing):
        worst = failing.sort_values(["status", "quality"], ascending=[False, True], na_position="first").head(LISTED)
        lines += ["", "| article | status | quality | why |", "|---|---|---:|---|"]
        lines += [f"| {md(r.article_id)} | {r.status} | {'' if r.quality != r.quality else r.quality} | {md(r.reason)} |"
                  for r in worst.itertuples()]
        if len(failing) > LISTED:
            lines.append(f"\n{len(failing) - LISTED} more failing or unreadable article(s) in articles.csv.")
    if summary.get("signature"):
        lines += ["", f"<sub>{md(summary['signature'].get('string', ''))}</sub>"]
    return "\n".join(lines)
