"""The openapi_32 case: OpenAPI 3.2's methods (`query`, `additionalOperations`), sequential
answers typed by `itemSchema` (typed server-sent events, JSON Lines, JSON text sequences,
multipart/mixed) round-trip from the generated client (sync and async) to the generated
server and back; streams close their connection when they are closed or dropped."""

from __future__ import annotations

import asyncio
import gc
import importlib
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

CASE = REPO / "tests" / "cases" / "openapi_32"
MODULES = ("models", "client", "server", "_http", "_base")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("o32")
    result = generate(Job("o32", CASE / "spec.yaml", root / "o32_case", "o32_case", (), CASE))
    write_tree(root / "o32_case", result.files)
    sys.path.insert(0, str(root))
    try:
        mods = {name: importlib.import_module(f"o32_case.{name}") for name in MODULES}
    finally:
        sys.path.remove(str(root))
    mods["warnings"] = [str(w) for w in result.warnings]
    return mods


class Logs:
    """The service: each stream yields what it was told to, and remembers what it was asked."""

    def __init__(self, pkg: dict[str, Any]) -> None:
        self.m = pkg["models"]
        self.event = pkg["_base"].ServerSentEvent
        self.calls: list[tuple[str, Any]] = []
        self.entries = [self.m.LogEntry(level=1, message="hi"), self.m.LogEntry(message="multi\nline {}")]

    async def search_logs(self, ctx: Any, body: Any) -> list[Any]:
        self.calls.append(("search", body))
        return [e for e in self.entries if body.text in e.message][: body.limit or None]

    async def purge_logs(self, ctx: Any, *, before: str | None = None) -> None:
        self.calls.append(("purge", before))

    async def count_logs(self, ctx: Any, *, filter: Any) -> int:
        self.calls.append(("count", filter))
        return sum(e.level == filter.level and (filter.word or "") in e.message for e in self.entries)

    async def find_logs(self, ctx: Any, *, selector: Any = None) -> list[Any]:
        self.calls.append(("find", selector))
        return [e for e in self.entries if selector is None or selector.text in e.message]

    async def export_logs(self, ctx: Any) -> AsyncIterator[Any]:
        for entry in reversed(self.entries):
            yield entry

    async def tail_logs(self, ctx: Any) -> AsyncIterator[Any]:
        for entry in self.entries:
            yield entry

    async def log_records(self, ctx: Any) -> AsyncIterator[Any]:
        for entry in self.entries:
            yield entry

    async def log_events(self, ctx: Any) -> AsyncIterator[Any]:
        yield self.event(self.entries[0], event="entry", id="1")
        yield self.event("two\nlines", event="note", retry=5)
        yield self.event("plain", event="other")

    async def log_snapshots(self, ctx: Any) -> AsyncIterator[Any]:
        for entry in self.entries:
            yield entry


def _clients(pkg: dict[str, Any], service: Logs) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    http = TestClient(pkg["server"].create_app(service), base_url="http://testserver")
    http.event_hooks = {"request": [seen.append], "response": []}
    return pkg["client"].Client(base_url="http://testserver", http_client=http, max_retries=0), seen


def test_no_warnings(pkg: dict[str, Any]) -> None:
    assert pkg["warnings"] == []


def test_query_and_additional_methods(pkg: dict[str, Any]) -> None:
    service = Logs(pkg)
    client, seen = _clients(pkg, service)
    found = client.logs.search(text="hi", limit=5)
    assert seen[-1].method == "QUERY" and seen[-1].content == b'{"text":"hi","limit":5}'
    assert found == [service.entries[0]] and service.calls[-1][1].text == "hi"
    assert client.logs.purge(before="2026") is None
    assert seen[-1].method == "PURGE" and seen[-1].url.params["before"] == "2026"
    assert service.calls[-1] == ("purge", "2026")
    http = TestClient(pkg["server"].create_app(service))
    assert http.request("QUERY", "/logs", json={"text": "x"}).json() == []
    assert http.request("PURGE", "/logs").status_code == 204
    assert http.request("LINK", "/logs").status_code == 405  # only the document's methods are routed


def test_querystring(pkg: dict[str, Any]) -> None:
    """`in: querystring`: the whole query string is one value, form-encoded or JSON."""
    service = Logs(pkg)
    client, seen = _clients(pkg, service)
    flt = pkg["models"].LogFilter(level=1, tags=["a b", "c"], word="h")
    assert client.logs.count(filter=flt) == 1
    assert seen[-1].url.query == b"level=1&tags=a+b&tags=c&word=h"
    assert service.calls[-1] == ("count", flt)
    assert client.logs.find.list(selector={"text": "multi", "limit": 2}) == [service.entries[1]]
    assert seen[-1].url.query == b"%7B%22text%22%3A%22multi%22%2C%22limit%22%3A2%7D"
    assert service.calls[-1] == ("find", pkg["models"].LogQuery(text="multi", limit=2))
    assert client.logs.find.list() == service.entries and service.calls[-1] == ("find", None)
    assert seen[-1].url.query == b""
    http = TestClient(pkg["server"].create_app(service))
    assert http.get("/logs/count?level=1&word=multi").json() == 0  # `tags` is optional
    assert http.get("/logs/count?word=x").status_code == 400  # `level` is required: the model says so
    assert http.get("/logs/find?not%20json").status_code == 400


def test_streams_round_trip(pkg: dict[str, Any]) -> None:
    service = Logs(pkg)
    client, seen = _clients(pkg, service)
    assert list(client.logs.tail()) == service.entries
    assert seen[-1].headers["accept"] == "application/jsonl"
    assert list(client.logs.export()) == service.entries[::-1]
    assert seen[-1].headers["accept"] == "application/x-ndjson"
    assert list(client.logs.records.retrieve()) == service.entries
    assert list(client.logs.snapshots.retrieve()) == service.entries
    events = list(client.logs.events.retrieve())
    assert [(e.event, e.id, e.retry) for e in events] == [
        ("entry", "1", None),
        ("note", None, 5),
        ("other", None, None),
    ]
    assert events[0].data == service.entries[0] and events[1].data == "two\nlines" and events[2].data == "plain"


def test_streams_on_the_wire(pkg: dict[str, Any]) -> None:
    http = TestClient(pkg["server"].create_app(Logs(pkg)))
    lines = http.get("/logs/tail")
    assert lines.headers["content-type"].startswith("application/jsonl")
    assert lines.text == '{"level":1,"message":"hi"}\n{"message":"multi\\nline {}"}\n'
    records = http.get("/logs/records").content
    assert records == b'\x1e{"level":1,"message":"hi"}\n\x1e{"message":"multi\\nline {}"}\n'
    events = http.get("/logs/events").text
    assert events == (
        'event: entry\nid: 1\ndata: {"level":1,"message":"hi"}\n\n'
        "event: note\nretry: 5\ndata: two\ndata: lines\n\n"
        "event: other\ndata: plain\n\n"
    )
    parts = http.get("/logs/snapshots")
    boundary = parts.headers["content-type"].split("boundary=")[1]
    assert parts.content.startswith(f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode())
    assert (
        parts.content.endswith(f"\r\n--{boundary}--\r\n".encode())
        and parts.content.count(b"--" + boundary.encode()) == 3
    )


def test_async_client(pkg: dict[str, Any]) -> None:
    service = Logs(pkg)

    async def run() -> tuple[Any, ...]:
        transport = httpx.ASGITransport(app=pkg["server"].create_app(service))
        async with pkg["client"].AsyncClient(
            base_url="http://testserver", http_client=httpx.AsyncClient(transport=transport), max_retries=0
        ) as client:
            found = await client.logs.search(text="multi")
            counted = await client.logs.count(filter={"level": 1, "tags": ["x"]})
            selected = await client.logs.find.list(selector={"text": "hi"})
            exported = [e async for e in await client.logs.export()]
            await client.logs.purge()
            tail = [e async for e in await client.logs.tail()]
            records = [e async for e in await client.logs.records.retrieve()]
            parts = [e async for e in await client.logs.snapshots.retrieve()]
            events = [(e.event, e.data) async for e in await client.logs.events.retrieve()]
            return found, counted, selected, exported, tail, records, parts, events

    found, counted, selected, exported, tail, records, parts, events = asyncio.run(run())
    assert counted == 1 and selected == [service.entries[0]] and exported == service.entries[::-1]
    assert found == [service.entries[1]] and ("purge", None) in service.calls
    assert tail == records == parts == service.entries
    assert events == [("entry", service.entries[0]), ("note", "two\nlines"), ("other", "plain")]


def test_items_arriving_in_pieces(pkg: dict[str, Any]) -> None:
    """Frames split anywhere across chunks, comments, CRLF line ends and a preamble are read as
    their standards say."""
    bodies = {
        "/logs/events": (
            b": hello\r\nevent: en",
            b'try\r\ndata: {"mess',
            b'age": "a"}\r\n\r\ndata: x\r\n\r\n',
            "text/event-stream",
        ),
        "/logs/records": (b'\x1e{"message"', b': "a"}\n\x1e', b'{"message": "b"}', "application/json-seq"),
        "/logs/snapshots": (
            b'preamble\r\n--b1\r\nContent-Type: application/json\r\n\r\n{"message"',
            b': "a"}\r\n--b1\r\n\r\n{"message": "b"}\r',
            b"\n--b1--\r\nepilogue",
            "multipart/mixed; boundary=b1",
        ),
    }

    def answer(request: httpx.Request) -> httpx.Response:
        *chunks, media = bodies[request.url.path]
        return httpx.Response(200, content=iter(chunks), headers={"content-type": media})

    client = pkg["client"].Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    events = list(client.logs.events.retrieve())
    assert [(e.event, e.data) for e in events] == [("entry", pkg["models"].LogEntry(message="a")), (None, "x")]
    assert [e.message for e in client.logs.records.retrieve()] == ["a", "b"]
    assert [e.message for e in client.logs.snapshots.retrieve()] == ["a", "b"]


def test_stream_failures(pkg: dict[str, Any]) -> None:
    """An error status raises before any item; an answer the reader cannot cut raises on the
    first item and gives the connection back."""
    streams: list[_Tracked] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/logs/tail":
            return httpx.Response(404, json={"error": {"message": "no logs"}})
        streams.append(_Tracked(b"--x\r\n\r\n{}\r\n--x--\r\n"))
        return httpx.Response(200, stream=streams[-1], headers={"content-type": "multipart/mixed"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg["client"].Client(base_url="http://x", http_client=http, max_retries=0)
    with pytest.raises(pkg["_http"].NotFoundError):
        client.logs.tail()
    parts = client.logs.snapshots.retrieve()
    with pytest.raises(pkg["_http"].APIConnectionError, match="without a boundary"):
        next(parts)
    assert streams[-1].closed


class _Tracked(httpx.ByteStream):
    closed: list[bool]

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.closed = []

    def close(self) -> None:
        self.closed.append(True)


def test_streams_close_their_connection(pkg: dict[str, Any]) -> None:
    streams: list[_Tracked] = []

    def answer(request: httpx.Request) -> httpx.Response:
        streams.append(_Tracked(b'{"message": "a"}\n{"message": "b"}\n'))
        return httpx.Response(200, stream=streams[-1], headers={"content-type": "application/jsonl"})

    client = pkg["client"].Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    with client.logs.tail() as tail:  # closed by the `with` block, half read
        assert next(tail).message == "a"
    assert streams[-1].closed
    tail = client.logs.tail()
    assert [e.message for e in tail] == ["a", "b"] and streams[-1].closed  # exhausted
    client.logs.tail()  # dropped without being read
    gc.collect()
    assert streams[-1].closed
    tail = client.logs.tail()
    next(tail)
    del tail  # dropped half read
    gc.collect()
    assert streams[-1].closed


def test_async_streams_close_their_connection(pkg: dict[str, Any]) -> None:
    closed: list[bool] = []

    class Tracked(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b'{"message": "a"}\n{"message": "b"}\n'

        async def aclose(self) -> None:
            closed.append(True)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Tracked(), headers={"content-type": "application/jsonl"})

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        client = pkg["client"].AsyncClient(base_url="http://x", http_client=http)
        async with await client.logs.tail() as tail:
            assert (await tail.__anext__()).message == "a"
        assert closed == [True]
        stream = await client.logs.tail()
        del stream  # dropped unread: closed on the loop
        gc.collect()
        await asyncio.sleep(0)
        assert closed == [True, True]

    asyncio.run(run())


def test_generated_code_is_clean(pkg: dict[str, Any]) -> None:
    """The package passes mypy --strict and ruff (the case folders are not in `generated/`,
    which tests/test_generated_quality.py checks); a reader sees the stream types."""
    root = Path(pkg["client"].__file__).parent
    for args in (
        ("mypy", "--strict", "--no-incremental", root.name),
        ("ruff", "check", "--isolated", "--no-cache", root.name),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", *args], cwd=root.parent, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    client = (root / "client.py").read_text()
    assert "-> _streams.Stream[ServerSentEvent[models.LogEntry | str]]" in client
    assert "-> _streams.AsyncStream[models.LogEntry]" in client
