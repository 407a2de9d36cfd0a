"""Importing this package registers every built-in rule, family by family."""

from mtqa.detect.rules import (  # noqa: F401
    consistency,
    fluency,
    grammar,
    language,
    lexical,
    repetition,
    scraping,
    segmentation,
    typography,
)
