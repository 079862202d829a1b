"""The generated clients against the generated server (reference service), end to end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from conversations import _http
from conversations.client import AsyncClient, Client
from conversations_azure.client import Client as AzureClient
from payloads import REQUEST_ITEMS


def test_sync_flow(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    with Client(api_key="k", base_url=server.base_url, max_retries=0) as c:
        kinds = [p for name, p in REQUEST_ITEMS if name != "ItemReferenceParam"][:20]
        conv = c.conversations.create(items=kinds, metadata={"a": "b"})
        page = c.conversations.items.list(conv.id, limit=3, order="asc", include=["message.output_text.logprobs"])
        assert len(page.data) == 3 and page.has_more
        items = list(page)
        assert len(items) == 20 and type(items[0]).__name__ == "Message"
        assert c.conversations.items.retrieve(items[5].id, conversation_id=conv.id).id == items[5].id
        assert c.conversations.update(conv.id, metadata={"a": "c"}).metadata == {"a": "c"}
        added = c.conversations.items.create(conv.id, items=[{"type": "item_reference", "id": items[0].id}])
        assert added.data[0].type == "message"
        assert c.conversations.items.delete(items[0].id, conversation_id=conv.id).id == conv.id
        with pytest.raises(_http.BadRequestError) as bad:
            c.conversations.items.create(conv.id, items=[{"type": "item_reference", "id": "missing"}])
        assert bad.value.error is not None and bad.value.error.error.param == "items[0].id"
        assert c.conversations.delete(conv.id).deleted is True
        with pytest.raises(_http.NotFoundError) as gone:
            c.conversations.retrieve(conv.id)
        assert gone.value.error is not None and gone.value.error.error.code == "not_found"


def test_async_flow(serve: Callable[..., Any]) -> None:
    server = serve("openai")

    async def run() -> list[str]:
        async with AsyncClient(api_key="k", base_url=server.base_url) as c:
            conv = await c.conversations.create(items=[{"role": "user", "content": f"m{i}"} for i in range(5)])
            page = await c.conversations.items.list(conv.id, limit=2, order="asc")
            return [i.content[0].text async for i in page]  # type: ignore[union-attr]

    assert asyncio.run(run()) == [f"m{i}" for i in range(5)]


def test_azure_client_isolation(serve: Callable[..., Any]) -> None:
    server = serve("azure")
    alice = AzureClient(api_key="k", base_url=server.base_url, user_isolation_key="alice", max_retries=0)
    bob = AzureClient(api_key="k", base_url=server.base_url, user_isolation_key="bob", max_retries=0)
    conv = alice.conversations.create(items=[{"role": "user", "content": "hi"}])
    assert alice.conversations.retrieve(conv.id).id == conv.id
    with pytest.raises(Exception) as info:
        bob.conversations.retrieve(conv.id)
    assert type(info.value).__name__ == "NotFoundError"
    with pytest.raises(Exception) as info:
        alice.conversations.retrieve(conv.id, user_isolation_key="bob")  # the per-call value wins
    assert type(info.value).__name__ == "NotFoundError"
