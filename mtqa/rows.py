"""Rows: what a worker makes of a scored chunk: three small tables (articles, sentences,
findings) with their declared column types, ready for the part store (:mod:`mtqa.store`).

Corpus assembly, on the client side, is :mod:`mtqa.aggregate`.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from mtqa.baseline import finding_key
from mtqa.detect.align import alignment_of
from mtqa.pipeline import ArticleResult
from mtqa.scoring import quality as q
from mtqa.scoring.reference import ReferenceStats
from mtqa.types import is_missing

ARTICLE_COLUMNS = [
    "article_id", "path", "line", "title", "status", "reason", "words", "sentences",
    "findings", "critical", "major", "minor", "penalty_per_100_words", "quality", "est_mqm_per_100_words", "est_mqm", "rules",
]
SENTENCE_COLUMNS = [
    "article_id", "sentence", "paragraph", "start", "end", "text", "findings", "codes",
    "worst_severity", "penalty", "est_mqm_per_100_words", "est_mqm", "rank_in_article",
]
FINDING_COLUMNS = [
    "article_id", "sentence", "start", "end", "line", "column", "end_line", "end_column", "text",
    "code", "name", "category", "severity", "message", "suggestion", "replacements", "source_start", "source_end", "confidence",
    "fingerprint",
]
TABLES = ("articles", "sentences", "findings")
_S, _I, _F = pa.string(), pa.int64(), pa.float64()
#: the declared types of every table's fixed columns: the outputs have them whatever the data
#: (optional columns, such as fluency, reference scores and input fields, are typed by their values)
CORE_SCHEMAS = {
    "articles": pa.schema(list(zip(ARTICLE_COLUMNS, [_S, _S, _I, _S, _S, _S, _I, _I, _I, _I, _I, _I, _F, _F, _F, _F, _S]))),
    "sentences": pa.schema(list(zip(SENTENCE_COLUMNS, [_S, _I, _I, _I, _I, _S, _I, _S, _S, _F, _F, _F, _I]))),
    "findings": pa.schema(list(zip(FINDING_COLUMNS, [_S, _I, _I, _I, _I, _I, _I, _I, _S, _S, _S, _S, _S, _S, _S, _S, _I, _I, _F, _S]))),
}
#: the article text rides along in the parts (for the report's detail), never in the outputs
TEXT = "_text"


@dataclass
class ChunkOutput:
    """The tables of one chunk of articles, and the totals that are not rows."""

    index: int
    tables: dict[str, pd.DataFrame]
    meta: dict[str, Any] = field(default_factory=dict)


def chunk_output(index: int, results: Sequence[ArticleResult], keep_keys: bool = False,
                 fluency: dict[str, Any] | None = None) -> ChunkOutput:
    """Rows of every article, sentence and finding of a chunk, in input order."""
    articles, sentences, findings = [], [], []
    reference = ReferenceStats()
    for r in results:
        articles.append(article_row(r))
        if r.doc is not None:
            sentences += sentence_rows(r)
            findings += finding_rows(r)
        if r.reference_stats is not None:
            reference.add(r.reference_stats)
    meta: dict[str, Any] = {
        "articles": len(results), "suppressed": sum(r.suppressed for r in results),
        "ignored": sum(r.ignored for r in results),
        "reference": reference.as_dict(), "fluency": fluency,
    }
    if keep_keys:
        meta["baseline"] = [e for r in results for e in r.baseline_entries]
    tables = {
        "articles": pd.DataFrame(articles, columns=_ordered(ARTICLE_COLUMNS + [TEXT], articles)),
        "sentences": pd.DataFrame(sentences, columns=_ordered(SENTENCE_COLUMNS, sentences)),
        "findings": pd.DataFrame(findings, columns=FINDING_COLUMNS),
    }
    return ChunkOutput(index, tables, meta)


def article_row(r: ArticleResult) -> dict[str, Any]:
    a = r.article
    sev = Counter(f.severity.value for f in r.findings)
    rules = Counter(f.code for f in r.findings)
    row: dict[str, Any] = {
        "article_id": a.id, "path": a.path, "line": a.line, "title": a.title,
        "status": r.status, "reason": r.reason, "words": r.words,
        "sentences": len(r.doc.sentences) if r.doc else 0, "findings": len(r.findings),
        "critical": sev.get("critical", 0), "major": sev.get("major", 0), "minor": sev.get("minor", 0),
        "penalty_per_100_words": r.penalty, "quality": r.quality, "est_mqm_per_100_words": r.est_mqm_100w, "est_mqm": r.est_mqm,
        "rules": ";".join(f"{c}:{n}" for c, n in sorted(rules.items())), TEXT: a.text,
    }
    if r.doc is not None and r.doc.fluency:
        row.update(_article_fluency(r.doc))
    if a.source_lang:
        row["source_lang"] = a.source_lang
    if a.source:
        row["source"] = a.source
    if r.reference:
        row.update(r.reference)
    for key, value in a.extra.items():
        name = key if key not in row else f"input_{key}"
        row[name] = value if isinstance(value, (str, int, float, bool)) or value is None else json.dumps(value, ensure_ascii=False)
    return row


def sentence_rows(r: ArticleResult) -> list[dict[str, Any]]:
    """One row per sentence with its findings, fluency and rank within the article (1 = worst),
    and with a source the source sentences aligned with it."""
    assert r.doc is not None
    per_sentence: dict[int | None, list] = {}
    for f in r.findings:
        per_sentence.setdefault(f.sentence, []).append(f)
    fluency = r.doc.fluency or [None] * len(r.doc.sentences)
    alignment = alignment_of(r.doc)
    sources = alignment.source_of_target(len(r.doc.sentences)) if alignment is not None else None
    rows = []
    for s, fl, est, est100 in zip(r.doc.sentences, fluency, r.sentence_est, r.sentence_est_100w):
        found = per_sentence.get(s.index, [])
        worst = q.worst_severity(found) if found else None
        row = {
            "article_id": r.article.id, "sentence": s.index, "paragraph": s.paragraph,
            "start": s.start, "end": s.end, "text": s.text, "findings": len(found),
            "codes": ";".join(sorted({f.code for f in found})) if found else "",
            "worst_severity": worst.value if worst else "", "penalty": q.penalty(found) if found else 0, "est_mqm_per_100_words": est100,
            "est_mqm": est,
        }
        if sources is not None:
            row["source"] = sources[s.index]
        if fl is not None:
            ww = fl.worst_word
            row.update({"fluency": fl.fluency, "slor": fl.slor, "mean_logprob": fl.mean_logprob, "lm_tokens": fl.tokens,
                        "worst_word": ww.text if ww else None, "worst_word_start": s.start + ww.start if ww else None,
                        "worst_word_bits": round(ww.surprisal, 2) if ww else None,
                        "worst_word_excess": ww.excess if ww else None})
        rows.append(row)
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["penalty"], _fluency_key(rows[i].get("fluency")), i))
    for rank, i in enumerate(order, 1):
        rows[i]["rank_in_article"] = rank
    return rows


def finding_rows(r: ArticleResult) -> list[dict[str, Any]]:
    assert r.doc is not None
    lines = LineIndex(r.article.text)
    rows = []
    for f in r.findings:
        row = f.as_row()
        row["line"], row["column"] = lines.position(f.start)
        row["end_line"], row["end_column"] = lines.position(f.end)
        row["fingerprint"] = finding_key(r.doc, f)
        rows.append(row)
    return rows


def _fluency_key(value: float | None) -> float:
    return float("inf") if is_missing(value) else float(value)


_NEWLINE = re.compile("\n")


class LineIndex:
    """1-based line and column of character offsets in a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _article_fluency(doc: Any) -> dict[str, Any]:
    """Per-article fluency statistics: mean, minimum, 10th percentile, and the least fluent sentence."""
    pairs = [(f.fluency, s.text) for s, f in zip(doc.sentences, doc.fluency) if f is not None and f.fluency is not None]
    if not pairs:
        return {}
    values = pd.Series([v for v, _ in pairs])
    return {"fluency_mean": round(float(values.mean()), 2), "fluency_min": round(float(values.min()), 2),
            "fluency_p10": round(float(values.quantile(0.1)), 2), "least_fluent_sentence": min(pairs)[1]}


def _ordered(base: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """``base``, then the other keys of ``rows`` in first-seen order."""
    known = set(base)
    return base + [key for key in dict.fromkeys(key for row in rows for key in row) if key not in known]
