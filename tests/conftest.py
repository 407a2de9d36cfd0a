from __future__ import annotations

from pathlib import Path

import pytest

from mtqa.config import Settings
from mtqa.detect import detect, select_rules
from mtqa.segment import segment
from mtqa.types import Article, Finding

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "trump-putin-invitation.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: the vocabulary of the tiny test model
TINY_CORPUS = [
    "the president met the minister in paris on monday .",
    "the minister said the talks were useful .",
    "russia had interfered in the elections , officials said .",
    "the talks will resume next week in paris .",
]


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
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    vocab = {"<s>": 0, "<pad>": 1, "<unk>": 2}
    for sentence in TINY_CORPUS:
        for w in sentence.split():
            vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="<s>", pad_token="<pad>", unk_token="<unk>")
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(vocab), n_positions=64, n_embd=32, n_layer=1, n_head=2))
    folder = tmp_path_factory.mktemp("tiny-gpt2")
    model.save_pretrained(folder, safe_serialization=True)
    hf_tok.save_pretrained(folder)
    return folder
