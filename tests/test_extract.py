"""spec/conversations.yaml is exactly what `specbind extract` cuts from the upstream document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paths import REPO, SHARED

from specbind.cli import main

UPSTREAM = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"


@pytest.mark.skipif(not UPSTREAM.exists(), reason="../shared/upstream is not beside this checkout")
def test_committed_fragment_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "conversations.yaml"
    assert main(["extract", str(UPSTREAM), "--path-prefix", "/conversations", "-o", str(out)]) == 0
    assert out.read_text() == (REPO / "spec" / "conversations.yaml").read_text()


def test_fragment_shape() -> None:
    data = yaml.safe_load((REPO / "spec" / "conversations.yaml").read_text())
    ops = [op["operationId"] for item in data["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(ops) == 8 and len(data["components"]["schemas"]) == 184
    assert data["x-specbind-provenance"]["source"] == "openai-openapi.2026-05-13.yaml"
