"""Progress on stderr for every long step: model preparation, scoring, assembly, eval.

A :class:`Progress` is on (tqdm bars with rate and ETA) or off (``-q``, ``--no-progress``,
or stderr not a terminal); code that reports progress calls it the same way in both cases.
Scoring advances by sentence batch, not by chunk: while the model works through a chunk,
the bar moves by the share of the chunk's sentences done (:meth:`Bar.within`).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class Bar:
    """One step's bar; without tqdm (progress off) every call does nothing."""

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar
        self._credited = 0.0  # what within() has added for the unit under way

    def update(self, n: float) -> None:
        """``n`` more units done (the unit under way, if any, is then complete)."""
        if self._bar is not None:
            self._bar.update(n - self._credited if self._credited else n)
        self._credited = 0.0

    def within(self, done: float) -> None:
        """Partial progress on the group of units under way, in the bar's units (``done`` of it so
        far); the :meth:`update` that ends the group adds only the rest."""
        if self._bar is not None and done > self._credited:
            self._bar.update(done - self._credited)
            self._credited = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class Progress:
    """Makes bars on ``stream`` when ``enabled``."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """On when not ``quiet`` and stderr is a terminal."""
        return cls(not quiet and sys.stderr.isatty())

    def bar(self, desc: str, total: float | None, unit: str) -> Bar:
        if not self.enabled:
            return Bar()
        from tqdm import tqdm

        shape = "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]"
        return Bar(tqdm(desc=desc, total=total, unit=unit, file=self.stream, dynamic_ncols=True, smoothing=0.1,
                        bar_format=shape if total is not None else None))

    @contextmanager
    def waiting(self, desc: str) -> Iterator[None]:
        """A step with no measurable progress (loading a model): its name and the seconds so far, then how long it took."""
        if not self.enabled:
            yield
            return
        started = time.perf_counter()
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                self.stream.write(f"\r{desc} ... {time.perf_counter() - started:.0f} s")
                self.stream.flush()

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
            self.stream.write(f"\r{desc} ... done in {time.perf_counter() - started:.1f} s\n")
            self.stream.flush()
