"""What the official SDK builds must validate: parse each payload with openai's own types,
dump it as the SDK would send it, and validate that with ours."""

from __future__ import annotations

from typing import Any

import conversations as c
import pytest
from openai.types import conversations as openai_types
from openai.types import responses
from payloads import REQUEST_ITEMS, RESPONSE_ITEMS
from pydantic import TypeAdapter

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
