"""`mtqa eval mqm PATH`: measure mtqa against Google's expert MQM annotations.

Reads a ``mqm_zhen_*.tsv[.gz]`` file of ``../shared/eval-data`` (one row per system and
segment, with error spans), runs the same pipeline ``mtqa score`` runs on every target
segment, and reports:

* segment level: Kendall tau-b (flat, and grouped by segment across systems as WMT does)
  and Pearson of each mtqa score against ``mqm_score`` and ``mqm_fluency_score``;
* system level: Pearson and Spearman of per-system means;
* spans: precision of findings (a finding that overlaps an annotated target error span)
  and recall of annotated target spans, for all findings, major/critical ones, each rule,
  and recall per annotated error category;
* flag rates: share of segments with a finding, human translations against MT systems;
* goals (``mtqa/goals.py``): the accuracy targets, each with a bootstrap 95% interval.

Scores compared: ``quality`` (from findings), ``fluency`` and ``slor`` (the LM), and two
baselines measured the same way: the plain LM mean token log-prob and segment length.
mtqa sees neither the source nor a reference.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mtqa import goals
from mtqa.config import Settings
from mtqa.errors import UsageError
from mtqa.pipeline import Pipeline
from mtqa.scoring import estimate
from mtqa.types import Article

HUMAN_PREFIXES = ("Human-", "ref-", "ref")
SCORES = ("est_mqm", "quality", "fluency", "slor", "lm_mean_logprob", "neg_length")
#: DEMETR perturbations that are degenerate output (issue 11): a loop, code-mixing, an empty
#: or an unrelated translation; the last is fluent English, found only with the source
DEGENERATE_PERTURBATIONS = ("minor_id1_repeat2", "minor_id2_repeat4", "critical_id4_codemix", "base_id33_empty",
                            "base_id33_shuffle_trans")


@dataclass
class MqmRow:
    system: str
    seg_id: int
    target: str
    mqm: float
    mqm_fluency: float
    spans: list[tuple[int, int, str]]  # (start, end, MQM category) of each annotated target error
    source: str | None = None


def read_mqm(path: str, limit: int | None, seed: int) -> list[MqmRow]:
    try:
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read MQM file: {exc}") from None
    missing = {"system", "seg_id", "target", "mqm_score", "mqm_fluency_score", "errors"} - set(df.columns)
    if missing:
        raise UsageError(f"{path}: not an MQM file, missing columns {sorted(missing)}")
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
            raise UsageError(f"{path}:{_line(r.Index)}: malformed MQM row: {exc}") from None
    return rows


def _line(index: Any) -> int:
    """The file line of a data row read by pandas (the header is line 1)."""
    return int(index) + 2


def _numbers(df: pd.DataFrame, column: str, path: str) -> np.ndarray:
    values = pd.to_numeric(df[column], errors="coerce")
    if values.isna().any():
        at = values.isna().idxmax()
        raise UsageError(f"{path}:{_line(at)}: {column} is not a number: {df[column][at]!r}")
    return values.to_numpy(dtype=float)


def is_human(system: str) -> bool:
    return system.startswith(HUMAN_PREFIXES)


def make_pipeline(settings: Settings) -> Pipeline:
    """The ``mtqa score`` pipeline, with the fluency model when ``settings.fluency``."""
    fluency = None
    if settings.fluency:
        from mtqa.scoring.fluency import load_scorer

        fluency = load_scorer(settings)
    return Pipeline(settings, fluency)


DEMETR_LANGS = {"chinese_simple": "zh", "czech": "cs", "french": "fr", "german": "de", "hindi": "hi", "italian": "it",
                "japanese": "ja", "polish": "pl", "russian": "ru", "spanish": "es"}


def score_texts(texts: Sequence[str], settings: Settings, sources: Sequence[str | None] | None = None,
                source_langs: Sequence[str | None] | None = None) -> list[dict[str, Any]]:
    """Run the ``mtqa score`` pipeline on each text as one article.

    Per text: ``est_mqm``, ``quality``, ``neg_length``, ``flagged``, ``flagged_major``, ``findings``,
    ``features`` (the estimate's features summed over the sentences), and with the model
    ``fluency`` and ``slor`` (sentence means) and ``lm_mean_logprob`` (per token).
    """
    pipeline = make_pipeline(settings)
    out = []
    for i in range(0, len(texts), 256):
        chunk = texts[i:i + 256]
        articles = [Article(id=str(i + k), text=t or " ", path="eval",
                            source=sources[i + k] if sources is not None else None,
                            source_lang=source_langs[i + k] if source_langs is not None else None) for k, t in enumerate(chunk)]
        for res in pipeline.run_chunk(articles):
            scored = [f for f in (res.doc.fluency or []) if f is not None] if res.doc is not None else []
            calibrated = [f.fluency for f in scored if f.fluency is not None]
            tokens = sum(f.tokens for f in scored)
            feats = estimate.sentence_features(res.doc, res.findings) if res.doc is not None else []
            out.append({
                "est_mqm": res.est_mqm, "features": {k: sum(f.get(k, 0.0) for f in feats) for k in estimate.LM_FEATURES},
                "quality": res.quality, "neg_length": -res.words, "findings": res.findings, "flagged": bool(res.findings),
                "flagged_major": any(f.severity.value != "minor" for f in res.findings),
                "fluency": float(np.mean(calibrated)) if calibrated else None,
                "slor": float(np.mean([f.slor for f in scored])) if scored else None,
                "lm_mean_logprob": sum(f.logprob for f in scored) / tokens if tokens else None,
            })
    return out


def evaluate_mqm(rows: Sequence[MqmRow], settings: Settings, with_source: bool = False) -> dict[str, Any]:
    """Correlations, span precision and recall, flag rates and goals against expert MQM; with
    ``with_source`` the source rules run too (the MQM files have the Chinese source)."""
    records = []
    span_stats: dict[str, dict[str, int]] = {}
    category_stats: dict[str, dict[str, int]] = {}
    sources = [r.source for r in rows] if with_source else None
    langs = ["zh"] * len(rows) if with_source else None
    for row, scores in zip(rows, score_texts([r.target for r in rows], settings, sources, langs)):
        findings = scores.pop("findings")
        features = scores.pop("features")
        major = [f for f in findings if f.severity.value != "minor"]
        records.append({"system": row.system, "seg_id": row.seg_id, "mqm": row.mqm, "mqm_fluency": row.mqm_fluency,
                        "major_findings": len(major), "major_hits": sum(_overlaps(f, row.spans) for f in major),
                        **scores, **{f"x_{k}": v for k, v in features.items()}})
        if not is_human(row.system):
            _span_counts(span_stats, findings, row.spans)
            _category_counts(category_stats, findings, row.spans)
    frame = pd.DataFrame(records)
    spans = _span_summary(span_stats)
    categories = {k: {**v, "recall": _r(v["found"] / v["spans"])} for k, v in sorted(category_stats.items(), key=lambda kv: -kv[1]["spans"])}
    return {"segments": int(frame.seg_id.nunique()), "rows": len(frame), "systems": int(frame.system.nunique()),
            "correlations": correlations(frame), "spans": {k: v for k, v in spans.items() if not k.startswith("MT")},
            "spans_per_rule": {k: v for k, v in spans.items() if k.startswith("MT")}, "recall_per_category": categories,
            "flag_rates": flag_rates(frame),
            "goals": goals.check(frame, is_human), "frame": frame}


def _overlaps(finding: Any, spans: list[tuple[int, int, str]]) -> bool:
    """Whether the finding overlaps any of the annotated spans."""
    return any(a < finding.end and finding.start < b for a, b, _ in spans)


def _covered(start: int, end: int, findings: list[Any]) -> bool:
    """Whether any finding overlaps the annotated span [start, end)."""
    return any(start < f.end and f.start < end for f in findings)


def _span_counts(stats: dict[str, dict[str, int]], findings: list[Any], spans: list[tuple[int, int, str]]) -> None:
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


def _category_counts(stats: dict[str, dict[str, int]], findings: list[Any], spans: list[tuple[int, int, str]]) -> None:
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
        out[key] = {"findings": s["findings"], "precision": _r(p), "recall": _r(r), "f1": _r(f1)}
    return out


def correlations(frame: pd.DataFrame) -> dict[str, Any]:
    """Correlations of every mtqa score with both MQM targets; undefined ones (constant input) are None."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant input; the value is then NaN -> None
        return _correlations(frame)


def _correlations(frame: pd.DataFrame) -> dict[str, Any]:
    from scipy.stats import kendalltau, pearsonr, spearmanr

    out: dict[str, Any] = {}
    for score in SCORES:
        if score not in frame or frame[score].isna().all():
            continue
        for target in ("mqm", "mqm_fluency"):
            d = frame[[score, target, "seg_id", "system"]].dropna()
            grouped = [kendalltau(g[score], g[target]).statistic for _, g in d.groupby("seg_id") if g[score].nunique() > 1 and g[target].nunique() > 1]
            grouped = [t for t in grouped if t == t]
            systems = d.groupby("system")[[score, target]].mean()
            out[f"{score}~{target}"] = {
                "kendall_flat": _r(kendalltau(d[score], d[target]).statistic),
                "kendall_grouped": _r(float(np.mean(grouped))) if grouped else None,
                "pearson": _r(pearsonr(d[score], d[target]).statistic) if len(d) > 2 else None,
                "system_pearson": _r(pearsonr(systems[score], systems[target]).statistic) if len(systems) > 2 else None,
                "system_spearman": _r(spearmanr(systems[score], systems[target]).statistic) if len(systems) > 2 else None,
            }
    return out


def flag_rates(frame: pd.DataFrame) -> dict[str, Any]:
    per = frame.groupby("system")[["flagged", "flagged_major"]].mean()
    human = per[[is_human(s) for s in per.index]]
    machine = per[[not is_human(s) for s in per.index]]
    return {
        "human_flag_rate": _r(human.flagged.mean()) if len(human) else None,
        "human_major_flag_rate": _r(human.flagged_major.mean()) if len(human) else None,
        "mt_flag_rate_mean": _r(machine.flagged.mean()) if len(machine) else None,
        "mt_flag_rate_max": _r(machine.flagged.max()) if len(machine) else None,
        "mt_major_flag_rate_max": _r(machine.flagged_major.max()) if len(machine) else None,
        "per_system": {s: {"flagged": _r(v.flagged), "flagged_major": _r(v.flagged_major)} for s, v in per.iterrows()},
    }


def render_mqm(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_mqm``."""
    lines = [f"MQM: {result['segments']} segments x {result['systems']} systems ({result['rows']} rows)",
             f"{'score ~ target':<28} {'tau flat':>8} {'tau grp':>8} {'pearson':>8} {'sys r':>7} {'sys rho':>7}"]
    for name, c in result["correlations"].items():
        lines.append(f"{name:<28} {_f(c['kendall_flat']):>8} {_f(c['kendall_grouped']):>8} {_f(c['pearson']):>8} "
                     f"{_f(c['system_pearson']):>7} {_f(c['system_spearman']):>7}")
    for key, s in result["spans"].items():
        lines.append(f"spans ({key}): {s['findings']} findings, precision {_f(s['precision'])}, recall {_f(s['recall'])}, F1 {_f(s['f1'])}")
    fr = result["flag_rates"]
    lines.append(f"flag rate: human {_f(fr['human_flag_rate'])} (major {_f(fr['human_major_flag_rate'])}), "
                 f"MT mean {_f(fr['mt_flag_rate_mean'])}, worst-flagged MT {_f(fr['mt_flag_rate_max'])}")
    for name, g in result["goals"].items():
        bound = f">= {g['at_least']}" if "at_least" in g else f"<= {g['at_most']:.3f}"
        ci = "-" if g["ci95"] is None else f"[{_f(g['ci95'][0])}, {_f(g['ci95'][1])}]"
        met = {True: "met", False: "NOT met", None: "undefined"}[g["met"]]
        lines.append(f"goal {name}: {_f(g['value'])} (95% CI {ci}), target {bound}: {met}")
    top = list(result["recall_per_category"].items())[:8]
    if top:
        lines.append("recall per MQM category (spans, found by any finding): "
                     + ", ".join(f"{k} {v['spans']} {_f(v['recall'])}" for k, v in top))
    per_rule = sorted(result["spans_per_rule"].items(), key=lambda kv: -kv[1]["findings"])
    if per_rule:
        lines.append("per rule (findings, precision): " + ", ".join(f"{k} {v['findings']} {_f(v['precision'])}" for k, v in per_rule))
    return "\n".join(lines)


def render_mlqepe(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_mlqepe``."""
    lines = [f"MLQE-PE: {result['rows']} rows", f"{'score ~ z_mean':<16} {'pearson':>8} {'spearman':>8}"]
    for name, c in result["correlations"].items():
        lines.append(f"{name:<16} {_f(c['pearson']):>8} {_f(c['spearman']):>8}")
    w = result["words"]
    lines.append(f"words: {w['flagged']} flagged, precision {_f(w['precision'])}, recall {_f(w['recall'])}, "
                 f"F1(BAD) {_f(w['f1_bad'])}, MCC {_f(w['mcc'])}")
    return "\n".join(lines)


def render_demetr(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_demetr``."""
    lines = [f"DEMETR: {result['ids']} sentences, unperturbed MT flagged {_f(result['unperturbed_flag_rate'])}",
             f"degenerate output flagged major or critical: {_f(result['degenerate_recall_major'])} "
             f"(unperturbed MT and references: {_f(result['unperturbed_major_flag_rate'])}; references alone "
             f"{_f(result['reference_major_flag_rate'])})",
             f"{'perturbation':<34} {'n':>5} {'flagged':>8} {'major+':>7} {'worse est':>9} {'worse q':>8} {'worse slor':>10}"]
    for name, r in result["per_perturbation"].items():
        lines.append(f"{name:<34} {int(r['n']):>5} {_f(r['flagged']):>8} {_f(r['flagged_major']):>7} {_f(r['worse_est']):>9} "
                     f"{_f(r['worse_quality']):>8} {_f(r['worse_slor']):>10}")
    return "\n".join(lines)


def _r(value: Any) -> float | None:
    return None if value is None or value != value else round(float(value), 4)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def evaluate_demetr(base_path: str, perturbations_path: str, settings: Settings, limit: int | None, seed: int,
                    with_source: bool = False) -> dict[str, Any]:
    """Per DEMETR perturbation: share of perturbed sentences scored worse than their MT (by est_mqm, findings, SLOR)
    and share flagged."""
    try:
        base = pd.read_csv(base_path, sep="\t", quoting=3, keep_default_na=False)
        pert = pd.read_csv(perturbations_path, sep="\t", quoting=3, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read DEMETR files: {exc}") from None
    if not {"id", "mt_sent"} <= set(base.columns) or not {"id", "pert_name", "pert_check", "pert_sent"} <= set(pert.columns):
        raise UsageError(f"{base_path}, {perturbations_path}: not DEMETR files (need id, mt_sent / id, pert_name, pert_check, pert_sent)")
    ids = sorted(base.id.unique())
    if limit and limit < len(ids):
        ids = sorted(random.Random(seed).sample(ids, limit))
    base = base[base.id.isin(set(ids))]
    pert = pert[pert.id.isin(set(ids)) & (pert.pert_check.astype(str) == "True")]
    references = base.eng_sent.tolist() if "eng_sent" in base else []
    sources = langs = None
    if with_source:
        src = dict(zip(base.id, base.src_sent))
        lang = dict(zip(base.id, base.lang_tag.map(DEMETR_LANGS)))
        ids_in_order = base.id.tolist() + pert.id.tolist() + (base.id.tolist() if references else [])
        sources, langs = [src[i] for i in ids_in_order], [lang[i] for i in ids_in_order]
    scores = score_texts(base.mt_sent.tolist() + pert.pert_sent.tolist() + references, settings, sources, langs)
    by_id = dict(zip(base.id, scores[:len(base)]))
    rows = []
    for r, s in zip(pert.itertuples(), scores[len(base):len(base) + len(pert)]):
        ref = by_id[r.id]
        rows.append({"pert": r.pert_name, "severity": r.severity, "flagged": s["flagged"], "flagged_major": s["flagged_major"],
                     "worse_est": s["est_mqm"] < ref["est_mqm"], "worse_quality": s["quality"] < ref["quality"],
                     "worse_slor": (s["slor"] < ref["slor"]) if s["slor"] is not None and ref["slor"] is not None else None})
    frame = pd.DataFrame(rows)
    per = frame.groupby("pert").agg(severity=("severity", "first"), n=("flagged", "size"), flagged=("flagged", "mean"),
                                     flagged_major=("flagged_major", "mean"),
                                     worse_est=("worse_est", "mean"), worse_quality=("worse_quality", "mean"),
                                     worse_slor=("worse_slor", "mean"))
    degenerate = frame[frame.pert.isin(DEGENERATE_PERTURBATIONS)]
    unperturbed = scores[:len(base)] + scores[len(base) + len(pert):]
    return {"ids": len(ids), "unperturbed_flag_rate": _r(np.mean([s["flagged"] for s in scores[:len(base)]])),
            "degenerate_recall_major": _r(degenerate.flagged_major.mean()) if len(degenerate) else None,
            "degenerate_recall_major_per_kind": {k: _r(v) for k, v in degenerate.groupby("pert").flagged_major.mean().items()},
            "unperturbed_major_flag_rate": _r(np.mean([s["flagged_major"] for s in unperturbed])),
            "reference_major_flag_rate": _r(np.mean([s["flagged_major"] for s in scores[len(base) + len(pert):]])) if references else None,
            "per_perturbation": {k: {c: (_r(v) if c != "severity" else v) for c, v in row.items()} for k, row in per.iterrows()}}


def evaluate_mlqepe(path: str, settings: Settings, limit: int | None, seed: int) -> dict[str, Any]:
    """Pearson/Spearman of mtqa scores against DA ``z_mean``, and word-level MCC/F1 against OK/BAD tags."""
    from scipy.stats import pearsonr, spearmanr

    try:
        df = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read MLQE-PE file: {exc}") from None
    if not {"mt", "z_mean", "mt_tok", "mt_word_tags"} <= set(df.columns):
        raise UsageError(f"{path}: not an MLQE-PE file (need mt, z_mean, mt_tok, mt_word_tags)")
    if limit and limit < len(df):
        df = df.iloc[sorted(random.Random(seed).sample(range(len(df)), limit))]
    z = _numbers(df, "z_mean", path)
    scores = score_texts(df.mt.tolist(), settings)
    out: dict[str, Any] = {"rows": len(df), "correlations": {}}
    for name in ("est_mqm", "quality", "slor"):
        values = np.array([s[name] if s[name] is not None else np.nan for s in scores], dtype=float)
        keep = ~np.isnan(values)
        if keep.sum() > 2 and np.nanstd(values) > 0:
            out["correlations"][name] = {"pearson": _r(pearsonr(values[keep], z[keep]).statistic),
                                         "spearman": _r(spearmanr(values[keep], z[keep]).statistic)}
    tp = fp = fn = tn = 0
    for mt, toks, tags, s in zip(df.mt, df.mt_tok, df.mt_word_tags, scores):
        for flagged, gold in zip(_flag_tokens(mt, toks.split(), s["findings"]), tags.split()):
            bad = gold == "BAD"
            tp, fp, fn, tn = tp + (flagged and bad), fp + (flagged and not bad), fn + (not flagged and bad), tn + (not flagged and not bad)
    denom = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
    out["words"] = {"flagged": tp + fp, "precision": _r(tp / (tp + fp)) if tp + fp else None,
                    "recall": _r(tp / (tp + fn)) if tp + fn else None,
                    "f1_bad": _r(2 * tp / (2 * tp + fp + fn)) if tp else None, "mcc": _r((tp * tn - fp * fn) / denom) if denom else None}
    return out


def _flag_tokens(text: str, tokens: list[str], findings: list[Any]) -> list[bool]:
    """Whether each token of the tokenised MT overlaps a finding (tokens located in order in the text)."""
    flags, pos = [], 0
    for tok in tokens:
        at = text.find(tok, pos)
        if at < 0:
            flags.append(False)
            continue
        pos = at + len(tok)
        flags.append(any(f.start < pos and at < f.end for f in findings))
    return flags
