"""The pipeline: segment -> detect -> score, one chunk of articles at a time.

Chunks (``CHUNK`` articles, cut by :func:`mtqa.engine.chunks`) let the fluency model batch
sentences across articles while memory stays bounded by the chunk, not the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtqa.baseline import Baseline
from mtqa.baseline import entry as baseline_entry
from mtqa.config import Settings
from mtqa.detect import Rule, detect, select_rules
from mtqa.detect.textutil import sentence_words
from mtqa.scoring import crosslingual, estimate
from mtqa.scoring import quality as q
from mtqa.scoring.reference import ReferenceScorer, ReferenceStats
from mtqa.segment import segment
from mtqa.types import Article, Document, Finding

if TYPE_CHECKING:
    from mtqa.scoring.fluency import FluencyScorer

CHUNK = 256


@dataclass
class ArticleResult:
    article: Article
    doc: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    words: int = 0
    quality: float | None = None
    penalty: float | None = None
    status: str = "error"
    reason: str = ""
    reference: dict[str, float | int | None] | None = None
    reference_stats: ReferenceStats | None = None
    #: baseline entries of the findings (see mtqa.baseline), for --write-baseline
    baseline_entries: list[dict[str, str]] = field(default_factory=list)
    #: findings the baseline suppressed, and those the article's ``mtqa_ignore`` field dropped
    suppressed: int = 0
    ignored: int = 0
    #: estimated MQM of each sentence, and of the article (their sum); see mtqa.scoring.estimate
    sentence_est: list[float] = field(default_factory=list)
    est_mqm: float | None = None
    #: the length-fair estimate: expected MQM per 100 words, of each sentence and of the article
    sentence_est_100w: list[float | None] = field(default_factory=list)
    est_mqm_100w: float | None = None


def _failed(r: ArticleResult, exc: Exception) -> None:
    """Mark an article that mtqa failed on (a bug or an input it cannot handle) as an error row."""
    r.doc, r.findings, r.baseline_entries, r.status = None, [], [], "error"
    r.quality = r.penalty = r.est_mqm = r.est_mqm_100w = None
    r.sentence_est, r.sentence_est_100w = [], []
    r.reason = f"mtqa failed on this article: {type(exc).__name__}: {str(exc)[:200]} (please report it)"


class Pipeline:
    """Runs the selected rules (and the fluency scorer, when given) over articles."""

    def __init__(self, settings: Settings, fluency: FluencyScorer | None = None, baseline: Baseline | None = None) -> None:
        self.settings = settings
        self.baseline = baseline
        self.rules: list[Rule] = select_rules(settings.select, settings.ignore)
        self.fluency = fluency
        self._weights = estimate.weight_set(fluency.lm.info["name"] if fluency is not None else None)
        self.references = ReferenceScorer()
        self._per_path: dict[str, list[Rule]] = {}

    def run_chunk(self, chunk: Sequence[Article], on_progress: Callable[[float], None] | None = None) -> list[ArticleResult]:
        """Segment every article, score all their sentences with the LM in one go, then detect and score.

        ``on_progress`` gets the share of the chunk's sentences the model has scored, after each batch."""
        results = [self._segment(a) for a in chunk]
        docs = [r.doc for r in results if r.doc is not None]
        self._compare_with_sources(docs)
        if self.fluency is not None:
            flat = iter(self.fluency.score([s.text for d in docs for s in d.sentences], on_progress))
            for d in docs:
                d.fluency = [next(flat) for _ in d.sentences]
        for r in results:
            if r.doc is not None:
                try:
                    self._check(r)
                except Exception as exc:  # noqa: BLE001 - one article's failure is its error row, not the run's end
                    _failed(r, exc)
        return results

    def _compare_with_sources(self, docs: list[Document]) -> None:
        """Source-translation cosine of every article with a source, in one batch (MT006 reads it)."""
        paired = [d for d in docs if d.article.source and d.article.source.strip()]
        wanted = self.settings.crosslingual and any(r.code == "MT006" for r in self.rules)  # the embeddings cost like the LM
        if not paired or not wanted or not crosslingual.available():
            return
        for d, value in zip(paired, crosslingual.shared().cosine([d.article.source or "" for d in paired], [d.text for d in paired])):
            d.source_similarity = value

    def _check(self, r: ArticleResult) -> None:
        assert r.doc is not None
        found = detect(r.doc, self._rules_for(r.article.path), self.settings.severity)
        if r.article.ignore:
            kept = [f for f in found if not f.code.startswith(r.article.ignore)]
            r.ignored, found = len(found) - len(kept), kept
        r.baseline_entries = [baseline_entry(r.doc, f) for f in found]
        r.findings = self.baseline.filter(r.doc, found) if self.baseline is not None else found
        r.suppressed = len(found) - len(r.findings)
        self._finish(r)

    def _rules_for(self, path: str) -> list[Rule]:
        extra = self.settings.ignored_for(path)
        if not extra:
            return self.rules
        if path not in self._per_path:
            self._per_path[path] = select_rules(self.settings.select, [*self.settings.ignore, *extra])
        return self._per_path[path]

    def _segment(self, article: Article) -> ArticleResult:
        result = ArticleResult(article)
        if article.error:
            result.reason = article.error
            return result
        try:
            result.doc = segment(article)
            result.words = sum(map(len, sentence_words(result.doc)))  # (the rules reuse the words)
        except Exception as exc:  # noqa: BLE001 - see run_chunk
            _failed(result, exc)
        return result

    def _finish(self, r: ArticleResult) -> None:
        """Scores: the findings' penalty, the estimated MQM (summed and per 100 words) and the
        headline quality, ``100 + estimated MQM per 100 words`` (0-100, length-fair)."""
        r.penalty = round(q.penalty_per_100_words(r.findings, r.words), 3)
        r.status, r.reason = "scored", ""  # the policy sets pass/warn/fail at assembly (mtqa.gate)
        assert r.doc is not None
        features = estimate.sentence_features(r.doc, r.findings)
        r.sentence_est = estimate.estimate(features, self._weights)
        r.sentence_est_100w = estimate.per_100_words_each(features, self._weights)
        r.est_mqm = round(sum(r.sentence_est), 3)
        r.est_mqm_100w = estimate.per_100_words(estimate.summed(features), self._weights)
        r.quality = q.quality(r.findings, r.words) if r.est_mqm_100w is None else round(max(0.0, 100.0 + r.est_mqm_100w), 2)
        if r.article.reference:
            r.reference, r.reference_stats = self.references.article(r.article.text, r.article.reference)
        r.doc.derived.clear()  # what the rules and the estimate shared is not kept with the results
