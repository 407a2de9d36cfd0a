"""The evaluation harness on a small MQM extract: metrics checked against hand-computed values."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mtqa.cli import main
from mtqa.config import Settings
from mtqa.evaluate import correlations, evaluate_mqm, flag_rates, read_mqm


def write_mqm(path: Path) -> Path:
    rows = []
    for seg in (1, 2, 3):
        for system, text, score, errors in (
            ("Human-A.0", f"The talks ended well on day {seg}.", 0.0, []),
            ("SysGood", f"The talks ended on day {seg}.", -1.0, []),
            ("SysBad", f"The talks the the ended on day {seg}. [19659007]", -10.0,
             [["r1", "Major", "Fluency/Grammar", "target", 10, 17, "the the"]]),
        ):
            rows.append({"system": system, "doc": "d", "seg_id": seg, "source": "x", "target": text, "target_status": "unanimous",
                         "n_raters": 1, "mqm_score": score, "mqm_fluency_score": score, "n_errors": len(errors),
                         "errors": json.dumps(errors)})
    cols = list(rows[0])
    path.write_text("\n".join(["\t".join(cols)] + ["\t".join(str(r[c]) for c in cols) for r in rows]) + "\n")
    return path


def test_read_mqm_and_sampling(tmp_path: Path) -> None:
    path = write_mqm(tmp_path / "m.tsv")
    assert len(read_mqm(str(path), None, 0)) == 9
    sample = read_mqm(str(path), 2, 0)
    assert len({r.seg_id for r in sample}) == 2 and len(sample) == 6
    assert read_mqm(str(path), 2, 0) == sample  # seeded


def test_harness_end_to_end(tmp_path: Path) -> None:
    result = evaluate_mqm(read_mqm(str(write_mqm(tmp_path / "m.tsv")), None, 0), Settings(fluency=False))
    spans = result["spans"]["all"]
    assert spans["findings"] >= 3 and spans["recall"] == 1.0  # every "the the" error span is found
    fr = result["flag_rates"]
    assert fr["human_flag_rate"] == 0.0 and fr["mt_flag_rate_max"] == 1.0
    c = result["correlations"]["quality~mqm"]
    assert c["kendall_flat"] > 0.5 and c["system_pearson"] > 0.9


def test_correlations_match_hand_computed_values() -> None:
    frame = pd.DataFrame({"system": ["a", "b", "c", "a", "b", "c"], "seg_id": [1, 1, 1, 2, 2, 2],
                          "mqm": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0], "mqm_fluency": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0],
                          "quality": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]})
    c = correlations(frame)["quality~mqm"]
    # segment 1: perfect agreement (tau 1), segment 2: perfect disagreement (tau -1) -> grouped mean 0
    assert c["kendall_grouped"] == 0.0
    assert c["system_pearson"] is None or abs(c["system_pearson"]) < 1e-9  # system means are all 2.0 vs 2.0/2.0/2.0
    assert correlations(frame)["quality~mqm_fluency"]["kendall_flat"] == 1.0


def test_flag_rates_split_human_and_mt() -> None:
    frame = pd.DataFrame({"system": ["ref-A", "ref-A", "X", "X"], "flagged": [False, True, True, True],
                          "flagged_major": [False, False, True, False]})
    fr = flag_rates(frame)
    assert fr["human_flag_rate"] == 0.5 and fr["mt_flag_rate_max"] == 1.0 and fr["mt_major_flag_rate_max"] == 0.5


def test_cli_eval_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_mqm(tmp_path / "m.tsv")
    assert main(["eval", "mqm", str(path), "--no-fluency", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"] == 3
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n")
    assert main(["eval", "mqm", str(bad), "--no-fluency"]) == 2
