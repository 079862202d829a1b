"""The generated httpx clients, driven through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import conversations_azure as az_models
import httpx
import pytest
from conversations import _http
from conversations.client import AsyncClient, Client
from conversations_azure.client import Client as AzureClient
from payloads import RESPONSE_ITEMS, UNKNOWN_ITEM
from pydantic import ValidationError

CONV = {"id": "conv_1", "object": "conversation", "created_at": 1700000000, "metadata": {"k": "v"}}
MSG = RESPONSE_ITEMS[0][1]

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, *responses: httpx.Response | Handler) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        nxt = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        return nxt(request) if callable(nxt) else nxt

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def client(rec: Recorder, **kw: Any) -> Client:
    c = Client(
        api_key="sk-test",
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(rec)),
        **kw,
    )
    c._sleep = lambda s: None
    return c


def page(items: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"],
        "last_id": items[-1]["id"],
        "has_more": has_more,
    }


def test_create_conversation_sends_validated_body() -> None:
    rec = Recorder(httpx.Response(200, json=CONV))
    conv = client(rec).conversations.create(items=[{"role": "user", "content": "hi"}], metadata={"a": "b"})
    assert conv.id == "conv_1" and conv.metadata == {"k": "v"}
    req = rec.last
    assert (req.method, req.url.path) == ("POST", "/v1/conversations")
    assert req.headers["authorization"] == "Bearer sk-test" and req.headers["content-type"] == "application/json"
    assert json.loads(req.content) == {"items": [{"role": "user", "content": "hi"}], "metadata": {"a": "b"}}


def test_invalid_body_is_refused_before_sending() -> None:
    rec = Recorder(httpx.Response(200, json=CONV))
    with pytest.raises(ValidationError):
        client(rec).conversations.create(items=[{"role": "user", "content": "hi"}] * 21)
    assert rec.requests == []


def test_every_operation_method_path_query() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=_answer(r)))
    c = client(rec)
    c.conversations.retrieve("conv 1/x")
    assert rec.last.url.raw_path == b"/v1/conversations/conv%201%2Fx"
    c.conversations.update("conv_1", metadata={"a": "1"})
    assert (rec.last.method, json.loads(rec.last.content)) == ("POST", {"metadata": {"a": "1"}})
    c.conversations.delete("conv_1")
    assert rec.last.method == "DELETE" and rec.last.content == b""
    c.conversations.items.create(
        "conv_1", items=[{"type": "item_reference", "id": "msg_1"}], include=["message.output_text.logprobs"]
    )
    assert rec.last.url.path == "/v1/conversations/conv_1/items" and rec.last.url.params.get_list("include") == [
        "message.output_text.logprobs"
    ]
    item = c.conversations.items.retrieve(
        "msg_1", conversation_id="conv_1", include=["reasoning.encrypted_content", "file_search_call.results"]
    )
    assert type(item).__name__ == "Message"
    assert str(rec.last.url).endswith("?include=reasoning.encrypted_content&include=file_search_call.results")
    c.conversations.items.delete("msg_1", conversation_id="conv_1")
    assert (rec.last.method, rec.last.url.path) == ("DELETE", "/v1/conversations/conv_1/items/msg_1")
    c.conversations.items.list("conv_1", limit=2, order="asc", extra_query={"x": 1}, extra_headers={"X-Trace": "t"})
    assert (
        rec.last.url.params["limit"] == "2"
        and rec.last.url.params["order"] == "asc"
        and rec.last.url.params["x"] == "1"
    )
    assert rec.last.headers["x-trace"] == "t" and "after" not in rec.last.url.params


def _answer(request: httpx.Request) -> dict[str, Any]:
    path = request.url.path
    if path.endswith("/items") and request.method == "GET":
        return page([MSG], False)
    if path.endswith("/items"):
        return page([MSG], False)
    if "/items/" in path and request.method == "GET":
        return MSG
    if request.method == "DELETE" and "/items/" not in path:
        return {"id": "conv_1", "object": "conversation.deleted", "deleted": True}
    return CONV


def test_brackets_array_format() -> None:
    rec = Recorder(httpx.Response(200, json=MSG))
    client(rec, array_format="brackets").conversations.items.retrieve(
        "m", conversation_id="c", include=["file_search_call.results", "reasoning.encrypted_content"]
    )
    assert rec.last.url.query == b"include%5B%5D=file_search_call.results&include%5B%5D=reasoning.encrypted_content"


def test_pagination_walks_three_pages() -> None:
    items = [dict(MSG, id=f"msg_{i}") for i in range(6)]
    rec = Recorder(
        httpx.Response(200, json=page(items[0:2], True)),
        httpx.Response(200, json=page(items[2:4], True)),
        httpx.Response(200, json=page(items[4:6], False)),
    )
    first = client(rec).conversations.items.list("conv_1", limit=2, order="asc")
    assert [i.id for i in first.data] == ["msg_0", "msg_1"] and first.has_more
    assert [i.id for i in first] == [f"msg_{i}" for i in range(6)]
    afters = [r.url.params.get("after") for r in rec.requests]
    assert afters == [None, "msg_1", "msg_3"]
    assert all(r.url.params["limit"] == "2" and r.url.params["order"] == "asc" for r in rec.requests)


def test_unknown_item_in_a_page_is_kept() -> None:
    rec = Recorder(httpx.Response(200, json=page([MSG, UNKNOWN_ITEM], False)))
    got = client(rec).conversations.items.list("conv_1").data
    assert type(got[1]).__name__ == "UnknownConversationItem"
    assert got[1].model_dump(mode="json", exclude_unset=True) == UNKNOWN_ITEM


def test_retry_on_429_honours_retry_after() -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "3"}, json={}), httpx.Response(200, json=CONV))
    c = client(rec)
    slept: list[float] = []
    c._sleep = slept.append
    assert c.conversations.create().id == "conv_1"
    assert slept == [3.0] and len(rec.requests) == 2


def test_retry_after_ms_and_backoff_cap() -> None:
    ms = httpx.Response(503, headers={"retry-after-ms": "250"})
    assert _http.retry_delay(0, ms) == 0.25
    assert 0.375 <= _http.retry_delay(0, None) <= 0.5
    assert _http.retry_delay(30, None) <= _http.MAX_RETRY_DELAY
    date = httpx.Response(503, headers={"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert _http.retry_delay(0, date) <= 0.5  # a date in the past: ignored, backoff used


def test_post_is_not_retried_on_500_but_get_is() -> None:
    rec = Recorder(httpx.Response(500, json={}), httpx.Response(200, json=CONV))
    with pytest.raises(_http.InternalServerError):
        client(rec).conversations.create()
    assert len(rec.requests) == 1
    rec = Recorder(httpx.Response(500, json={}), httpx.Response(200, json=CONV))
    assert client(rec).conversations.retrieve("conv_1").id == "conv_1" and len(rec.requests) == 2


def test_max_retries_per_call() -> None:
    rec = Recorder(httpx.Response(429, json={}))
    with pytest.raises(_http.RateLimitError):
        client(rec).conversations.retrieve("c", max_retries=0)
    assert len(rec.requests) == 1


def test_timeout_raises_api_timeout_error() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    rec = Recorder(boom)
    with pytest.raises(_http.APITimeoutError):
        client(rec, max_retries=1).conversations.retrieve("c")
    assert len(rec.requests) == 2


def test_connection_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(_http.APIConnectionError):
        client(Recorder(refuse), max_retries=0).conversations.retrieve("c")


def test_error_envelope_is_parsed() -> None:
    body = {
        "error": {
            "message": "Conversation not found",
            "type": "invalid_request_error",
            "param": None,
            "code": "not_found",
        }
    }
    with pytest.raises(_http.NotFoundError) as info:
        client(Recorder(httpx.Response(404, json=body))).conversations.retrieve("nope")
    err = info.value
    assert err.status_code == 404 and err.error is not None and err.error.error.message == "Conversation not found"
    assert err.response.status_code == 404
    with pytest.raises(_http.APIStatusError) as other:
        client(Recorder(httpx.Response(418, text="teapot"))).conversations.retrieve("x")
    assert other.value.body == "teapot" and other.value.error is None


@pytest.mark.parametrize(("status", "cls"), [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"),
                                             (409, "ConflictError"), (422, "UnprocessableEntityError"), (502, "InternalServerError")])  # fmt: skip
def test_status_classes(status: int, cls: str) -> None:
    with pytest.raises(getattr(_http, cls)):
        client(Recorder(httpx.Response(status, json={})), max_retries=0).conversations.retrieve("x")


def test_api_key_and_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.test/v9/")
    rec = Recorder(httpx.Response(200, json=CONV))
    c = Client(http_client=httpx.Client(transport=httpx.MockTransport(rec)))
    c.conversations.retrieve("c")
    assert (
        rec.last.headers["authorization"] == "Bearer sk-env"
        and str(rec.last.url) == "https://proxy.test/v9/conversations/c"
    )
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert Client(api_key="k").base_url == "https://api.openai.com/v1"


def test_context_manager_closes_owned_client() -> None:
    with Client(api_key="k") as c:
        inner = c._http
    assert inner.is_closed


def test_async_parity() -> None:
    items = [dict(MSG, id=f"msg_{i}") for i in range(4)]
    rec = Recorder(
        httpx.Response(200, json=CONV),
        httpx.Response(429, headers={"retry-after": "0"}, json={}),
        httpx.Response(200, json=page(items[:2], True)),
        httpx.Response(200, json=page(items[2:], False)),
    )

    async def run() -> tuple[str, list[str]]:
        async with AsyncClient(
            api_key="k",
            base_url="https://api.test/v1",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)),
        ) as c:
            conv = await c.conversations.create(items=[{"role": "user", "content": "hi"}])
            first = await c.conversations.items.list(conv.id, limit=2)
            return conv.id, [i.id async for i in first]  # type: ignore[union-attr]

    conv_id, ids = asyncio.run(run())
    assert conv_id == "conv_1" and ids == [f"msg_{i}" for i in range(4)]
    assert [r.url.params.get("after") for r in rec.requests[1:]] == [None, None, "msg_1"]


def test_azure_sends_prefix_and_isolation_header() -> None:
    rec = Recorder(httpx.Response(200, json=CONV))
    c = AzureClient(api_key="k", base_url="https://res.openai.azure.com/openai/v1", user_isolation_key="user-a",
                    http_client=httpx.Client(transport=httpx.MockTransport(rec)))  # fmt: skip
    c.conversations.retrieve("conv_1")
    assert rec.last.url.path == "/openai/v1/conversations/conv_1"
    assert rec.last.headers["x-ms-user-isolation-key"] == "user-a"
    c.conversations.retrieve("conv_1", user_isolation_key="user-b")
    assert rec.last.headers["x-ms-user-isolation-key"] == "user-b"
    assert AzureClient(api_key="k").base_url == "https://example.openai.azure.com/openai/v1"
    assert az_models.ConversationResource.model_validate(CONV).id == "conv_1"
