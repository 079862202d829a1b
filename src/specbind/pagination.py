"""Which list operations page, and how: an ``ir.Pagination`` per operation.

The first that speaks decides, in order:

1. ``[tool.specbind.pagination.operations.<operationId>]`` (``style = "none"`` turns paging off);
2. the document's ``x-speakeasy-pagination`` / ``x-fern-pagination`` on the operation;
3. a ``[[tool.specbind.pagination.rules]]`` entry whose names the (GET) operation all has;
4. the operation's shape (GET only): ``pagination_shape``.

A declared scheme naming a parameter or field the operation does not have is a located error;
an extension asking for what the client cannot do (a cursor in the request body) is a warning
and the operation returns its answer unpaged. The configuration's own shape is checked when it
is read (``pagination_config``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from . import ir, pagination_shape
from .errors import Problem
from .pagination_config import Declared, ExtensionError, Rule, extension, from_fern, from_speakeasy
from .pagination_view import Found, OperationView
from .resolve import Parts
from .schemas import SchemaBuilder

_PARAM_KEY = {"cursor": "cursor", "offset": "offset", "page": "page"}


def _parts(path: str) -> Parts:
    return tuple(int(p) if p.isdigit() else p for p in path.split("/") if p)


class Detector:
    """Decides every operation's pagination; configuration that never applied is said at the end."""

    def __init__(self, sb: SchemaBuilder, rules: tuple[Rule, ...], resolve: Callable[[Any], Any]) -> None:
        self.sb = sb
        self.resolve = resolve
        self.by_operation = {r.operation_id: r.declared for r in rules if r.operation_id is not None}
        self.rules = [r.declared for r in rules if r.operation_id is None]
        self.used_rules: set[int] = set()
        self.seen_operations: set[str] = set()

    def detect(
        self,
        op_id: str,
        method: str,
        op: dict[str, Any],
        at: Parts,
        params: list[ir.Param],
        raw_query: dict[str, Any],
        response: str | None,
    ) -> Found:
        """``raw_query``: the query parameters' schemas by wire name; ``response``: the JSON
        answer's annotation (None when the answer is not JSON)."""
        self.seen_operations.add(op_id)
        view = OperationView(self.sb, self.resolve, op_id, op, params, raw_query, response)
        if op_id in self.by_operation:
            return declared(view, self.by_operation[op_id])
        ext = extension(op, self.sb.n.data)
        if ext is not None:
            return self.from_extension(view, at, *ext)
        if method != "GET" or response is None:
            return Found()
        for i, rule in enumerate(self.rules):
            found = declared(view, rule)
            if found.pagination is not None:
                self.used_rules.add(i)
                return found
        return pagination_shape.detect(view)

    def from_extension(self, view: OperationView, at: Parts, name: str, value: Any) -> Found:
        ext_at = at + (name,)
        file, line, pointer = self.sb.n.source.locate(ext_at)
        try:
            keys = from_speakeasy(value) if name == "x-speakeasy-pagination" else from_fern(value)
        except ExtensionError as exc:
            if exc.unsupported:
                self.sb.warn(
                    ext_at + _parts(exc.key), f"{name}: {exc.message}; the operation returns its answer unpaged"
                )
                return Found()
            where = self.sb.n.source.locate(ext_at + _parts(exc.key))
            return Found(problems=[Problem(where[0], where[1], where[2], f"{name}: {exc.message}")])
        words = keys.pop("keys")
        located = tuple((k, path, self.sb.n.source.locate(ext_at + _parts(path))[1]) for k, path in words.items())
        return declared(view, Declared(source=name, file=file, line=line, pointer=pointer, keys=located, **keys))

    def finish(self) -> list[Problem]:
        """An operationId the document lacks is an error; a rule that matched nothing, a warning."""
        out = [
            Problem(d.file, d.line, d.pointer, f"no operation has the operationId {op_id!r}")
            for op_id, d in self.by_operation.items()
            if op_id not in self.seen_operations
        ]
        for i, rule in enumerate(self.rules):
            if i not in self.used_rules:
                message = "this pagination rule matched no GET operation; nothing is paged by it"
                self.sb.diagnostics.warn(rule.file, rule.line, rule.pointer, message)
        return out


def declared(view: OperationView, d: Declared) -> Found:
    """A stated scheme, its names checked against the operation. For a rule, problems only mean
    that it does not apply here."""
    if d.style == "none":
        return Found()
    if view.response is None:
        return Found(problems=[d.problem("style", f"operation {view.op_id} has no JSON answer to page through")])
    problems: list[Problem] = []

    def param(key: str, wire: str) -> str:
        if wire and wire not in view.query:
            other = next((p for p in view.params if p.wire == wire), None)
            if other is not None:
                message = f"`{wire}` is a {other.location} parameter; only a query parameter can carry it"
            else:
                has = f" (it has {', '.join(f'`{w}`' for w in view.query)})" if view.query else ""
                message = f"operation {view.op_id} has no query parameter `{wire}`{has}"
            problems.append(d.problem(key, message))
        return wire

    def answer(key: str, dotted: str) -> tuple[str, ...]:
        found = view.path(dotted) if dotted else None
        if isinstance(found, str):
            problems.append(d.problem(key, f"operation {view.op_id}: {found}"))
        return found.names if found is not None and not isinstance(found, str) else ()

    items = view.items(d.items)
    if isinstance(items, str):
        problems.append(d.problem("items", f"operation {view.op_id}: {items}"))
        items = ((), "Any")
    names, item_type = items
    scheme = ir.Pagination(
        style=d.style,  # type: ignore[arg-type]
        source=d.source,
        reason="",
        items=names,
        param=param(_PARAM_KEY.get(d.style, "param"), d.param),
        next_cursor=answer("next_cursor", d.next_cursor),
        item_cursor=d.item_cursor,
        has_more=answer("has_more", d.has_more),
        next_url=answer("next_url", d.next_url),
        limit_param=param("limit" if d.style == "offset" else "per_page", d.limit),
        total=answer("total", d.total),
        total_pages=answer("total_pages", d.total_pages),
    )
    if d.item_cursor and item_type in view.sb.out.models:  # a field of each item, by its wire name
        found = view.path(d.item_cursor, item_type)
        if isinstance(found, str):
            problems.append(d.problem("item_cursor", f"operation {view.op_id}: the items: {found}"))
        else:
            scheme = replace(scheme, item_cursor=found.names[0])
    if problems:
        return Found(problems=problems)
    return view.finish(scheme, item_type, d.first)


__all__ = ["Detector", "Found"]
