"""The HTML report in a real browser (headless Chromium): no payload runs, no console errors,
highlights land on the right words. Skipped only where Chromium is not installed
(.ci/run installs it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mtqa.cli import main
from mtqa.report.html import highlight, json_for_script

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAYLOADS = [
    "<script>document.body.setAttribute('data-pwned','script')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "javascript:document.body.setAttribute('data-pwned','js')",
    "</script><script>document.body.setAttribute('data-pwned','json')</script>",
]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("html")
    corpus = tmp / "evil.jsonl"
    with corpus.open("w") as fh:
        for i, p in enumerate(PAYLOADS):
            fh.write(json.dumps({"id": f"{p}-{i}", "title": p, "url": p,
                                 "text": f"The deal was signed. {p} Then [19659007] the talks ended."}) + "\n")
    out = tmp / "out"
    main(["score", "--no-fluency", "-q", "--out", str(out), str(corpus)])
    return out / "report.html"


def test_escaping_helpers() -> None:
    assert "<" not in json_for_script({"x": "</script><b>"})
    marked = highlight('a <b> "c"', [{"start": 2, "end": 5, "severity": "major", "code": "MT105", "name": "html-markup",
                                      "message": 'x"><img onerror=1>', "suggestion": None}])
    assert marked.startswith("a <mark") and "&lt;b&gt;</mark>" in marked and "<img" not in marked


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_report_in_a_real_browser(report: Path, tmp_path: Path) -> None:
    dom = chromium("--dump-dom", "--virtual-time-budget=3000", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "data-pwned" not in html.split("<body", 1)[1].split(">", 1)[0], "a payload ran"
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr.replace("Failed to call method", ""), dom.stderr[-2000:]
    assert html.count('data-code="MT101"') == len(PAYLOADS)
    assert '<mark class="sev-major" data-code="MT101"' in html and '>[19659007]</mark>' in html
    assert "&lt;script&gt;" in html  # the payload is shown as text
    rows = html.split('<tbody id="rows">')[1].split("</tbody>")[0]
    assert rows.count("<tr>") == len(PAYLOADS), "the table was not rendered by its script"
    shot = tmp_path / "report.png"
    chromium("--window-size=1280,2200", f"--screenshot={shot}", report.as_uri())
    assert shot.stat().st_size > 10_000
