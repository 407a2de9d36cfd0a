"""MQM-style penalty and 0-100 quality score from findings (weights in ``mtqa/data/scoring.toml``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from types import MappingProxyType

from mtqa.types import Finding, Severity


@cache
def _table() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(resources.files("mtqa.data").joinpath("scoring.toml").read_text("utf-8"))


@cache
def weights() -> Mapping[Severity, float]:
    """Severity weights (read-only; read once)."""
    return MappingProxyType({Severity(k): float(v) for k, v in _table()["weights"].items()})


@cache
def degenerate_codes() -> frozenset[str]:
    """Rule codes whose findings blind the language model to a sentence (see scoring.toml)."""
    return frozenset(_table()["degenerate"])


def penalty(findings: Sequence[Finding]) -> float:
    """Sum of severity weights."""
    w = weights()
    return sum(w[f.severity] for f in findings)


def penalty_per_100_words(findings: Sequence[Finding], n_words: int) -> float:
    return 100.0 * penalty(findings) / max(n_words, 1)


def quality(findings: Sequence[Finding], n_words: int) -> float:
    """0-100, 100 = no findings: ``max(0, 100 - penalty per 100 words)``."""
    return round(max(0.0, 100.0 - penalty_per_100_words(findings, n_words)), 2)


def worst_severity(findings: Sequence[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
