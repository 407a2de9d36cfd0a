"""The README shows real output: its copy of a run must equal a fresh run."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_readme_output_is_a_real_run() -> None:
    readme = (ROOT / "README.md").read_text()
    shown = readme.split("<!-- output:start -->\n```text\n", 1)[1].split("```\n<!-- output:end -->", 1)[0]
    run = subprocess.run([sys.executable, "-m", "mtqa", "score", "data/seed", "--no-fluency", "--no-write"],
                         cwd=ROOT, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""})
    assert run.returncode == 1, run.stderr
    assert run.stdout == shown, "README output is stale: paste `mtqa score data/seed --no-fluency --no-write`"
