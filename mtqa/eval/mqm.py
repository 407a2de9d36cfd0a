"""`mtqa eval mqm PATH`: measure mtqa against Google's expert MQM annotations.

Reads a ``mqm_zhen_*.tsv[.gz]`` file of ``../shared/eval-data`` (one row per system and
segment, with error spans), runs the same pipeline ``mtqa score`` runs on every target
segment, and reports:

* segment level: Kendall tau-b (flat, and grouped by segment across systems as WMT does)
  and Pearson of each mtqa score against ``mqm_score``, ``mqm_fluency_score`` and the rest of
  the MQM score (``mqm_non_fluency``: accuracy, terminology, style, locale);
* system level: Pearson and Spearman of per-system means, and the means themselves;
* spans: precision of findings (a finding that overlaps an annotated target error span)
  and recall of annotated target spans, for all findings, major/critical ones, each rule,
  and recall per annotated error category;
* flag rates: share of segments with a finding, human translations against MT systems;
* goals (``mtqa.eval.goals``): the accuracy targets, each with a bootstrap 95% interval.

Scores compared: ``quality`` (from findings), ``fluency`` and ``slor`` (the LM), and two
baselines measured the same way: the plain LM mean token log-prob and segment length.
Without ``with_source`` mtqa sees neither the source nor a reference.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mtqa.config import Settings
from mtqa.errors import UsageError
from mtqa.eval import goals
from mtqa.eval.common import file_line, is_human, read_tsv, rounded, score_texts, shown
from mtqa.eval.stats import correlations, flag_rates, system_means
from mtqa.ingest.out_of_step import mark_out_of_step
from mtqa.progress import Progress
from mtqa.types import Article, Finding

Span = tuple[int, int, str]  # (start, end, MQM category) of an annotated target error


@dataclass
class MqmRow:
    system: str
    seg_id: int
    target: str
    mqm: float
    mqm_fluency: float
    spans: list[Span]
    source: str | None = None


def read_mqm(path: str, limit: int | None, seed: int) -> list[MqmRow]:
    """The rows of an MQM file; with ``limit``, those of ``limit`` segments drawn with ``seed``."""
    df = read_tsv(path, "MQM", {"system", "seg_id", "target", "mqm_score", "mqm_fluency_score", "errors"})
    segs = sorted(df.seg_id.unique())
    if limit and limit < len(segs):
        segs = sorted(random.Random(seed).sample(segs, limit))
    df = df[df.seg_id.isin(set(segs))]
    rows = []
    for r in df.itertuples():
        try:
            spans = [(int(e[4]), int(e[5]), e[2]) for e in json.loads(r.errors) if e[3] == "target" and 0 <= e[4] < e[5]]
            rows.append(MqmRow(r.system, int(r.seg_id), r.target, float(r.mqm_score), float(r.mqm_fluency_score), spans,
                               getattr(r, "source", None) or None))
        except (ValueError, TypeError, IndexError, KeyError) as exc:  # a bad JSON error list is a ValueError too
            raise UsageError(f"{path}:{file_line(r.Index)}: malformed MQM row: {exc}") from None
    return rows


def mqm_frame(rows: Sequence[MqmRow], settings: Settings, with_source: bool = False,
              progress: Progress | None = None) -> pd.DataFrame:
    """One row per system and segment: the human scores, mtqa's scores and the estimate's
    features (``x_<name>``, summed over the sentences); what ``bench/fit_estimate.py`` fits on."""
    return _scored(rows, settings, with_source, progress)[0]


def _scored(rows: Sequence[MqmRow], settings: Settings, with_source: bool,
            progress: Progress | None) -> tuple[pd.DataFrame, list[list[Finding]]]:
    records, findings = [], []
    sources = [r.source for r in rows] if with_source else None
    langs = ["zh"] * len(rows) if with_source else None
    extras = _read_as_files(rows, "zh") if with_source else None
    for row, scores in zip(rows, score_texts([r.target for r in rows], settings, sources, langs, progress, extras)):
        found = scores.pop("findings")
        features = scores.pop("features")
        major = [f for f in found if f.severity.value != "minor"]
        records.append({"system": row.system, "seg_id": row.seg_id, "mqm": row.mqm, "mqm_fluency": row.mqm_fluency,
                        "mqm_non_fluency": row.mqm - row.mqm_fluency,
                        "major_findings": len(major), "major_hits": sum(_overlaps(f, row.spans) for f in major),
                        **scores, **{f"x_{k}": v for k, v in features.items()}})
        findings.append(found)
    return pd.DataFrame(records), findings


def _read_as_files(rows: Sequence[MqmRow], source_lang: str) -> list[dict[str, Any]]:
    """Each row's ``extra`` as ``mtqa score -s SRC.txt SYSTEM.txt`` reads a system's output: its
    segments in order, marked where they are out of step with their sources (MT015)."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i].system, rows[i].seg_id))
    articles = [Article(id=str(i), text=rows[i].target or " ", path=rows[i].system, source=rows[i].source,
                        source_lang=source_lang) for i in order]
    extras: list[dict[str, Any]] = [{} for _ in rows]
    for i, article in zip(order, mark_out_of_step(articles)):
        extras[i] = article.extra
    return extras


def evaluate_mqm(rows: Sequence[MqmRow], settings: Settings, with_source: bool = False,
                 progress: Progress | None = None) -> dict[str, Any]:
    """Correlations, span precision and recall, flag rates and goals against expert MQM; with
    ``with_source`` the source rules run too (the MQM files have the Chinese source)."""
    frame, findings = _scored(rows, settings, with_source, progress)
    span_stats: dict[str, dict[str, int]] = {}
    category_stats: dict[str, dict[str, int]] = {}
    for row, found in zip(rows, findings):
        if not is_human(row.system):
            _span_counts(span_stats, found, row.spans)
            _category_counts(category_stats, found, row.spans)
    spans = _span_summary(span_stats)
    categories = {k: {**v, "recall": rounded(v["found"] / v["spans"])}
                  for k, v in sorted(category_stats.items(), key=lambda kv: -kv[1]["spans"])}
    return {"segments": int(frame.seg_id.nunique()), "rows": len(frame), "systems": int(frame.system.nunique()),
            "correlations": correlations(frame), "system_means": system_means(frame), "spans": {k: v for k, v in spans.items() if not k.startswith("MT")},
            "spans_per_rule": {k: v for k, v in spans.items() if k.startswith("MT")}, "recall_per_category": categories,
            "flag_rates": flag_rates(frame), "goals": goals.check(frame, is_human)}


def _overlaps(finding: Finding, spans: list[Span]) -> bool:
    """Whether the finding overlaps any of the annotated spans."""
    return any(a < finding.end and finding.start < b for a, b, _ in spans)


def _covered(start: int, end: int, findings: list[Finding]) -> bool:
    """Whether any finding overlaps the annotated span [start, end)."""
    return any(start < f.end and f.start < end for f in findings)


def _span_counts(stats: dict[str, dict[str, int]], findings: list[Finding], spans: list[Span]) -> None:
    """Finding/span overlap counts for all findings, major and critical ones, each severity and each rule."""
    stats.setdefault("spans", {"total": 0})["total"] += len(spans)  # recall of every group is over all spans
    groups = {"all": findings, "major+": [f for f in findings if f.severity.value != "minor"]}
    for f in findings:
        groups.setdefault(f.severity.value, []).append(f)
        groups.setdefault(f.code, []).append(f)
    for key, chosen in groups.items():
        stats.setdefault(key, {"findings": 0, "hits": 0, "found": 0})
        stats[key]["findings"] += len(chosen)
        stats[key]["hits"] += sum(_overlaps(f, spans) for f in chosen)
        stats[key]["found"] += sum(_covered(a, b, chosen) for a, b, _ in spans)


def _category_counts(stats: dict[str, dict[str, int]], findings: list[Finding], spans: list[Span]) -> None:
    """Per annotated error category: its spans, and how many of them some finding overlaps."""
    for a, b, category in spans:
        per = stats.setdefault(category, {"spans": 0, "found": 0})
        per["spans"] += 1
        per["found"] += _covered(a, b, findings)


def _span_summary(stats: dict[str, dict[str, int]]) -> dict[str, Any]:
    total = stats.get("spans", {}).get("total", 0)
    out = {}
    for key, s in stats.items():
        if key == "spans":
            continue
        p = s["hits"] / s["findings"] if s["findings"] else None
        r = s["found"] / total if total else None
        f1 = 2 * p * r / (p + r) if p and r else None
        out[key] = {"findings": s["findings"], "precision": rounded(p), "recall": rounded(r), "f1": rounded(f1)}
    return out


def render_mqm(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_mqm``."""
    lines = [f"MQM: {result['segments']} segments x {result['systems']} systems ({result['rows']} rows)",
             f"{'score ~ target':<28} {'tau flat':>8} {'tau grp':>8} {'pearson':>8} {'sys r':>7} {'sys rho':>7}"]
    for name, c in result["correlations"].items():
        lines.append(f"{name:<28} {shown(c['kendall_flat']):>8} {shown(c['kendall_grouped']):>8} {shown(c['pearson']):>8} "
                     f"{shown(c['system_pearson']):>7} {shown(c['system_spearman']):>7}")
    lines.append("systems, best MQM first (mean MQM / headline quality): "
                 + ", ".join(f"{k} {shown(v['mqm'])}/{shown(v.get('quality'))}" for k, v in result["system_means"].items()))
    for key, s in result["spans"].items():
        lines.append(f"spans ({key}): {s['findings']} findings, precision {shown(s['precision'])}, recall {shown(s['recall'])}, F1 {shown(s['f1'])}")
    fr = result["flag_rates"]
    lines.append(f"flag rate: human {shown(fr['human_flag_rate'])} (major {shown(fr['human_major_flag_rate'])}), "
                 f"MT mean {shown(fr['mt_flag_rate_mean'])}, worst-flagged MT {shown(fr['mt_flag_rate_max'])}")
    for name, g in result["goals"].items():
        bound = f">= {g['at_least']}" if "at_least" in g else f"<= {g['at_most']:.3f}"
        ci = "-" if g["ci95"] is None else f"[{shown(g['ci95'][0])}, {shown(g['ci95'][1])}]"
        met = {True: "met", False: "NOT met", None: "undefined"}[g["met"]]
        lines.append(f"goal {name}: {shown(g['value'])} (95% CI {ci}), target {bound}: {met}")
    top = list(result["recall_per_category"].items())[:8]
    if top:
        lines.append("recall per MQM category (spans, found by any finding): "
                     + ", ".join(f"{k} {v['spans']} {shown(v['recall'])}" for k, v in top))
    per_rule = sorted(result["spans_per_rule"].items(), key=lambda kv: -kv[1]["findings"])
    if per_rule:
        lines.append("per rule (findings, precision): " + ", ".join(f"{k} {v['findings']} {shown(v['precision'])}" for k, v in per_rule))
    return "\n".join(lines)
