"""The Python API (``import mtqa``): check a text, score texts or tables, gate the result.

    import mtqa
    findings = mtqa.check("Russia had been ingested in the elections.")      # rules only
    result = mtqa.Scorer(model=None).score(["First article.", "Second one."])  # three DataFrames
    verdict = result.gate(mtqa.Policy(fail_on="critical"))

Scoring goes through the same pipeline, assembly and gate as ``mtqa score``, so the
tables equal the files the command line writes (same columns, same Arrow types).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from mtqa.config import Settings
from mtqa.detect import detect, select_rules
from mtqa.gate import GateResult, Policy, gate_table
from mtqa.ingest.readers import article_from_record
from mtqa.segment import segment
from mtqa.types import Article, Finding

#: ``path`` of articles that came from Python rather than a file
API_PATH = "<api>"

Texts = str | Sequence[str] | pd.DataFrame | Iterable[Mapping[str, Any]]


def check(text: str, *, source: str | None = None, source_lang: str | None = None, title: str | None = None,
          select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> list[Finding]:
    """The rule findings of one text, sorted by position (no model: fast).

    ``select``/``ignore`` take rule codes or prefixes as on the command line
    (``["MT3"]``); ``source`` (the text it was translated from) turns on the source rules
    (MT0xx) except the embedding check MT006, which needs ``Scorer``; ``source_lang``
    narrows the false-friend lexicons to that language.
    """
    rules = select_rules(list(select or ["MT"]), list(ignore or []))
    article = Article(id="text", text=text, path=API_PATH, title=title, source=source, source_lang=source_lang)
    return detect(segment(article), rules)


@dataclass
class Result:
    """What scoring returns: the three tables of ``mtqa score`` as typed DataFrames, and the summary."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    findings: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    #: the policy the statuses in ``articles`` were set by
    policy: Policy = field(default_factory=Policy)

    def gate(self, policy: Policy | None = None) -> GateResult:
        """The verdict under ``policy`` (default: the policy the result was scored with)."""
        return gate_table(self.articles, policy or self.policy)[1]

    def with_policy(self, policy: Policy) -> Result:
        """The same result with article statuses under another ``policy`` (no rescoring)."""
        gated, verdict = gate_table(self.articles, policy)
        return Result(gated, self.sentences, self.findings, {**self.summary, "gate": verdict.as_dict()}, policy)


class Scorer:
    """Scores texts with mtqa's rules and, unless ``model=None``, the fluency model.

    The model is loaded once, when the scorer is made, and shared by every scorer of the
    same settings in this process: make one per Dask worker or datatrove task, or per
    ``map_partitions`` call (the second one costs nothing).
    """

    def __init__(self, model: str | None = "smollm2", *, device: str = "auto", dtype: str = "auto",
                 select: Sequence[str] | None = None, ignore: Sequence[str] | None = None,
                 policy: Policy | None = None, settings: Settings | None = None) -> None:
        from mtqa import engine

        self.settings = copy.deepcopy(settings) if settings is not None else Settings()
        self.settings.fluency = model is not None
        if model is not None:
            self.settings.model, self.settings.device, self.settings.dtype = model, device, dtype
        if select is not None:
            self.settings.select = list(select)
        if ignore is not None:
            self.settings.ignore = list(ignore)
        if policy is not None:
            self.settings.fail_on, self.settings.min_quality = policy.fail_on, policy.min_quality
            self.settings.max_failing_articles = policy.max_failing_articles
        select_rules(self.settings.select, self.settings.ignore)  # unknown codes fail here, not later
        if model is not None:
            engine.process_scorer(self.settings)  # load now: a missing model is an error at construction

    def score(self, data: Texts, *, text_column: str = "text", id_column: str = "id") -> Result:
        """Score ``data``: one text, a list of texts (ids "0", "1", ...), a DataFrame or an
        iterable of dicts (columns/keys as in JSONL input: ``text``, ``id``, ``title``,
        ``source_lang``, ``reference``; others are carried through)."""
        from mtqa.app import RunOptions
        from mtqa.app import score as run
        from mtqa.report.tables import conform

        settings = copy.deepcopy(self.settings)
        settings.text_column, settings.id_column = text_column, id_column
        options = RunOptions(write=False, jobs=1, articles=_articles(data, text_column, id_column),
                             keep_tables=("articles", "sentences", "findings"))
        done = run([], settings, options)
        tables = {name: conform(done.tables[name].reindex(columns=schema.names), schema).to_pandas(types_mapper=pandas_type)
                  for name, schema in done.schemas.items()}
        return Result(tables["articles"], tables["sentences"], tables["findings"], done.summary, Policy.from_settings(settings))


def pandas_type(arrow_type: pa.DataType) -> Any:
    """Integer columns as pandas' nullable ``Int64`` (an empty cell stays an integer column, never
    float64), the other types as pyarrow converts them."""
    return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None


def score(data: Texts, *, model: str | None = "smollm2", **options: Any) -> Result:
    """One call: ``Scorer(model, **options).score(data)``."""
    return Scorer(model, **options).score(data)


def _articles(data: Texts, text_column: str, id_column: str) -> Iterable[Article]:
    path = Path(API_PATH)
    if isinstance(data, str):
        data = [data]
    if isinstance(data, pd.DataFrame):
        records: Iterable[Any] = data.to_dict("records")
    else:
        records = data
    for i, item in enumerate(records):
        if isinstance(item, str):
            item = {text_column: item}
        if not isinstance(item, Mapping):
            yield Article(id=str(i), text="", path=API_PATH, line=i + 1, error=f"expected a text or a mapping, got {type(item).__name__}")
            continue
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in item.items()}  # pandas' NaN is an empty cell
        yield article_from_record(clean, i + 1, path, str(i), text_column, id_column)
