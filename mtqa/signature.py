"""The reproducibility signature of a run, like sacrebleu's: tool version, rules, thresholds, model.

``rules_hash`` covers the selected rules, their severities, ``rules.toml``, the lexicons,
word lists and scoring weights, and the code that segments, detects and scores, so two runs
with the same signature give the same results (a changed rule changes it without a release).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources
from typing import Any

from mtqa._version import __version__
from mtqa.config import Settings
from mtqa.detect import Rule


#: the package's code that decides findings and scores (reports only present them)
_DECIDING_CODE = ("detect", "scoring", "segment.py", "ingest/out_of_step.py")


def data_hash() -> str:
    """SHA-256 (first 12 hex digits) of every packaged data file and of the code that decides
    findings and scores (line endings normalised, so a Windows checkout hashes alike)."""
    h = hashlib.sha256()
    root = resources.files("mtqa.data")
    for name in sorted(_data_files(root)):
        h.update(name.encode())
        h.update(root.joinpath(name).read_bytes())
    h.update(_code_hash(resources.files("mtqa")).encode())
    return h.hexdigest()[:12]


def _code_hash(package: Any) -> str:
    h = hashlib.sha256()
    for name in sorted(_code_files(package)):
        h.update(name.encode())
        h.update(package.joinpath(name).read_bytes().replace(b"\r\n", b"\n"))
    return h.hexdigest()


def _code_files(package: Any) -> list[str]:
    out = []
    for part in _DECIDING_CODE:
        entry = package.joinpath(part)
        if entry.is_file():
            out.append(part)
        else:
            out += [f"{part}/{name}" for name in _files(entry, (".py",))]
    return out


def _data_files(root: Any) -> list[str]:
    return [name for name in _files(root) if not name.endswith((".py", ".pyc"))]


def _files(root: Any, suffixes: tuple[str, ...] | None = None, prefix: str = "") -> list[str]:
    """Paths of the files under ``root`` (``__pycache__`` left out), those ending in ``suffixes`` when given."""
    out = []
    for entry in root.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                out += _files(entry, suffixes, f"{prefix}{entry.name}/")
        elif suffixes is None or entry.name.endswith(suffixes):
            out.append(prefix + entry.name)
    return out


def build(settings: Settings, rules: Sequence[Rule], model: dict[str, Any] | None) -> dict[str, Any]:
    """The signature as a dict; ``signature["string"]`` is the compact one-line form."""
    severities = {r.code: (settings.severity.get(r.code) or r.severity).value for r in rules}
    rules_hash = hashlib.sha256(repr(sorted(severities.items())).encode()).hexdigest()[:8] + "-" + data_hash()
    sig: dict[str, Any] = {
        "mtqa": __version__,
        "rules": [r.code for r in rules],
        "rules_hash": rules_hash,
        "severity_overrides": {k: v.value for k, v in sorted(settings.severity.items())},
        "fail_on": settings.fail_on,
        "max_failing_articles": settings.max_failing_articles,
        "min_quality": settings.min_quality,
        "model": model or {"name": "none", "reason": "fluency disabled (--no-fluency)"},
        "config": settings.source,
    }
    model_part = f"{sig['model'].get('name')}@{sig['model'].get('sha256', '-')[:12]}" if model else "none"
    sig["string"] = (f"mtqa:{__version__}|rules:{len(rules)}@{rules_hash}|fail-on:{settings.fail_on}"
                     f"|max-fail:{settings.max_failing_articles}|min-quality:{settings.min_quality if settings.min_quality is not None else 'off'}"
                     f"|model:{model_part}")
    return sig
