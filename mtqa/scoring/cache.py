"""On-disk cache of sentence scores (SQLite), keyed by model signature and sentence text.

Re-running mtqa on a corpus scores only the sentences it has not seen with the same
model and settings. Safe for several processes: SQLite serialises the writes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class ScoreCache:
    def __init__(self, path: Path, model_key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._model_key = model_key
        self.hits = self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model_key}\x00{text}".encode()).hexdigest()

    def get_many(self, texts: Iterable[str]) -> dict[str, Any]:
        keys = {self._key(t): t for t in texts}
        found: dict[str, Any] = {}
        items = list(keys.items())
        for i in range(0, len(items), 500):
            chunk = dict(items[i:i + 500])
            marks = ",".join("?" * len(chunk))
            for key, value in self._db.execute(f"SELECT key, value FROM scores WHERE key IN ({marks})", list(chunk)):
                found[chunk[key]] = json.loads(value)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, values: dict[str, Any]) -> None:
        rows = [(self._key(t), json.dumps(v, separators=(",", ":"))) for t, v in values.items()]
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?)", rows)
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
