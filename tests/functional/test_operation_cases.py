"""The status_and_errors, media_types and parameters_and_security cases: each generated client
talks to its generated server in process, and the wire is checked request by request."""

from __future__ import annotations

import asyncio
import base64
import importlib
import io
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

CASES = REPO / "tests" / "cases"


def _load(case: str, root: Path) -> tuple[dict[str, Any], list[str]]:
    package = f"case_{case}"
    result = generate(Job(case, CASES / case / "spec.yaml", root / package, package, (), CASES / case))
    write_tree(root / package, result.files)
    sys.path.insert(0, str(root))
    try:
        mods = {name: importlib.import_module(f"{package}.{name}") for name in ("models", "client", "server", "_http")}
    finally:
        sys.path.remove(str(root))
    return mods, [str(w) for w in result.warnings]


def _wire(app: Any, **settings: Any) -> tuple[Any, list[httpx.Request], list[httpx.Response]]:
    seen: list[httpx.Request] = []
    answered: list[httpx.Response] = []
    http = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
    http.event_hooks = {"request": [seen.append], "response": [answered.append]}
    return http, seen, answered


# -- status codes and errors --------------------------------------------------------------------
@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _load("status_and_errors", tmp_path_factory.mktemp("pets"))[0]


class PetService:
    def __init__(self, pkg: dict[str, Any]) -> None:
        self.pkg = pkg
        self.deleted: list[int] = []

    async def create_pet(self, ctx: Any, body: Any) -> Any:
        return body

    async def get_pet(self, ctx: Any, pet_id: int) -> Any:
        m = self.pkg["models"]
        if pet_id == 404:
            raise self.pkg["server"].ServiceNotFoundError("no such pet", body=m.Missing(reason="gone"))
        if pet_id == 500:
            raise RuntimeError("boom")
        return m.Pending(ticket="t1") if pet_id == 2 else m.Pet(id=pet_id, name="rex")

    async def delete_pet(self, ctx: Any, pet_id: int) -> None:
        self.deleted.append(pet_id)

    async def start_job(self, ctx: Any) -> None:
        return None


def test_status_codes_and_empty_answers(pets: dict[str, Any]) -> None:
    service = PetService(pets)
    http, seen, answered = _wire(pets["server"].create_app(service))
    client = pets["client"].Client(base_url="http://testserver", http_client=http)
    created = client.pets.create(id=1, name="rex")
    assert answered[-1].status_code == 201 and created == pets["models"].Pet(id=1, name="rex")
    assert client.pets.delete(7) is None
    assert answered[-1].status_code == 204 and answered[-1].content == b""
    assert service.deleted == [7] and [r.method for r in seen] == ["POST", "DELETE"]  # not retried into a 404
    assert client.jobs.start() is None and answered[-1].status_code == 202 and answered[-1].content == b""
    assert isinstance(client.pets.retrieve(2), pets["models"].Pending)  # 200 and 202 schemas: a union
    assert isinstance(client.pets.retrieve(3), pets["models"].Pet)


def test_errors_in_the_documents_schema(pets: dict[str, Any]) -> None:
    http, _, _ = _wire(pets["server"].create_app(PetService(pets)))
    client = pets["client"].Client(base_url="http://testserver", http_client=http, max_retries=0)
    m, h = pets["models"], pets["_http"]
    with pytest.raises(h.NotFoundError) as missing:  # the per-status schema, answered as raised
        client.pets.retrieve(404)
    assert missing.value.error == m.Missing(reason="gone")
    answer = http.post("/pets", json={"id": "x", "name": "a"})
    assert answer.status_code == 400 and answer.json()["code"] == 400 and "id" in answer.json()["message"]
    with pytest.raises(h.BadRequestError) as bad:  # the server's own error, in `Error`, parsed via 4XX
        client._request(  # a raw body the client itself would refuse
            "POST", "/pets", idempotent=False, security=[], accept="application/json", query={}, headers={},
            content=b'{"id": "x", "name": "a"}', content_type="application/json",
            errors={"4XX": pets["client"]._ERROR_ADAPTER}, extra_headers=None, extra_query=None, timeout=None, max_retries=0,
        )  # fmt: skip
    assert isinstance(bad.value.error, m.Error) and bad.value.error.code == 400
    with pytest.raises(h.InternalServerError) as crash:  # `default`
        client.pets.retrieve(500)
    assert isinstance(crash.value.error, m.Error) and crash.value.error.code == 500
    assert http.get("/nowhere").json() == {"code": 404, "message": "Not Found"}


def test_minimal_default_error_when_none_declared(tmp_path: Path) -> None:
    pkg, _ = _load("media_types", tmp_path)
    http, _, _ = _wire(pkg["server"].create_app(object()))
    answer = http.get("/nowhere")
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not Found"}


# -- media types --------------------------------------------------------------------------------
class MediaService:
    def __init__(self, pkg: dict[str, Any]) -> None:
        self.pkg = pkg
        self.got: list[Any] = []

    async def upload(self, ctx: Any, body: bytes) -> str:
        self.got.append(body)
        return f"stored {len(body)} bytes"

    async def speech(self, ctx: Any) -> bytes:
        return b"ID3\x00\xff"

    async def token(self, ctx: Any, body: Any) -> Any:
        self.got.append(body)
        return self.pkg["models"].Token(access_token="t", scopes=body.scope or [])

    async def replace_tags(self, ctx: Any, body: list[str]) -> list[str]:
        return sorted(body)

    async def echo(self, ctx: Any, body: dict[str, Any] | None) -> dict[str, Any]:
        return body or {}

    async def upload_file(self, ctx: Any, body: Any) -> None:
        self.got.append(body)

    async def events(self, ctx: Any) -> Any:
        for text in ("a", "b\nc"):
            yield self.pkg["models"].Event(data=text)

    async def complete(self, ctx: Any, body: Any) -> Any:
        self.got.append(body)
        return self.pkg["models"].Event(data="whole")

    async def complete_stream(self, ctx: Any, body: Any) -> Any:
        self.got.append(body)
        for piece in ("wh", "ole"):
            yield self.pkg["models"].Event(data=piece)


def test_media_types(tmp_path: Path) -> None:
    pkg, warnings = _load("media_types", tmp_path)
    assert warnings == []
    service = MediaService(pkg)
    http, seen, _ = _wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    assert client.upload.create(b"\x00\x01\x02") == "stored 3 bytes"
    assert seen[-1].headers["content-type"] == "application/octet-stream" and service.got[-1] == b"\x00\x01\x02"
    assert client.speech.retrieve() == b"ID3\x00\xff"
    token = client.token.create(user="ann", password="p&w=1", scope=["a", "b"], remember=True)
    assert token.scopes == ["a", "b"]
    assert seen[-1].headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen[-1].content == b"user=ann&password=p%26w%3D1&scope=a&scope=b&remember=true"
    assert service.got[-1].password == "p&w=1" and service.got[-1].remember is True
    assert client.token.create(user="u", password="p", scope=["one"]).scopes == ["one"]  # one element is still a list
    assert client.tags.update(["b", "a"]) == ["a", "b"] and seen[-1].content == b'["b","a"]'
    assert client.echo.create(body={"k": [1, {"n": None}]}) == {"k": [1, {"n": None}]}
    assert client.echo.create() == {} and seen[-1].content == b""
    assert [e.data for e in client.events.retrieve()] == ["a", "b\nc"] and seen[-1].headers[
        "accept"
    ] == "text/event-stream"
    # JSON and text/event-stream offered: the whole answer, or with stream=True the events (the
    # body's `stream` field is sent as true, and the Accept asks for events)
    assert client.complete.create(prompt="p").data == "whole" and service.got[-1].stream is None
    assert client.complete.create(prompt="p", stream=False).data == "whole" and service.got[-1].stream is False
    assert [e.data for e in client.complete.create(prompt="p", stream=True)] == ["wh", "ole"]
    assert service.got[-1].stream is True and seen[-1].headers["accept"] == "text/event-stream"
    assert not hasattr(client.complete, "create_stream") and not hasattr(
        client.complete.with_raw_response, "_create_stream"
    )
    raw = client.complete.with_raw_response.create(prompt="p", stream=True)
    assert raw.status_code == 200 and [e.data for e in raw.parse()] == ["wh", "ole"]


def test_event_streams_end_on_done(tmp_path: Path) -> None:
    pkg, _ = _load("media_types", tmp_path)

    def answer(request: httpx.Request) -> httpx.Response:
        body = b'data: {"data": "1"}\n\n: comment\n\ndata: {"data":\ndata: "2"}\n\ndata: [DONE]\n\ndata: {"data": "never"}\n\n'
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = pkg["client"].Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    assert [e.data for e in client.events.retrieve()] == ["1", "2"]

    async def run() -> list[Any]:
        transport = httpx.MockTransport(answer)
        async with pkg["client"].AsyncClient(
            base_url="http://x", http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            return [e.data async for e in await client.complete.create(prompt="p", stream=True)]

    assert asyncio.run(run()) == ["1", "2"]


def test_multipart(tmp_path: Path) -> None:
    pkg, _ = _load("media_types", tmp_path)
    service = MediaService(pkg)
    http, seen, answered = _wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    payload = bytes(range(256)) + b"\r\n--boundary-like\r\n"
    assert client.files.upload(
        file=payload, purpose="share", attachments=[("a.txt", b"A", "text/plain"), ("b.bin", io.BytesIO(b"B"))],
        meta={"owner": "ann"}, labels=["x", "y"],
    ) is None  # fmt: skip
    assert answered[-1].status_code == 201
    assert seen[-1].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="file"\r\nContent-Type: image/png' in seen[-1].content  # the Encoding Object
    parts = service.got[-1]
    assert parts.file.content == payload and parts.file.content_type == "image/png" and parts.purpose == "share"
    assert [(a.filename, a.content, a.content_type) for a in parts.attachments] == [
        ("a.txt", b"A", "text/plain"), ("b.bin", b"B", "application/octet-stream"),
    ]  # fmt: skip
    assert parts.meta.owner == "ann" and parts.labels == ["x", "y"]
    client.files.upload(file=("photo.png", b"\x89PNG"), purpose="backup", labels=["only"])
    parts = service.got[-1]
    assert (parts.file.filename, parts.purpose, parts.labels, parts.attachments) == (
        "photo.png",
        "backup",
        ["only"],
        None,
    )
    with pytest.raises(pkg["_http"].BadRequestError):  # the server validates the parts
        client.files.upload(file=b"x", purpose="nope")  # type: ignore[arg-type]


# -- parameters and security --------------------------------------------------------------------
class ShopService:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    async def get_item(self, ctx: Any, region: str, id: int, **kwargs: Any) -> dict[str, Any]:
        self.calls.append((region, id, kwargs, ctx.headers))
        return {"ok": True}

    async def get_public(self, ctx: Any) -> None:
        self.calls.append(("public", ctx.headers))

    async def get_with_basic(self, ctx: Any) -> None:
        self.calls.append(("basic", ctx.headers))

    async def get_with_keys(self, ctx: Any) -> None:
        self.calls.append(("keys", ctx.headers))

    async def get_pipes(self, ctx: Any, ids: list[int] | None) -> None:
        self.calls.append(("pipes", ids))


def test_parameters(tmp_path: Path) -> None:
    pkg, warnings = _load("parameters_and_security", tmp_path)
    assert any("{region}" in w and "required string parameter" in w for w in warnings)
    assert not any("getPipes" in w for w in warnings)
    service = ShopService()
    http, seen, _ = _wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, token="tk")
    m = pkg["models"]
    got = client.regions.items.retrieve(
        7, region="eu west", id2="q", self2="s", timeout2=1.5, class_="b", page_size=10, page_size2=20, tags=["x", "y"],
        filter=m.GetItemFilter(color="red", size=2), labels={"team": "a", "env": "b"}, x_count=3, x_flag=True, x_ids=[1, 2], pref="dark",
    )  # fmt: skip
    assert got == {"ok": True}
    request = seen[-1]
    assert (
        request.url.raw_path
        == b"/regions/eu%20west/items/7?id=q&self=s&timeout=1.5&class=b&page-size=10&page_size=20&tags=x%2Cy&filter%5Bcolor%5D=red&filter%5Bsize%5D=2&team=a&env=b"
    )
    assert list(request.url.params.multi_items()) == [
        ("id", "q"), ("self", "s"), ("timeout", "1.5"), ("class", "b"), ("page-size", "10"), ("page_size", "20"),
        ("tags", "x,y"), ("filter[color]", "red"), ("filter[size]", "2"), ("team", "a"), ("env", "b"),
    ]  # fmt: skip
    assert (request.headers["x-count"], request.headers["x-flag"], request.headers["x-ids"]) == ("3", "true", "1,2")
    assert request.headers["cookie"] == "pref=dark" and request.headers["authorization"] == "Bearer tk"
    region, id_, kwargs, _ = service.calls[-1]
    assert (region, id_) == ("eu west", 7)
    assert kwargs == {
        "id2": "q", "self2": "s", "timeout2": 1.5, "class_": "b", "page_size": 10, "page_size2": 20, "tags": ["x", "y"],
        "filter": m.GetItemFilter(color="red", size=2), "labels": {"team": "a", "env": "b"}, "x_count": 3, "x_flag": True, "x_ids": [1, 2], "pref": "dark",
    }  # fmt: skip
    client.pipes.retrieve(ids=[1, 2])  # style: pipeDelimited
    assert seen[-1].url.query == b"ids=1%7C2" and service.calls[-1] == ("pipes", [1, 2])


def test_security_schemes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, _ = _load("parameters_and_security", tmp_path)
    monkeypatch.setenv("CASE_PARAMETERS_AND_SECURITY_API_KEY", "from-env")  # <PACKAGE>_<SCHEME>
    monkeypatch.setenv("CASE_PARAMETERS_AND_SECURITY_BASIC", "ann:secret")
    http, seen, _ = _wire(pkg["server"].create_app(ShopService()))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, query_key="qk", session="sess")
    assert client.api_key == "from-env" and client.basic == ("ann", "secret") and client.token is None
    client.regions.items.retrieve(1, region="r")
    assert seen[-1].headers["x-api-key"] == "from-env" and "authorization" not in seen[-1].headers
    client.public.retrieve()
    assert not {"x-api-key", "authorization", "cookie"} & set(seen[-1].headers) and not seen[-1].url.params
    client.basic_.retrieve()
    assert seen[-1].headers["authorization"] == "Basic " + base64.b64encode(b"ann:secret").decode()
    assert "x-api-key" not in seen[-1].headers
    client.keys.retrieve()
    assert seen[-1].url.params["key"] == "qk" and seen[-1].headers["cookie"] == "session=sess"


# -- names: schemas and parameters that would shadow what the modules use ------------------------
class ShadowService:
    def __init__(self, pkg: dict[str, Any]) -> None:
        self.pkg = pkg
        self.got: list[Any] = []

    async def check(self, ctx: Any, body: Any, **kwargs: Any) -> Any:
        self.got.append((body, kwargs))
        return self.pkg["models"].Response(ok=True)


def test_schema_names_never_shadow_the_framework(tmp_path: Path) -> None:
    pkg, _ = _load("names_versus_imports", tmp_path)
    service = ShadowService(pkg)
    http, seen, answered = _wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    answer = client.check.create(q="x", models_="m", httpx_="h", json_="j", response2="r")
    assert answered[-1].status_code == 200 and answer == pkg["models"].Response(ok=True)
    assert (
        dict(seen[-1].url.params) == {"models": "m", "httpx": "h", "response": "r"} and seen[-1].headers["json"] == "j"
    )
    # `json` is an optional header every operation takes: a client setting, in the request context
    assert service.got[-1][1] == {"models_": "m", "httpx_": "h", "response2": "r"}


def test_a_document_without_operations_still_gets_a_client_and_server(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Only Models, version: '1'}\ncomponents:\n  schemas:\n    A: {type: object}\n"
    )
    package = "only_models"
    result = generate(Job("x", spec, tmp_path / package, package, (), tmp_path))
    assert {"client.py", "server.py", "_http.py"} <= set(result.files)
    write_tree(tmp_path / package, result.files)
    sys.path.insert(0, str(tmp_path))
    try:
        client = importlib.import_module(f"{package}.client")
        server = importlib.import_module(f"{package}.server")
    finally:
        sys.path.remove(str(tmp_path))
    assert client.Client(base_url="http://x").base_url == "http://x"
    assert TestClient(server.create_app(object())).get("/").status_code == 404
    assert server.OnlyModelsService.__name__ == "OnlyModelsService"  # named from the package


def test_names_come_from_the_document_not_conversations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specbind.cli import main

    spec = CASES / "status_and_errors" / "spec.yaml"
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: the embedded default job
    assert main(["generate", "--spec", str(spec)]) == 2
    assert "--spec needs --out" in capsys.readouterr().err
    assert not (tmp_path / "generated").exists()
    assert main(["generate", "--spec", str(spec), "--out", "out/pet-store"]) == 0
    http_module = (tmp_path / "out" / "pet-store" / "_http.py").read_text()
    assert 'BASE_URL_ENV = "PET_STORE_BASE_URL"' in http_module and "CONVERSATIONS" not in http_module
    assert 'USER_AGENT = "pet_store/1 (specbind' in http_module
    assert "class PetStoreService(Protocol)" in (tmp_path / "out" / "pet-store" / "server.py").read_text()
