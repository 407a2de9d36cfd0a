"""A change meant only to make mtqa faster changes no finding (issue 16): the rules' findings
on a fixed corpus equal the golden file (``python -m tests.golden`` rewrites it, for a change
that is meant to change findings; the diff of the file then shows which)."""

from __future__ import annotations

from tests.golden import findings, read


def test_findings_on_the_fixed_corpus_equal_the_golden_file() -> None:
    golden, now = read(), findings()
    assert len(golden) > 200
    added, lost = sorted(set(now) - set(golden)), sorted(set(golden) - set(now))
    assert not added and not lost, f"findings changed: +{added[:5]} -{lost[:5]} (python -m tests.golden rewrites the file)"
