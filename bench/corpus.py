"""Build benchmark corpora from the real sentences in ../shared/eval-data (not shipped)."""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib
import json
import random
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval-data"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def real_sentences(limit: int | None = None, eval_dir: Path = EVAL) -> list[str]:
    """Distinct English MT and reference segments from MQM, MLQE-PE and DEMETR, in a fixed order."""
    seen: dict[str, None] = {}
    sources = [
        (eval_dir / "mqm_zhen" / "mqm_zhen_newstest2021.tsv", "target"),
        (eval_dir / "mqm_zhen" / "mqm_zhen_ted2021.tsv", "target"),
        (eval_dir / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz", "target"),
        (eval_dir / "demetr" / "demetr_base.tsv", "mt_sent"),
        (eval_dir / "demetr" / "demetr_base.tsv", "eng_sent"),
        *[(p, "mt") for p in sorted((eval_dir / "mlqe_pe").glob("mlqepe_*.tsv*"))],
        (eval_dir / "mqm_zhen" / "mqm_zhen_generalMT2022_segscores.tsv.gz", "target"),
    ]
    for path, column in sources:
        for row in _rows(path):
            text = (row.get(column) or "").strip()
            if text:
                seen.setdefault(text, None)
            if limit and len(seen) >= limit:
                return list(seen)
    return list(seen)


def human_translations(per_language: int | None, seed: int = 0,
                       zh_systems: tuple[str, ...] = ("Human-A.0", "Human-B.0")) -> dict[str, list[tuple[str, str]]]:
    """(source, human translation) pairs of the TRAIN parts, per source language: MLQE-PE
    train post-edits (ro, ru, ne, si) and MQM newstest2020 zh (``zh_systems``); with
    ``per_language``, a seeded sample of that many."""
    out: dict[str, list[tuple[str, str]]] = {}
    for lang in ("ro", "ru", "ne", "si"):
        out[lang] = [(r["source"], r["pe"]) for r in _rows(EVAL / "mlqe_pe" / f"mlqepe_{lang}-en.train.tsv.gz")]
    out["zh"] = [(r["source"], r["target"]) for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_newstest2020.tsv.gz")
                 if r["system"] in zh_systems]
    if per_language:
        out = {k: random.Random(seed).sample(v, min(per_language, len(v))) for k, v in out.items()}
    return out


def general2022_references(per_language: int | None, seed: int = 0) -> list[tuple[str, str]]:
    """(source, human translation) pairs of MQM generalMT2022 zh-en (a TRAIN part: news, e-commerce,
    social, conversation), reference A; with ``per_language``, a seeded sample of that many."""
    pairs = [(r["source"], r["reference_A"]) for r in _rows(EVAL / "mqm_zhen" / "mqm_zhen_generalMT2022_sources.tsv")]
    return random.Random(seed).sample(pairs, min(per_language, len(pairs))) if per_language else pairs


def builder_options(default_out: Path, smoke_file: str) -> tuple[argparse.Namespace, Path]:
    """``--out`` and ``--smoke`` of a data builder (``bench/build_*.py``): the arguments, and the
    file to write (with ``--smoke`` and no ``--out``, a temporary one)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help=f"default: {default_out.relative_to(default_out.parents[2])} (a temporary file with --smoke)")
    ap.add_argument("--smoke", action="store_true", help="two languages, written to a temporary file (CI)")
    args = ap.parse_args()
    return args, args.out or (Path(tempfile.gettempdir()) / smoke_file if args.smoke else default_out)


def build_time_import(module: str, pin: str, script: str) -> ModuleType:
    """A package a data builder needs at build time only (mtqa reads the table it writes); exits
    with the ``pip install`` line when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        sys.exit(f"{script} needs {module} at build time: pip install {pin}")


def write_table(out: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """A data TSV of mtqa: the ``header`` lines (where the data comes from, then the column names),
    then the rows; returns how many rows it wrote."""
    lines = ["\t".join(r) for r in rows]
    out.write_text("\n".join([*header, *lines]) + "\n", "utf-8")
    return len(lines)


def emit(result: dict, out: Path, smoke: bool) -> None:  # type: ignore[type-arg]
    """Print a calibration and, unless ``smoke``, write it to ``out`` (a data file of mtqa)."""
    print(json.dumps(result, indent=1))
    if not smoke:
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {out}")
