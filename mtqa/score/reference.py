"""Reference-based metrics with sacrebleu: BLEU, chrF and TER per article and for the corpus.

Each article is one segment (its whole text against its whole reference, whitespace
folded). Corpus scores are sacrebleu corpus scores over those segments; the metric
signatures go into the run signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sacrebleu.metrics import BLEU, CHRF, TER

_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class ReferenceScorer:
    hyps: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sentence_bleu = BLEU(effective_order=True)
        self._chrf, self._ter = CHRF(), TER()

    def article(self, text: str, reference: str) -> dict[str, float]:
        """Segment-level scores for one article; remembered for the corpus score."""
        hyp, ref = _fold(text), _fold(reference)
        self.hyps.append(hyp)
        self.refs.append(ref)
        return {
            "bleu": round(self._sentence_bleu.sentence_score(hyp, [ref]).score, 2),
            "chrf": round(self._chrf.sentence_score(hyp, [ref]).score, 2),
            "ter": round(self._ter.sentence_score(hyp, [ref]).score, 2),
        }

    def corpus(self) -> dict[str, object] | None:
        """Corpus scores and sacrebleu signatures, or None when no article had a reference."""
        if not self.hyps:
            return None
        out: dict[str, object] = {"articles": len(self.hyps)}
        for name, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
            out[name] = round(metric.corpus_score(self.hyps, [self.refs]).score, 2)
            out[f"{name}_signature"] = str(metric.get_signature())
        return out
