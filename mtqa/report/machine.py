"""Machine formats for CI systems: SARIF 2.1.0, JUnit XML, GitHub Actions workflow commands.

Locations: for ``.txt``/``.md`` articles (a whole file, or one line of it with
``--input-format lines``) a finding's line and column are those of the file; for articles read from JSONL/CSV/TSV/Parquet the line is the article's line or
row in its file and the article-relative line/column are in the result's properties.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from mtqa._version import __version__
from mtqa.detect import all_rules
from mtqa.report.terminal import safe

if TYPE_CHECKING:
    from mtqa.aggregate import RunResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "major": "error", "minor": "warning"}
_TEXT_FORMATS = (".txt", ".md", ".txt.gz", ".md.gz")


def joined_findings(run: RunResult) -> list[dict[str, Any]]:
    """Finding rows with their article's path and line, and the finding's line and column in
    that file (for a ``.txt``/``.md`` article) or the record's line (for a JSONL/CSV/... row)."""
    articles = run.tables["articles"].set_index("article_id")[["path", "line"]].to_dict("index")
    rows = []
    for f in run.tables["findings"].to_dict("records"):
        a = articles.get(f["article_id"], {"path": "", "line": 1})
        whole_file = str(a["path"]).endswith(_TEXT_FORMATS)
        f["file"] = a["path"]
        first = int(a["line"] or 1)  # 1 for a whole file; N for line N of --input-format lines
        f["file_line"] = first + int(f["line"]) - 1 if whole_file else first
        f["file_column"] = int(f["column"]) if whole_file else None
        f["file_end_line"] = first + int(f["end_line"]) - 1 if whole_file else None
        f["file_end_column"] = int(f["end_column"]) if whole_file else None
        rows.append(f)
    return rows


def sarif(run: RunResult, colour: bool = False) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in joined_findings(run):
        region: dict[str, Any] = {"startLine": f["file_line"]}
        if f["file_column"] is not None:
            region.update(startColumn=f["file_column"], endLine=f["file_end_line"], endColumn=f["file_end_column"])
        fixes = _fixes(f, dict(region))
        region["snippet"] = {"text": str(f["text"])}
        results.append({
            "ruleId": f["code"], "ruleIndex": index[f["code"]], "level": _LEVEL[f["severity"]],
            "message": {"text": f["message"] + (f" (suggestion: {f['suggestion']})" if _present(f["suggestion"]) else "")},
            "locations": [{
                "physicalLocation": {"artifactLocation": {"uri": str(f["file"])}, "region": region},
                "logicalLocations": [{"name": str(f["article_id"]), "kind": "module"}],
            }],
            # stable across runs while the finding's article, rule, text and sentence are: code scanning
            # tracks it through edits elsewhere (the key --baseline uses)
            "partialFingerprints": {"mtqaFinding/v1": str(f["fingerprint"])},
            "properties": {"severity": f["severity"], "articleId": str(f["article_id"]), "sentence": f["sentence"],
                           "start": f["start"], "end": f["end"], "articleLine": f["line"], "articleColumn": f["column"],
                           "confidence": f["confidence"]},
            **({"fixes": fixes} if fixes else {}),
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mtqa", "version": __version__, "informationUri": "https://pypi.org/project/mtqa/",
                "rules": [{
                    "id": r.code, "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.doc},
                    "help": {"text": r.doc},
                    "defaultConfiguration": {"level": _LEVEL[r.severity.value]},
                    "properties": {"category": r.category, "severity": r.severity.value},
                } for r in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"signature": run.summary["signature"]["string"], "gate": run.summary["gate"]},
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str)


def _fixes(f: dict[str, Any], region: dict[str, Any]) -> list[dict[str, Any]]:
    """SARIF fixes, one per replacement, for a finding located in its file (a ``.txt``/``.md``
    article); a record's text inside JSONL/CSV has no file region an edit could name."""
    if f["file_column"] is None or not _present(f.get("replacements")):
        return []
    return [{"description": {"text": f"replace with {r!r}" if r else "remove it"},
             "artifactChanges": [{"artifactLocation": {"uri": str(f["file"])},
                                  "replacements": [{"deletedRegion": region, "insertedContent": {"text": r}}]}]}
            for r in json.loads(f["replacements"])]


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: Any) -> str:
    """Text XML 1.0 can hold: other control characters (and lone surrogates) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def junit(run: RunResult, colour: bool = False) -> str:
    """One testcase per article; gate-failing articles fail, unreadable ones are errors."""
    articles = run.tables["articles"].to_dict("records")
    by_article: dict[str, list[dict[str, Any]]] = {}
    for f in run.tables["findings"].to_dict("records"):
        by_article.setdefault(str(f["article_id"]), []).append(f)
    counts = run.summary["articles"]
    suite = ET.Element("testsuite", name="mtqa", tests=str(counts["total"]), failures=str(counts["fail"]),
                       errors=str(counts["error"]), skipped="0")
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="signature", value=run.summary["signature"]["string"])
    for a in articles:
        case = ET.SubElement(suite, "testcase", classname=_xml(a["path"]), name=_xml(a["article_id"]))
        lines = _xml("\n".join(f"{f['code']} {f['severity']} line {f['line']}:{f['column']} {f['text']!r}: {f['message']}"
                                for f in by_article.get(str(a["article_id"]), [])))
        if a["status"] == "fail":
            ET.SubElement(case, "failure", message=_xml(a["reason"]), type="mtqa.gate").text = lines
        elif a["status"] == "error":
            ET.SubElement(case, "error", message=_xml(a["reason"]), type="mtqa.input")
        elif lines:
            ET.SubElement(case, "system-out").text = lines
    return ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(run: RunResult, colour: bool = False) -> str:
    """GitHub Actions workflow commands: ``::error file=...,line=...::message``."""
    out = []
    for f in joined_findings(run):
        level = _LEVEL[f["severity"]]
        props = {"file": safe(f["file"]), "line": str(f["file_line"])}
        if f["file_column"] is not None:
            props.update(col=str(f["file_column"]), endLine=str(f["file_end_line"]), endColumn=str(f["file_end_column"]))
        props["title"] = f"{f['code']} {f['name']}"
        head = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
        fix = f" (-> {f['suggestion']})" if _present(f["suggestion"]) else ""
        message = safe("[" + str(f["article_id"]) + "] " + str(f["message"]) + fix)
        out.append(f"::{level} {head}::{_escape_data(message)}")
    return "\n".join(out)


def _present(value: Any) -> bool:
    return value is not None and value == value and value != ""
