"""Reference-based metrics with sacrebleu: BLEU, chrF and TER per article and for the corpus.

An article and its reference are split into paragraphs; when both have the same number
of paragraphs, the paragraphs are the aligned segments, otherwise the whole article is
one segment. Article scores are sacrebleu corpus scores over the article's segments;
corpus scores are over all segments of all articles, computed from summed statistics.

TER's shift search grows steeply with segment length, so segments longer than
``TER_MAX_WORDS`` words get no TER (the count left out is reported); BLEU and chrF
cover every segment.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from sacrebleu.metrics import BLEU, CHRF, TER

TER_MAX_WORDS = 80
_SPACE = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def align(text: str, reference: str) -> list[tuple[str, str]]:
    """(hypothesis, reference) segments: paragraphs when their counts match, else the whole text."""
    hyp_paras = [_fold(p) for p in _PARAGRAPHS.split(text) if p.strip()]
    ref_paras = [_fold(p) for p in _PARAGRAPHS.split(reference) if p.strip()]
    if len(hyp_paras) == len(ref_paras) > 1:
        return list(zip(hyp_paras, ref_paras))
    return [(_fold(text), _fold(reference))]


@dataclass
class ReferenceStats:
    """Summable corpus statistics (sacrebleu's sufficient statistics), so corpus scores can be
    computed from per-chunk totals without holding every segment."""

    segments: int = 0
    bleu: list[int] = field(default_factory=list)
    chrf: list[int] = field(default_factory=list)
    ter_edits: float = 0.0
    ter_ref_length: float = 0.0
    ter_left_out: int = 0

    def add(self, other: ReferenceStats) -> None:
        self.segments += other.segments
        self.bleu = _sum(self.bleu, other.bleu)
        self.chrf = _sum(self.chrf, other.chrf)
        self.ter_edits += other.ter_edits
        self.ter_ref_length += other.ter_ref_length
        self.ter_left_out += other.ter_left_out

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ReferenceScorer:
    """Scores articles against their references; corpus scores come from summed :class:`ReferenceStats`."""

    def __init__(self) -> None:
        self._bleu, self._chrf, self._ter = BLEU(effective_order=True), CHRF(), TER()
        self._corpus_bleu = BLEU()
        for metric in (self._bleu, self._chrf, self._ter, self._corpus_bleu):
            metric.corpus_score(["x"], [["x"]])  # fixes nrefs=1, which sacrebleu's signatures report

    def article(self, text: str, reference: str) -> tuple[dict[str, float | int | None], ReferenceStats]:
        """Scores for one article, and its statistics for the corpus score."""
        pairs = align(text, reference)
        hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
        stats = ReferenceStats(segments=len(pairs))
        stats.bleu = _sum([], self._corpus_bleu._extract_corpus_statistics(hyps, [refs]))
        stats.chrf = _sum([], self._chrf._extract_corpus_statistics(hyps, [refs]))
        ter_pairs = [(h, r) for h, r in pairs if _short(h, r)]
        stats.ter_left_out = len(pairs) - len(ter_pairs)
        ter = None
        if ter_pairs:
            result = self._ter.corpus_score([h for h, _ in ter_pairs], [[r for _, r in ter_pairs]])
            ter = result.score
            stats.ter_edits, stats.ter_ref_length = float(result.num_edits), float(result.ref_length)
        scores = {
            "bleu": round(self._bleu.corpus_score(hyps, [refs]).score, 2),
            "chrf": round(self._chrf._compute_score_from_stats(stats.chrf).score, 2),
            "ter": round(ter, 2) if ter is not None else None,
            "ref_segments": len(pairs),
        }
        return scores, stats

    def corpus(self, stats: ReferenceStats) -> dict[str, object] | None:
        """Corpus scores and sacrebleu signatures, or None when no article had a reference."""
        if not stats.segments:
            return None
        return {
            "segments": stats.segments,
            "bleu": round(self._corpus_bleu._compute_score_from_stats(stats.bleu).score, 2),
            "chrf": round(self._chrf._compute_score_from_stats(stats.chrf).score, 2),
            # sacrebleu's corpus TER: total edits over total reference length
            "ter": round(100 * stats.ter_edits / stats.ter_ref_length, 2) if stats.ter_ref_length else None,
            "ter_segments_left_out": stats.ter_left_out,
            "bleu_signature": str(self._corpus_bleu.get_signature()),
            "chrf_signature": str(self._chrf.get_signature()),
            "ter_signature": str(self._ter.get_signature()) if stats.ter_ref_length else None,
        }


def _sum(total: list[int], rows: list[int] | list[list[int]]) -> list[int]:
    """Element-wise sum of statistics vectors (a vector or a list of per-segment vectors)."""
    vectors = [rows] if rows and not isinstance(rows[0], list) else rows
    for v in vectors:
        total = [a + b for a, b in zip(total, v)] if total else [int(x) for x in v]
    return total


def _short(hyp: str, ref: str) -> bool:
    return max(hyp.count(" "), ref.count(" ")) + 1 <= TER_MAX_WORDS
