"""Values survive validation exactly: a JSON `number` keeps integers as exact ints and floats
as floats; scalars are strict (a string is never read as a boolean or a number, nor a number
as a string), in Python and JSON mode; unknown kinds and undeclared keys are still kept."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

import httpx
import pytest
from conversations import ConversationResource, InputItem, Item, MCPApprovalResponse
from conversations.client import Client
from payloads import UNKNOWN_ITEM
from pydantic import TypeAdapter, ValidationError

INPUT = TypeAdapter(InputItem)
ITEM = TypeAdapter(Item)
DUMP: dict[str, Any] = {"mode": "json", "by_alias": True, "exclude_unset": True}


def _file_search(score: Any) -> dict[str, Any]:
    result = {"file_id": "f", "text": "t", "filename": "a.txt", "score": score, "attributes": {"n": 1}}
    return {"type": "file_search_call", "id": "fs_1", "status": "completed", "queries": ["q"], "results": [result]}


def _both_modes(adapter: TypeAdapter[Any], payload: dict[str, Any]) -> list[Any]:
    return [adapter.validate_python(payload), adapter.validate_json(json.dumps(payload))]


@pytest.mark.parametrize("score", [1, 0, -7, 12345678901234567890, 2**70, 0.5, 1.0, 1e-300, 1.2345678901234567e19])
def test_number_fields_keep_ints_exact_and_floats_floats(score: float) -> None:
    payload = _file_search(score)
    for item in _both_modes(ITEM, payload):
        got = item.results[0].score
        assert got == score and type(got) is type(score)
        dumped = item.model_dump(**DUMP)
        assert dumped == payload and type(dumped["results"][0]["score"]) is type(score)
        # On the wire too: `1` stays `1` (not `1.0`), a float stays a float, digits exact.
        text = item.model_dump_json(by_alias=True, exclude_unset=True)
        assert f'"score":{json.dumps(score)}' in text
        back = json.loads(text)
        assert back == payload and type(back["results"][0]["score"]) is type(score)


@pytest.mark.parametrize("value", ["yes", "true", "1", 1, 0, 1.0, None])
def test_a_boolean_is_only_a_boolean(value: Any) -> None:
    payload = {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": value}
    for validate in (INPUT.validate_python, lambda p: INPUT.validate_json(json.dumps(p))):
        with pytest.raises(ValidationError):
            validate(payload)
    with pytest.raises(ValidationError):
        MCPApprovalResponse(approval_request_id="mcpr_1", approve=value)


def test_a_real_boolean_is_accepted() -> None:
    payload = {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": True}
    for item in _both_modes(INPUT, payload):
        assert item.approve is True and item.model_dump(**DUMP) == payload


@pytest.mark.parametrize("score", ["1", "0.5", True, False])
def test_strings_and_booleans_are_not_numbers(score: Any) -> None:
    for validate in (ITEM.validate_python, lambda p: ITEM.validate_json(json.dumps(p))):
        with pytest.raises(ValidationError):
            validate(_file_search(score))


@pytest.mark.parametrize("created_at", ["1700000000", 1700000000.0, 1.5, True])
def test_an_integer_field_takes_only_integers(created_at: Any) -> None:
    conv = {"id": "conv_1", "object": "conversation", "created_at": created_at, "metadata": {}}
    with pytest.raises(ValidationError):
        ConversationResource.model_validate(conv)
    with pytest.raises(ValidationError):
        ConversationResource.model_validate_json(json.dumps(conv))


@pytest.mark.parametrize("content", [5, 5.5, True])
def test_numbers_are_not_strings(content: Any) -> None:
    with pytest.raises(ValidationError):
        INPUT.validate_python({"type": "message", "role": "user", "content": content})


def test_unknown_kinds_and_undeclared_keys_are_still_kept() -> None:
    odd = {**UNKNOWN_ITEM, "flag": "yes", "n": 1, "x": 12345678901234567890, "f": 1.0}
    known = {**_file_search(1), "surprise": {"deep": ["1", 1, 1.0, True]}}
    for payload in (odd, known):
        for item in [*_both_modes(ITEM, payload), *_both_modes(INPUT, payload)]:
            assert item.model_dump(**DUMP) == payload
            assert json.loads(item.model_dump_json(by_alias=True, exclude_unset=True)) == payload


def test_the_client_still_takes_any_mapping_and_sequence() -> None:
    """The client's arguments are typed Sequence / Mapping: strict validation wants lists and
    dicts, so the client turns them into those before validating."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "conv_1", "object": "conversation", "created_at": 1, "metadata": {}})

    client = Client(
        api_key="k", base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    item = MappingProxyType({"role": "user", "content": ({"type": "input_text", "text": "hi"},)})
    client.conversations.create(items=(item,), metadata=MappingProxyType({"a": "b"}))
    assert json.loads(sent[0].content) == {
        "items": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
        "metadata": {"a": "b"},
    }
