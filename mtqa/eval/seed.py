"""`mtqa eval seed FOLDER`: the seed article against its annotated artifacts (``ARTIFACTS.md``).

``ARTIFACTS.md`` lists, in Markdown tables under "Must be flagged" and "Should be flagged",
rows of ``| line(s) | `text` | what it is |`` (several texts joined by `` / ``; ``...``
elides words). A row is *found* when a finding on one of its lines overlaps one of its
texts there (or, when the text cannot be located on those lines, any finding on them).
Quoted sentences under "Must not be flagged" are false flags if a finding overlaps them;
findings on lines that no row names are listed as *unlisted* (false flags or artifacts
the list does not know). The article is the folder's one ``.txt`` file, read as
``mtqa score`` reads it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtqa.config import Settings
from mtqa.errors import UsageError
from mtqa.eval.common import make_pipeline
from mtqa.ingest.readers import read_text
from mtqa.types import Finding

_SECTIONS = {"must be flagged": "must", "should be flagged": "should", "must not be flagged": "fine"}
_ROW = re.compile(r"^\|\s*([\d,\s]+?)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$")
_CODE = re.compile(r"`([^`]+)`")
_QUOTED = re.compile(r"\"([^\"]{20,})\"")


@dataclass
class ArtifactRow:
    kind: str  # must / should
    lines: list[int]
    texts: list[str]
    what: str


def parse_artifacts(markdown: str) -> tuple[list[ArtifactRow], list[str]]:
    """The must/should rows and the quoted must-not-be-flagged sentences of an ARTIFACTS.md."""
    rows, fine, section = [], [], None
    for line in markdown.splitlines():
        if line.startswith("#"):
            section = _SECTIONS.get(line.lstrip("#").strip().split("(")[0].strip().lower())
            continue
        if section in ("must", "should") and (m := _ROW.match(line)):
            texts = [t.strip() for t in _CODE.findall(m.group(2))]
            rows.append(ArtifactRow(section, [int(n) for n in re.findall(r"\d+", m.group(1))], texts, m.group(3)))
        elif section == "fine":
            fine.append(line)
    return rows, [" ".join(q.split()) for q in _QUOTED.findall(" ".join(fine))]


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _locate(text: str, starts: list[int], line: int, snippet: str) -> tuple[int, int] | None:
    """Character span of ``snippet`` (``...`` elides words) on a 1-based line of ``text``."""
    if not 1 <= line <= len(starts):
        return None
    lo = starts[line - 1]
    hi = starts[line] - 1 if line < len(starts) else len(text)
    pieces = [p.strip() for p in snippet.split("...") if p.strip()]
    if not pieces:
        return None
    first = text.find(pieces[0], lo, hi)
    last = text.find(pieces[-1], first, hi) if first >= 0 else -1
    return (first, last + len(pieces[-1])) if last >= 0 else None


def evaluate_seed(folder: str, settings: Settings) -> dict[str, Any]:
    """Found / missed rows, false flags on the fine sentences, and unlisted findings."""
    base = Path(folder)
    base = base.parent if base.is_file() else base
    texts = sorted(base.glob("*.txt"))
    if not (base / "ARTIFACTS.md").is_file() or len(texts) != 1:
        raise UsageError(f"{base}: not a seed folder (need ARTIFACTS.md and exactly one .txt article)")
    try:
        rows, fine = parse_artifacts((base / "ARTIFACTS.md").read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{base / 'ARTIFACTS.md'}: cannot read: {exc}") from None
    article = next(read_text(texts[0], texts[0].stem))
    if article.error:
        raise UsageError(f"{texts[0]}: {article.error}")
    findings = make_pipeline(settings).run_chunk([article])[0].findings
    text, starts = article.text, _line_starts(article.text)

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset)

    out_rows, named = [], set()
    for row in rows:
        named.update(row.lines)
        on_lines = [f for f in findings if line_of(f.start) in row.lines]
        spans = [sp for ln in row.lines for t in row.texts if (sp := _locate(text, starts, ln, t))]
        hits = [f for f in on_lines if any(a < f.end and f.start < b for a, b in spans)] if spans else on_lines
        out_rows.append({"kind": row.kind, "lines": row.lines, "text": " / ".join(row.texts), "what": row.what,
                         "located": bool(spans), "found": bool(hits), "codes": sorted({f.code for f in hits})})
    false_flags = []
    for sentence in fine:  # located whatever the line breaks: the words, joined by any white space
        if m := re.search(r"\s+".join(map(re.escape, sentence.split())), text):
            false_flags += [_brief(f, line_of(f.start)) for f in findings if f.start < m.end() and m.start() < f.end]
    unlisted = [_brief(f, line_of(f.start)) for f in findings if line_of(f.start) not in named]
    summary = {kind: {"rows": sum(r["kind"] == kind for r in out_rows), "found": sum(r["found"] for r in out_rows if r["kind"] == kind)}
               for kind in ("must", "should")}
    return {"article": str(texts[0]), "findings": len(findings), "summary": summary, "rows": out_rows,
            "fine_sentences": len(fine), "false_flags": false_flags, "unlisted": unlisted}


def _brief(f: Finding, line: int) -> dict[str, Any]:
    return {"line": line, "code": f.code, "severity": f.severity.value, "text": f.text}


def render_seed(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_seed``."""
    s = result["summary"]
    head = (f"seed: {result['article']}: {result['findings']} findings; must {s['must']['found']}/{s['must']['rows']} found, "
            f"should {s['should']['found']}/{s['should']['rows']} found")
    lines = [head, f"{'kind':<7} {'line(s)':<10} {'found':<6} {'codes':<16} text"]
    for r in result["rows"]:
        lines.append(f"{r['kind']:<7} {','.join(map(str, r['lines'])):<10} {'yes' if r['found'] else 'NO':<6} "
                     f"{','.join(r['codes']) or '-':<16} {r['text'][:70]}")
    lines.append(f"false flags on the {result['fine_sentences']} must-not-be-flagged sentence(s): {len(result['false_flags'])}")
    for f in result["false_flags"]:
        lines.append(f"  line {f['line']} {f['code']} {f['severity']}: {f['text']!r}")
    lines.append(f"findings on lines no row names: {len(result['unlisted'])}")
    for f in result["unlisted"]:
        lines.append(f"  line {f['line']} {f['code']} {f['severity']}: {f['text']!r}")
    return "\n".join(lines)
