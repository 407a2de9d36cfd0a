"""Gate: per-article status from the policy, and the corpus verdict that sets the exit code."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mtqa.config import Settings
from mtqa.errors import ExitCode
from mtqa.types import Severity

_FAIL_RANK = {"critical": 3, "major": 2, "minor": 1, "never": 99}


def article_status(worst: Severity | None, quality: float, settings: Settings) -> tuple[str, str]:
    """``(status, reason)``: ``fail`` when a finding reaches ``fail_on`` or quality is below ``min_quality``,
    ``warn`` when there are milder findings, else ``pass``."""
    if worst is not None and worst.rank >= _FAIL_RANK[settings.fail_on]:
        return "fail", f"{worst.value} finding (fail-on={settings.fail_on})"
    if settings.min_quality is not None and quality < settings.min_quality:
        return "fail", f"quality {quality:.1f} < min-quality {settings.min_quality:g}"
    if worst is not None:
        return "warn", f"{worst.value} findings below fail-on={settings.fail_on}"
    return "pass", ""


@dataclass
class GateResult:
    passed: bool
    exit_code: int
    failing_articles: int
    allowed_failing: float
    error_articles: int
    reasons: list[str]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def decide(status_counts: dict[str, int], settings: Settings) -> GateResult:
    """Exit 3 if any article could not be scored or there was none; else 1 if more articles fail than allowed; else 0."""
    failing, errors = status_counts.get("fail", 0), status_counts.get("error", 0)
    scored = sum(v for k, v in status_counts.items() if k != "error")
    allowed = settings.max_failing(scored)
    reasons = []
    if not scored and not errors:
        reasons.append("no input articles: nothing was scored (empty files or folders?)")
        return GateResult(passed=False, exit_code=int(ExitCode.INPUT), failing_articles=0, allowed_failing=allowed,
                          error_articles=0, reasons=reasons)
    if failing > allowed:
        reasons.append(f"{failing} failing article(s), at most {allowed:g} allowed (max-failing-articles={settings.max_failing_articles})")
    if errors:
        reasons.append(f"{errors} article(s) could not be scored (status=error)")
    code = ExitCode.INPUT if errors else ExitCode.GATE_FAILED if failing > allowed else ExitCode.OK
    return GateResult(passed=failing <= allowed, exit_code=int(code), failing_articles=failing,
                      allowed_failing=allowed, error_articles=errors, reasons=reasons)
