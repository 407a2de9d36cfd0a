from __future__ import annotations

from pathlib import Path

import pytest

from bench.tiny_model import TINY_CORPUS, save_tiny_model  # noqa: F401 (TINY_CORPUS is shared with the tests)
from mtqa.config import Settings
from mtqa.detect import detect, select_rules
from mtqa.segment import segment
from mtqa.types import Article, Finding

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
#: the seed article of ../shared, and the repository's copy of it (identical: a test checks),
#: which the tests read so that they run where ../shared is not beside the checkout
SHARED_SEED = SHARED / "seed" / "trump-putin-invitation.txt"
SEED = ROOT / "data" / "seed" / "trump-putin-invitation.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_rules(text: str, select: str | list[str] = "MT", source_lang: str | None = None, title: str | None = None) -> list[Finding]:
    """Findings of the selected rules on one article."""
    codes = [select] if isinstance(select, str) else select
    article = Article(id="t", text=text, path="t.txt", title=title, source_lang=source_lang)
    return detect(segment(article), select_rules(codes))


@pytest.fixture
def settings() -> Settings:
    return Settings(fluency=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "shared_data" in item.keywords and not SHARED.exists():
            item.add_marker(pytest.mark.skip(reason="../shared is not present"))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer GPT-2 (random weights) with a word-level tokenizer, saved as safetensors: fast model tests."""
    return save_tiny_model(tmp_path_factory.mktemp("tiny-gpt2"))
