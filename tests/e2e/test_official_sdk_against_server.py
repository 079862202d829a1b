"""The unmodified official SDK (openai, pinned) against `specbind serve` on a real socket."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest
from payloads import REQUEST_ITEMS

# One payload per request kind, item references left out (they need existing ids).
KINDS: list[tuple[str, dict[str, Any]]] = list(
    {name: p for name, p in REQUEST_ITEMS if name != "ItemReferenceParam"}.items()
)
INCLUDE = ["message.output_text.logprobs", "reasoning.encrypted_content"]


def sdk(base_url: str, **kw: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0, **kw)


def test_full_lifecycle(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    client = sdk(server.base_url)
    first20 = [p for _, p in KINDS[:20]]
    conv = client.conversations.create(items=first20, metadata={"topic": "demo"})  # type: ignore[arg-type]
    assert conv.id.startswith("conv_") and conv.metadata == {"topic": "demo"}

    with pytest.raises(openai.BadRequestError) as too_many:
        client.conversations.create(items=[{"role": "user", "content": "x"}] * 21)  # type: ignore[list-item]
    assert too_many.value.body["param"] == "items"  # type: ignore[index]

    listed = list(client.conversations.items.list(conv.id, limit=2, order="asc", include=INCLUDE))  # type: ignore[arg-type]
    assert len(listed) == 20
    assert [i.type for i in listed] == [p.get("type", "message") for p in first20]
    assert all(i.id for i in listed)

    one = client.conversations.items.retrieve(listed[3].id, conversation_id=conv.id)
    assert one.id == listed[3].id

    rest = [p for _, p in KINDS[20:]] + [{"type": "item_reference", "id": listed[0].id}]
    added = client.conversations.items.create(conv.id, items=rest)  # type: ignore[arg-type]
    assert len(added.data) == len(rest)

    updated = client.conversations.update(conv.id, metadata={"topic": "changed"})
    assert updated.metadata == {"topic": "changed"}

    after_delete = client.conversations.items.delete(listed[0].id, conversation_id=conv.id)
    assert after_delete.id == conv.id and after_delete.object == "conversation"
    remaining = list(client.conversations.items.list(conv.id, limit=100))
    assert len(remaining) == 20 + len(rest) - 1

    deleted = client.conversations.delete(conv.id)
    assert deleted.deleted is True
    with pytest.raises(openai.NotFoundError):
        client.conversations.retrieve(conv.id)


def test_azure_isolation_keys_and_restart(serve: Callable[..., Any], tmp_path: Path) -> None:
    db = tmp_path / "azure.db"
    server = serve("azure", db)
    alice = sdk(server.base_url, default_headers={"x-ms-user-isolation-key": "alice"})
    bob = sdk(server.base_url, default_headers={"x-ms-user-isolation-key": "bob"})
    anonymous = sdk(server.base_url)
    conv = alice.conversations.create(items=[{"role": "user", "content": "secret"}])
    assert alice.conversations.retrieve(conv.id).id == conv.id
    for other in (bob, anonymous):
        with pytest.raises(openai.NotFoundError):
            other.conversations.retrieve(conv.id)
        with pytest.raises(openai.NotFoundError):
            list(other.conversations.items.list(conv.id))
    server.stop()
    again = serve("azure", db)
    alice = sdk(again.base_url, default_headers={"x-ms-user-isolation-key": "alice"})
    items = list(alice.conversations.items.list(conv.id))
    assert [i.type for i in items] == ["message"] and alice.conversations.retrieve(conv.id).id == conv.id
