"""Adapters to other data tools; each imports its tool, which mtqa itself does not need."""
