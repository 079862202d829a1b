"""What a user writes against the generated Conversations client, type-checked by
`tests/test_generated_quality.py::test_mypy_strict` with the packages (never run)."""

from __future__ import annotations

from typing import assert_type

from conversations import AsyncClient, AsyncPage, Client, ConversationItem, SyncPage


def sync_lists(client: Client) -> None:
    page = client.conversations.items.list("conv_1", limit=2)
    assert_type(page, SyncPage[ConversationItem])
    for item in page:
        assert_type(item, ConversationItem)


async def async_lists(client: AsyncClient) -> None:
    page = await client.conversations.items.list("conv_1", limit=2)  # awaited: the first page
    assert_type(page, AsyncPage[ConversationItem])
    async for item in client.conversations.items.list("conv_1"):  # iterated: every page
        assert_type(item, ConversationItem)
    async for again in page:
        assert_type(again, ConversationItem)
