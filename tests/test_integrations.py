"""The datatrove filter step, run as datatrove runs it (its own ``run`` over a document stream)."""

from __future__ import annotations

import pickle

from datatrove.data import Document

from mtqa.gate import Policy
from mtqa.integrations.datatrove import MtqaFilter


def _docs() -> list[Document]:
    return [Document(text="Source link", id="scraped"),
            Document(text="The talks were useful, officials said.", id="clean"),
            Document(text="The the talks were held in Geneva.", id="minor"),
            Document(text="The company sold 25 cars.", id="numbers",
                     metadata={"source": "Das Unternehmen verkaufte 35 Autos.", "source_lang": "de"})]


def test_filter_keeps_what_the_policy_passes_and_counts_drops_per_rule() -> None:
    step = MtqaFilter(model=None, batch_size=3)
    docs = _docs()
    kept = [d.id for d in step.run(iter(docs))]
    assert kept == ["clean", "minor"]
    assert docs[0].metadata["mtqa"]["status"] == "fail" and "MT102" in docs[0].metadata["mtqa"]["rules"]
    assert docs[1].metadata["mtqa"] == {"status": "pass", "quality": docs[1].metadata["mtqa"]["quality"],
                                        "est_mqm_per_100_words": docs[1].metadata["mtqa"]["est_mqm_per_100_words"], "rules": ""}
    stats = step.stats.to_dict()["stats"]
    assert stats["dropped_MT102"] == 1 and stats["dropped_MT001"] == 1  # MT001: the source says 35
    assert stats["forwarded"] == 2


def test_filter_policy_and_keep_and_pickling() -> None:
    step = MtqaFilter(model=None, policy=Policy(fail_on="critical"), keep=("pass",))
    pickle.loads(pickle.dumps(step))  # datatrove sends steps to its tasks pickled
    kept = [d.id for d in step.run(iter(_docs()))]
    assert kept == ["clean"]  # the warned articles (a minor or a major finding below fail-on) are not kept
