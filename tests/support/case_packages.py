"""Generate a case folder's package, import it, and talk to its server in process."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

CASES = REPO / "tests" / "cases"


def load_case(case: str, root: Path) -> tuple[dict[str, Any], list[str]]:
    """The case's modules (models, client, server, _http) and its warnings."""
    package = f"case_{case}"
    result = generate(Job(case, CASES / case / "spec.yaml", root / package, package, (), CASES / case))
    write_tree(root / package, result.files)
    sys.path.insert(0, str(root))
    try:
        mods = {name: importlib.import_module(f"{package}.{name}") for name in ("models", "client", "server", "_http")}
    finally:
        sys.path.remove(str(root))
    return mods, [str(w) for w in result.warnings]


def wire(app: Any) -> tuple[TestClient, list[httpx.Request]]:
    """An in-process HTTP client for ``app`` that records every request sent."""
    seen: list[httpx.Request] = []
    http = TestClient(app, base_url="http://testserver", raise_server_exceptions=True)
    http.event_hooks = {"request": [seen.append], "response": []}
    return http, seen


class Recorder:
    """A service that records each call and answers with the value prepared for it."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.answers = answers or {}
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        async def method(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return self.answers.get(name)

        return method
