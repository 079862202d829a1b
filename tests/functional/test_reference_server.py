"""The reference server (`specbind serve`), in process: every spec-valid request item is stored
and listed back as the API would, `include` decides all eight hidden values, item references
resolve where the API resolves them, errors name the wire path, and the HTTP edges (optional
bodies, 405, body size) behave."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import conversations as m
import pytest
from fastapi.testclient import TestClient
from payloads import request_item_variants
from pydantic import TypeAdapter

from specbind.reference.app import create_reference_app

ITEM = TypeAdapter(m.ConversationItem)
VARIANTS = request_item_variants()
# Kinds whose response schema has no `status`: the server must not invent one.
NO_STATUS = {"mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "custom_tool_call",
             "custom_tool_call_output", "compaction"}  # fmt: skip
# What a request may leave out or send as null, and what the API records instead.
FILLED = {"status": "completed", "execution": "client"}
EVERYTHING = list(typing.get_args(m.IncludeEnum))


@pytest.fixture(scope="module")
def http() -> Iterator[TestClient]:
    with TestClient(create_reference_app(":memory:")) as client:
        yield client


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert set(r.json()) == {"error"}
    return dict(r.json()["error"])


def _expected(payload: dict[str, Any], listed: dict[str, Any]) -> dict[str, Any]:
    """The request item as the API lists it (the generated id taken from `listed`)."""
    want = {k: v for k, v in payload.items() if v is not None}
    kind = want.setdefault("type", "message")
    if isinstance(want.get("content"), str) and kind == "message":
        part = "output_text" if want["role"] == "assistant" else "input_text"
        want["content"] = [
            {"type": part, "text": want["content"], **({"annotations": []} if part == "output_text" else {})}
        ]
    want.setdefault("id", listed["id"])
    for key, value in payload.items():
        if value is None and key not in ("id", "status"):
            want[key] = FILLED.get(key)
    if kind not in NO_STATUS:
        want.setdefault("status", "completed")
    if kind == "tool_search_call" or kind == "tool_search_output":
        want.setdefault("call_id", None)
        want.setdefault("execution", "client")
    return want


def test_the_matrix_is_large() -> None:
    assert len(VARIANTS) >= 90
    assert sum(1 for _, p in VARIANTS if p.get("status", "") is None) >= 7


@pytest.mark.parametrize(("expected", "payload"), VARIANTS, ids=[f"{e}-{i}" for i, (e, _) in enumerate(VARIANTS)])
def test_every_valid_request_item_is_stored_and_listed_back(
    http: TestClient, expected: str, payload: dict[str, Any]
) -> None:
    items = [payload]
    if expected == "ItemReferenceParam":  # the referent, sent earlier in the same request
        items = [
            {
                "type": "message",
                "id": payload["id"],
                "role": "user",
                "content": [{"type": "input_text", "text": "ref"}],
            },
            payload,
        ]
    cid = http.post("/v1/conversations", json={}).json()["id"]
    created = http.post(f"/v1/conversations/{cid}/items", params={"include": EVERYTHING}, json={"items": items})
    assert created.status_code == 200, created.text
    listed = http.get(f"/v1/conversations/{cid}/items", params={"include": EVERYTHING, "order": "asc"}).json()["data"]
    assert listed == created.json()["data"] and len(listed) == len(items)
    item = listed[-1]
    if expected == "ItemReferenceParam":
        assert {**item, "id": items[0]["id"]} == {**items[0], "status": "completed"} and item["id"] != items[0]["id"]
        return
    assert item == _expected(payload, item)
    assert item["id"] and item["id"] == (payload.get("id") or item["id"])
    assert ("status" in item) == (item["type"] not in NO_STATUS)
    assert not type(ITEM.validate_python(item)).__name__.startswith("Unknown")


def _visible(include: str, items: dict[str, dict[str, Any]]) -> Any:
    """Where each `include` value's data sits (written independently of the server's table)."""
    part = {
        "message.input_image.image_url": ("user_msg", "input_image"),
        "message.output_text.logprobs": ("asst_msg", "output_text"),
    }
    if include in part:
        name, kind = part[include]
        return next(p for p in items[name]["content"] if p["type"] == kind).get(include.rsplit(".", 1)[1])
    kind, *path = include.split(".")
    value: Any = items[kind]
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return value


HIDDEN: dict[str, dict[str, Any]] = {
    "file_search_call": {"type": "file_search_call", "id": "fs_i", "status": "completed", "queries": ["q"], "results": [{"file_id": "f", "text": "t"}]},
    "web_search_call": {"type": "web_search_call", "id": "ws_i", "status": "completed", "results": [{"url": "https://a.example"}],
                        "action": {"type": "search", "query": "q", "sources": [{"type": "url", "url": "https://a.example"}]}},
    "user_msg": {"type": "message", "id": "msg_u", "role": "user", "content": [{"type": "input_image", "image_url": "https://a.example/i.png", "detail": "auto"}]},
    "computer_call_output": {"type": "computer_call_output", "id": "cuo_i", "call_id": "c", "output": {"type": "computer_screenshot", "image_url": "https://a.example/s.png"}},
    "code_interpreter_call": {"type": "code_interpreter_call", "id": "ci_i", "status": "completed", "container_id": "c", "code": "1", "outputs": [{"type": "logs", "logs": "1"}]},
    "reasoning": {"type": "reasoning", "id": "rs_i", "summary": [], "encrypted_content": "gAAA"},
    "asst_msg": {"type": "message", "id": "msg_a", "role": "assistant", "status": "completed",
                 "content": [{"type": "output_text", "text": "hi", "annotations": [], "logprobs": [{"token": "hi", "logprob": -0.1, "bytes": [104], "top_logprobs": []}]}]},
}  # fmt: skip


def test_include_decides_all_eight_values(http: TestClient) -> None:
    assert len(EVERYTHING) == 8
    cid = http.post("/v1/conversations", json={"items": list(HIDDEN.values())}).json()["id"]

    def listing(include: list[str]) -> dict[str, dict[str, Any]]:
        data = http.get(f"/v1/conversations/{cid}/items", params={"include": include, "order": "asc"}).json()["data"]
        return dict(zip(HIDDEN, data, strict=True))

    sent = {value: _visible(value, HIDDEN) for value in EVERYTHING}
    assert all(sent.values())
    assert all(_visible(v, listing([])) is None for v in EVERYTHING), "nothing is shown without include"
    for value in EVERYTHING:
        shown = listing([value])
        assert _visible(value, shown) == sent[value], value
        assert all(_visible(other, shown) is None for other in EVERYTHING if other != value), value
    assert listing([])["code_interpreter_call"]["outputs"] is None  # required and nullable: null, not absent
    item = http.get(
        f"/v1/conversations/{cid}/items/ws_i", params={"include": ["web_search_call.action.sources"]}
    ).json()
    assert item["action"]["sources"] and "results" not in item


def test_item_reference_prefers_this_request_then_this_conversation(http: TestClient) -> None:
    def text(content: str) -> dict[str, Any]:
        return {"type": "message", "id": "msg_x", "role": "user", "content": [{"type": "input_text", "text": content}]}

    http.post("/v1/conversations", json={"items": [text("elsewhere")]})
    here = http.post("/v1/conversations", json={"items": [text("here")]}).json()["id"]
    copied = http.post(f"/v1/conversations/{here}/items", json={"items": [{"id": "msg_x"}]}).json()["data"][0]
    assert copied["content"][0]["text"] == "here" and copied["id"] != "msg_x"
    fresh = {"type": "function_call", "id": "fc_new", "call_id": "c", "name": "f", "arguments": "{}"}
    both = http.post(
        f"/v1/conversations/{here}/items", json={"items": [fresh, {"type": "item_reference", "id": "fc_new"}]}
    )
    assert both.status_code == 200, both.text
    assert both.json()["data"][1]["name"] == "f" and both.json()["data"][1]["id"] != "fc_new"
    other = http.post("/v1/conversations", json={}).json()["id"]  # elsewhere in the tenant: the newest
    assert (
        http.post(f"/v1/conversations/{other}/items", json={"items": [{"id": "msg_x"}]}).json()["data"][0]["content"][
            0
        ]["text"]
        == "here"
    )
    missing = _error(http.post(f"/v1/conversations/{other}/items", json={"items": [{"id": "msg_nowhere"}]}), 400)
    assert missing["param"] == "items[0].id"


@pytest.mark.parametrize("item", [{"type": "function_call", "id": "", "call_id": "c", "name": "f", "arguments": "{}"}, {"id": ""},
                                  {"type": "message", "id": "", "role": "assistant", "status": "completed", "content": []}])  # fmt: skip
def test_empty_item_ids_are_refused(http: TestClient, item: dict[str, Any]) -> None:
    cid = http.post("/v1/conversations", json={}).json()["id"]
    error = _error(
        http.post(f"/v1/conversations/{cid}/items", json={"items": [{"role": "user", "content": "ok"}, item]}), 400
    )
    assert error["param"] == "items[1].id" and "empty" in error["message"]
    assert http.get(f"/v1/conversations/{cid}/items").json()["data"] == [], "nothing of the request was stored"


def test_optional_bodies(http: TestClient) -> None:
    created = http.post("/v1/conversations")
    assert created.status_code == 200, created.text
    cid = created.json()["id"]
    assert http.post(f"/v1/conversations/{cid}", json={"metadata": {"k": "v"}}).json()["metadata"] == {"k": "v"}
    unchanged = http.post(f"/v1/conversations/{cid}")
    assert unchanged.status_code == 200 and unchanged.json()["metadata"] == {"k": "v"}
    assert _error(http.post(f"/v1/conversations/{cid}/items"), 400)["param"] is None  # this one is required


SCREEN = {"type": "computer_call", "id": "cu_1", "call_id": "c", "status": "completed", "pending_safety_checks": []}
WIRE_PATHS = [
    ({"items": [{**SCREEN, "action": {"type": "click", "button": "left", "x": [], "y": 2}}]}, "items[0].action.x"),
    ({"items": [{"type": "function_call_output", "call_id": "c", "output": 5}]}, "items[0].output"),
    ({"items": [{"role": "user", "content": 5}]}, "items[0].content"),
    ({"items": [{"role": "wizard", "content": "x"}]}, "items[0].role"),
    ({"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": 5}]}]}, "items[0].content[0].text"),
    ({"items": [{"type": "message", "id": "m", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "annotations": []}]}]},
     "items[0].content[0].text"),
    ({"items": [{"type": "web_search_call", "id": "w", "status": "completed", "action": {"type": "search", "query": 3}}]}, "items[0].action.query"),
    ({"items": [{"type": "shell_call_output", "call_id": "c", "output": [{"stdout": "", "stderr": "", "outcome": {"type": "exit", "exit_code": []}}]}]},
     "items[0].output[0].outcome.exit_code"),
    ({"items": [{"type": "function_call", "call_id": "c", "arguments": "{}"}]}, "items[0].name"),
    # null tag; a tag value that is also a key; a key only one candidate declares, bad
    ({"items": [{"role": "user", "content": "ok"}, {"type": None}]}, "items[1].id"),
    ({"items": [{"type": "message", "id": "m", "role": "assistant", "status": "completed", "content": [{"type": "refusal", "refusal": 5}]}]},
     "items[0].content[0].refusal"),
    ({"items": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}], "phase": 5}]}, "items[0].phase"),
    ({"metadata": {"a": 5}}, "metadata.a"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "param"), WIRE_PATHS, ids=[p for _, p in WIRE_PATHS])
def test_error_param_is_the_wire_path(http: TestClient, body: dict[str, Any], param: str) -> None:
    error = _error(http.post("/v1/conversations", json=body), 400)
    assert error["param"] == param and error["message"].startswith(f"Invalid '{param}': ")


def test_method_not_allowed_says_what_is(http: TestClient) -> None:
    cid = http.post("/v1/conversations").json()["id"]
    assert (
        _error(http.put(f"/v1/conversations/{cid}"), 405)
        and http.put(f"/v1/conversations/{cid}").headers["allow"] == "DELETE, GET, POST"
    )
    assert http.patch("/v1/conversations").headers["allow"] == "POST"
    assert http.put(f"/v1/conversations/{cid}/items").headers["allow"] == "GET, POST"


def test_body_size_limit() -> None:
    with TestClient(create_reference_app(":memory:", max_body_bytes=1000)) as small:
        declared = _error(small.post("/v1/conversations", content=b"x" * 1001), 413)
        streamed = _error(small.post("/v1/conversations", content=iter([b" " * 600, b" " * 600])), 413)
        assert declared == streamed and "1000 bytes" in declared["message"]
        assert small.post("/v1/conversations", json={"metadata": {"k": "v" * 200}}).status_code == 200


def test_query_errors_name_the_parameter(http: TestClient) -> None:
    cid = http.post("/v1/conversations").json()["id"]
    for query, param in [
        ("include[]=reasoning.encrypted_content&include[]=bogus", "include[1]"),
        ("include=bogus", "include[0]"),
        ("limit=0", "limit"),
    ]:
        assert _error(http.get(f"/v1/conversations/{cid}/items?{query}"), 400)["param"] == param, query


def test_the_azure_flavor_stores_the_same_items() -> None:
    """The Foundry flavor has its own generated models; what is stored is derived from them."""
    with TestClient(create_reference_app(":memory:", flavor="azure")) as azure:
        key = {"x-ms-user-isolation-key": "tenant-a"}
        for expected, payload in VARIANTS:
            if expected == "ItemReferenceParam":
                continue
            cid = azure.post("/openai/v1/conversations", headers=key).json()["id"]
            created = azure.post(
                f"/openai/v1/conversations/{cid}/items",
                headers=key,
                params={"include": EVERYTHING},
                json={"items": [payload]},
            )
            assert created.status_code == 200, (payload, created.text)
            listed = azure.get(
                f"/openai/v1/conversations/{cid}/items", headers=key, params={"include": EVERYTHING}
            ).json()["data"]
            assert listed == created.json()["data"] and listed[0] == _expected(payload, listed[0])
