"""mtqa: a machine-translation quality checker for English MT output.

The public face (everything else may change between versions)::

    import mtqa
    mtqa.check(text)                         # rule findings of one text (no model)
    result = mtqa.Scorer().score(texts)      # result.articles / .sentences / .findings
    result = mtqa.score(df, model=None)      # the same in one call, rules only
    result.gate(mtqa.Policy(fail_on="critical"))

The names load on first use (PEP 562), so ``import mtqa.scoring.fluency`` alone does not
import pandas and the rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from mtqa._version import __version__

if TYPE_CHECKING:
    from mtqa.api import Result, Scorer, check, score
    from mtqa.gate import GateResult as Verdict
    from mtqa.gate import Policy
    from mtqa.types import Finding, Severity

#: public name -> (module, attribute)
_PUBLIC = {
    "Result": ("mtqa.api", "Result"), "Scorer": ("mtqa.api", "Scorer"), "check": ("mtqa.api", "check"),
    "score": ("mtqa.api", "score"), "Verdict": ("mtqa.gate", "GateResult"), "Policy": ("mtqa.gate", "Policy"),
    "Finding": ("mtqa.types", "Finding"), "Severity": ("mtqa.types", "Severity"),
}

__all__ = ["Finding", "Policy", "Result", "Scorer", "Severity", "Verdict", "__version__", "check", "score"]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'mtqa' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
