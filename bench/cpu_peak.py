"""The language model on the CPU against this CPU's float32 matrix-multiply peak.

    python bench/cpu_peak.py [--model smollm2] [--sentences 300] [--dtype float32]
    python bench/cpu_peak.py --smoke          # seconds: tiny sizes, a tiny model (CI)

1. Peak: ``torch.mm`` in float32 on all of torch's threads, for a large square product
   and for the shapes the model's linear layers have (rows = tokens of a batch); the best
   of several runs each, in GFLOP/s.
2. The model: ``FluencyScorer.token_scores`` (disk cache off) on real sentences, tokens/s,
   and the GFLOP/s that implies: 2 x (every weight matrix a token is multiplied by, the
   LM head included) per token; attention scores are left out, so it slightly understates.
3. The ratio of the two. Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from mtqa.scoring.fluency import FluencyScorer  # noqa: E402


def mm_gflops(m: int, k: int, n: int, repeat: int) -> float:
    """Best float32 GFLOP/s of an (m x k) @ (k x n) product."""
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(m, k, generator=gen), torch.randn(k, n, generator=gen)
    torch.mm(a, b)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2 * m * k * n / best / 1e9


def matmul_flops_per_token(model: torch.nn.Module) -> int:
    """2 x the weights a token is multiplied by: every 2-D weight but the input embeddings
    (looked up, not multiplied), plus the LM head (counted once even when tied)."""
    lookups = {id(m.weight) for m in model.modules() if isinstance(m, torch.nn.Embedding)}
    weights = {id(p): p.numel() for p in model.parameters() if p.dim() == 2 and id(p) not in lookups}
    head = model.get_output_embeddings().weight
    weights[id(head)] = head.numel()
    return 2 * sum(weights.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--sentences", type=int, default=300)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    size, repeat = (256, 2) if args.smoke else (2048, 5)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    square = mm_gflops(size, size, size, repeat)
    print(f"peak float32 mm {size}x{size}x{size}: {square:,.1f} GFLOP/s")
    if args.smoke:
        from bench.lm_throughput import random_model
        from bench.tiny_model import TINY_CORPUS, save_tiny_model

        lm = random_model(str(save_tiny_model(Path(tempfile.mkdtemp()))), "cpu", args.dtype)
        texts = TINY_CORPUS * 4
    else:
        from bench.corpus import real_sentences
        from mtqa.scoring.lm import load_model

        lm = load_model(args.model, "cpu", dtype=args.dtype)
        texts = real_sentences(args.sentences)
    hidden = lm.model.config.hidden_size
    inter = getattr(lm.model.config, "intermediate_size", 4 * hidden)
    shaped = mm_gflops(2048 if not args.smoke else 64, hidden, inter, repeat)
    print(f"float32 mm at the model's MLP shape (2048 x {hidden} x {inter}): {shaped:,.1f} GFLOP/s")
    scorer = FluencyScorer(lm, use_cache=False)
    scorer.token_scores(texts[:16])
    t0 = time.perf_counter()
    toks = scorer.token_scores(texts)
    wall = time.perf_counter() - t0
    n_tokens = sum(len(v) for v in toks.values()) + len(toks)  # + the document-start token of each
    flops = matmul_flops_per_token(lm.model)
    achieved = n_tokens / wall * flops / 1e9
    print(f"model ({args.dtype}): {len(texts) / wall:,.1f} sentences/s, {n_tokens / wall:,.0f} tokens/s, "
          f"{flops / 1e6:.0f} MFLOP/token -> {achieved:,.1f} GFLOP/s")
    print(f"share of the square peak: {achieved / square:.0%}; of the MLP-shape peak: {achieved / shaped:.0%}")


if __name__ == "__main__":
    main()
