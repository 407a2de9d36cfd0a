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
import numpy as np

from mtqa.report.html import histogram, json_for_script, pieces

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
    cut = pieces('a <b> "c"', [{"start": 2, "end": 5, "severity": "major", "code": "MT105"}])
    assert cut == [{"text": "a ", "mark": None, "codes": "", "refs": []},
                   {"text": "<b>", "mark": "major", "codes": "MT105", "refs": [1]},
                   {"text": ' "c"', "mark": None, "codes": "", "refs": []}]


def test_histogram_bins_fit_the_values() -> None:
    chart = histogram(np.array([81.0, 84.5, 88.0, 90.2, np.nan]), "q")
    labels = [r["label"] for r in chart["rows"]]
    assert labels[0] == "81-82" and labels[-1] == "90-91" and len(labels) == 10  # not one 80-90 bar
    assert [r["label"] for r in histogram(np.array([3.0, 97.0]), "q")["rows"]][:2] == ["0-10", "10-20"]
    assert sum(float(r["shown"]) for r in chart["rows"]) == 4


def test_report_explains_itself(report: Path) -> None:
    page = report.read_text()
    assert '<meta name=viewport content="width=device-width, initial-scale=1">' in page
    assert "Legend" in page and "<mark class=sev-critical>critical</mark>" in page
    assert "MT101 placeholder-token" in page  # rule names beside codes in the chart
    finding_rows = page.count('<tr id="a0-f')
    assert finding_rows >= 1 and "left by the scraper" in page and "&rarr; remove it" in page  # message and fix visible
    assert "&lt;script&gt;document.body" in page and "<script>document.body" not in page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_report_in_a_real_browser(report: Path, tmp_path: Path) -> None:
    dom = chromium("--dump-dom", "--virtual-time-budget=3000", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "data-pwned" not in html.split("<body", 1)[1].split(">", 1)[0], "a payload ran"
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr.replace("Failed to call method", ""), dom.stderr[-2000:]
    assert html.count('data-code="MT101"') == len(PAYLOADS)
    assert '<mark class="sev-major" data-code="MT101">[19659007]</mark>' in html
    assert "&lt;script&gt;" in html  # the payload is shown as text
    rows = html.split('<tbody id="rows">')[1].split("</tbody>")[0]
    assert rows.count("<tr>") == len(PAYLOADS), "the table was not rendered by its script"
    for width in (1400, 400):  # desktop and phone; docs/report-*.png were looked at
        shot = tmp_path / f"report-{width}.png"
        chromium(f"--window-size={width},2400", "--hide-scrollbars", f"--screenshot={shot}", report.as_uri())
        assert shot.stat().st_size > 10_000


def test_source_beside_translation_with_omissions_marked(tmp_path: Path) -> None:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"id": "de-1", "text": "The price rose by 1.5 percent. The company said so on Monday.",
                                  "source": "Der Preis stieg um 1,5 Prozent. Die Börse schloss heute deutlich früher als üblich. "
                                            "Das Unternehmen sagte es am Montag.", "source_lang": "de"}) + "\n")
    main(["score", "--no-fluency", "-q", "--out", str(tmp_path / "out"), str(corpus)])
    page = (tmp_path / "out" / "report.html").read_text()
    source = page.split('<div class=text lang="de">', 1)[1].split("</div>", 1)[0]
    assert '<mark class="sev-minor" data-code="MT007">Die Börse schloss heute deutlich früher als üblich.</mark>' in source
