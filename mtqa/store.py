"""The part store: each scored chunk's tables, written as soon as the chunk is done.

Layout of ``OUT/.mtqa-parts/``::

    manifest.json                      what the run is (settings, rules, inputs): resume checks it
    00000042.articles.parquet          the chunk's rows (articles keep their text for the report)
    00000042.sentences.parquet
    00000042.findings.parquet
    00000042.json                      the chunk's totals; written last, so it marks the chunk done

A chunk counts as done only when its ``.json`` exists, and that file is renamed into place
after its tables, so an interrupted run leaves no half-written chunk that ``--resume``
would trust. The final CSV/Parquet outputs are assembled from the parts
(:func:`mtqa.aggregate.assemble`); the parts are deleted once the run is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from mtqa.errors import UsageError
from mtqa.report.tables import as_text
from mtqa.rows import TABLES, ChunkOutput

PARTS = ".mtqa-parts"


class PartStore:
    """Chunk parts of one run under ``root`` (a temporary folder when the run writes no outputs)."""

    def __init__(self, root: Path | None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="mtqa-parts-") if root is None else None
        self.root = Path(self._tmp.name) if self._tmp else root
        if self.root.is_symlink() or (self.root.exists() and not self.root.is_dir()):
            raise UsageError(f"{self.root}: is a link or not a folder; mtqa only cleans a parts folder of its own (remove it)")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{self.root}: cannot create the parts folder: {exc.strerror or exc}") from None

    def start(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Begin a run: with ``resume``, keep the parts of a run with the same manifest and return
        the finished chunk indexes; otherwise (or for a new run) start empty."""
        path = self.root / "manifest.json"
        if resume:
            if not path.exists():
                raise UsageError(f"{self.root}: nothing to resume (no manifest.json); run without --resume")
            try:
                old = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                old = {}
            if old != manifest:
                changed = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
                raise UsageError(f"{self.root}: cannot resume, the run differs in: {', '.join(changed)}; run without --resume")
            return {i for i in self.indexes() if self._intact(i)}
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()  # a link is removed, never followed
        _atomic_write(path, json.dumps(manifest, indent=1, sort_keys=True))
        return set()

    def _intact(self, index: int) -> bool:
        """True when the chunk's totals and tables all read back; a damaged chunk is deleted (and scored again)."""
        try:
            self.meta(index)
            for name in TABLES:
                pq.read_table(self._path(index, f"{name}.parquet"))
            return True
        except Exception:  # noqa: BLE001 - any damage (truncation, bad pages) means: score it again
            for leftover in self.root.glob(f"{index:08d}.*"):
                leftover.unlink()
            return False

    def remove(self) -> None:
        """Delete the parts (after the final outputs are written)."""
        if self._tmp is not None:
            self._tmp.cleanup()
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    def write(self, out: ChunkOutput) -> None:
        """Write a chunk's tables, then its totals (the done marker)."""
        for name in TABLES:
            target = self._path(out.index, f"{name}.parquet")
            tmp = target.with_suffix(".tmp")
            pq.write_table(_to_arrow(out.tables[name]), tmp)
            os.replace(tmp, target)
        _atomic_write(self._path(out.index, "json"), json.dumps(out.meta, default=str))

    def indexes(self) -> list[int]:
        """Finished chunks, in input order."""
        return sorted(int(p.name.split(".")[0]) for p in self.root.glob("*.json") if p.name != "manifest.json")

    def meta(self, index: int) -> dict[str, Any]:
        return json.loads(self._path(index, "json").read_text("utf-8"))

    def read(self, index: int, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """A chunk's table (only the named ``columns`` that it has, when given)."""
        path = self._path(index, f"{table}.parquet")
        if columns is not None:
            present = set(pq.read_schema(path).names)
            columns = [c for c in columns if c in present]
        return pq.read_table(path, columns=columns).to_pandas()

    def schema(self, index: int, table: str) -> pa.Schema:
        return pq.read_schema(self._path(index, f"{table}.parquet"))

    def _path(self, index: int, suffix: str) -> Path:
        return self.root / f"{index:08d}.{suffix}"


class OutputLock:
    """An exclusive lock on an output folder for the length of a run (``OUT/.mtqa-lock``).

    A second run on the same folder stops at once (exit 2) naming the holder, instead of
    mixing its results with the first one's.
    """

    NAME = ".mtqa-lock"

    def __init__(self, folder: Path) -> None:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / self.NAME
        self._fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "unknown"
            self._fh.close()
            raise UsageError(f"{folder}: another mtqa run is writing there ({holder}); wait for it or use another --out") from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"pid {os.getpid()}")
        self._fh.flush()

    def release(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table; input columns whose values mix types become strings."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        fixed = frame.copy()
        for col in fixed.columns:
            if fixed[col].dtype == object:
                try:
                    pa.array(fixed[col], from_pandas=True)
                except (pa.ArrowTypeError, pa.ArrowInvalid):
                    fixed[col] = as_text(fixed[col])
        return pa.Table.from_pandas(fixed, preserve_index=False)
