"""Reference-based metrics with sacrebleu: BLEU, chrF and TER per article and for the corpus.

An article and its reference are split into paragraphs; when both have the same number
of paragraphs, the paragraphs are the aligned segments, otherwise the whole article is
one segment. Article scores are sacrebleu corpus scores over the article's segments;
corpus scores are over all segments of all articles.

TER's shift search grows steeply with segment length, so segments longer than
``TER_MAX_WORDS`` words get no TER (the count left out is reported); BLEU and chrF
cover every segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
class ReferenceScorer:
    hyps: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    ter_edits: float = 0.0
    ter_ref_length: float = 0.0
    ter_left_out: int = 0

    def __post_init__(self) -> None:
        self._bleu, self._chrf, self._ter = BLEU(effective_order=True), CHRF(), TER()

    def article(self, text: str, reference: str) -> dict[str, float | int | None]:
        """Scores for one article; its segments are remembered for the corpus score."""
        pairs = align(text, reference)
        hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
        self.hyps += hyps
        self.refs += refs
        ter_pairs = [(h, r) for h, r in pairs if _short(h, r)]
        self.ter_left_out += len(pairs) - len(ter_pairs)
        ter = None
        if ter_pairs:
            result = self._ter.corpus_score([h for h, _ in ter_pairs], [[r for _, r in ter_pairs]])
            ter = result.score
            self.ter_edits += result.num_edits
            self.ter_ref_length += result.ref_length
        return {
            "bleu": round(self._bleu.corpus_score(hyps, [refs]).score, 2),
            "chrf": round(self._chrf.corpus_score(hyps, [refs]).score, 2),
            "ter": round(ter, 2) if ter is not None else None,
            "ref_segments": len(pairs),
        }

    def corpus(self) -> dict[str, object] | None:
        """Corpus scores and sacrebleu signatures, or None when no article had a reference."""
        if not self.hyps:
            return None
        bleu, chrf = BLEU(), CHRF()
        out: dict[str, object] = {
            "segments": len(self.hyps),
            "bleu": round(bleu.corpus_score(self.hyps, [self.refs]).score, 2),
            "chrf": round(chrf.corpus_score(self.hyps, [self.refs]).score, 2),
            # sacrebleu's corpus TER: total edits over total reference length, from the article passes
            "ter": round(100 * self.ter_edits / self.ter_ref_length, 2) if self.ter_ref_length else None,
            "ter_segments_left_out": self.ter_left_out,
            "bleu_signature": str(bleu.get_signature()),
            "chrf_signature": str(chrf.get_signature()),
            "ter_signature": str(self._ter.get_signature()) if self.ter_ref_length else None,
        }
        return out


def _short(hyp: str, ref: str) -> bool:
    return max(hyp.count(" "), ref.count(" ")) + 1 <= TER_MAX_WORDS
