"""Fluency: score sentences with a causal language model, calibrated to 0-100.

For each sentence (conditioned on the model's document-start token) mtqa computes:

* ``logprob``: the sum of token log-probabilities (natural log), ``mean_logprob`` per token;
* ``slor``: (LM log-prob - unigram log-prob of its words) / words, where unigram
  frequencies come from ``wordfreq``; it corrects for rare but correct words;
* ``fluency``: 0-100, the percentile of the sentence's SLOR among human reference
  sentences of ``../shared/eval-data`` (``mtqa/data/fluency/<model>.json``, made by
  ``bench/calibrate_fluency.py``): 50 = as fluent as the median human sentence;
* per word: surprisal in bits and its excess over what the word's frequency and
  position predict (a linear model fitted on the same human references), which the
  ``unexpected-word`` rule turns into findings.

Speed: identical sentences are scored once, sentences are sorted by length into
batches, the LM head runs on chunks of positions (so a 262k vocabulary never
materialises for a whole batch), and scores are cached on disk.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mtqa.detect.textutil import WORD
from mtqa.score.cache import ScoreCache
from mtqa.score.lm import LoadedModel, cache_root, load_model

LN2 = math.log(2)
MAX_TOKENS = 256
HEAD_CHUNK = 2048
SCORE_FORMAT = 3  # bump when the cached token tuples change


@dataclass
class WordScore:
    start: int
    end: int
    text: str
    surprisal: float  # bits, under the LM in context
    unigram: float  # bits, -log2 of the word's frequency
    first: bool
    excess: float | None = None  # surprisal above the calibrated expectation, in residual SDs


@dataclass
class SentenceFluency:
    tokens: int
    logprob: float
    mean_logprob: float
    slor: float
    fluency: float | None
    words: list[WordScore] = field(default_factory=list)

    @property
    def worst_word(self) -> WordScore | None:
        scored = [w for w in self.words if w.excess is not None]
        return max(scored, key=lambda w: w.excess, default=None)  # type: ignore[arg-type, return-value]


@cache
def calibration(model: str) -> dict[str, Any] | None:
    """The shipped calibration of ``model`` (None for models without one)."""
    path = resources.files("mtqa.data").joinpath("fluency", f"{model}.json")
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def unigram_bits(word: str) -> float:
    from wordfreq import word_frequency

    return -math.log2(max(word_frequency(word.lower(), "en"), 1e-9))


def percentile(value: float, quantiles: Sequence[float]) -> float:
    """0-100 rank of ``value`` among the calibration quantiles (linear between them)."""
    import numpy as np

    return round(float(np.interp(value, quantiles, np.linspace(0, 100, len(quantiles)))), 2)


def token_logprobs(lm: LoadedModel, texts: Sequence[str]) -> list[list[tuple[int, int, float]]]:
    """(start, end, log-prob) of every token of every text, one batch, right-padded."""
    import torch

    enc = lm.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True,
                       truncation=True, max_length=MAX_TOKENS - 1)
    rows = [[lm.doc_start_id, *ids] for ids in enc["input_ids"]]
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), lm.doc_start_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    ids, mask = ids.to(lm.device), mask.to(lm.device)
    with torch.inference_mode():
        hidden = lm.model.get_decoder()(input_ids=ids, attention_mask=mask).last_hidden_state
        # position t predicts token t + 1; only real (unpadded) targets count
        valid = mask[:, 1:].bool()
        h = hidden[:, :-1][valid]
        targets = ids[:, 1:][valid]
        head = lm.model.get_output_embeddings()
        cap = getattr(lm.model.config, "final_logit_softcapping", None)
        out = torch.empty(len(targets), dtype=torch.float32, device=lm.device)
        for s in range(0, len(targets), HEAD_CHUNK):
            logits = head(h[s:s + HEAD_CHUNK]).float()
            if cap:
                logits = torch.tanh(logits / cap) * cap
            out[s:s + HEAD_CHUNK] = logits.gather(1, targets[s:s + HEAD_CHUNK, None])[:, 0] - torch.logsumexp(logits, dim=-1)
    flat = out.cpu().tolist()
    result, pos = [], 0
    for r, offsets in zip(rows, enc["offset_mapping"]):
        n = len(r) - 1
        result.append([(int(a), int(b), lp) for (a, b), lp in zip(offsets, flat[pos:pos + n])])
        pos += n
    return result


def build(text: str, toks: list[tuple[int, int, float]], calib: dict[str, Any] | None) -> SentenceFluency:
    """Sentence and word scores from token log-probs (cheap; runs on cached tokens too)."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    starts = [a for a, _ in spans]
    word_lp = [0.0] * len(spans)
    for a, b, lp in toks:
        core = a + (len(text[a:b]) - len(text[a:b].lstrip()))
        i = bisect_right(starts, core) - 1
        if i >= 0 and core < spans[i][1]:
            word_lp[i] += lp
    words = [WordScore(a, b, text[a:b], -lp / LN2, unigram_bits(text[a:b]), i == 0)
             for i, ((a, b), lp) in enumerate(zip(spans, word_lp))]
    total = sum(t[2] for t in toks)
    n_tok = max(len(toks), 1)
    slor = (total + sum(w.unigram for w in words) * LN2) / max(len(words), 1)
    fluency = None
    if calib:
        fluency = percentile(slor, calib["slor_quantiles"])
        wm = calib["word_model"]
        for w in words:
            expected = wm["intercept"] + wm["unigram"] * w.unigram + wm["first"] * w.first
            w.excess = round((w.surprisal - expected) / wm["resid_std"], 3)
    return SentenceFluency(len(toks), round(total, 4), round(total / n_tok, 4), round(slor, 4), fluency, words)


class FluencyScorer:
    """Scores sentences with a loaded LM; sentences already in the disk cache are not rescored."""

    def __init__(self, lm: LoadedModel, batch_size: int = 16, use_cache: bool = True) -> None:
        self.lm = lm
        self.batch_size = batch_size
        self.calibration = calibration(lm.info["name"])
        key = json.dumps({k: lm.info.get(k) for k in ("name", "sha256", "revision", "doc_start", "quantize")}, sort_keys=True)
        self.cache = ScoreCache(cache_root() / "scores.sqlite", f"{key}|{MAX_TOKENS}|v{SCORE_FORMAT}") if use_cache else None

    def batches(self, texts: Sequence[str]) -> Iterator[list[str]]:
        """Length-sorted batches: little padding, similar shapes."""
        ordered = sorted(texts, key=len)
        for i in range(0, len(ordered), self.batch_size):
            yield ordered[i:i + self.batch_size]

    def token_scores(self, texts: Sequence[str]) -> dict[str, list[tuple[int, int, float]]]:
        unique = [t for t in dict.fromkeys(texts) if t.strip()]
        found = self.cache.get_many(unique) if self.cache else {}
        todo = [t for t in unique if t not in found]
        fresh: dict[str, list[tuple[int, int, float]]] = {}
        for batch in self.batches(todo):
            fresh.update(zip(batch, token_logprobs(self.lm, batch)))
        if self.cache and fresh:
            self.cache.put_many(fresh)
        return {**{t: [tuple(x) for x in v] for t, v in found.items()}, **fresh}  # type: ignore[misc]

    def score(self, texts: Sequence[str]) -> list[SentenceFluency | None]:
        """One result per input text, in order (None for empty text)."""
        toks = self.token_scores(texts)
        return [build(t, toks[t], self.calibration) if t in toks else None for t in texts]

    def signature(self) -> dict[str, Any]:
        info = {k: v for k, v in self.lm.info.items() if k not in ("load_seconds", "from_cache")}
        info.update({"batch_size": self.batch_size, "max_tokens": MAX_TOKENS,
                     "calibration": self.calibration["source"] if self.calibration else "none"})
        return info


def load_scorer(settings: Any) -> FluencyScorer:
    """The scorer for ``settings.model`` on ``settings.device``."""
    lm = load_model(settings.model, settings.device, settings.quantize)
    return FluencyScorer(lm, settings.batch_size)
