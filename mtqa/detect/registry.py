"""The rule registry: every detector is a small pure function registered with a stable code.

A rule receives a segmented :class:`Document` and a :class:`RuleContext` (its tunable
parameters from ``mtqa/data/rules.toml`` and the article's source language) and yields
:class:`Hit` objects: character spans with a message. The runner turns hits into
:class:`~mtqa.types.Finding` records.

Codes are stable (like ruff's): ``MT0xx`` checks against the source, ``MT1xx`` scraping,
``MT2xx`` segmentation, ``MT3xx`` lexical, ``MT4xx`` consistency, ``MT5xx`` language,
``MT6xx`` typography, ``MT70x`` repetition, ``MT71x`` degenerate output, ``MT8xx``
grammar, ``MT9xx`` language-model fluency.
"""

from __future__ import annotations

import inspect
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mtqa.errors import UsageError
from mtqa.types import Document, Severity

#: MQM-style categories a rule may map to.
CATEGORIES = (
    "Source/Scraping", "Fluency/Grammar", "Fluency/Punctuation", "Fluency/Spelling",
    "Fluency/Character encoding", "Fluency/Inconsistency", "Fluency/Register",
    "Accuracy/Mistranslation", "Accuracy/Omission", "Accuracy/Addition", "Non-translation", "Locale convention",
    "Style/Awkward",
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A span a rule flags. ``severity`` overrides the rule's default for this hit only.

    ``replacements`` are texts that can replace the span as they are (``""`` deletes it),
    best first, like LanguageTool's; ``suggestion`` is advice for a person. A hit with
    replacements and no advice gets its advice written from them."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    confidence: float = 1.0
    severity: Severity | None = None
    replacements: tuple[str, ...] = ()
    #: for a finding about the source (an omission): its span in the article's source
    source_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class RuleContext:
    params: Mapping[str, Any]
    source_lang: str | None = None


Check = Callable[[Document, RuleContext], Iterable[Hit]]


@dataclass(frozen=True, eq=False)  # (one Rule a code, made once: identity is equality, and hashes fast)
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())

    @property
    def params(self) -> Mapping[str, Any]:
        """This rule's section of rules.toml, on top of the shared ``[common]`` section."""
        return _merged_params(self.code)


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, category: str, severity: str) -> Callable[[Check], Check]:
    """Register a detector: ``@rule("MT101", "placeholder-token", "Source/Scraping", "critical")``."""
    if category not in CATEGORIES:
        raise ValueError(f"{code}: unknown category {category!r}")

    def register(check: Check) -> Check:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        if not check.__doc__:
            raise ValueError(f"{code}: a rule needs a docstring")
        REGISTRY[code] = Rule(code, name, category, Severity(severity), check)
        return check

    return register


@cache
def rule_params() -> dict[str, dict[str, Any]]:
    """Per-rule thresholds, from the packaged ``rules.toml``."""
    return tomllib.loads(resources.files("mtqa.data").joinpath("rules.toml").read_text("utf-8"))


@cache
def _merged_params(code: str) -> dict[str, Any]:
    table = rule_params()
    return {**table.get("common", {}), **table.get(code, {})}


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code."""
    import mtqa.detect.rules  # noqa: F401  (registers the rules)

    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get_rule(code: str) -> Rule:
    rules = {r.code: r for r in all_rules()}
    by_name = {r.name: r for r in rules.values()}
    found = rules.get(code.upper()) or by_name.get(code.lower())
    if found is None:
        raise UsageError(f"unknown rule {code!r} (see `mtqa rules`)")
    return found


def select_rules(select: Iterable[str] = ("MT",), ignore: Iterable[str] = ()) -> list[Rule]:
    """Pick rules by code prefix, as ruff does: the most specific prefix wins; a tie goes to ignore."""
    rules = all_rules()
    by_name = {r.name: r.code for r in rules}  # a rule's name works like its code (--select false-friend)
    select = [by_name.get(s.lower(), s).upper() for s in select]
    ignore = [by_name.get(s.lower(), s).upper() for s in ignore]
    known = {r.code for r in rules}
    for prefix in (*select, *ignore):
        if prefix != "ALL" and not any(c.startswith(prefix) for c in known):
            raise UsageError(f"--select/--ignore: {prefix!r} matches no rule (see `mtqa rules`)")

    def best(prefixes: list[str], code: str) -> int:
        return max((0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)), default=-1)

    return [r for r in rules if best(select, r.code) > best(ignore, r.code)]
