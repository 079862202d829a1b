"""What the official SDK's Conversations docs show, done with the generated client (sync and
async) against `specbind serve`: create with items, list and page, retrieve, send retrieved
items back, update, delete; and the same steps with the SDK, which must see the same data.

Everything is imported from the package's top level, as a new user would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import openai
import pytest
from conversations import (
    AsyncClient,
    Client,
    ConversationItem,
    EasyInputMessage,
    FunctionCallOutputItemParam,
    FunctionToolCall,
    FunctionToolCallResource,
    Message,
    NotFoundError,
)
from pydantic import ValidationError

# The docs' first call: a conversation that starts with one user message.
FIRST = [{"type": "message", "role": "user", "content": "Hello!"}]


def _dump(item: Any) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True, exclude_unset=True)  # type: ignore[no-any-return]


def sync_flow(base_url: str) -> dict[str, Any]:
    with Client(api_key="sk-test", base_url=base_url, max_retries=0) as client:
        conversation = client.create_conversation(metadata={"topic": "demo"}, items=FIRST)
        assert conversation.id.startswith("conv_") and conversation.metadata == {"topic": "demo"}

        # items.create: a typed message and a function call typed by hand, no `type=` needed.
        call = FunctionToolCall(call_id="call_1", name="get_weather", arguments='{"city": "Paris"}')
        added = client.create_conversation_items(
            conversation.id,
            items=[EasyInputMessage(role="user", content="What is the weather?"), call],
        )
        assert [i.type for i in added.data] == ["message", "function_call"]
        stored_call = added.data[1]
        assert isinstance(stored_call, FunctionToolCallResource) and stored_call.call_id == "call_1"
        output = FunctionCallOutputItemParam(call_id="call_1", output="22C and sunny")
        client.create_conversation_items(conversation.id, items=[output])

        # items.list, paged: two at a time, oldest first; iterating walks every page.
        page = client.list_conversation_items(conversation.id, limit=2, order="asc")
        assert len(page.data) == 2 and page.has_more
        items: list[ConversationItem] = list(page)
        assert [i.type for i in items] == ["message", "message", "function_call", "function_call_output"]
        second = page.next_page()
        assert [i.id for i in second.data] == [i.id for i in items[2:4]]

        # items.retrieve
        one = client.get_conversation_item(conversation.id, items[0].id)
        assert isinstance(one, Message) and _dump(one) == _dump(items[0])

        # Send retrieved items back, as they came: response classes go into a request union.
        copy = client.create_conversation(items=[i for i in items if i.type != "function_call_output"])
        echoed = list(client.list_conversation_items(copy.id, order="asc"))
        strip = ("id",)
        assert [{k: v for k, v in _dump(i).items() if k not in strip} for i in echoed] == [
            {k: v for k, v in _dump(i).items() if k not in strip} for i in items[:3]
        ]

        # conversations.retrieve / update
        assert client.get_conversation(conversation.id).metadata == {"topic": "demo"}
        updated = client.update_conversation(conversation.id, metadata={"topic": "project-x"})
        assert updated.metadata == {"topic": "project-x"}

        # Constraints are checked before sending, like the body's.
        with pytest.raises(ValidationError):
            client.list_conversation_items(conversation.id, limit=500)

        # items.delete, conversations.delete, and the 404 after it.
        after = client.delete_conversation_item(conversation.id, items[0].id)
        assert after.id == conversation.id
        deleted = client.delete_conversation(conversation.id)
        assert deleted.deleted is True and deleted.id == conversation.id
        with pytest.raises(NotFoundError) as gone:
            client.get_conversation(conversation.id)
        assert str(gone.value) == f"Error code: 404 - Conversation with id '{conversation.id}' not found."
        assert gone.value.error is not None and gone.value.error.error.code == "not_found"
        client.delete_conversation(copy.id)
        gone_text = str(gone.value).replace(conversation.id, "<id>")
        return {"types": [i.type for i in items], "metadata": updated.metadata, "404": gone_text}


async def async_flow(base_url: str) -> dict[str, Any]:
    async with AsyncClient(api_key="sk-test", base_url=base_url, max_retries=0) as client:
        conversation = await client.create_conversation(metadata={"topic": "demo"}, items=FIRST)
        call = FunctionToolCall(call_id="call_1", name="get_weather", arguments='{"city": "Paris"}')
        added = await client.create_conversation_items(
            conversation.id,
            items=[EasyInputMessage(role="user", content="What is the weather?"), call],
        )
        assert [i.type for i in added.data] == ["message", "function_call"]
        output = FunctionCallOutputItemParam(call_id="call_1", output="22C and sunny")
        await client.create_conversation_items(conversation.id, items=[output])

        page = await client.list_conversation_items(conversation.id, limit=2, order="asc")
        assert len(page.data) == 2 and page.has_more
        items = [i async for i in page]
        assert [i.type for i in items] == ["message", "message", "function_call", "function_call_output"]
        second = await page.next_page()
        assert [i.id for i in second.data] == [i.id for i in items[2:4]]

        one = await client.get_conversation_item(conversation.id, items[0].id)
        assert _dump(one) == _dump(items[0])

        copy = await client.create_conversation(items=[i for i in items if i.type != "function_call_output"])
        echoed = [i async for i in await client.list_conversation_items(copy.id, order="asc")]
        assert [i.type for i in echoed] == ["message", "message", "function_call"]
        assert [_dump(i)["content"] for i in echoed[:2]] == [_dump(i)["content"] for i in items[:2]]

        assert (await client.get_conversation(conversation.id)).metadata == {"topic": "demo"}
        updated = await client.update_conversation(conversation.id, metadata={"topic": "project-x"})

        with pytest.raises(ValidationError):
            await client.list_conversation_items(conversation.id, limit=500)

        await client.delete_conversation_item(conversation.id, items[0].id)
        assert (await client.delete_conversation(conversation.id)).deleted is True
        with pytest.raises(NotFoundError) as gone:
            await client.get_conversation(conversation.id)
        assert str(gone.value) == f"Error code: 404 - Conversation with id '{conversation.id}' not found."
        await client.delete_conversation(copy.id)
        gone_text = str(gone.value).replace(conversation.id, "<id>")
        return {"types": [i.type for i in items], "metadata": updated.metadata, "404": gone_text}


def sdk_flow(base_url: str) -> dict[str, Any]:
    """The same steps with the official SDK, as its docs write them."""
    client = openai.OpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
    conversation = client.conversations.create(metadata={"topic": "demo"}, items=FIRST)  # type: ignore[arg-type]
    client.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "user", "content": "What is the weather?"},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        ],  # type: ignore[list-item]
    )
    client.conversations.items.create(
        conversation.id, items=[{"type": "function_call_output", "call_id": "call_1", "output": "22C and sunny"}]
    )
    items = list(client.conversations.items.list(conversation.id, limit=2, order="asc"))
    client.conversations.items.retrieve(items[0].id, conversation_id=conversation.id)  # type: ignore[union-attr]
    updated = client.conversations.update(conversation.id, metadata={"topic": "project-x"})
    client.conversations.items.delete(items[0].id, conversation_id=conversation.id)  # type: ignore[union-attr]
    client.conversations.delete(conversation.id)
    with pytest.raises(openai.NotFoundError) as gone:
        client.conversations.retrieve(conversation.id)
    gone_text = str(gone.value).replace(conversation.id, "<id>")
    return {"types": [i.type for i in items], "metadata": updated.metadata, "404": gone_text}


def test_sync_client_does_what_the_sdk_docs_show(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    assert sync_flow(server.base_url) == sdk_flow(server.base_url)


def test_async_client_does_what_the_sdk_docs_show(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    assert asyncio.run(async_flow(server.base_url)) == sdk_flow(server.base_url)
