"""Baselines: accept the findings a corpus already has, and gate only on new ones.

``--write-baseline FILE`` records every finding; ``--baseline FILE`` drops the findings
it records before statuses and the gate are computed (the summary counts them). The file
is JSON a reviewer can read and diff: one entry per finding with its rule, article,
flagged text and sentence, and the key that matches it.

A finding's key is (article id, rule code, flagged text, the text of its sentence with
spacing folded), so editing other sentences of an article, or moving the sentence
within it, does not invalidate its entry; editing the sentence itself does. Keys are
counted, so a finding that occurs twice needs two entries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from mtqa._version import __version__
from mtqa.errors import UsageError
from mtqa.types import Document, Finding

_SPACE = re.compile(r"\s+")


def finding_key(doc: Document, f: Finding) -> str:
    return _key(doc.article.id, f.code, _squeezed(f.text), _squeezed(_sentence(doc, f)))


@lru_cache(maxsize=1024)
def _key(article_id: str, code: str, text: str, sentence: str) -> str:
    """(cached: the baseline entry and the output's fingerprint of a finding share it)"""
    raw = "\x00".join((article_id, code, text, sentence))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def entry(doc: Document, f: Finding) -> dict[str, str]:
    """The baseline file's record of a finding: what a reviewer reads, and its key."""
    return {"rule": f.code, "name": f.name, "article": doc.article.id, "text": f.text,
            "sentence": _squeezed(_sentence(doc, f)), "key": finding_key(doc, f)}


def _sentence(doc: Document, f: Finding) -> str:
    return doc.sentences[f.sentence].text if f.sentence is not None else ""


@lru_cache(maxsize=256)
def _squeezed(text: str) -> str:
    """Whitespace runs as one space (cached: an article's findings share their sentences,
    and a huge one-sentence article would otherwise be normalised once per finding)."""
    return _SPACE.sub(" ", text).strip()


class Baseline:
    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.allowed = Counter(keys)

    @classmethod
    def load(cls, path: str) -> Baseline:
        """A baseline file: entries with a ``key`` (or the bare keys older versions wrote)."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
            return cls(e if isinstance(e, str) else e["key"] for e in data["findings"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{path}: not a readable mtqa baseline ({type(exc).__name__}: {exc})") from None

    def filter(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """The findings the baseline does not cover (pure: the baseline is not consumed,
        so a chunk scored twice, on resume or by a retried Dask task, gives the same answer)."""
        used: Counter[str] = Counter()
        kept = []
        for f in findings:
            key = finding_key(doc, f)
            used[key] += 1
            if used[key] > self.allowed[key]:
                kept.append(f)
        return kept


def write(path: str, entries: list[dict[str, str]]) -> None:
    """The baseline file, entries sorted by article, rule and text (stable diffs)."""
    ordered = sorted(entries, key=lambda e: (e["article"], e["rule"], e["text"], e["key"]))
    data = {"mtqa": __version__, "about": "findings accepted by `mtqa score --baseline`; delete an entry to stop accepting it",
            "findings": ordered}
    try:
        Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
