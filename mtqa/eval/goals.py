"""The accuracy goals of ``mtqa eval mqm``, each with a bootstrap 95% confidence interval.

A goal is a number computed from a segment x system table (``mtqa/data/eval_goals.toml``
says which and its target). The interval comes from resampling segments with
replacement, as WMT does for its metric comparisons: it says whether a shortfall or a
pass is more than the luck of which segments were annotated (draws where a goal is undefined,
e.g. no major finding, are left out and ``defined_draws`` counts the rest; a goal undefined
on the whole file gets no interval). ``met`` compares the point value with the target;
``ci95`` shows how sure that is.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

Statistic = Callable[[np.ndarray], float]


@cache
def targets() -> dict[str, Any]:
    return tomllib.loads(resources.files("mtqa.data").joinpath("eval_goals.toml").read_text("utf-8"))


def _kendall_per_segment(frame: pd.DataFrame, score: str) -> pd.Series:
    """Kendall tau-b of ``score`` against MQM within each segment (NaN where undefined)."""
    from scipy.stats import kendalltau

    def tau(g: pd.DataFrame) -> float:
        if g[score].nunique() < 2 or g.mqm.nunique() < 2:
            return float("nan")
        return float(kendalltau(g[score], g.mqm).statistic)

    return frame.groupby("seg_id")[[score, "mqm"]].apply(tau)


def _statistic(kind: str, score: str, frame: pd.DataFrame,
               is_human: Callable[[str], bool]) -> tuple[np.ndarray, Statistic] | None:
    """A per-segment array and the statistic ``kind`` over a (resampled) set of its rows, for
    the mtqa column ``score``; None where the frame cannot give it (no LM, no human system)."""
    segs = np.sort(frame.seg_id.unique())
    if kind == "grouped_kendall_ratio":
        if frame.get("lm_mean_logprob") is None or not frame.lm_mean_logprob.notna().any():
            return None
        taus = np.column_stack([_kendall_per_segment(frame, s).reindex(segs).to_numpy() for s in (score, "lm_mean_logprob")])
        return taus, _kendall_ratio
    if kind == "system_pearson":
        mine = frame.pivot_table(index="seg_id", columns="system", values=score).reindex(segs).to_numpy()
        mqm = frame.pivot_table(index="seg_id", columns="system", values="mqm").reindex(segs).to_numpy()
        return np.stack([mine, mqm], axis=1), _system_pearson
    if kind == "major_precision":
        machine = frame[[not is_human(s) for s in frame.system]]
        counts = machine.groupby("seg_id")[["major_findings", "major_hits"]].sum().reindex(segs, fill_value=0).to_numpy()
        return counts, lambda c: _ratio(c[:, 1].sum(), c[:, 0].sum())
    if kind == "human_flag_ratio":
        flagged = frame.pivot_table(index="seg_id", columns="system", values="flagged", aggfunc="mean").reindex(segs)
        human = np.array([is_human(s) for s in flagged.columns])
        if not (human.any() and (~human).any()):
            return None
        return flagged.to_numpy(dtype=float), lambda f: _flag_ratio(f, human)
    raise ValueError(f"eval_goals.toml: unknown statistic {kind!r}")


def _kendall_ratio(taus: np.ndarray) -> float:
    """est_mqm's mean tau over the LM's; undefined (NaN) unless the LM's is positive ("2x" of a tau <= 0 means nothing)."""
    lm = np.nanmean(taus[:, 1])
    return float(np.nanmean(taus[:, 0]) / lm) if lm > 0 else float("nan")


def _system_pearson(pair: np.ndarray) -> float:
    est, mqm = np.nanmean(pair[:, 0], axis=0), np.nanmean(pair[:, 1], axis=0)
    return float(np.corrcoef(est, mqm)[0, 1]) if est.std() > 0 and mqm.std() > 0 else float("nan")


def _flag_ratio(flagged: np.ndarray, human: np.ndarray) -> float:
    rates = np.nanmean(flagged, axis=0)
    return _ratio(rates[human].mean(), rates[~human].max())


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def check(frame: pd.DataFrame, is_human: Callable[[str], bool]) -> dict[str, Any]:
    """Each goal's value, 95% bootstrap interval, target and whether the value meets it."""
    conf = targets()
    rng = np.random.default_rng(conf["seed"])
    out = {}
    for name, goal in ((k, v) for k, v in conf.items() if isinstance(v, dict)):
        computed = _statistic(goal.get("statistic", name), goal.get("score", "est_mqm"), frame, is_human)
        if computed is None:
            continue
        data, stat = computed
        value = stat(data)
        draws = np.array([stat(data[rng.integers(0, len(data), len(data))]) for _ in range(conf["resamples"])])
        draws = draws[np.isfinite(draws)]
        bound, target = ("at_least", goal["at_least"]) if "at_least" in goal else ("at_most", goal["at_most"])
        met = None if math.isnan(value) else (value >= target if bound == "at_least" else value <= target)
        ci = [_round(np.quantile(draws, 0.025)), _round(np.quantile(draws, 0.975))] if met is not None and len(draws) else None
        out[name] = {"about": goal["about"], "value": _round(value), bound: target, "met": met, "ci95": ci,
                     "defined_draws": len(draws)}
    return out


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 4)
