"""Fluency scorer speed against a plain loop, on real sentences from ../shared/eval-data.

    python bench/fluency.py [--sentences 500] [--model smollm2] [--bf16] [--cold]

* plain loop: unsorted batches of 16, the model called directly (full logits, then
  log-softmax), as a first implementation would do;
* mtqa: ``FluencyScorer`` (duplicates removed, length-sorted batches, decoder + chunked
  LM head, ``inference_mode``), disk cache off;
* both give per-sentence log-probabilities; the max absolute difference is reported;
* ``--bf16``: the model in bfloat16, its speed and Spearman rank agreement of SLOR
  with float32 (``--quantize int8`` was removed: 0.82 with float32 and no faster);
* ``--cold``: also time a cold load (GGUF conversion into an empty cache).
Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from bench.corpus import real_sentences  # noqa: E402
from mtqa.scoring.fluency import FluencyScorer, build  # noqa: E402
from mtqa.scoring.lm import load_model  # noqa: E402


def plain_loop(lm, texts: list[str], batch: int = 16) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(0, len(texts), batch):
        chunk = texts[i:i + batch]
        rows = [[lm.doc_start_id, *lm.tokenizer(t, add_special_tokens=False, truncation=True, max_length=255)["input_ids"]] for t in chunk]
        width = max(map(len, rows))
        ids = torch.tensor([r + [lm.doc_start_id] * (width - len(r)) for r in rows])
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
        with torch.no_grad():
            lp = torch.log_softmax(lm.model(input_ids=ids, attention_mask=mask).logits.float(), dim=-1)
        for b, r in enumerate(rows):
            out.append(float(sum(lp[b, t, r[t + 1]] for t in range(len(r) - 1))))
    return out


def spearman(a: list[float], b: list[float]) -> float:
    import pandas as pd

    return float(pd.Series(a).corr(pd.Series(b), method="spearman"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=500)
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--bf16", action="store_true")
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--batch-size", type=int, default=16, help="mtqa's batch size (the plain loop always uses 16)")
    args = ap.parse_args()
    # Real corpora mix short and long sentences; the eval files list translations of one
    # segment next to each other, so shuffle (seeded) to get a corpus-like order.
    texts = real_sentences(args.sentences * 20)
    random.Random(0).shuffle(texts)
    texts = texts[:args.sentences]
    if args.cold:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["MTQA_CACHE"] = tmp
            t0 = time.perf_counter()
            load_model(args.model, "cpu")
            print(f"load cold (GGUF -> safetensors): {time.perf_counter() - t0:.1f}s")
            del os.environ["MTQA_CACHE"]
    t0 = time.perf_counter()
    lm = load_model(args.model, "cpu")
    print(f"load cached: {time.perf_counter() - t0:.1f}s  threads={torch.get_num_threads()}")
    scorer = FluencyScorer(lm, batch_size=args.batch_size, use_cache=False)
    n_tokens = sum(len(lm.tokenizer(t, add_special_tokens=False)["input_ids"]) + 1 for t in texts)

    t0 = time.perf_counter()
    plain = plain_loop(lm, texts)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    toks = scorer.token_scores(texts)
    t_fast = time.perf_counter() - t0
    fast = [sum(t[2] for t in toks[x]) for x in texts]
    diff = max(abs(a - b) for a, b in zip(plain, fast))
    per_token = max(abs(a - b) / max(len(toks[x]), 1) for a, b, x in zip(plain, fast, texts))
    print(f"sentences={len(texts)} tokens={n_tokens}")
    print(f"plain loop: {len(texts) / t_plain:.1f} sentences/s  {n_tokens / t_plain:.0f} tokens/s")
    print(f"mtqa (batch {args.batch_size}): {len(texts) / t_fast:.1f} sentences/s  {n_tokens / t_fast:.0f} tokens/s  speed-up {t_plain / t_fast:.2f}x")
    print(f"max |sentence logprob difference| = {diff:.2e}  (per token {per_token:.2e})")
    if args.bf16:
        q = load_model(args.model, "cpu", dtype="bfloat16")
        qs = FluencyScorer(q, batch_size=16, use_cache=False)
        t0 = time.perf_counter()
        qtoks = qs.token_scores(texts)
        t_q = time.perf_counter() - t0
        slor_f = [build(t, toks[t], None).slor for t in texts]
        slor_q = [build(t, qtoks[t], None).slor for t in texts]
        print(f"bfloat16:   {len(texts) / t_q:.1f} sentences/s  speed-up over float32 {t_fast / t_q:.2f}x  "
              f"Spearman(SLOR bfloat16, float32) = {spearman(slor_f, slor_q):.4f}")
    print(f"peak RSS={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
