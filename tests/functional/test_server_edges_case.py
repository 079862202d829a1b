"""The server_edges case, generated and served in process: optional bodies, wire-path error
params through a tagged union, `Allow` on 405, and a quiet client disconnect."""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import pytest
from fastapi.testclient import TestClient
from paths import REPO

from specbind.cli import main


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("edges")
    assert (
        main(
            [
                "generate",
                "--spec",
                str(REPO / "tests" / "cases" / "server_edges" / "spec.yaml"),
                "--out",
                str(root / "edges_case"),
            ]
        )
        == 0
    )
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"edges_case.{name}") for name in ("models", "server")}
    finally:
        sys.path.remove(str(root))


class Notes:
    def __init__(self, models: Any) -> None:
        self.m = models
        self.bodies: list[Any] = []

    async def create_note(self, ctx: Any, body: Any) -> Any:
        self.bodies.append(body)
        return self.m.Note(id="n1", text=(body.text if body else None) or "")

    async def get_note(self, ctx: Any, note_id: str) -> Any:
        return self.m.Note(id=note_id, text="")

    async def delete_note(self, ctx: Any, note_id: str) -> Any:
        return self.m.Note(id=note_id, text="")


@pytest.fixture
def served(pkg: Any) -> tuple[Notes, TestClient]:
    service = Notes(pkg["models"])
    return service, TestClient(pkg["server"].create_app(service))


def test_optional_body_may_be_left_out(served: tuple[Notes, TestClient]) -> None:
    service, http = served
    assert http.post("/notes").status_code == 200
    assert http.post("/notes", json={"text": "hi"}).json() == {"id": "n1", "text": "hi"}
    assert service.bodies[0] is None and service.bodies[1].text == "hi"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"shapes": [{"kind": "square", "side": 1}, {"kind": "circle", "radius": "big"}]}, "shapes[1].radius"),
        ({"shapes": [{"kind": "circle"}]}, "shapes[0].radius"),
        ({"text": 5}, "text"),
    ],
)
def test_error_param_is_the_wire_path(served: tuple[Notes, TestClient], body: dict[str, Any], param: str) -> None:
    error = served[1].post("/notes", json=body).json()["error"]
    assert error["param"] == param and error["message"].startswith(f"Invalid '{param}': "), error


def test_method_not_allowed_lists_what_is(served: tuple[Notes, TestClient]) -> None:
    r = served[1].put("/notes/n1")
    assert r.status_code == 405 and r.headers["allow"] == "DELETE, GET"
    assert r.json()["error"]["type"] == "invalid_request_error"


def test_client_disconnect_is_not_logged(pkg: Any, caplog: pytest.LogCaptureFixture) -> None:
    import anyio

    app = pkg["server"].create_app(Notes(pkg["models"]))
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": "POST", "path": "/notes", "raw_path": b"/notes", "query_string": b"", "root_path": "",
             "headers": [(b"content-length", b"100")], "http_version": "1.1", "scheme": "http", "server": ("t", 80), "client": ("c", 1)}  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.DEBUG):
        anyio.run(app, scope, receive, send)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert all(m.get("status") != 500 for m in sent)
