"""The records that flow through the pipeline: articles, segments, findings."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

#: higher is worse; the one severity order of the package
SEVERITY_RANK = {"critical": 3, "major": 2, "minor": 1}


class Severity(str, Enum):
    """MQM-style severities, ordered from worst to mildest."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"

    @property
    def rank(self) -> int:
        """Higher is worse: critical=3, major=2, minor=1."""
        return SEVERITY_RANK[self.value]


#: the key of ``Article.extra`` that marks an article out of step with its source (+1: its
#: translation fits the next source; -1: the previous one), set at ingest and read by MT015
OUT_OF_STEP = "source_out_of_step"


@dataclass(slots=True)
class Article:
    """One input article as read. ``error`` is set when it could not be read."""

    id: str
    text: str
    path: str
    line: int | None = None
    title: str | None = None
    source_lang: str | None = None
    reference: str | None = None
    #: the source-language text this article translates, when the input has it
    source: str | None = None
    #: rule codes or prefixes whose findings are dropped for this article (its ``mtqa_ignore`` field)
    ignore: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass(slots=True)
class Paragraph:
    """A paragraph of an article (offsets into article.text). Paragraphs and sentences are
    read-only by convention, not frozen: a frozen dataclass costs 2.5 times as much to build,
    and one is built for every sentence of the corpus."""

    index: int
    start: int
    end: int
    text: str
    is_title: bool = False


@dataclass(slots=True)
class Sentence:
    """A sentence of an article (offsets into article.text); read-only by convention (see Paragraph)."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str
    is_title: bool = False
    first_in_paragraph: bool = False
    last_in_paragraph: bool = False


@dataclass(slots=True)
class Document:
    """An article split into paragraphs and sentences (offsets into article.text)."""

    article: Article
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    #: per-sentence language-model scores (``SentenceFluency``), when the fluency model ran
    fluency: list[Any] | None = None
    #: cosine of the article and its source (multilingual embeddings), when both were there
    source_similarity: float | None = None
    #: the sentence alignment with the source (``mtqa.detect.align.alignment_of`` computes it
    #: on first use; False: there is none)
    alignment: Any = None
    #: values the rules and the estimate derive from the document and share
    #: (``mtqa.detect.textutil.per_document``); the pipeline drops them once the article is scored
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.article.text


@dataclass(slots=True)
class Finding:
    """One flagged span. ``start``/``end`` are character offsets into the article text."""

    article_id: str
    sentence: int | None
    start: int
    end: int
    text: str
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    suggestion: str | None = None
    confidence: float = 1.0
    #: texts that can replace the span as they are (``""``: delete it), best first
    replacements: tuple[str, ...] = ()
    #: for a finding about the source (an omission): its character span in the article's source
    source_start: int | None = None
    source_end: int | None = None

    def as_row(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
            "replacements": json.dumps(list(self.replacements), ensure_ascii=False),
            "source_start": self.source_start,
            "source_end": self.source_end,
            "confidence": round(self.confidence, 3),
        }


def is_missing(value: Any) -> bool:
    """None or NaN (pandas' empty cell)."""
    return value is None or (isinstance(value, float) and math.isnan(value))
