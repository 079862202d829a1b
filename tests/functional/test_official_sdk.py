"""What the official SDK builds must validate: parse each payload with openai's own types,
dump it as the SDK would send it, and validate that with ours."""

from __future__ import annotations

import json
import typing
from typing import Any

import conversations as c
import pytest
from openai.types import conversations as openai_types
from openai.types import responses
from payloads import REQUEST_ITEMS, RESPONSE_ITEMS, request_item_variants
from pydantic import TypeAdapter, ValidationError

SDK_ITEM = TypeAdapter(openai_types.ConversationItem)
SDK_INPUT = TypeAdapter(responses.ResponseInputItemParam)


@pytest.mark.parametrize(("expected", "payload"), RESPONSE_ITEMS, ids=[e for e, _ in RESPONSE_ITEMS])
def test_sdk_response_items_validate(expected: str, payload: dict[str, Any]) -> None:
    sdk = SDK_ITEM.validate_python(payload)
    wire = sdk.model_dump(mode="json", exclude_unset=True)
    assert type(TypeAdapter(c.ConversationItem).validate_python(wire)).__name__ == expected


@pytest.mark.parametrize(("expected", "payload"), REQUEST_ITEMS, ids=[e for e, _ in REQUEST_ITEMS])
def test_sdk_request_items_validate(expected: str, payload: dict[str, Any]) -> None:
    # Params are TypedDicts: the SDK sends the dict as given once it type-checks. (Validating
    # through its union adapter would pick a "best match" and drop keys, so only gate on it.)
    SDK_INPUT.validate_python(payload)
    assert type(TypeAdapter(c.InputItem).validate_python(payload)).__name__ == expected


# -- which class: the SDK's request types against our dispatch, for every request item -----------
SDK_PARAMS: tuple[Any, ...] = typing.get_args(responses.ResponseInputItemParam)
OUR_CLASSES: tuple[type[Any], ...] = typing.get_args(typing.get_args(c.InputItem)[0])
VARIANTS = request_item_variants()


def _literals(tp: Any) -> set[str]:
    """Every string `Literal` value in an annotation (`Required[Optional[Literal["a"]]]`...)."""
    if typing.get_origin(tp) is typing.Literal:
        return {v for v in typing.get_args(tp) if isinstance(v, str)}
    return set().union(*(_literals(a) for a in typing.get_args(tp)))


def _sdk_accepts(params: Any, item: dict[str, Any]) -> bool:
    """Would a type checker take `item` as this TypedDict: its keys declared (a TypedDict
    literal may not carry others), its required keys present, its values of the right types."""
    keys = set(typing.get_type_hints(params))
    if not set(item) <= keys or not params.__required_keys__ <= set(item):
        return False
    try:
        TypeAdapter(params).validate_python(item)
    except ValidationError:
        return False
    return True


def _ours(params: Any) -> str:
    """Our class for an SDK param type: the one holding its tag, the one declaring the same
    keys when several share it (`message`)."""
    hints = typing.get_type_hints(params)
    tags = _literals(hints["type"])
    holders = [
        cls
        for cls in OUR_CLASSES
        if "type" in cls.model_fields and tags & _literals(cls.model_fields["type"].annotation)
    ]
    if len(holders) > 1:
        holders = [cls for cls in holders if {f.alias or n for n, f in cls.model_fields.items()} == set(hints)]
    assert len(holders) == 1, (params, holders)
    return holders[0].__name__


@pytest.mark.parametrize(("expected", "payload"), VARIANTS, ids=[f"{e}-{i}" for i, (e, _) in enumerate(VARIANTS)])
def test_request_items_land_in_a_class_the_sdk_types_allow(expected: str, payload: dict[str, Any]) -> None:
    """Where the spec lets several classes take an item, the SDK's request types (TypedDicts a
    type checker holds a literal to) say which: an item with `phase` and list content is an
    `EasyInputMessage` (only it declares `phase`), not an `InputMessage`. A `null` the SDK's
    types do not allow is left out, as the SDK user would."""
    accepted = [p for p in SDK_PARAMS if _sdk_accepts(p, payload)]
    if not accepted:
        accepted = [p for p in SDK_PARAMS if _sdk_accepts(p, {k: v for k, v in payload.items() if v is not None})]
    assert accepted, "the SDK's request types refuse the item"
    ours = type(TypeAdapter(c.InputItem).validate_python(payload)).__name__
    assert ours == type(TypeAdapter(c.InputItem).validate_json(json.dumps(payload))).__name__ == expected
    assert ours in {_ours(p) for p in accepted}
