"""mtqa: a machine-translation quality checker for English MT output.

The public face (everything else may change between versions)::

    import mtqa
    mtqa.check(text)                         # rule findings of one text (no model)
    result = mtqa.Scorer().score(texts)      # result.articles / .sentences / .findings
    result = mtqa.score(df, model=None)      # the same in one call, rules only
    result.gate(mtqa.Policy(fail_on="critical"))
"""

from mtqa._version import __version__

from mtqa.api import Result, Scorer, check, score  # noqa: E402
from mtqa.gate import GateResult as Verdict  # noqa: E402
from mtqa.gate import Policy  # noqa: E402
from mtqa.types import Finding, Severity  # noqa: E402

__all__ = ["Finding", "Policy", "Result", "Scorer", "Severity", "Verdict", "__version__", "check", "score"]
