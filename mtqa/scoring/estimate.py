"""Estimated MQM: one number per sentence that combines everything mtqa measures, fitted on human MQM.

``est_mqm = sum_k weight_k * feature_k`` over the sentence's features (below), capped at 0:
0 means "no error expected", -5 about one major error. MQM scores add up over a segment's
errors, so a segment's or article's estimate is the sum over its sentences, and the
weights were fitted on segment sums against human MQM scores of the shared *train* data
only (``bench/fit_estimate.py``; data, method and held-out results in
``mtqa/data/estimate.json`` and ``docs/EVALUATION.md``). Two weight sets ship: one with
the language model's features (for the model it was fitted with, SmolLM2) and one for
``--no-fluency`` runs, which other models fall back to.

Features of a sentence:

* ``sentence``: 1 (so a segment's sum counts its sentences);
* ``words``: its word count (longer segments carry more errors);
* ``critical``, ``major``, ``minor``: its findings by severity;
* ``surprisal``: minus its total LM log-probability, in nats;
* ``fluency_mass``: SLOR x tokens, how much better the LM predicts it than word frequency alone;
* ``worst_excess``: the surprisal excess of its least expected word (0 when none stands out);
* ``fluency_deficit``: (100 - its calibrated fluency score) x words / 100, so that per 100 words
  it is the words' mean shortfall from a perfectly fluent score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from mtqa.detect.textutil import sentence_words
from mtqa.scoring import quality
from mtqa.types import Document, Finding

RULE_FEATURES = ("sentence", "words", "critical", "major", "minor")
LM_FEATURES = (*RULE_FEATURES, "surprisal", "fluency_mass", "worst_excess", "fluency_deficit")


@cache
def parameters() -> dict[str, Any]:
    """The fitted weight sets (``with_lm``, ``rules_only``) and their provenance."""
    return json.loads(resources.files("mtqa.data").joinpath("estimate.json").read_text("utf-8"))


def sentence_features(doc: Document, findings: Sequence[Finding]) -> list[dict[str, float]]:
    """Features of every sentence of ``doc``; findings outside any sentence count for the first.

    A sentence with a degeneration finding (a loop, model tokens: ``degenerate`` in
    scoring.toml) gets no LM features: the model's low surprisal there is no evidence.
    """
    rows = []
    fluency = doc.fluency or [None] * len(doc.sentences)
    blind = quality.degenerate_codes()
    degenerate = {f.sentence for f in findings if f.code in blind}
    for s, fl, tokens in zip(doc.sentences, fluency, sentence_words(doc)):
        row = {"sentence": 1.0, "words": float(len(tokens)), "critical": 0.0, "major": 0.0, "minor": 0.0}
        if fl is not None and s.index not in degenerate:
            ww = fl.worst_word
            row.update(surprisal=-fl.logprob, fluency_mass=fl.slor * fl.tokens,
                       worst_excess=max(0.0, ww.excess) if ww is not None and ww.excess is not None else 0.0,
                       fluency_deficit=(100.0 - fl.fluency) * len(tokens) / 100 if fl.fluency is not None else 0.0)
        rows.append(row)
    for f in findings:
        if rows:
            rows[f.sentence if f.sentence is not None and f.sentence < len(rows) else 0][f.severity.value] += 1.0
    return rows


def weight_set(model: str | None) -> str:
    """``with_lm`` when the LM features come from the model its weights were fitted with, else ``rules_only``
    (another model's surprisal has another scale, so those weights would not apply)."""
    return "with_lm" if model is not None and model == parameters()["with_lm"].get("model") else "rules_only"


def per_100_words(features: dict[str, float], weights_name: str) -> float | None:
    """The length-fair estimate: expected MQM per 100 words (<= 0; WMT's normalised MQM) of a
    sentence or article from its summed features; None without words or fitted weights."""
    return per_100_words_each([features], weights_name)[0]


def per_100_words_each(features: Sequence[dict[str, float]], weights_name: str) -> list[float | None]:
    """``per_100_words`` of each sentence (the weights looked up once)."""
    model = parameters()[weights_name].get("per_100_words")
    if model is None:
        return [None] * len(features)
    terms = tuple(model["weights"].items())
    return [_per_100(row, terms) for row in features]


def _per_100(features: dict[str, float], terms: tuple[tuple[str, float], ...]) -> float | None:
    n_words = features.get("words", 0.0)
    if n_words <= 0:
        return None
    value = sum([w * (1.0 if name == "intercept" else 100.0 * features.get(name, 0.0) / n_words) for name, w in terms])
    return round(min(0.0, value), 3)


def summed(features: Sequence[dict[str, float]]) -> dict[str, float]:
    """The features of several sentences added up (an article's, a segment's)."""
    total: dict[str, float] = {}
    for row in features:
        for name, value in row.items():
            total[name] = total.get(name, 0.0) + value
    return total


def estimate(features: Sequence[dict[str, float]], weights_name: str) -> list[float]:
    """Estimated MQM of each sentence (<= 0) from its features, with the named weight set."""
    terms = tuple(parameters()[weights_name]["weights"].items())
    return [round(min(0.0, sum([w * row.get(name, 0.0) for name, w in terms])), 3) for row in features]
