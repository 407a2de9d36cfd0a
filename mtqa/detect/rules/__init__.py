"""Importing this package registers every built-in rule, family by family."""

from mtqa.detect.rules import (  # noqa: F401
    consistency,
    degeneration,
    fluency,
    grammar,
    language,
    lexical,
    repetition,
    scraping,
    segmentation,
    source,
    typography,
)
