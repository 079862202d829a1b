"""What the official SDK's Conversations docs show, done with the generated client (sync and
async) against `specbind serve`: create with items, list and page, retrieve, send retrieved
items back, update, delete; and the same steps with the SDK, which must see the same data.

Everything is imported from the package's top level, as a new user would.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any

import conversations
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
        conversation = client.conversations.create(metadata={"topic": "demo"}, items=FIRST)
        assert conversation.id.startswith("conv_") and conversation.metadata == {"topic": "demo"}

        # items.create: a typed message and a function call typed by hand, no `type=` needed.
        call = FunctionToolCall(call_id="call_1", name="get_weather", arguments='{"city": "Paris"}')
        added = client.conversations.items.create(
            conversation.id,
            items=[EasyInputMessage(role="user", content="What is the weather?"), call],
        )
        assert [i.type for i in added.data] == ["message", "function_call"]
        stored_call = added.data[1]
        assert isinstance(stored_call, FunctionToolCallResource) and stored_call.call_id == "call_1"
        output = FunctionCallOutputItemParam(call_id="call_1", output="22C and sunny")
        client.conversations.items.create(conversation.id, items=[output])

        # items.list, paged: two at a time, oldest first; iterating walks every page.
        page = client.conversations.items.list(conversation.id, limit=2, order="asc")
        assert len(page.data) == 2 and page.has_more
        items: list[ConversationItem] = list(page)
        assert [i.type for i in items] == ["message", "message", "function_call", "function_call_output"]
        second = page.next_page()
        assert [i.id for i in second.data] == [i.id for i in items[2:4]]

        # items.retrieve
        one = client.conversations.items.retrieve(items[0].id, conversation_id=conversation.id)
        assert isinstance(one, Message) and _dump(one) == _dump(items[0])

        # Send retrieved items back, as they came: response classes go into a request union.
        copy = client.conversations.create(items=[i for i in items if i.type != "function_call_output"])
        echoed = list(client.conversations.items.list(copy.id, order="asc"))
        strip = ("id",)
        assert [{k: v for k, v in _dump(i).items() if k not in strip} for i in echoed] == [
            {k: v for k, v in _dump(i).items() if k not in strip} for i in items[:3]
        ]

        # conversations.retrieve / update
        assert client.conversations.retrieve(conversation.id).metadata == {"topic": "demo"}
        updated = client.conversations.update(conversation.id, metadata={"topic": "project-x"})
        assert updated.metadata == {"topic": "project-x"}

        # Constraints are checked before sending, like the body's.
        with pytest.raises(ValidationError):
            client.conversations.items.list(conversation.id, limit=500)

        # items.delete, conversations.delete, and the 404 after it.
        after = client.conversations.items.delete(items[0].id, conversation_id=conversation.id)
        assert after.id == conversation.id
        deleted = client.conversations.delete(conversation.id)
        assert deleted.deleted is True and deleted.id == conversation.id
        with pytest.raises(NotFoundError) as gone:
            client.conversations.retrieve(conversation.id)
        assert str(gone.value) == f"Error code: 404 - Conversation with id '{conversation.id}' not found."
        assert gone.value.error is not None and gone.value.error.error.code == "not_found"
        client.conversations.delete(copy.id)
        gone_text = str(gone.value).replace(conversation.id, "<id>")
        return {"types": [i.type for i in items], "metadata": updated.metadata, "404": gone_text}


async def async_flow(base_url: str) -> dict[str, Any]:
    async with AsyncClient(api_key="sk-test", base_url=base_url, max_retries=0) as client:
        conversation = await client.conversations.create(metadata={"topic": "demo"}, items=FIRST)
        call = FunctionToolCall(call_id="call_1", name="get_weather", arguments='{"city": "Paris"}')
        added = await client.conversations.items.create(
            conversation.id,
            items=[EasyInputMessage(role="user", content="What is the weather?"), call],
        )
        assert [i.type for i in added.data] == ["message", "function_call"]
        output = FunctionCallOutputItemParam(call_id="call_1", output="22C and sunny")
        await client.conversations.items.create(conversation.id, items=[output])

        page = await client.conversations.items.list(conversation.id, limit=2, order="asc")
        assert len(page.data) == 2 and page.has_more
        items = [i async for i in page]
        assert [i.type for i in items] == ["message", "message", "function_call", "function_call_output"]
        second = await page.next_page()
        assert [i.id for i in second.data] == [i.id for i in items[2:4]]

        one = await client.conversations.items.retrieve(items[0].id, conversation_id=conversation.id)
        assert _dump(one) == _dump(items[0])

        copy = await client.conversations.create(items=[i for i in items if i.type != "function_call_output"])
        echoed = [i async for i in await client.conversations.items.list(copy.id, order="asc")]
        assert [i.type for i in echoed] == ["message", "message", "function_call"]
        assert [_dump(i)["content"] for i in echoed[:2]] == [_dump(i)["content"] for i in items[:2]]

        assert (await client.conversations.retrieve(conversation.id)).metadata == {"topic": "demo"}
        updated = await client.conversations.update(conversation.id, metadata={"topic": "project-x"})

        with pytest.raises(ValidationError):
            await client.conversations.items.list(conversation.id, limit=500)

        await client.conversations.items.delete(items[0].id, conversation_id=conversation.id)
        assert (await client.conversations.delete(conversation.id)).deleted is True
        with pytest.raises(NotFoundError) as gone:
            await client.conversations.retrieve(conversation.id)
        assert str(gone.value) == f"Error code: 404 - Conversation with id '{conversation.id}' not found."
        await client.conversations.delete(copy.id)
        gone_text = str(gone.value).replace(conversation.id, "<id>")
        return {"types": [i.type for i in items], "metadata": updated.metadata, "404": gone_text}


def sdk_flow(OpenAI: Any, NotFoundError: Any, base_url: str) -> dict[str, Any]:
    """The SDK's Conversations docs, written against `openai.OpenAI`. It runs unchanged on the
    generated client: only the import (`OpenAI`, `NotFoundError`) and the constructor differ."""
    client = OpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
    conversation = client.conversations.create(metadata={"topic": "demo"}, items=FIRST)
    client.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "user", "content": "What is the weather?"},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        ],
    )
    client.conversations.items.create(
        conversation.id, items=[{"type": "function_call_output", "call_id": "call_1", "output": "22C and sunny"}]
    )
    items = list(client.conversations.items.list(conversation.id, limit=2, order="asc"))
    item = client.conversations.items.retrieve(
        items[0].id, conversation_id=conversation.id, include=["message.output_text.logprobs"]
    )
    assert client.conversations.retrieve(conversation.id).metadata == {"topic": "demo"}
    updated = client.conversations.update(conversation.id, metadata={"topic": "project-x"})
    after = client.conversations.items.delete(items[0].id, conversation_id=conversation.id)
    deleted = client.conversations.delete(conversation.id)
    with pytest.raises(NotFoundError) as gone:
        client.conversations.retrieve(conversation.id)
    return {
        "types": [i.type for i in items],
        "retrieved": item.id == items[0].id,
        "metadata": updated.metadata,
        "after delete": after.id == conversation.id,
        "deleted": (deleted.deleted, deleted.id == conversation.id),
        "404": str(gone.value).replace(conversation.id, "<id>"),
    }


async def async_sdk_flow(AsyncOpenAI: Any, NotFoundError: Any, base_url: str) -> dict[str, Any]:
    """The same docs, written against `openai.AsyncOpenAI`: a page awaited, then iterated, and a list
    iterated directly (`async for` over the call)."""
    client = AsyncOpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
    conversation = await client.conversations.create(metadata={"topic": "demo"}, items=FIRST)
    await client.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "user", "content": "What is the weather?"},
            {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        ],
    )
    await client.conversations.items.create(
        conversation.id, items=[{"type": "function_call_output", "call_id": "call_1", "output": "22C and sunny"}]
    )
    page = await client.conversations.items.list(conversation.id, limit=2, order="asc")
    items = [i async for i in page]
    # The SDK's README form: `async for` over the call itself, no `await`, across pages.
    walked = [i.id async for i in client.conversations.items.list(conversation.id, limit=2, order="asc")]
    assert walked == [i.id for i in items]
    item = await client.conversations.items.retrieve(
        items[0].id, conversation_id=conversation.id, include=["message.output_text.logprobs"]
    )
    assert (await client.conversations.retrieve(conversation.id)).metadata == {"topic": "demo"}
    updated = await client.conversations.update(conversation.id, metadata={"topic": "project-x"})
    after = await client.conversations.items.delete(items[0].id, conversation_id=conversation.id)
    deleted = await client.conversations.delete(conversation.id)
    with pytest.raises(NotFoundError) as gone:
        await client.conversations.retrieve(conversation.id)
    await client.close()
    return {
        "types": [i.type for i in items],
        "retrieved": item.id == items[0].id,
        "metadata": updated.metadata,
        "after delete": after.id == conversation.id,
        "deleted": (deleted.deleted, deleted.id == conversation.id),
        "404": str(gone.value).replace(conversation.id, "<id>"),
    }


def test_the_sdk_docs_run_unchanged_on_the_generated_client(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    ours = sdk_flow(conversations.Client, conversations.NotFoundError, server.base_url)
    assert ours == sdk_flow(openai.OpenAI, openai.NotFoundError, server.base_url)
    assert ours["types"] == ["message", "message", "function_call", "function_call_output"] and ours["retrieved"]


def test_the_async_sdk_docs_run_unchanged_on_the_async_client(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    ours = asyncio.run(async_sdk_flow(conversations.AsyncClient, conversations.NotFoundError, server.base_url))
    assert ours == asyncio.run(async_sdk_flow(openai.AsyncOpenAI, openai.NotFoundError, server.base_url))
    assert ours == sdk_flow(openai.OpenAI, openai.NotFoundError, server.base_url)


def test_sync_client_does_what_the_sdk_docs_show(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    expected = sdk_flow(openai.OpenAI, openai.NotFoundError, server.base_url)
    assert sync_flow(server.base_url) == {k: expected[k] for k in ("types", "metadata", "404")}


def test_async_client_does_what_the_sdk_docs_show(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    expected = sdk_flow(openai.OpenAI, openai.NotFoundError, server.base_url)
    assert asyncio.run(async_flow(server.base_url)) == {k: expected[k] for k in ("types", "metadata", "404")}


@pytest.mark.parametrize(
    ("sdk", "ours"),
    [("conversations.create", "conversations.create"), ("conversations.retrieve", "conversations.retrieve"),
     ("conversations.update", "conversations.update"), ("conversations.delete", "conversations.delete"),
     ("conversations.items.create", "conversations.items.create"), ("conversations.items.list", "conversations.items.list"),
     ("conversations.items.retrieve", "conversations.items.retrieve"), ("conversations.items.delete", "conversations.items.delete")],
)  # fmt: skip
@pytest.mark.parametrize("is_async", [False, True])
def test_same_call_shape_as_the_official_sdk(sdk: str, ours: str, is_async: bool) -> None:
    """Names, order and kinds (positional or keyword-only) of the arguments, and which are required,
    as in openai 3.54.0; the SDK's `extra_*`/`timeout` tail is compared apart (ours adds `max_retries`)."""
    theirs = (openai.AsyncOpenAI if is_async else openai.OpenAI)(api_key="k", base_url="http://x")
    mine = (conversations.AsyncClient if is_async else conversations.Client)(api_key="k", base_url="http://x")

    def shape(client: Any, path: str) -> list[tuple[str, str, bool]]:
        method = client
        for part in path.split("."):
            method = getattr(method, part)
        params = inspect.signature(method).parameters.values()
        return [(p.name, p.kind.name, p.default is inspect.Parameter.empty) for p in params]

    tail = {"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}
    expected, got = shape(theirs, sdk), shape(mine, ours)
    assert [p for p in got if p[0] not in tail] == [p for p in expected if p[0] not in tail]
    assert [p[0] for p in got if p[0] in tail][-2:] == ["timeout", "max_retries"]
    # Awaited where the SDK's is (its async list returns a pager: awaited or iterated directly).
    is_coroutine = inspect.iscoroutinefunction(functools.reduce(getattr, ours.split("."), mine))
    assert is_coroutine is inspect.iscoroutinefunction(functools.reduce(getattr, sdk.split("."), theirs))
    assert is_coroutine is (is_async and not ours.endswith(".list"))
