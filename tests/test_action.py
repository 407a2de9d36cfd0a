"""action.yml run as GitHub would run its steps (bash, the step's env, $GITHUB_OUTPUT and
$GITHUB_STEP_SUMMARY files), except the install step: mtqa is installed here already."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.conftest import ROOT, SEED

CLEAN = "Title\n\nThe talks in Geneva ended on Monday, officials said.\n"


def run_action(tmp_path: Path, inputs: dict[str, str]) -> tuple[str, str, int]:
    """(annotations on stdout, job summary, the job's exit code)."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    values = {f"inputs.{k}": v.get("default", "") for k, v in action["inputs"].items()} | {f"inputs.{k}": v for k, v in inputs.items()}
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    output.touch()
    summary.touch()
    stdout, code = "", 0
    for step in action["runs"]["steps"]:
        if step["name"] == "install mtqa":
            continue
        for line in output.read_text().splitlines():
            key, _, value = line.partition("=")
            values[f"steps.score.outputs.{key}"] = value
        env = {k: re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], str(v)) for k, v in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True,
                              env={**os.environ, **env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)})
        stdout += done.stdout
        code = done.returncode
        if code:
            break
    return stdout, summary.read_text(), code


def test_action_annotates_summarises_and_fails_the_job(tmp_path: Path) -> None:
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "seed.txt").write_text(SEED.read_text())
    (tmp_path / "incoming" / "clean.txt").write_text(CLEAN)
    annotations, summary, code = run_action(tmp_path, {"paths": "incoming"})
    assert code == 1
    assert "::error file=incoming/seed.txt" in annotations and "(-> remove it)" in annotations
    assert summary.startswith("### mtqa: gate FAILED") and "| incoming/seed.txt | fail |" in summary
    assert (tmp_path / "mtqa-report" / "report.html").is_file()


def test_action_policy_from_args_reaches_the_summary(tmp_path: Path) -> None:
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "clean.txt").write_text(CLEAN)
    (tmp_path / "incoming" / "minor.txt").write_text("Title\n\nThe the talks in Geneva ended on Monday, officials said.\n")
    _, summary, code = run_action(tmp_path, {"paths": "incoming", "args": "--no-fluency --fail-on critical"})
    assert code == 0 and summary.startswith("### mtqa: gate PASSED") and "fail-on `critical`" in summary
