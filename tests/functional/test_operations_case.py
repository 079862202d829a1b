"""The operations case: its generated client talks to its generated server (in process)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from paths import REPO
from pydantic import ValidationError

from specbind.cli import main


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("ops")
    assert (
        main(
            [
                "generate",
                "--spec",
                str(REPO / "tests" / "cases" / "operations" / "spec.yaml"),
                "--out",
                str(root / "ops_case"),
            ]
        )
        == 0
    )
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"ops_case.{name}") for name in ("models", "client", "server", "_http")}
    finally:
        sys.path.remove(str(root))


class Things:
    def __init__(self, models: Any) -> None:
        self.m = models
        self.calls: list[tuple[Any, ...]] = []

    async def get_thing(
        self, ctx: Any, thing_id: str, *, tags: list[str] | None = None, limit: int = 3, x_trace: str | None = None
    ) -> Any:
        self.calls.append((thing_id, tags, limit, x_trace))
        return self.m.Thing(id=thing_id, tags=tags or [], size=limit)

    async def create_thing(self, ctx: Any, body: Any) -> Any:
        return self.m.Thing(id="new", tags=body.tags, size=body.size)


def test_client_and_server_agree(pkg: Any) -> None:
    service = Things(pkg["models"])
    http = TestClient(pkg["server"].create_app(service, prefix="/api"))
    client = pkg["client"].Client(api_key="k", base_url="http://testserver/api", http_client=http, max_retries=0)
    thing = client.things.retrieve("a b", tags=["x", "y"], x_trace="t1")
    assert thing.id == "a b" and thing.tags == ["x", "y"] and thing.size == 3
    assert service.calls[-1] == ("a b", ["x", "y"], 3, "t1")  # default applied by the server
    assert client.things.create(tags=["p"], size=2).tags == ["p"]
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        client.things.retrieve("a", limit=9)  # refused by the client: nothing sent
    assert len(service.calls) == 1
    with pytest.raises(pkg["_http"].BadRequestError) as err:
        client.things.retrieve("a", extra_query={"limit": 9})  # and by the server, when it gets there
    assert err.value.error is not None and "limit" in (err.value.error.error.message or "")
    assert client.base_url == "http://testserver/api"
    assert pkg["client"].Client(api_key="k").base_url == "https://things.example/api"


def test_wire_format(pkg: Any) -> None:
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "a", "tags": []})

    client = pkg["client"].Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.things.retrieve("a", tags=["x", "y"])
    assert seen[-1].url.raw_path == b"/api/things/a?tags=x%2Cy" and "x-trace" not in seen[-1].headers
