"""Aggregate: per-article, per-sentence and per-finding tables (pandas), and corpus totals.

Every input article gets one row in ``articles``, scored or marked ``status=error`` with
the reason, so nothing is silently dropped.
"""

from __future__ import annotations

import heapq
import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mtqa.pipeline import ArticleResult
from mtqa.score import quality as q
from mtqa.types import Severity

ARTICLE_COLUMNS = [
    "article_id", "path", "line", "title", "status", "reason", "words", "sentences",
    "findings", "critical", "major", "minor", "penalty_per_100_words", "quality", "rules",
]
SENTENCE_COLUMNS = [
    "article_id", "sentence", "paragraph", "start", "end", "text", "findings", "codes",
    "worst_severity", "penalty",
]
FINDING_COLUMNS = [
    "article_id", "sentence", "start", "end", "line", "column", "end_line", "end_column", "text",
    "code", "name", "category", "severity", "message", "suggestion", "confidence",
]


@dataclass
class Collector:
    """Accumulates rows as results stream in; builds DataFrames at the end."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    status: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: texts of the worst articles (bounded), for the HTML report's highlighted detail
    detail_limit: int = 200
    _worst: list[tuple[int, float, int, str, str]] = field(default_factory=list)

    def worst_texts(self) -> dict[str, str]:
        return {art_id: text for *_, art_id, text in self._worst}

    def _keep_text(self, r: ArticleResult) -> None:
        rank = {"error": 0, "fail": 1, "warn": 2, "pass": 3}[r.status]
        item = (-rank, -(r.quality if r.quality is not None else 0.0), -len(self._worst), r.article.id, r.article.text)
        heapq.heappush(self._worst, item)
        if len(self._worst) > self.detail_limit:
            heapq.heappop(self._worst)  # drop the best-scored article

    def add(self, r: ArticleResult) -> None:
        a = r.article
        self._keep_text(r)
        self.status[r.status] += 1
        sev = Counter(f.severity.value for f in r.findings)
        rules = Counter(f.code for f in r.findings)
        self.by_rule.update(rules)
        self.by_severity.update(sev)
        row: dict[str, Any] = {
            "article_id": a.id, "path": a.path, "line": a.line, "title": a.title,
            "status": r.status, "reason": r.reason, "words": r.words,
            "sentences": len(r.doc.sentences) if r.doc else 0, "findings": len(r.findings),
            "critical": sev.get("critical", 0), "major": sev.get("major", 0), "minor": sev.get("minor", 0),
            "penalty_per_100_words": r.penalty, "quality": r.quality,
            "rules": ";".join(f"{c}:{n}" for c, n in sorted(rules.items())),
        }
        if r.doc is not None and r.doc.fluency:
            row.update(_article_fluency(r.doc))
        if a.source_lang:
            row["source_lang"] = a.source_lang
        if r.reference:
            row.update(r.reference)
        for key, value in a.extra.items():
            name = key if key not in row else f"input_{key}"
            row[name] = value if isinstance(value, (str, int, float, bool)) or value is None else json.dumps(value, ensure_ascii=False)
        self.articles.append(row)
        if r.status == "error":
            self.errors.append({"article_id": a.id, "path": a.path, "line": a.line, "reason": r.reason})
            return
        self._add_sentences(r)
        lines = LineIndex(a.text)
        for f in r.findings:
            row = f.as_row()
            row["line"], row["column"] = lines.position(f.start)
            row["end_line"], row["end_column"] = lines.position(f.end)
            self.findings.append(row)

    def _add_sentences(self, r: ArticleResult) -> None:
        assert r.doc is not None
        per_sentence: dict[int | None, list] = {}
        for f in r.findings:
            per_sentence.setdefault(f.sentence, []).append(f)
        fluency = r.doc.fluency or [None] * len(r.doc.sentences)
        for s, fl in zip(r.doc.sentences, fluency):
            found = per_sentence.get(s.index, [])
            worst = q.worst_severity(found)
            row = {
                "article_id": r.article.id, "sentence": s.index, "paragraph": s.paragraph,
                "start": s.start, "end": s.end, "text": s.text, "findings": len(found),
                "codes": ";".join(sorted({f.code for f in found})),
                "worst_severity": worst.value if worst else "", "penalty": q.penalty(found),
            }
            if fl is not None:
                ww = fl.worst_word
                row.update({"fluency": fl.fluency, "slor": fl.slor, "mean_logprob": fl.mean_logprob, "lm_tokens": fl.tokens,
                            "worst_word": ww.text if ww else None, "worst_word_start": s.start + ww.start if ww else None,
                            "worst_word_bits": round(ww.surprisal, 2) if ww else None,
                            "worst_word_excess": ww.excess if ww else None})
            self.sentences.append(row)

    def frames(self) -> dict[str, pd.DataFrame]:
        """``articles``, ``sentences`` and ``findings`` tables, sentences ranked worst-first."""
        articles = pd.DataFrame(self.articles, columns=_ordered(ARTICLE_COLUMNS, self.articles))
        sentences = pd.DataFrame(self.sentences, columns=_ordered(SENTENCE_COLUMNS, self.sentences))
        findings = pd.DataFrame(self.findings, columns=FINDING_COLUMNS)
        if not sentences.empty:
            sentences = rank_sentences(sentences)
        return {"articles": articles, "sentences": sentences, "findings": findings}

    def summary(self) -> dict[str, Any]:
        """Corpus totals and distributions (the signature and gate are added by the caller)."""
        scored = [a for a in self.articles if a["status"] != "error"]
        quality = pd.Series([a["quality"] for a in scored], dtype="float64")
        return {
            "articles": {"total": len(self.articles), **{k: self.status.get(k, 0) for k in ("pass", "warn", "fail", "error")}},
            "sentences": len(self.sentences),
            "words": int(sum(a["words"] for a in scored)),
            "findings": {
                "total": int(sum(self.by_severity.values())),
                "by_severity": {s.value: self.by_severity.get(s.value, 0) for s in Severity},
                "by_rule": dict(sorted(self.by_rule.items())),
            },
            "quality": _distribution(quality),
            "errors": self.errors,
        }


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


def rank_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank_in_article`` and ``rank_in_corpus`` (1 = worst) and sort worst-first.

    Worst means highest finding penalty, then lowest fluency when the LM ran.
    """
    keys = ["penalty"] + (["fluency"] if "fluency" in sentences else [])
    asc = [False] + ([True] if "fluency" in sentences else [])
    ordered = sentences.sort_values(keys + ["article_id", "sentence"], ascending=asc + [True, True], kind="mergesort").reset_index(drop=True)
    ordered["rank_in_corpus"] = range(1, len(ordered) + 1)
    ordered["rank_in_article"] = ordered.groupby("article_id", sort=False).cumcount() + 1
    return ordered


def _ordered(base: list[str], rows: list[dict[str, Any]]) -> list[str]:
    extra: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in base:
                extra[key] = None
    return base + list(extra)


def _distribution(values: pd.Series) -> dict[str, float | None]:
    if values.empty:
        return {"mean": None, "min": None, "p10": None, "median": None, "max": None}
    return {
        "mean": round(float(values.mean()), 2), "min": round(float(values.min()), 2),
        "p10": round(float(values.quantile(0.1)), 2), "median": round(float(values.median()), 2),
        "max": round(float(values.max()), 2),
    }
