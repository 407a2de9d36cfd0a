"""reports/example/ is the report of `mtqa score data/ --out reports/example`; it must not go stale.

Regenerate it with that command (from the repository root) after changing rules,
scores or report formats. Uses the real default model (marked ``model``; CI runs it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from mtqa.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.model
EXAMPLE = ROOT / "reports" / "example"
VOLATILE = {"load_seconds", "cache_hits", "cache_misses"}


def _stable(summary: dict) -> dict:  # type: ignore[type-arg]
    summary["fluency"] = {k: v for k, v in summary["fluency"].items() if k not in VOLATILE}
    return summary


def test_example_report_is_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "example"
    assert main(["score", "data", "-q", "--out", str(out)]) == 1
    stale = "reports/example is stale: run `mtqa score data/ --out reports/example`"
    # LM scores may differ in the last float digits with batch composition: compare numbers with a tolerance
    for name in ("articles.csv", "sentences.csv", "findings.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(out / name), pd.read_csv(EXAMPLE / name), check_exact=False, rtol=1e-3, obj=f"{name}: {stale}")
    digits = re.compile(r"\d+(?:\.\d+)?")
    assert digits.sub("#", (out / "report.html").read_text()) == digits.sub("#", (EXAMPLE / "report.html").read_text()), stale
    fresh = _stable(json.loads((out / "summary.json").read_text()))
    kept = _stable(json.loads((EXAMPLE / "summary.json").read_text()))
    assert fresh.keys() == kept.keys(), stale
    assert fresh["findings"] == kept["findings"] and fresh["articles"] == kept["articles"], stale
    assert fresh["signature"] == kept["signature"] and fresh["gate"] == kept["gate"], stale
