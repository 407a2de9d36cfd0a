"""Language-model throughput of ``FluencyScorer.token_scores`` (CPU or GPU), and rank agreement with float32.

    python bench/lm_throughput.py [--model smollm2] [--device auto] [--sentences 30000]
                                  [--texts FILE] [--compare 2000] [--legacy 5000]
    python bench/lm_throughput.py --model random:FOLDER ...   # random weights, FOLDER's config + tokenizer
    python bench/lm_throughput.py --smoke                     # seconds: a tiny model (CI)

Rows, each timed after a warm-up, disk cache off:

* ``legacy shape``: float32, batches of 16 sentences (the earlier default), on
  ``--legacy`` sentences;
* ``float32``: the device's default token budget (``BatchPolicy.for_device``);
* ``default``: ``--dtype`` (default: the device's, bfloat16 on CUDA) at the default budget;
* with ``--batch-tokens`` given, ``default`` at that budget too.

Agreement: Spearman of the per-sentence summed and mean log-probabilities of the
``default`` row against ``float32`` on the first ``--compare`` sentences, and the
largest absolute difference of a sentence's summed log-probability. With random
weights the rankings say little (near-uniform predictions); measure them with the
real model. Results go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mtqa.scoring.fluency import BatchPolicy, FluencyScorer  # noqa: E402
from mtqa.scoring.lm import LoadedModel, compile_decoder, load_model, resolve_device, resolve_dtype  # noqa: E402


def random_model(folder: str, device: str, dtype: str) -> LoadedModel:
    """A model with ``folder``'s config and tokenizer and seeded random weights (speed only)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(0)
    config = AutoConfig.from_pretrained(folder, trust_remote_code=False)
    model = AutoModelForCausalLM.from_config(config, trust_remote_code=False).eval()
    model.to(device=device, dtype=getattr(torch, dtype))
    tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    start = tokenizer.bos_token or tokenizer.eos_token
    return LoadedModel(model, tokenizer, int(tokenizer.convert_tokens_to_ids(start)), device,
                       {"name": f"random:{Path(folder).name}", "dtype": dtype, "device": device})


def load(spec: str, device: str, dtype: str) -> LoadedModel:
    return random_model(spec.removeprefix("random:"), device, dtype) if spec.startswith("random:") else load_model(spec, device, dtype=dtype)


def spearman(a: list[float], b: list[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def timed(scorer: FluencyScorer, texts: list[str]) -> tuple[float, dict[str, list[tuple[int, int, float]]]]:
    scorer.token_scores(texts[:256])  # warm-up: kernels, allocator, tokenizer
    t0 = time.perf_counter()
    out = scorer.token_scores(texts)
    return time.perf_counter() - t0, out


def profile(scorer: FluencyScorer, texts: list[str]) -> None:
    """Python time by function (cProfile), then device time by operator (torch.profiler)."""
    import cProfile
    import pstats

    import torch
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    cProfile.runctx("scorer.token_scores(texts)", globals(), {"scorer": scorer, "texts": texts}, "/tmp/lm.prof")
    pstats.Stats("/tmp/lm.prof").sort_stats("tottime").print_stats(15)
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if torch.cuda.is_available() else [])
    with torch_profile(activities=activities) as prof:
        scorer.token_scores(texts[:5000])
    key = "cuda_time_total" if torch.cuda.is_available() else "cpu_time_total"
    print(prof.key_averages().table(sort_by=key, row_limit=15))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--sentences", type=int, default=30000)
    ap.add_argument("--texts", help="one sentence a line (default: real sentences from ../shared/eval-data)")
    ap.add_argument("--compare", type=int, default=2000)
    ap.add_argument("--legacy", type=int, default=5000, help="sentences for the legacy-shape row (0: skip)")
    ap.add_argument("--batch-tokens", type=int, nargs="*", default=[], help="also time the default row at these budgets")
    ap.add_argument("--dtype", default="auto", help="precision of the 'default' row (auto: the device's default)")
    ap.add_argument("--compile", action="store_true", help="also time the default row with the decoder compiled (torch.compile)")
    ap.add_argument("--profile", action="store_true", help="also print where the default row's time goes (cProfile, torch.profiler)")
    ap.add_argument("--smoke", action="store_true", help="a tiny model and a few sentences (seconds)")
    args = ap.parse_args()
    if args.smoke:
        from bench.tiny_model import TINY_CORPUS, save_tiny_model

        args.model = "random:" + str(save_tiny_model(Path(tempfile.mkdtemp())))
        texts = [f"{a} {b}" for a in TINY_CORPUS for b in TINY_CORPUS] * 4
        args.compare, args.legacy = len(texts), len(texts)
    elif args.texts:
        texts = [ln.strip() for ln in Path(args.texts).read_text("utf-8").splitlines() if ln.strip()][:args.sentences]
    else:
        from bench.corpus import real_sentences

        texts = real_sentences(args.sentences)
    device = resolve_device(args.device)
    default_dtype = resolve_dtype(args.dtype, device)
    lm32 = load(args.model, device, "float32")
    n_tokens = sum(len(x) + 1 for x in lm32.tokenizer(texts, add_special_tokens=False)["input_ids"])
    print(f"device={device} model={args.model} sentences={len(texts)} tokens={n_tokens}")
    rows = []
    if args.legacy:
        sub = texts[:args.legacy]
        wall, _ = timed(FluencyScorer(lm32, batch_size=16, batch_tokens=1 << 30, use_cache=False), sub)
        rows.append(("legacy shape (float32, 16 a batch)", len(sub), wall))
    wall, ref = timed(FluencyScorer(lm32, use_cache=False), texts)
    rows.append((f"float32, {BatchPolicy.for_device(device).max_tokens} tokens a batch", len(texts), wall))
    lm = load(args.model, device, default_dtype) if default_dtype != "float32" else lm32
    wall, got = timed(FluencyScorer(lm, use_cache=False), texts)
    rows.append((f"default ({default_dtype})", len(texts), wall))
    for budget in args.batch_tokens:
        wall, _ = timed(FluencyScorer(lm, use_cache=False, batch_tokens=budget), texts)
        rows.append((f"{default_dtype}, {budget} tokens a batch", len(texts), wall))
    if args.compile:
        compile_decoder(lm)
        started = time.perf_counter()
        scorer = FluencyScorer(lm, use_cache=False)
        scorer.token_scores(texts[:4096])  # compiles (dynamic shapes: once, then a few recompiles)
        print(f"compilation and first 4,096 sentences: {time.perf_counter() - started:.1f} s", flush=True)
        wall, compiled = timed(scorer, texts)
        rows.append((f"default ({default_dtype}), decoder compiled", len(texts), wall))
    for name, n, wall in rows:
        print(f"{name:45s} {n / wall:10,.0f} sentences/s  ({wall:.2f} s for {n})")
    cmp = [t for t in texts[:args.compare] if t in ref and t in got]
    total = ([sum(x[2] for x in ref[t]) for t in cmp], [sum(x[2] for x in got[t]) for t in cmp])
    mean = ([s / max(len(ref[t]), 1) for s, t in zip(total[0], cmp)], [s / max(len(got[t]), 1) for s, t in zip(total[1], cmp)])
    print(f"{default_dtype} vs float32 on {len(cmp)} sentences: Spearman(sum log-prob) {spearman(*total):.5f}  "
          f"Spearman(mean log-prob) {spearman(*mean):.5f}  max |sum difference| {max(abs(a - b) for a, b in zip(*total)):.4f}")
    if args.compile:
        diffs = [abs(sum(x[2] for x in got[t]) - sum(x[2] for x in compiled[t])) for t in cmp]
        print(f"compiled vs not, {default_dtype}, {len(cmp)} sentences: max |sum difference| {max(diffs):.4f}")
    if args.profile:
        profile(FluencyScorer(lm, use_cache=False), texts)
    if device.startswith("cuda"):
        import torch

        print(f"{torch.cuda.get_device_name()}: peak memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
