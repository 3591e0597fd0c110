from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE = EXAMPLES / "ukrainska-pravda-2022-11-09.txt"
SAMPLE_GOLD = EXAMPLES / "ukrainska-pravda-2022-11-09.gold.json"
SHARED = ROOT.parent / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev"


def load_shared_scorer(name: str):
    """The reference scorers in ../shared/eval (CI has ../shared beside the clone)."""
    path = SHARED / "eval" / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{path} not found")
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from onrecord.nlp import load_nlp

    return load_nlp()
