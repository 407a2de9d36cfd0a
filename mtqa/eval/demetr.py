"""`mtqa eval demetr FOLDER`: mtqa against DEMETR's perturbed translations.

Each perturbation of a sentence's MT should score worse than the MT and, when it is an error
users must not ingest, be flagged. The degenerate kinds (issue 11) must be flagged major or
critical; unperturbed MT and the human references must stay clean.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd

from mtqa.config import Settings
from mtqa.eval.common import read_tsv, rounded, score_texts, shown
from mtqa.progress import Progress

#: DEMETR perturbations that are degenerate output (issue 11): a loop, code-mixing, an empty
#: or an unrelated translation; the last is fluent English, found only with the source
DEGENERATE_PERTURBATIONS = ("minor_id1_repeat2", "minor_id2_repeat4", "critical_id4_codemix", "base_id33_empty",
                            "base_id33_shuffle_trans")
DEMETR_LANGS = {"chinese_simple": "zh", "czech": "cs", "french": "fr", "german": "de", "hindi": "hi", "italian": "it",
                "japanese": "ja", "polish": "pl", "russian": "ru", "spanish": "es"}
#: source languages written in Latin script, where a name can be looked for as it is (issue 12's
#: goals for the name perturbations are on these)
LATIN_SCRIPT = frozenset({"cs", "de", "es", "fr", "it", "pl"})
NAME_PERTURBATIONS = ("critical_id25_ne_removed", "critical_id9_ne_replaced")


def evaluate_demetr(base_path: str, perturbations_path: str, settings: Settings, limit: int | None, seed: int,
                    with_source: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Per DEMETR perturbation: share of perturbed sentences scored worse than their MT (by est_mqm, findings, SLOR)
    and share flagged."""
    base = read_tsv(base_path, "DEMETR base", {"id", "mt_sent"})
    pert = read_tsv(perturbations_path, "DEMETR perturbations", {"id", "pert_name", "pert_check", "pert_sent"})
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
    scores = score_texts(base.mt_sent.tolist() + pert.pert_sent.tolist() + references, settings, sources, langs, progress)
    by_id = dict(zip(base.id, scores[:len(base)]))
    latin = set(base.id[base.lang_tag.map(DEMETR_LANGS).isin(LATIN_SCRIPT)]) if "lang_tag" in base else set()
    rows = []
    for r, s in zip(pert.itertuples(), scores[len(base):len(base) + len(pert)]):
        ref = by_id[r.id]
        rows.append({"pert": r.pert_name, "severity": r.severity, "latin": r.id in latin,
                     "flagged": s["flagged"], "flagged_major": s["flagged_major"], "quality": s["quality"], "slor": s["slor"],
                     "worse_est": s["est_mqm"] < ref["est_mqm"], "worse_quality": s["quality"] < ref["quality"],
                     "worse_slor": (s["slor"] < ref["slor"]) if s["slor"] is not None and ref["slor"] is not None else None})
    frame = pd.DataFrame(rows)
    per = frame.groupby("pert").agg(severity=("severity", "first"), n=("flagged", "size"), flagged=("flagged", "mean"),
                                     flagged_major=("flagged_major", "mean"),
                                     worse_est=("worse_est", "mean"), worse_quality=("worse_quality", "mean"),
                                     worse_slor=("worse_slor", "mean"))
    degenerate = frame[frame.pert.isin(DEGENERATE_PERTURBATIONS)]
    unperturbed = scores[:len(base)] + scores[len(base) + len(pert):]
    names = frame[frame.pert.isin(NAME_PERTURBATIONS) & frame.latin]
    latin_references = [s for i, s in zip(base.id, scores[len(base) + len(pert):]) if i in latin]
    return {"ids": len(ids), "unperturbed_flag_rate": rounded(np.mean([s["flagged"] for s in scores[:len(base)]])),
            "degenerate_recall_major": rounded(degenerate.flagged_major.mean()) if len(degenerate) else None,
            "degenerate_recall_major_per_kind": {k: rounded(v) for k, v in degenerate.groupby("pert").flagged_major.mean().items()},
            "unperturbed_major_flag_rate": rounded(np.mean([s["flagged_major"] for s in unperturbed])),
            "degenerate_auroc": {score: auroc([s[score] for s in unperturbed], degenerate[score].tolist())
                                 for score in ("quality", "slor")},
            "degenerate_auroc_per_kind": {k: auroc([s["quality"] for s in unperturbed], g.quality.tolist())
                                          for k, g in degenerate.groupby("pert")},
            "reference_major_flag_rate": rounded(np.mean([s["flagged_major"] for s in scores[len(base) + len(pert):]])) if references else None,
            "names_latin_script": {
                **{k: {"n": len(g), "flagged": rounded(g.flagged.mean()), "flagged_major": rounded(g.flagged_major.mean())}
                   for k, g in names.groupby("pert")},
                "references_flagged": rounded(np.mean([s["flagged"] for s in latin_references])) if latin_references else None,
                "references_flagged_major": rounded(np.mean([s["flagged_major"] for s in latin_references])) if latin_references else None},
            "per_perturbation": {k: {c: (rounded(v) if c != "severity" else v) for c, v in row.items()} for k, row in per.iterrows()}}


def auroc(good: list[float | None], bad: list[float | None]) -> float | None:
    """Area under the ROC curve of a higher-is-better score telling ``good`` from ``bad`` rows: the
    chance that a good row scores above a bad one, ties counted half (None when a side has no
    score, as SLOR without the LM)."""
    from scipy.stats import mannwhitneyu

    good_values = [v for v in good if v is not None and v == v]  # (NaN: a missing score in a frame)
    bad_values = [v for v in bad if v is not None and v == v]
    if not good_values or not bad_values:
        return None
    return rounded(mannwhitneyu(good_values, bad_values).statistic / (len(good_values) * len(bad_values)))


def render_demetr(result: dict[str, Any]) -> str:
    """The terminal table of ``evaluate_demetr``."""
    lines = [f"DEMETR: {result['ids']} sentences, unperturbed MT flagged {shown(result['unperturbed_flag_rate'])}",
             f"degenerate output flagged major or critical: {shown(result['degenerate_recall_major'])} "
             f"(unperturbed MT and references: {shown(result['unperturbed_major_flag_rate'])}; references alone "
             f"{shown(result['reference_major_flag_rate'])})",
             f"degenerate output told from unperturbed MT and references, AUROC: headline quality "
             f"{shown(result['degenerate_auroc']['quality'])}, SLOR {shown(result['degenerate_auroc']['slor'])}",
             f"{'perturbation':<34} {'n':>5} {'flagged':>8} {'major+':>7} {'worse est':>9} {'worse q':>8} {'worse slor':>10}"]
    for name, r in result["per_perturbation"].items():
        lines.append(f"{name:<34} {int(r['n']):>5} {shown(r['flagged']):>8} {shown(r['flagged_major']):>7} {shown(r['worse_est']):>9} "
                     f"{shown(r['worse_quality']):>8} {shown(r['worse_slor']):>10}")
    names = result["names_latin_script"]
    if any(k in names for k in NAME_PERTURBATIONS):
        lines.append(f"names, Latin-script sources ({', '.join(sorted(LATIN_SCRIPT))}): "
                     + "; ".join(f"{k.split('_', 2)[-1]} flagged {shown(names[k]['flagged'])} (major+ {shown(names[k]['flagged_major'])})"
                                 for k in NAME_PERTURBATIONS if k in names)
                     + f"; references flagged {shown(names['references_flagged'])} (major+ {shown(names['references_flagged_major'])})")
    return "\n".join(lines)
