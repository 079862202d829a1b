from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
# Helpers, shared payloads and the committed packages (imported from generated/, as a user
# would vendor them).
sys.path[:0] = [str(_TESTS / "support"), str(_TESTS / "functional"), str(_TESTS.parent / "generated")]

from paths import REPO


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
