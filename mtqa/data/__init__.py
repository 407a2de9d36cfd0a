"""Packaged data: lexicons, word lists and rule thresholds (no code)."""
