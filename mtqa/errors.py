"""Exit codes and the exceptions that map to them.

| code | meaning                                                        |
|------|----------------------------------------------------------------|
| 0    | every article was scored and the gate passed                   |
| 1    | the gate failed (policy breached)                              |
| 2    | usage or configuration error (bad flag, missing column, ...)   |
| 3    | input or model error: some articles could not be scored        |
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    GATE_FAILED = 1
    USAGE = 2
    INPUT = 3


class MtqaError(Exception):
    """An error with a one-line message meant for the user."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(MtqaError):
    """Bad arguments, configuration, missing columns, unknown formats."""

    exit_code = ExitCode.USAGE


class ModelError(MtqaError):
    """The language model could not be loaded or run."""

    exit_code = ExitCode.INPUT
