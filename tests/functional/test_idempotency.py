"""Idempotency keys (tests/cases/idempotency_keys): one UUID4 per call, resent unchanged on every
retry; with one, a POST is retried like a GET (connection errors, timeouts, 409, 429, 5xx,
`Retry-After`); the caller's key (argument or `extra_headers`) wins. Without one, a POST keeps
the safe rules (not resent after a timeout or a 500)."""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from paths import REPO

from specbind.pipeline import generate
from specbind.snapshots import case_job
from specbind.write import write_tree

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("keys")
    job = replace(case_job(REPO / "tests" / "cases" / "idempotency_keys"), package="keys", out=root / "keys")
    write_tree(job.out, generate(replace(job, formatter="ruff")).files)
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"keys.{name}") for name in ("client", "_http")}
    finally:
        sys.path.remove(str(root))


class Server:
    """Answers with `answers` in turn (the last one from then on); records every attempt."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if callable(answer):
            return answer(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)  # a fresh copy

    def keys(self, header: str = "idempotency-key") -> list[str | None]:
        return [r.headers.get(header) for r in self.requests]


OK = httpx.Response(200, json={"id": "t1", "amount": 5})


def client(pkg: dict[str, Any], server: Server, **kw: Any) -> Any:
    c = pkg["client"].Client(
        base_url="https://api.example.test", http_client=httpx.Client(transport=httpx.MockTransport(server)), **kw
    )
    c._sleep = lambda seconds: None
    return c


def boom(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def raise_(request: httpx.Request) -> httpx.Response:
        raise exc("down", request=request)

    return raise_


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, json={}),
        httpx.Response(503),
        httpx.Response(409, json={}),
        httpx.Response(429, headers={"retry-after": "1"}),
        boom(httpx.ReadTimeout),
        boom(httpx.RemoteProtocolError),
    ],
    ids=["500", "503", "409", "429", "read-timeout", "dropped-connection"],
)
def test_a_keyed_post_is_retried_with_the_same_key(pkg: dict[str, Any], failure: Answer) -> None:
    server = Server(failure, failure, OK)
    assert client(pkg, server).transfers.create(amount=5).id == "t1"
    keys = server.keys()
    assert len(keys) == 3 and len(set(keys)) == 1
    assert uuid.UUID(str(keys[0])).version == 4


def test_every_call_gets_its_own_key(pkg: dict[str, Any]) -> None:
    server = Server(OK, OK, OK, httpx.Response(200, json=[]))
    c = client(pkg, server)
    c.transfers.create(amount=1)
    c.transfers.create(amount=1)
    c.transfers.update("t1", amount=2)  # PATCH: keyed too
    assert len(set(server.keys())) == 3
    assert c.transfers.list() == []
    assert server.keys()[-1] is None  # a GET sends none


def test_the_callers_key_wins_and_is_reused(pkg: dict[str, Any]) -> None:
    server = Server(httpx.Response(502), OK)
    client(pkg, server).transfers.create(amount=1, idempotency_key="mine")
    assert server.keys() == ["mine", "mine"]
    server = Server(httpx.Response(502), OK)
    client(pkg, server).transfers.create(amount=1, idempotency_key="arg", extra_headers={"Idempotency-Key": "hdr"})
    assert server.keys() == ["hdr", "hdr"]


def test_the_documents_own_header(pkg: dict[str, Any]) -> None:
    # Declared by the operation (`Idempotency-Key`), and Fern's `x-fern-idempotency-headers`.
    server = Server(httpx.Response(500), OK)
    client(pkg, server).payments.create(amount=3)
    assert len(server.requests) == 2 and server.keys()[0] == server.keys()[1] is not None
    server = Server(httpx.Response(500), OK)
    client(pkg, server).refunds.create(amount=3, request_key="r-1")
    assert server.keys("x-request-key") == ["r-1", "r-1"] and server.keys() == [None, None]


def test_async_keeps_the_key_across_retries(pkg: dict[str, Any]) -> None:
    server = Server(httpx.Response(500), boom(httpx.ConnectError), OK)

    async def run() -> None:
        c = pkg["client"].AsyncClient(
            base_url="https://api.example.test", http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
        )

        async def no_wait(seconds: float) -> None:
            return None

        c._sleep = no_wait
        await c.transfers.create(amount=5)

    asyncio.run(run())
    assert len(server.requests) == 3 and len(set(server.keys())) == 1


def test_server_says_whether_to_retry(pkg: dict[str, Any]) -> None:
    # `x-should-retry` is obeyed either way; a wait longer than the cap is not waited for.
    server = Server(httpx.Response(500, headers={"x-should-retry": "false"}), OK)
    with pytest.raises(pkg["_http"].InternalServerError):
        client(pkg, server).transfers.create(amount=1)
    assert len(server.requests) == 1
    server = Server(httpx.Response(400, headers={"x-should-retry": "true"}), OK)
    client(pkg, server).transfers.create(amount=1)
    assert len(server.requests) == 2
    server = Server(httpx.Response(429, headers={"retry-after": "3600"}), OK)
    with pytest.raises(pkg["_http"].RateLimitError):
        client(pkg, server).transfers.create(amount=1)
    assert len(server.requests) == 1


def test_waits_come_from_the_server(pkg: dict[str, Any]) -> None:
    server = Server(httpx.Response(503, headers={"retry-after-ms": "250"}), httpx.Response(500), OK)
    c = client(pkg, server)
    slept: list[float] = []
    c._sleep = slept.append
    c.transfers.create(amount=1)
    assert slept[0] == 0.25 and 0.75 <= slept[1] <= 1.0  # then backoff: 1 s less up to 25 % jitter


def test_without_a_key_a_post_keeps_the_safe_rules() -> None:
    from conversations import Client, InternalServerError, _http

    for failure in (httpx.Response(500, json={}), boom(httpx.ReadTimeout)):
        server = Server(
            failure, httpx.Response(200, json={"id": "c", "object": "conversation", "created_at": 1, "metadata": {}})
        )
        c = Client(
            api_key="k", base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(server))
        )
        c._sleep = lambda seconds: None
        with pytest.raises((InternalServerError, _http.APITimeoutError)):
            c.conversations.create()
        assert len(server.requests) == 1 and server.keys() == [None]


def test_a_next_page_request_gets_a_new_key(pkg: dict[str, Any]) -> None:
    first = httpx.Request("POST", "https://api.example.test/search?cursor=a", headers={"Idempotency-Key": "k1"})
    nxt = pkg["_http"].next_request(first, httpx.URL("https://api.example.test/search?cursor=b"), "Idempotency-Key")
    assert nxt.headers["idempotency-key"] not in ("k1", "") and nxt.method == "POST"


def test_without_a_key_the_server_cannot_ask_for_a_resend() -> None:
    # `x-should-retry: true` on a 500 does not make an unkeyed POST retry-safe; a long wait and
    # `x-should-retry: false` end the retries of any request.
    from conversations import Client, InternalServerError, RateLimitError

    conv = httpx.Response(200, json={"id": "c", "object": "conversation", "created_at": 1, "metadata": {}})
    cases = [
        (httpx.Response(500, headers={"x-should-retry": "true"}), InternalServerError),
        (httpx.Response(429, headers={"retry-after": "3600"}), RateLimitError),
        (httpx.Response(429, headers={"x-should-retry": "false"}), RateLimitError),
    ]
    for failure, error in cases:
        server = Server(failure, conv)
        c = Client(
            api_key="k", base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(server))
        )
        c._sleep = lambda seconds: None
        with pytest.raises(error):
            c.conversations.create()
        assert len(server.requests) == 1
    server = Server(httpx.Response(429, headers={"retry-after": "1"}), conv)  # a 429 is still retried
    c = Client(
        api_key="k", base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(server))
    )
    c._sleep = lambda seconds: None
    assert c.conversations.create().id == "c" and len(server.requests) == 2
