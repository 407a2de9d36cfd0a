"""SARIF (validated against the official 2.1.0 schema), JUnit XML and GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from mtqa.cli import main
from tests.conftest import ROOT, SHARED

SEED = ROOT / "data" / "seed" / "trump-putin-invitation.txt"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, *paths: Path) -> str:
    main(["score", "--no-fluency", "--no-write", "-f", fmt, *map(str, paths)])
    return capsys.readouterr().out


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"id": "j1", "text": "First line.\nmillion. Then [19659007] text."}) + "\nnot json\n")
    return p


def test_sarif_validates_against_the_official_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip("../shared/schemas is not present")
    doc = json.loads(run(tmp_path, capsys, "sarif", SEED, corpus))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    results = doc["runs"][0]["results"]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    placeholder = next(r for r in results if r["ruleId"] == "MT101" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".txt"))
    region = placeholder["locations"][0]["physicalLocation"]["region"]
    line = SEED.read_text().splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "[19659007]"
    assert rules[placeholder["ruleIndex"]]["id"] == "MT101" and rules[placeholder["ruleIndex"]]["help"]["text"]
    jsonl_hit = next(r for r in results if r["properties"]["articleId"] == "j1" and r["ruleId"] == "MT101")
    assert jsonl_hit["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert jsonl_hit["properties"]["articleLine"] == 2
    assert {r["level"] for r in results} <= {"error", "warning"}
    honorific = next(r for r in results if r["ruleId"] == "MT401" and r["properties"]["articleId"].endswith(".txt"))
    change = honorific["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"]["text"] == "Mr."
    deleted = change["replacements"][0]["deletedRegion"]
    line = SEED.read_text().splitlines()[deleted["startLine"] - 1]
    assert line[deleted["startColumn"] - 1:deleted["endColumn"] - 1] == "Mr"
    prints = [r["partialFingerprints"]["mtqaFinding/v1"] for r in results]
    assert len(set(prints)) == len(prints) and all(len(p) == 24 for p in prints)
    # an edit elsewhere in the article moves a finding but keeps its fingerprint (code scanning tracks it)
    article = tmp_path / "a.txt"
    article.write_text(SEED.read_text())

    def placeholder_hit() -> dict:  # type: ignore[type-arg]
        return next(r for r in json.loads(run(tmp_path, capsys, "sarif", article))["runs"][0]["results"] if r["ruleId"] == "MT101")

    before = placeholder_hit()
    article.write_text("A new first paragraph was added.\n\n" + SEED.read_text())
    after = placeholder_hit()
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == before["locations"][0]["physicalLocation"]["region"]["startLine"] + 2
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_junit_one_testcase_per_article(tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    root = ET.fromstring(run(tmp_path, capsys, "junit", SEED, corpus))
    cases = root.findall("testcase")
    assert len(cases) == int(root.get("tests")) == 3
    assert root.get("failures") == "2" and root.get("errors") == "1"
    seed_case = next(c for c in cases if c.get("name").endswith("trump-putin-invitation.txt"))
    assert seed_case.find("failure") is not None and "MT301" in seed_case.find("failure").text


def test_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(tmp_path, capsys, "github", SEED).splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    hit = next(line for line in lines if "MT101" in line)
    assert f"file={SEED}" in hit and ",line=18," in hit and "title=MT101 placeholder-token" in hit
    assert hit.endswith("(-> remove it)")  # the suggestion travels with the annotation
    assert "\n" not in hit
