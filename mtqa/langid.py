"""Language identification (langdetect, seeded so that every run gives the same answer)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory


@cache
def _factory(seed: int) -> DetectorFactory:
    """A private langdetect factory (profiles load once), seeded for repeatable results."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = seed
    return factory


#: texts up to this long are remembered with their answer (a corpus repeats its sources: one per
#: system in MT evaluation data), longer ones are not kept alive by the cache
CACHED_CHARS = 2_000


def detect_language(text: str, seed: int = 0) -> tuple[str, float]:
    """(language, probability) from langdetect; ``("unknown", 0.0)`` when it cannot tell. The
    same text and seed give the same answer, so a short text's answer is remembered."""
    return _remembered(text, seed) if len(text) <= CACHED_CHARS else _detect(text, seed)


def _detect(text: str, seed: int) -> tuple[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory(seed).create()
    detector.set_max_text_length(400)
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "unknown", 0.0
    return best.lang, best.prob


_remembered = lru_cache(maxsize=8192)(_detect)


def iso_639_1(lang: str) -> str:
    """langdetect's code as ISO 639-1 (``zh-cn`` -> ``zh``)."""
    return lang.split("-")[0].lower()
