"""Gate: the policy, each article's status under it, and the corpus verdict that sets the exit code.

Policy is kept apart from compute: workers score articles (findings, quality), and the
statuses are applied here, once, to the articles table. So a finished run can be gated
again under another policy without rescoring (``mtqa gate OUT``, ``Result.gate``), and a
resumed run may change its policy.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mtqa.errors import ExitCode, UsageError
from mtqa.types import SEVERITY_RANK

FAIL_ON = ("critical", "major", "minor", "never")
_FAIL_RANK = {**SEVERITY_RANK, "never": 99}


@dataclass(frozen=True)
class Policy:
    """When an article fails, and how many failing articles the corpus tolerates."""

    #: the mildest severity that fails an article (``never``: findings never fail it)
    fail_on: str = "major"
    #: articles below this quality (0-100) fail; None: off
    min_quality: float | None = None
    #: failing articles tolerated: a count ``N`` or a share ``P%`` of the scored articles
    max_failing_articles: str = "0"

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise UsageError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {self.fail_on!r}")
        if not re.fullmatch(r"\d+(?:\.\d+)?%?", str(self.max_failing_articles).strip()):
            raise UsageError(f"max-failing-articles must be a count N or a share P%, not {self.max_failing_articles!r}")

    @classmethod
    def from_settings(cls, settings: Any) -> Policy:
        return cls(settings.fail_on, settings.min_quality, settings.max_failing_articles)

    def max_failing(self, scored: int) -> float:
        """The number of failing articles tolerated among ``scored`` articles."""
        value = str(self.max_failing_articles).strip()
        if value.endswith("%"):
            return float(value[:-1]) / 100 * scored
        return float(value)


def apply_policy(articles: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The articles table with ``status`` and ``reason`` set by ``policy`` (error rows keep theirs).

    ``fail`` when a finding reaches ``fail_on`` or quality is below ``min_quality``;
    ``warn`` when there are milder findings; else ``pass``. Needs the columns ``status``,
    ``reason``, ``critical``, ``major``, ``minor`` and ``quality``.
    """
    out = articles.copy()
    if out.empty:
        return out
    scored = (out["status"] != "error").to_numpy()
    counts = {s: pd.to_numeric(out[s], errors="coerce").fillna(0).to_numpy() for s in SEVERITY_RANK}
    worst = np.select([counts["critical"] > 0, counts["major"] > 0, counts["minor"] > 0], [3, 2, 1], default=0)
    names = np.array(["", "minor", "major", "critical"], dtype=object)[worst]
    quality = pd.to_numeric(out["quality"], errors="coerce").to_numpy(dtype=float)
    by_finding = worst >= _FAIL_RANK[policy.fail_on]
    by_quality = np.zeros(len(out), dtype=bool) if policy.min_quality is None else np.nan_to_num(quality, nan=0.0) < policy.min_quality
    warned = worst > 0
    status = np.select([by_finding | by_quality, warned], ["fail", "warn"], default="pass").astype(object)
    reason = np.empty(len(out), dtype=object)
    reason[:] = ""
    for i in np.flatnonzero(by_finding):
        reason[i] = f"{names[i]} finding (fail-on={policy.fail_on})"
    for i in np.flatnonzero(by_quality & ~by_finding):
        reason[i] = f"quality {np.nan_to_num(quality[i]):.1f} < min-quality {policy.min_quality:g}"
    for i in np.flatnonzero(warned & ~by_finding & ~by_quality):
        reason[i] = f"{names[i]} findings below fail-on={policy.fail_on}"
    out.loc[scored, "status"] = status[scored]
    out.loc[scored, "reason"] = reason[scored]
    return out


@dataclass
class GateResult:
    """The corpus verdict: ``exit_code`` 0 passed, 1 failed the policy, 3 articles could not be scored."""

    passed: bool
    exit_code: int
    failing_articles: int
    allowed_failing: float
    error_articles: int
    reasons: list[str]
    #: the policy it was decided under (fail_on, min_quality, max_failing_articles)
    policy: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def decide(status_counts: dict[str, int], policy: Policy) -> GateResult:
    """Exit 3 if any article could not be scored or there was none; else 1 if more articles fail than allowed; else 0."""
    failing, errors = status_counts.get("fail", 0), status_counts.get("error", 0)
    scored = sum(v for k, v in status_counts.items() if k != "error")
    allowed = policy.max_failing(scored)
    reasons = []
    if not scored and not errors:
        reasons.append("no input articles: nothing was scored (empty files or folders?)")
        return GateResult(passed=False, exit_code=int(ExitCode.INPUT), failing_articles=0, allowed_failing=allowed,
                          error_articles=0, reasons=reasons, policy=asdict(policy))
    if failing > allowed:
        share = f", {policy.max_failing_articles} of {scored}" if str(policy.max_failing_articles).strip().endswith("%") else ""
        reasons.append(f"{failing} failing article(s), at most {int(allowed)} allowed (max-failing-articles={policy.max_failing_articles}{share})")
    if errors:
        reasons.append(f"{errors} article(s) could not be scored (status=error)")
    code = ExitCode.INPUT if errors else ExitCode.GATE_FAILED if failing > allowed else ExitCode.OK
    return GateResult(passed=failing <= allowed, exit_code=int(code), failing_articles=failing,
                      allowed_failing=allowed, error_articles=errors, reasons=reasons, policy=asdict(policy))


def gate_table(articles: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, GateResult]:
    """Statuses and the verdict of a finished run's articles table under ``policy``."""
    gated = apply_policy(articles, policy)
    counts = gated["status"].value_counts().to_dict() if not gated.empty else {}
    return gated, decide({k: int(counts.get(k, 0)) for k in ("pass", "warn", "fail", "error")}, policy)
