"""Aggregate: assemble the corpus from the parts the workers wrote (client side).

Two stages keep memory flat however large the corpus is:

1. :func:`mtqa.rows.chunk_output` (worker side) turns a chunk of results into three small
   tables (articles, sentences, findings) that the run writes to its part store at once.
2. :func:`assemble` makes two passes over the parts. The first reads only the numeric
   columns that corpus statistics and rankings need; the second writes the final tables
   part by part and picks out the bounded views the reports show (the worst articles with
   their text, the worst sentences). Its work per part is a pure function of the part
   (:func:`_part_view`), so the engine's worker processes can do it side by side; the
   client appends the rendered parts in order.

Every input article gets one row in ``articles``, scored or marked ``status=error`` with
the reason, so nothing is silently dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from mtqa.gate import Policy, apply_policy
from mtqa.rows import ARTICLE_COLUMNS, SENTENCE_COLUMNS, TEXT
from mtqa.scoring.reference import ReferenceStats
from mtqa.types import Severity, is_missing

if TYPE_CHECKING:
    from mtqa.report.tables import Rendered, TableRenderer, TableWriter
    from mtqa.store import PartStore

STATUS_RANK = {"error": 0, "fail": 1, "warn": 2, "pass": 3}
ERRORS_LISTED = 1000
#: the report's views: the article table lists this many of the worst articles, the
#: detail (text with highlights) this many; the output tables always have every row
TABLE_LIMIT = 10_000
DETAIL_LIMIT = 200


# --- assembly ---------------------------------------------------------------------------


@dataclass
class ArticleDetail:
    """One of the worst articles, with what the report needs to show it in full."""

    row: dict[str, Any]
    text: str
    findings: list[dict[str, Any]]
    sentences: pd.DataFrame


@dataclass
class Assembled:
    """Corpus totals plus bounded views for the reports (and, on request, the full tables)."""

    summary: dict[str, Any]
    worst_articles: pd.DataFrame
    quality: np.ndarray
    fluency_mean: np.ndarray | None
    detail: list[ArticleDetail]
    worst_sentences: pd.DataFrame
    reference: ReferenceStats
    suppressed: int
    #: findings dropped by the articles' own ``mtqa_ignore`` fields
    ignored: int
    baseline_entries: list[dict[str, str]] | None
    fluency_model: dict[str, Any] | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class RunResult:
    """A finished run: its summary, the report views, where it wrote, and any full tables kept."""

    summary: dict[str, Any]
    view: Assembled
    out_dir: Path | None
    tables: dict[str, Any] = field(default_factory=dict)
    #: the output tables' Arrow schemas (what the CSV/Parquet files hold)
    schemas: dict[str, pa.Schema] = field(default_factory=dict)


@dataclass
class _Pass1:
    status: list[np.ndarray] = field(default_factory=list)
    quality: list[np.ndarray] = field(default_factory=list)
    fluency_mean: list[np.ndarray] = field(default_factory=list)
    penalty: list[np.ndarray] = field(default_factory=list)
    fluency: list[np.ndarray] = field(default_factory=list)
    words: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0


def assemble(store: PartStore, writer: TableWriter | None, policy: Policy, *, table_limit: int, detail_limit: int,
             worst_sentence_limit: int = 1000, keep_tables: Sequence[str] = (),
             on_part: Callable[[], None] = lambda: None, imap: Callable[..., Iterable[Any]] = map) -> Assembled:
    """Corpus statistics, rankings and report views from the parts; writes the final tables with ``writer``.

    Article statuses come from ``policy`` here (the parts hold scores, not verdicts).

    The views hold the ``table_limit`` worst articles, the text and findings of the
    ``detail_limit`` worst, and the ``worst_sentence_limit`` worst sentences. ``on_part`` is
    called as each part is read, twice a part (two passes). ``imap`` (an ordered map) runs the
    second pass's work per part: ``map`` here, or an engine's worker processes.
    """
    indexes = store.indexes()
    p1 = _first_pass(store, indexes, policy, on_part)
    status, quality, fl_mean, penalty, fluency = (
        np.concatenate(arrays) if arrays else np.zeros(0)
        for arrays in (p1.status, p1.quality, p1.fluency_mean, p1.penalty, p1.fluency))
    # articles: by status (error, fail, warn, pass), then quality, then input order
    article_order = np.lexsort((np.arange(len(status)), np.nan_to_num(quality, nan=-1.0), status))
    # sentences: highest penalty first, then least fluent, then input order
    sentence_order = np.lexsort((np.arange(len(penalty)), np.nan_to_num(fluency, nan=np.inf), -penalty))
    sentence_rank = np.empty(len(penalty), dtype=np.int64)
    sentence_rank[sentence_order] = np.arange(1, len(penalty) + 1)
    sizes = [(len(a), len(s)) for a, s in zip(p1.status, p1.penalty)]
    p2 = _second_pass(store, indexes, writer, policy, article_order[:table_limit], article_order[:detail_limit],
                      sentence_rank, worst_sentence_limit, keep_tables, on_part, sizes, imap)

    metas = [store.meta(i) for i in indexes]
    reference = ReferenceStats()
    for m in metas:
        reference.add(ReferenceStats(**m["reference"]))
    fluency_model = _merge_fluency([m["fluency"] for m in metas if m.get("fluency")])
    if fluency_model is not None:
        values = fluency[~np.isnan(fluency)]
        fluency_model["mean"] = round(float(values.mean()), 2) if len(values) else None
    scored = quality[status != STATUS_RANK["error"]]
    return Assembled(
        summary=_summary(p1, status, scored, len(penalty)), worst_articles=p2.worst_articles, quality=scored,
        fluency_mean=fl_mean[~np.isnan(fl_mean)] if fluency_model is not None else None,
        detail=p2.detail, worst_sentences=p2.worst_sentences, reference=reference,
        suppressed=sum(int(m.get("suppressed", 0)) for m in metas),
        ignored=sum(int(m.get("ignored", 0)) for m in metas),
        baseline_entries=[e for m in metas for e in m.get("baseline", [])] if any("baseline" in m for m in metas) else None,
        fluency_model=fluency_model, tables=p2.tables,
    )


@dataclass
class _Pass2:
    worst_articles: pd.DataFrame
    detail: list[ArticleDetail]
    worst_sentences: pd.DataFrame
    tables: dict[str, pd.DataFrame]


@dataclass
class _PartJob:
    """What one part's second pass needs (picklable: it may run in a worker process)."""

    root: Path
    index: int
    policy: Policy
    first: bool  # the first part: its CSV carries the header row
    top_rank: dict[int, int]  # the part's articles among the worst (position in the part -> rank)
    detailed: set[int]  # the part's articles shown in full (positions in the part)
    sentence_rank: np.ndarray  # corpus rank of each of the part's sentences
    worst_sentence_limit: int
    renderer: TableRenderer | None
    keep_tables: Sequence[str]


@dataclass
class _PartView:
    worst_rows: list[dict[str, Any]]
    details: list[ArticleDetail]
    worst_sentences: pd.DataFrame
    rendered: dict[str, Rendered] | None
    kept: dict[str, pd.DataFrame]


def _part_view(job: _PartJob) -> _PartView:
    """One part's final tables (rendered for the output files) and its share of the report views."""
    from mtqa.store import PartStore

    store = PartStore(job.root)
    arts = apply_policy(store.read(job.index, "articles"), job.policy)
    worst_rows, details = [], []
    for pos in sorted(job.top_rank):
        row = arts.iloc[pos].to_dict()
        text = row.pop(TEXT)
        worst_rows.append({**row, "_order": job.top_rank[pos]})
        if pos in job.detailed:
            details.append(ArticleDetail(row, text, [], pd.DataFrame()))
    arts = arts.drop(columns=[TEXT])
    sents = store.read(job.index, "sentences")
    sents["rank_in_corpus"] = job.sentence_rank
    finds = store.read(job.index, "findings")
    for d in details:
        art = d.row["article_id"]
        d.findings = finds[finds.article_id == art].to_dict("records")
        d.sentences = sents[sents.article_id == art]
    frames = {"articles": arts, "sentences": sents, "findings": finds}
    return _PartView(worst_rows, details, sents[sents.rank_in_corpus <= job.worst_sentence_limit],
                     job.renderer(frames, header=job.first) if job.renderer is not None else None,
                     {name: frames[name] for name in job.keep_tables})


def _second_pass(store: PartStore, indexes: Sequence[int], writer: TableWriter | None, policy: Policy, top: np.ndarray,
                 detailed: np.ndarray, sentence_rank: np.ndarray, worst_sentence_limit: int,
                 keep_tables: Sequence[str], on_part: Callable[[], None], sizes: Sequence[tuple[int, int]],
                 imap: Callable[..., Iterable[_PartView]]) -> _Pass2:
    """Write the final tables part by part, and pick out the rows the reports show.

    The parts are rendered by ``imap`` (``map``, or an engine's worker processes, in order);
    ``sizes`` are each part's article and sentence counts, from the first pass."""
    top_rank = {int(g): rank for rank, g in enumerate(top)}
    detail_positions = {int(g) for g in detailed}
    jobs = []
    a_pos = s_pos = 0
    for k, (i, (n_articles, n_sentences)) in enumerate(zip(indexes, sizes)):
        here = range(a_pos, a_pos + n_articles)
        jobs.append(_PartJob(store.root, i, policy, k == 0, {g - a_pos: top_rank[g] for g in here if g in top_rank},
                             {g - a_pos for g in here if g in detail_positions}, sentence_rank[s_pos:s_pos + n_sentences],
                             worst_sentence_limit, writer.renderer if writer is not None else None, keep_tables))
        a_pos += n_articles
        s_pos += n_sentences
    worst_rows: list[dict[str, Any]] = []
    worst_sentences: list[pd.DataFrame] = []
    details: dict[str, ArticleDetail] = {}
    kept: dict[str, list[pd.DataFrame]] = {name: [] for name in keep_tables}
    for view in imap(_part_view, jobs):
        on_part()
        worst_rows += view.worst_rows
        details.update((d.row["article_id"], d) for d in view.details)
        worst_sentences.append(view.worst_sentences)
        if writer is not None and view.rendered is not None:
            writer.append(view.rendered)
        for name, parts in kept.items():
            parts.append(view.kept[name])
    if writer is not None:
        writer.close()
    worst = pd.DataFrame(worst_rows).sort_values("_order").drop(columns="_order") if worst_rows else pd.DataFrame(columns=ARTICLE_COLUMNS)
    ranked = pd.concat(worst_sentences, ignore_index=True) if worst_sentences else pd.DataFrame(columns=SENTENCE_COLUMNS)
    return _Pass2(
        worst_articles=worst,
        detail=[details[a] for a in worst.article_id if a in details],
        worst_sentences=ranked.sort_values("rank_in_corpus").reset_index(drop=True) if not ranked.empty else ranked,
        tables={name: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame() for name, frames in kept.items()},
    )


def _summary(p1: _Pass1, status: np.ndarray, scored_quality: np.ndarray, sentences: int) -> dict[str, Any]:
    """Corpus totals (the signature, gate and model are added by the caller)."""
    counts = Counter(int(s) for s in status)
    summary: dict[str, Any] = {
        "articles": {"total": len(status), **{k: counts.get(STATUS_RANK[k], 0) for k in ("pass", "warn", "fail", "error")}},
        "sentences": sentences,
        "words": p1.words,
        "findings": {
            "total": int(sum(p1.by_severity.values())),
            "by_severity": {s.value: p1.by_severity.get(s.value, 0) for s in Severity},
            "by_rule": dict(sorted(p1.by_rule.items())),
        },
        "quality": _distribution(scored_quality),
        "errors": p1.errors,
    }
    if p1.error_count > len(p1.errors):
        summary["errors_not_listed"] = p1.error_count - len(p1.errors)
    return summary


def _first_pass(store: PartStore, indexes: Sequence[int], policy: Policy, on_part: Callable[[], None]) -> _Pass1:
    """The numbers every ranking and total needs, one part at a time."""
    p = _Pass1()
    for i in indexes:
        on_part()
        columns = ["article_id", "path", "line", "status", "reason", "quality", "words", "fluency_mean", "critical", "major", "minor"]
        arts = apply_policy(store.read(i, "articles", columns), policy)
        p.status.append(arts.status.map(STATUS_RANK).to_numpy(dtype=np.int8))
        p.quality.append(pd.to_numeric(arts.quality, errors="coerce").to_numpy(dtype=float))
        if "fluency_mean" in arts:
            p.fluency_mean.append(pd.to_numeric(arts.fluency_mean, errors="coerce").to_numpy(dtype=float))
        else:
            p.fluency_mean.append(np.full(len(arts), np.nan))
        ok = arts.status != "error"
        p.words += int(arts.words[ok].sum())
        bad = arts[~ok]
        p.error_count += len(bad)
        for row in bad.head(ERRORS_LISTED - len(p.errors)).to_dict("records"):
            p.errors.append({"article_id": row["article_id"], "path": row["path"], "line": _int_or_none(row["line"]), "reason": row["reason"]})
        sents = store.read(i, "sentences", ["penalty", "fluency"])
        p.penalty.append(sents.penalty.to_numpy(dtype=float))
        p.fluency.append(pd.to_numeric(sents.fluency, errors="coerce").to_numpy(dtype=float) if "fluency" in sents else np.full(len(sents), np.nan))
        finds = store.read(i, "findings", ["code", "severity"])
        p.by_rule.update(finds.code.value_counts().to_dict())
        p.by_severity.update(finds.severity.value_counts().to_dict())
    return p


def _merge_fluency(models: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One model description from the chunks' (same model everywhere): cache counts summed, and
    how many processes scored chunks and loaded the model (once each is the goal)."""
    if not models:
        return None
    first = {k: v for k, v in models[0].items() if k not in ("process", "loads_in_process")}
    loads: dict[str, int] = {}
    for m in models:
        loads[m["process"]] = max(loads.get(m["process"], 0), m["loads_in_process"])
    first["processes"] = len(loads)
    first["model_loads"] = sum(loads.values())
    first["cache_hits"] = sum(m.get("cache_hits", 0) for m in models)
    first["cache_misses"] = sum(m.get("cache_misses", 0) for m in models)
    first["load_seconds"] = max((m.get("load_seconds") or 0.0) for m in models)
    return first


def _int_or_none(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def _distribution(values: np.ndarray) -> dict[str, float | None]:
    values = values[~np.isnan(values)]
    if not len(values):
        return {"mean": None, "min": None, "p10": None, "median": None, "max": None}
    return {
        "mean": round(float(values.mean()), 2), "min": round(float(values.min()), 2),
        "p10": round(float(np.quantile(values, 0.1)), 2), "median": round(float(np.median(values)), 2),
        "max": round(float(values.max()), 2),
    }
