"""Import the committed models and validate realistic payloads for every variant."""

from __future__ import annotations

import json
from typing import Any

import conversations as c
import pytest
from payloads import REQUEST_ITEMS, RESPONSE_ITEMS, UNKNOWN_ITEM
from pydantic import TypeAdapter, ValidationError

INPUT = TypeAdapter(c.InputItem)
ITEM = TypeAdapter(c.ConversationItem)


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


@pytest.mark.parametrize(
    ("expected", "payload"), REQUEST_ITEMS, ids=[f"{e}-{i}" for i, (e, _) in enumerate(REQUEST_ITEMS)]
)
def test_request_item_dispatch_and_round_trip(expected: str, payload: dict[str, Any]) -> None:
    item = INPUT.validate_python(payload)
    assert type(item).__name__ == expected
    assert _dump(item) == payload
    assert type(INPUT.validate_json(json.dumps(payload))).__name__ == expected


@pytest.mark.parametrize(
    ("expected", "payload"), RESPONSE_ITEMS, ids=[f"{e}-{i}" for i, (e, _) in enumerate(RESPONSE_ITEMS)]
)
def test_response_item_dispatch_and_round_trip(expected: str, payload: dict[str, Any]) -> None:
    item = ITEM.validate_python(payload)
    assert type(item).__name__ == expected
    assert _dump(item) == payload


def test_every_kind_is_covered() -> None:
    assert len({e for e, _ in REQUEST_ITEMS}) == 28
    assert len({e for e, _ in RESPONSE_ITEMS}) == 25


@pytest.mark.parametrize("adapter", [INPUT, ITEM], ids=["InputItem", "ConversationItem"])
def test_unknown_kind_is_kept_whole(adapter: TypeAdapter[Any]) -> None:
    item = adapter.validate_python(UNKNOWN_ITEM)
    assert type(item).__name__.startswith("Unknown")
    assert _dump(item) == UNKNOWN_ITEM
    assert item.type == "hologram_call"


@pytest.mark.parametrize("adapter", [INPUT, ITEM], ids=["InputItem", "ConversationItem"])
def test_known_tag_with_bad_fields_is_an_error(adapter: TypeAdapter[Any]) -> None:
    with pytest.raises(ValidationError):
        adapter.validate_python({"type": "function_call", "call_id": 5})
    with pytest.raises(ValidationError):
        c.UnknownConversationItem.model_validate({"type": "message"})


def test_urls_are_not_rewritten() -> None:
    payload = {"type": "input_image", "image_url": "https://EXAMPLE.com", "detail": "auto"}
    assert c.InputImageContent.model_validate(payload).image_url == "https://EXAMPLE.com"


def test_whole_page_validates_from_json() -> None:
    items = [p for _, p in RESPONSE_ITEMS] + [UNKNOWN_ITEM]
    page = {"object": "list", "data": items, "first_id": "a", "last_id": "b", "has_more": False}
    parsed = c.ConversationItemList.model_validate_json(json.dumps(page))
    assert len(parsed.data) == len(items)
    assert _dump(parsed) == page


def test_create_body_enforces_twenty_items() -> None:
    item = {"role": "user", "content": "hi"}
    c.CreateConversationBody.model_validate({"items": [item] * 20})
    with pytest.raises(ValidationError):
        c.CreateConversationBody.model_validate({"items": [item] * 21})


def test_models_accept_python_names_and_dump_wire_names() -> None:
    msg = c.EasyInputMessage(role="user", content="hi")
    assert msg.model_dump(exclude_unset=True) == {"role": "user", "content": "hi"}
