"""Estimated MQM: features per sentence, the linear estimate, and the shipped weights' provenance."""

from __future__ import annotations

import pytest

from mtqa.scoring import estimate
from mtqa.segment import segment
from mtqa.types import Article, Finding, Severity


def test_features_count_findings_in_their_sentence() -> None:
    doc = segment(Article(id="a", text="The talks ended well. The the talks ended badly today.", path="a"))
    major = Finding("a", 1, 22, 29, "the the", "MT701", "repeated-word", "repetition", Severity.MAJOR, "doubled word")
    rows = estimate.sentence_features(doc, [major])
    assert [r["major"] for r in rows] == [0.0, 1.0]
    assert [r["words"] for r in rows] == [4.0, 6.0]
    assert "surprisal" not in rows[0]  # no LM ran


def test_estimate_is_the_weighted_sum_capped_at_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    params = {"rules_only": {"weights": {"sentence": 0.5, "words": -0.1, "major": -5.0}}}
    monkeypatch.setattr(estimate, "parameters", lambda: params)
    rows = [{"sentence": 1.0, "words": 4.0, "major": 0.0}, {"sentence": 1.0, "words": 7.0, "major": 1.0}]
    # 0.5 - 0.4 = 0.1 -> capped at 0;  0.5 - 0.7 - 5 = -5.2
    assert estimate.estimate(rows, "rules_only") == [0.0, -5.2]


def test_lm_weights_only_for_the_model_they_were_fitted_with() -> None:
    assert estimate.weight_set("smollm2") == "with_lm"
    assert estimate.weight_set("gemma3-270m") == "rules_only"  # another model's surprisal has another scale
    assert estimate.weight_set(None) == "rules_only"


def test_shipped_weights_are_fitted_on_train_data_only() -> None:
    params = estimate.parameters()
    assert "newstest2020" in params["train"]["file"]  # newstest2021, TED and MLQE-PE dev-test stay held out
    assert set(params["with_lm"]["weights"]) == set(estimate.LM_FEATURES)
    assert set(params["rules_only"]["weights"]) == set(estimate.RULE_FEATURES)
    for model in ("with_lm", "rules_only"):
        w = params[model]["weights"]
        assert w["critical"] < w["major"] < 0 and w["minor"] < 0, "findings lower the estimate"
    assert params["rules_only"]["weights"]["words"] < 0, "longer segments carry more errors"
    assert params["with_lm"]["weights"]["surprisal"] < 0, "text the LM finds surprising carries more errors"


def test_per_100_words_does_not_grow_with_length() -> None:
    one = segment(Article(id="a", text="The talks ended well on Monday in Paris.", path="a"))
    ten = segment(Article(id="b", text=" ".join(["The talks ended well on Monday in Paris."] * 10), path="b"))
    per_one = estimate.per_100_words(estimate.summed(estimate.sentence_features(one, [])), "rules_only")
    per_ten = estimate.per_100_words(estimate.summed(estimate.sentence_features(ten, [])), "rules_only")
    assert per_one is not None and per_one == pytest.approx(per_ten)
    summed_one = sum(estimate.estimate(estimate.sentence_features(one, []), "rules_only"))
    summed_ten = sum(estimate.estimate(estimate.sentence_features(ten, []), "rules_only"))
    assert summed_ten < summed_one * 5, "the summed estimate, unlike the headline, grows with length"


def test_per_100_words_weights_are_shipped_for_both_sets() -> None:
    for model in ("with_lm", "rules_only"):
        per = estimate.parameters()[model]["per_100_words"]
        assert "intercept" in per["weights"] and "words" not in per["weights"]
        assert per["weights"]["critical"] == -25.0


def test_degenerate_sentences_get_no_lm_features() -> None:
    from types import SimpleNamespace

    doc = segment(Article(id="a", text="The talks ended.\n\nThe the the the the the.", path="a"))
    doc.fluency = [SimpleNamespace(logprob=-20.0, slor=1.0, tokens=5, worst_word=None, fluency=60.0)] * 2
    loop = Finding("a", 1, 18, 41, "the the", "MT703", "looping-output", "Fluency/Grammar", Severity.CRITICAL, "loop")
    rows = estimate.sentence_features(doc, [loop])
    assert "surprisal" in rows[0] and "surprisal" not in rows[1]
    assert rows[0]["fluency_deficit"] == pytest.approx(0.4 * 3) and "fluency_deficit" not in rows[1]  # (100 - 60) x 3 words / 100
