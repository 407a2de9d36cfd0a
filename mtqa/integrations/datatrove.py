"""A datatrove filter step: keep the documents mtqa's policy passes, drop the rest with a reason.

    from datatrove.pipeline.readers import JsonlReader
    from mtqa.integrations.datatrove import MtqaFilter
    pipeline = [JsonlReader("corpus/"), MtqaFilter(model=None), ...]

Every document gets ``metadata["mtqa"]``: its status, quality, estimated MQM per 100 words
and the rule codes found. A dropped document's reason is the most severe finding's code
(``MT102``) or ``status`` (an error row, or a quality below ``min_quality``); datatrove
counts drops per reason in the step's stats. A document's ``metadata["source"]`` and
``metadata["source_lang"]``, when present, turn on the source rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from mtqa.api import Scorer
from mtqa.gate import Policy
from mtqa.types import SEVERITY_RANK


class MtqaFilter(BaseFilter):
    """Scores documents in batches with :class:`mtqa.Scorer` and keeps those whose status is in ``keep``."""

    name = "mtqa"

    def __init__(self, model: str | None = "smollm2", *, policy: Policy | None = None,
                 keep: Sequence[str] = ("pass", "warn"), batch_size: int = 256,
                 exclusion_writer: DiskWriter | None = None, **scorer_options: Any) -> None:
        super().__init__(exclusion_writer, batch_size)
        self.keep = frozenset(keep)
        self._options = {"model": model, "policy": policy, **scorer_options}
        self._scorer: Scorer | None = None  # made in the task: datatrove pickles steps to send them

    @property
    def scorer(self) -> Scorer:
        if self._scorer is None:
            options = dict(self._options)
            self._scorer = Scorer(options.pop("model"), **options)
        return self._scorer

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_scorer": None}

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        records = [{"id": str(d.id), "text": d.text, "source": d.metadata.get("source"),
                    "source_lang": d.metadata.get("source_lang")} for d in batch]
        result = self.scorer.score(records)
        worst = _worst_codes(result.findings)
        out: list[bool | tuple[bool, str]] = []
        for doc, row in zip(batch, result.articles.sort_values("line").itertuples()):  # line: the record's position
            doc.metadata["mtqa"] = {"status": row.status, "quality": _number(row.quality),
                                    "est_mqm_per_100_words": _number(row.est_mqm_per_100_words),
                                    "rules": row.rules if isinstance(row.rules, str) else ""}
            if row.status in self.keep:
                out.append(True)
            elif row.status == "error":
                out.append((False, "error"))
            elif str(row.reason).startswith("quality"):
                out.append((False, "low_quality"))
            else:
                out.append((False, worst.get(row.article_id, str(row.status))))
        return out


def _worst_codes(findings: pd.DataFrame) -> dict[str, str]:
    """Each article's most severe finding's code (the first of equals)."""
    if findings.empty:
        return {}
    rank = findings.severity.map(SEVERITY_RANK)
    top = findings.assign(rank=rank).sort_values(["article_id", "rank"], ascending=[True, False], kind="stable")
    return dict(zip(top.drop_duplicates("article_id").article_id, top.drop_duplicates("article_id").code))


def _number(value: Any) -> float | None:
    return None if value is None or value != value else float(value)
