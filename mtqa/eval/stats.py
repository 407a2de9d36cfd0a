"""Statistics of a segment x system frame (one row per system and segment, columns ``system``,
``seg_id``, the human scores ``mqm``/``mqm_fluency`` and mtqa's scores): correlations at the
three levels WMT reports, the systems' mean scores, and flag rates of human against machine
translations."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from mtqa.eval.common import is_human, rounded

#: the scores compared with MQM: mtqa's and two baselines measured the same way
SCORES = ("est_mqm", "quality", "fluency", "slor", "lm_mean_logprob", "neg_length")
#: the human scores they are compared with: MQM, its fluency part, and the rest of it (accuracy,
#: terminology, style, locale), which a target-only score can see little of
TARGETS = ("mqm", "mqm_fluency", "mqm_non_fluency")


def correlations(frame: pd.DataFrame) -> dict[str, Any]:
    """Correlations of every mtqa score with both MQM targets; undefined ones (constant input) are None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant input; the value is then NaN -> None
        return _correlations(frame)


def _correlations(frame: pd.DataFrame) -> dict[str, Any]:
    from scipy.stats import kendalltau, pearsonr, spearmanr

    out: dict[str, Any] = {}
    for score in SCORES:
        if score not in frame or frame[score].isna().all():
            continue
        for target in (t for t in TARGETS if t in frame):
            d = frame[[score, target, "seg_id", "system"]].dropna()
            grouped = [kendalltau(g[score], g[target]).statistic for _, g in d.groupby("seg_id") if g[score].nunique() > 1 and g[target].nunique() > 1]
            grouped = [t for t in grouped if t == t]
            systems = d.groupby("system")[[score, target]].mean()
            out[f"{score}~{target}"] = {
                "kendall_flat": rounded(kendalltau(d[score], d[target]).statistic),
                "kendall_grouped": rounded(float(np.mean(grouped))) if grouped else None,
                "pearson": rounded(pearsonr(d[score], d[target]).statistic) if len(d) > 2 else None,
                "system_pearson": rounded(pearsonr(systems[score], systems[target]).statistic) if len(systems) > 2 else None,
                "system_spearman": rounded(spearmanr(systems[score], systems[target]).statistic) if len(systems) > 2 else None,
            }
    return out


def system_means(frame: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Each system's mean human and mtqa scores, best MQM first: the table behind the system-level
    correlations."""
    columns = [c for c in (*TARGETS, *SCORES) if c in frame and not frame[c].isna().all()]
    means = frame.groupby("system")[columns].mean().sort_values("mqm", ascending=False)
    return {str(system): {c: rounded(v) for c, v in row.items()} for system, row in means.iterrows()}


def flag_rates(frame: pd.DataFrame) -> dict[str, Any]:
    """Share of segments with a finding (and with a major one), per system, human and machine."""
    per = frame.groupby("system")[["flagged", "flagged_major"]].mean()
    human = per[[is_human(s) for s in per.index]]
    machine = per[[not is_human(s) for s in per.index]]
    return {
        "human_flag_rate": rounded(human.flagged.mean()) if len(human) else None,
        "human_major_flag_rate": rounded(human.flagged_major.mean()) if len(human) else None,
        "mt_flag_rate_mean": rounded(machine.flagged.mean()) if len(machine) else None,
        "mt_flag_rate_max": rounded(machine.flagged.max()) if len(machine) else None,
        "mt_major_flag_rate_max": rounded(machine.flagged_major.max()) if len(machine) else None,
        "per_system": {s: {"flagged": rounded(v.flagged), "flagged_major": rounded(v.flagged_major)} for s, v in per.iterrows()},
    }
