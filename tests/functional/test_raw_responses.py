"""`with_raw_response` and `with_streaming_response`, on the client and on every resource, sync
and async: status, headers and request id without parsing; `.parse()` to exactly what the
method returns (a model, a page that still pages, a stream); a streaming view sends without
reading the body and closes the connection when its block ends; errors still raise."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from conversations import AsyncClient, Client, errors, models
from conversations._response import APIResponse, AsyncStreamedResponse, StreamedResponse
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

CONVERSATION = {"id": "conv_1", "object": "conversation", "created_at": 1, "metadata": None}


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that records whether it was read and whether it was closed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.read = False
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        self.read = True
        yield self.data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.read = True
        yield self.data

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Server:
    def __init__(self, status: int = 200, payload: bytes = b"") -> None:
        self.status = status
        self.payload = payload or httpx.Response(200, json=CONVERSATION).content
        self.bodies: list[Body] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(Body(self.payload))
        headers = {"content-type": "application/json", "x-request-id": "req_42", "x-ratelimit-remaining": "9"}
        return httpx.Response(self.status, stream=self.bodies[-1], headers=headers)


def _sync(server: Server) -> Client:
    return Client(api_key="k", max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(server)))


def _async(server: Server) -> AsyncClient:
    return AsyncClient(api_key="k", max_retries=0, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))


def test_raw_response_shows_the_answer_and_parses_to_the_method_value() -> None:
    client = _sync(Server())
    raw = client.conversations.with_raw_response.retrieve("conv_1")
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.request_id, raw.headers["x-ratelimit-remaining"]) == (200, "req_42", "9")
    assert (raw.method, str(raw.url)) == ("GET", "https://api.openai.com/v1/conversations/conv_1")
    assert raw.json() == CONVERSATION and raw.content == httpx.Response(200, json=CONVERSATION).content
    parsed = raw.parse()
    assert isinstance(parsed, models.ConversationResource) and parsed == client.conversations.retrieve("conv_1")
    assert raw.parse() is parsed  # parsed once
    via_client = client.with_raw_response.conversations.retrieve("conv_1")
    assert via_client.parse() == parsed


def test_raw_response_of_a_list_is_a_page_that_still_pages() -> None:
    pages = [
        {"object": "list", "data": [{"type": "message", "id": "m1", "status": "completed", "role": "user", "content": []}],
         "first_id": "m1", "last_id": "m1", "has_more": True},
        {"object": "list", "data": [], "first_id": "", "last_id": "", "has_more": False},
    ]  # fmt: skip
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[len(seen) - 1])

    client = Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    page = client.conversations.items.with_raw_response.list("conv_1", limit=1).parse()
    assert [item.id for item in page] == ["m1"]  # the second page was fetched by iterating
    assert seen[1].url.params["after"] == "m1"


def test_streaming_response_reads_the_body_only_when_asked_and_closes_it() -> None:
    server = Server()
    client = _sync(server)
    with client.conversations.with_streaming_response.retrieve("conv_1") as response:
        assert isinstance(response, StreamedResponse)
        assert response.status_code == 200 and not server.bodies[-1].read
        assert response.parse().id == "conv_1"
    assert server.bodies[-1].closed
    with client.conversations.with_streaming_response.retrieve("conv_1") as response:
        assert b"".join(response.iter_bytes()) == server.payload
    with client.conversations.with_streaming_response.retrieve("conv_1") as response:
        pass  # never read
    assert not server.bodies[-1].read and server.bodies[-1].closed


def test_errors_raise_in_every_view() -> None:
    client = _sync(Server(404, b'{"error": {"message": "no such conversation", "type": "invalid_request_error"}}'))
    with pytest.raises(errors.NotFoundError):
        client.conversations.with_raw_response.retrieve("conv_x")
    with pytest.raises(errors.NotFoundError), client.conversations.with_streaming_response.retrieve("conv_x"):
        pass


def test_async_views() -> None:
    async def run() -> None:
        server = Server()
        client = _async(server)
        raw = await client.conversations.with_raw_response.retrieve("conv_1")
        assert raw.request_id == "req_42" and raw.parse().id == "conv_1"
        async with client.conversations.with_streaming_response.retrieve("conv_1") as response:
            assert isinstance(response, AsyncStreamedResponse) and not server.bodies[-1].read
            assert (await response.parse()).id == "conv_1"
        assert server.bodies[-1].closed
        async with client.with_streaming_response.conversations.retrieve("conv_1") as response:
            assert await response.read() == server.payload
        assert await client.conversations.retrieve("conv_1") == raw.parse()  # no view left behind

    asyncio.run(run())


def test_views_of_a_streaming_method(tmp_path: Any) -> None:
    """A method answering a stream: the raw view's `.parse()` is the stream, the streaming view
    does not read it either, and the block closes it."""
    case = REPO / "tests" / "cases" / "openapi_32"
    write_tree(
        tmp_path / "o32_raw", generate(Job("o32", case / "spec.yaml", tmp_path / "o32_raw", "o32_raw", (), case)).files
    )
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("o32_raw.client")
    finally:
        sys.path.remove(str(tmp_path))
    bodies: list[Body] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(Body(b'{"message": "a"}\n{"message": "b"}\n'))
        return httpx.Response(200, stream=bodies[-1], headers={"content-type": "application/jsonl"})

    client = client_module.Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    raw = client.logs.with_raw_response.tail()
    assert raw.status_code == 200 and not bodies[-1].read
    assert [e.message for e in raw.parse()] == ["a", "b"]
    with client.logs.with_streaming_response.tail() as response:
        assert next(iter(response.parse())).message == "a"
    assert bodies[-1].closed
