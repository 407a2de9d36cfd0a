"""mtqa: a machine-translation quality checker for English MT output."""

__version__ = "0.1.0"
