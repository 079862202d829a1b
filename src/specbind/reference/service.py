"""The service: conversations and their items, per the spec's semantics.

Works with either generated flavor (`conversations` or `conversations_azure`): the flavor's
models module is passed in, and the isolation key is read from the request context when the
flavor has one.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from .items import PREFIX, ItemError, Items, new_id
from .store import Store

T = TypeVar("T")


class ConversationsStore:
    """Implements the generated `ConversationsService` protocol of either flavor."""

    def __init__(self, store: Store, models: ModuleType, server: ModuleType) -> None:
        self.store = store
        self.m = models
        self.s = server
        self.items = Items(models)

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def scope(ctx: Any) -> str:
        return getattr(ctx, "user_isolation_key", None) or ""

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.to_thread(fn)

    def _conversation(self, conn: sqlite3.Connection, scope: str, conversation_id: str) -> Any:
        row = conn.execute(
            "SELECT id, created_at, metadata FROM conversations WHERE scope = ? AND id = ?", (scope, conversation_id)
        ).fetchone()
        if row is None:
            raise self.s.ServiceNotFoundError(
                f"Conversation with id '{conversation_id}' not found.", param="conversation_id", code="not_found"
            )
        return self.m.ConversationResource(
            id=row[0], object="conversation", created_at=row[1], metadata=json.loads(row[2])
        )

    def _resolve(
        self,
        conn: sqlite3.Connection,
        scope: str,
        conversation_id: str,
        earlier: list[dict[str, Any]],
        ref: str,
        where: str,
    ) -> dict[str, Any]:
        """An item reference -> a copy of the item: one sent earlier in this request, else one in
        this conversation, else the newest with that id elsewhere in the tenant."""
        for d in reversed(earlier):
            if d["id"] == ref:
                return dict(d)
        row = conn.execute(
            "SELECT data FROM items WHERE scope = ? AND id = ? ORDER BY conversation_id = ? DESC, seq DESC LIMIT 1",
            (scope, ref, conversation_id),
        ).fetchone()
        if row is None:
            raise self.s.ServiceInvalidRequestError(
                f"Invalid '{where}.id': item '{ref}' not found.", param=f"{where}.id", code="invalid_value"
            )
        found: dict[str, Any] = json.loads(row[0])
        return found

    def _stored_form(
        self,
        conn: sqlite3.Connection,
        scope: str,
        conversation_id: str,
        earlier: list[dict[str, Any]],
        item: Any,
        where: str,
    ) -> dict[str, Any]:
        data = item.model_dump(mode="json", by_alias=True, exclude_unset=True)
        try:
            if isinstance(item, self.m.ItemReferenceParam):
                if item.id == "":
                    return self.items.stored_form(data, where)  # refused there, like any empty id
                referenced = self._resolve(conn, scope, conversation_id, earlier, item.id, where)
                return {**referenced, "id": new_id(PREFIX.get(str(referenced.get("type")), "item"))}
            return self.items.stored_form(data, where)
        except ItemError as exc:
            raise self.s.ServiceInvalidRequestError(str(exc), param=exc.where, code="invalid_value") from None

    def _insert(
        self, conn: sqlite3.Connection, scope: str, conversation_id: str, items: list[Any]
    ) -> list[dict[str, Any]]:
        stored: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            d = self._stored_form(conn, scope, conversation_id, stored, item, f"items[{i}]")
            try:
                conn.execute(
                    "INSERT INTO items (scope, conversation_id, id, data) VALUES (?, ?, ?, ?)",
                    (scope, conversation_id, d["id"], json.dumps(d)),
                )
            except sqlite3.IntegrityError:  # (scope, conversation, id) is unique
                raise self.s.ServiceConflictError(
                    f"An item with id '{d['id']}' already exists in this conversation.",
                    param=f"items[{i}].id",
                    code="conflict",
                ) from None
            stored.append(d)
        return stored

    def _page(self, rows: list[tuple[str]], has_more: bool, include: list[str] | None) -> Any:
        items = [self.items.render(json.loads(r[0]), include) for r in rows]
        first = items[0].id if items else ""
        last = items[-1].id if items else ""
        return self.m.ConversationItemList(object="list", data=items, first_id=first, last_id=last, has_more=has_more)

    # -- operations ---------------------------------------------------------------------------
    async def create_conversation(self, ctx: Any, body: Any) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=True) as conn:
                cid, now = new_id("conv"), int(time.time())
                metadata = (body.metadata if body else None) or {}
                conn.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (scope, cid, now, json.dumps(metadata)))
                self._insert(conn, scope, cid, list((body.items if body else None) or []))
                return self.m.ConversationResource(id=cid, object="conversation", created_at=now, metadata=metadata)

        return await self._run(work)

    async def get_conversation(self, ctx: Any, conversation_id: str) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=False) as conn:
                return self._conversation(conn, scope, conversation_id)

        return await self._run(work)

    async def update_conversation(self, ctx: Any, conversation_id: str, body: Any) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=True) as conn:
                conversation = self._conversation(conn, scope, conversation_id)
                if body is None:  # the body is optional: nothing to change
                    return conversation
                conn.execute(
                    "UPDATE conversations SET metadata = ? WHERE scope = ? AND id = ?",
                    (json.dumps(body.metadata or {}), scope, conversation_id),
                )
                return self._conversation(conn, scope, conversation_id)

        return await self._run(work)

    async def delete_conversation(self, ctx: Any, conversation_id: str) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=True) as conn:
                self._conversation(conn, scope, conversation_id)
                conn.execute("DELETE FROM items WHERE scope = ? AND conversation_id = ?", (scope, conversation_id))
                conn.execute("DELETE FROM conversations WHERE scope = ? AND id = ?", (scope, conversation_id))
                return self.m.DeletedConversationResource(
                    id=conversation_id, object="conversation.deleted", deleted=True
                )

        return await self._run(work)

    async def create_conversation_items(
        self, ctx: Any, conversation_id: str, body: Any, *, include: list[str] | None = None
    ) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=True) as conn:
                self._conversation(conn, scope, conversation_id)
                stored = self._insert(conn, scope, conversation_id, list(body.items))
                return self._page([(json.dumps(d),) for d in stored], False, include)

        return await self._run(work)

    async def list_conversation_items(
        self, ctx: Any, conversation_id: str, *, limit: int = 20, order: str | None = None,
        after: str | None = None, include: list[str] | None = None,
    ) -> Any:  # fmt: skip
        scope = self.scope(ctx)
        desc = (order or "desc") == "desc"

        def work() -> Any:
            with self.store.transaction(write=False) as conn:
                self._conversation(conn, scope, conversation_id)
                cursor = None
                if after is not None:
                    row = conn.execute(
                        "SELECT seq FROM items WHERE scope = ? AND conversation_id = ? AND id = ?",
                        (scope, conversation_id, after),
                    ).fetchone()
                    if row is None:
                        raise self.s.ServiceInvalidRequestError(
                            f"Invalid 'after': item '{after}' not found.", param="after", code="invalid_value"
                        )
                    cursor = row[0]
                sql = "SELECT data FROM items WHERE scope = ? AND conversation_id = ?"
                args: list[Any] = [scope, conversation_id]
                if cursor is not None:
                    sql += " AND seq < ?" if desc else " AND seq > ?"
                    args.append(cursor)
                sql += f" ORDER BY seq {'DESC' if desc else 'ASC'} LIMIT ?"
                args.append(limit + 1)
                rows = conn.execute(sql, args).fetchall()
                return self._page(rows[:limit], len(rows) > limit, include)

        return await self._run(work)

    async def get_conversation_item(
        self, ctx: Any, conversation_id: str, item_id: str, *, include: list[str] | None = None
    ) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=False) as conn:
                self._conversation(conn, scope, conversation_id)
                row = conn.execute(
                    "SELECT data FROM items WHERE scope = ? AND conversation_id = ? AND id = ?",
                    (scope, conversation_id, item_id),
                ).fetchone()
                if row is None:
                    raise self.s.ServiceNotFoundError(
                        f"Item with id '{item_id}' not found.", param="item_id", code="not_found"
                    )
                return self.items.render(json.loads(row[0]), include)

        return await self._run(work)

    async def delete_conversation_item(self, ctx: Any, conversation_id: str, item_id: str) -> Any:
        scope = self.scope(ctx)

        def work() -> Any:
            with self.store.transaction(write=True) as conn:
                conversation = self._conversation(conn, scope, conversation_id)
                gone = conn.execute(
                    "DELETE FROM items WHERE scope = ? AND conversation_id = ? AND id = ?",
                    (scope, conversation_id, item_id),
                ).rowcount
                if not gone:
                    raise self.s.ServiceNotFoundError(
                        f"Item with id '{item_id}' not found.", param="item_id", code="not_found"
                    )
                return conversation

        return await self._run(work)
