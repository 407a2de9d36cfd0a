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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mtqa.detect.textutil import WORD
from mtqa.scoring.cache import ScoreCache
from mtqa.scoring.lm import LoadedModel, cache_root, compile_decoder, load_model

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


@dataclass(frozen=True)
class BatchPolicy:
    """How sentences are grouped for the model: sorted by token count, each batch capped
    in rows and in padded tokens (rows x longest row), so short sentences share big
    batches and long ones small batches, with little padding either way."""

    max_rows: int
    max_tokens: int
    head_chunk: int = HEAD_CHUNK
    #: texts tokenised (and length-sorted) together
    group: int = 8192

    @classmethod
    def for_device(cls, device: str, max_rows: int | None = None, max_tokens: int | None = None) -> BatchPolicy:
        """Defaults measured in bench/RESULTS.md: small batches on a CPU, large ones on a GPU."""
        gpu = device.startswith("cuda")
        return cls(max_rows or (4096 if gpu else 16), max_tokens or (262144 if gpu else 16 * MAX_TOKENS),
                   16384 if gpu else HEAD_CHUNK)

    def plan(self, lengths: Sequence[int]) -> list[list[int]]:
        """Indices into ``lengths`` grouped into batches, shortest first."""
        batches: list[list[int]] = []
        current: list[int] = []
        for i in sorted(range(len(lengths)), key=lengths.__getitem__):
            if current and (len(current) >= self.max_rows or (len(current) + 1) * lengths[i] > self.max_tokens):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches


def token_logprobs(lm: LoadedModel, texts: Sequence[str], policy: BatchPolicy | None = None,
                   on_rows: Callable[[int], None] | None = None) -> list[list[tuple[int, int, float]]]:
    """(start, end, log-prob) of every token of every text, in the order given.

    Texts are tokenised in groups (the next group on a helper thread while the model
    runs), each group is sorted by length into batches (``policy``), and each batch runs
    the decoder once; the LM head runs on chunks of the real (unpadded) positions and only
    the target token's log-probability leaves the device. On CUDA the next batch is
    queued before the previous one's results are read back, so the GPU does not wait
    for Python. ``on_rows`` is told how many texts each batch finished.
    """
    policy = policy or BatchPolicy.for_device(lm.device)
    result: list[list[tuple[int, int, float]]] = [[] for _ in texts]
    pending: list[tuple[int, list[int], Any, Any, Any, Any]] = []

    def collect(base: int, batch: list[int], ids: Any, offsets: Any, values: Any, done: Any) -> None:
        if done is not None:
            done.synchronize()
        flat, pos = values.tolist(), 0
        for i in batch:
            n = len(ids[i])
            result[base + i] = [(a, b, lp) for (a, b), lp in zip(offsets[i], flat[pos:pos + n])]
            pos += n
        if on_rows is not None:
            on_rows(len(batch))

    for base, ids, offsets in _tokenised(lm, texts, policy.group):
        for batch in policy.plan([len(x) + 1 for x in ids]):
            pending.append((base, batch, ids, offsets, *_batch_logprobs(lm, [ids[i] for i in batch], policy.head_chunk)))
            if len(pending) > 1:
                collect(*pending.pop(0))
    for item in pending:
        collect(*item)
    return result


def _tokenised(lm: LoadedModel, texts: Sequence[str], group: int) -> Iterator[tuple[int, Any, Any]]:
    """(first index, token ids, offsets) per group of ``group`` texts; the next group is
    tokenised on a helper thread (the tokenizer releases the GIL) while this one is scored."""
    from concurrent.futures import ThreadPoolExecutor

    backend = getattr(lm.tokenizer, "backend_tokenizer", None)  # a fast (Rust) tokenizer

    def encode(start: int) -> tuple[int, Any, Any]:
        batch, cut = list(texts[start:start + group]), MAX_TOKENS - 1
        if backend is not None:  # straight from the Rust encodings: no per-text Python dicts
            encs = backend.encode_batch(batch, add_special_tokens=False)
            return start, [e.ids[:cut] for e in encs], [e.offsets[:cut] for e in encs]
        enc = lm.tokenizer(batch, add_special_tokens=False, return_offsets_mapping=True, truncation=True, max_length=cut)
        return start, enc["input_ids"], enc["offset_mapping"]

    starts = range(0, len(texts), group)
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = [pool.submit(encode, s) for s in starts[:2]]
        for k in range(len(starts)):
            done = ahead.pop(0).result()
            if k + 2 < len(starts):
                ahead.append(pool.submit(encode, starts[k + 2]))
            yield done


def _batch_logprobs(lm: LoadedModel, rows: list[list[int]], head_chunk: int) -> tuple[Any, Any]:
    """Queue one batch; returns the target log-probs (a host tensor, rows concatenated) and
    a CUDA event that marks them ready (None on the CPU, where they are ready at once)."""
    import numpy as np
    import torch

    lengths = np.fromiter((len(r) + 1 for r in rows), dtype=np.int64, count=len(rows))
    width = int(lengths.max())
    host = np.full((len(rows), width), lm.doc_start_id, dtype=np.int64)
    for i, r in enumerate(rows):
        host[i, 1:len(r) + 1] = r
    mask_host = np.arange(width)[None, :] < lengths[:, None]
    # flat positions (row * (width - 1) + t) of the real targets: known here, so the
    # device never has to tell the host how many there are (no sync mid-batch)
    where = np.flatnonzero(mask_host[:, 1:])
    cuda = lm.device.startswith("cuda")
    tensors = [torch.from_numpy(a) for a in (host, where)]
    if cuda:
        tensors = [t.pin_memory().to(lm.device, non_blocking=True) for t in tensors]
    ids_t, where_t = tensors
    with torch.inference_mode():
        # No attention mask: rows are right-padded and attention is causal, so no real
        # position can see a pad; without a mask the fused causal kernels run and the
        # host never waits for the device to inspect one.
        hidden = lm.decoder(input_ids=ids_t, use_cache=False).last_hidden_state
        # position t predicts token t + 1
        h = hidden[:, :-1].reshape(-1, hidden.shape[-1]).index_select(0, where_t)
        targets = ids_t[:, 1:].reshape(-1).index_select(0, where_t)
        head = lm.model.get_output_embeddings()
        cap = getattr(lm.model.config, "final_logit_softcapping", None)
        out = torch.empty(len(where), dtype=torch.float32, device=h.device)
        head_chunk = min(head_chunk, max(1, (1 << 30) // head.weight.shape[0]))  # float32 log-probs: 4 GiB at most
        for s in range(0, len(where), head_chunk):
            logits = head(h[s:s + head_chunk])
            if cap:
                logits = torch.tanh(logits.float() / cap) * cap
            # one fused pass, in float32 whatever the model's precision
            logp = torch.log_softmax(logits, dim=-1, dtype=torch.float32)
            out[s:s + head_chunk] = logp.gather(1, targets[s:s + head_chunk, None])[:, 0]
        if not cuda:
            return out, None
        back = torch.empty(out.shape, dtype=out.dtype, pin_memory=True)
        back.copy_(out, non_blocking=True)
        done = torch.cuda.Event()
        done.record()
        return back, done


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
    """Scores sentences with a loaded LM; sentences already in the disk cache are not rescored.

    ``batch_size`` caps the sentences per model batch and ``batch_tokens`` the padded
    tokens per batch; ``None`` takes the device's default (see :class:`BatchPolicy`).
    """

    def __init__(self, lm: LoadedModel, batch_size: int | None = None, use_cache: bool = True,
                 batch_tokens: int | None = None) -> None:
        self.lm = lm
        self.policy = BatchPolicy.for_device(lm.device, batch_size, batch_tokens)
        self.calibration = calibration(lm.info["name"])
        fields = {k: lm.info.get(k) for k in ("name", "sha256", "revision", "doc_start", "dtype")}
        if lm.info.get("compiled"):  # fused kernels round a little differently
            fields["compiled"] = True
        key = json.dumps(fields, sort_keys=True)
        self.cache = ScoreCache(cache_root() / "scores.sqlite", f"{key}|{MAX_TOKENS}|v{SCORE_FORMAT}") if use_cache else None

    def token_scores(self, texts: Sequence[str], on_progress: Callable[[float], None] | None = None
                     ) -> dict[str, list[tuple[int, int, float]]]:
        """Token log-probs of each distinct non-blank text (from the cache where it has them);
        ``on_progress`` gets the share of the texts done after each model batch."""
        unique = [t for t in dict.fromkeys(texts) if t.strip()]
        found = self.cache.get_many(unique) if self.cache else {}
        todo = [t for t in unique if t not in found]
        on_rows = None
        if on_progress is not None and todo:
            done = [len(unique) - len(todo)]

            def on_rows(n: int) -> None:
                done[0] += n
                on_progress(done[0] / len(unique))
        fresh = dict(zip(todo, token_logprobs(self.lm, todo, self.policy, on_rows))) if todo else {}
        if self.cache and fresh:
            self.cache.put_many(fresh)
        return {**{t: [tuple(x) for x in v] for t, v in found.items()}, **fresh}  # type: ignore[misc]

    def score(self, texts: Sequence[str], on_progress: Callable[[float], None] | None = None) -> list[SentenceFluency | None]:
        """One result per input text, in order (None for empty text); ``on_progress`` as in :meth:`token_scores`."""
        toks = self.token_scores(texts, on_progress)
        return [build(t, toks[t], self.calibration) if t in toks else None for t in texts]

    def signature(self) -> dict[str, Any]:
        info = {k: v for k, v in self.lm.info.items() if k not in ("load_seconds", "from_cache")}
        info.update({"batch_size": self.policy.max_rows, "batch_tokens": self.policy.max_tokens, "max_tokens": MAX_TOKENS,
                     "calibration": self.calibration["source"] if self.calibration else "none"})
        return info


def load_scorer(settings: Any) -> FluencyScorer:
    """The scorer for ``settings.model`` on ``settings.device``."""
    lm = load_model(settings.model, settings.device, settings.dtype)
    if settings.compile_lm:
        compile_decoder(lm)
    return FluencyScorer(lm, settings.batch_size, batch_tokens=settings.batch_tokens)
