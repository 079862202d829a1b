"""One operation as pagination sees it: its query parameters and its answer's fields, by wire
name and by Python attribute; how a scheme is finished (defaults from the parameters' schemas)
and explained in one sentence (`generate --explain`)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from . import ir, naming
from .errors import Problem
from .schema_info import PropInfo
from .schemas import SchemaBuilder


def norm(name: str) -> str:
    """`next_page_token`, `nextPageToken`, `next-page-token` -> `nextpagetoken`."""
    return name.lower().replace("_", "").replace("-", "")


def unwrap(py: str) -> str:
    """``Annotated[X, ...]`` -> ``X`` (constraints say nothing about what a value is)."""
    while py.startswith("Annotated["):
        depth, end = 0, len(py) - 1
        for i, ch in enumerate(py[len("Annotated[") :], len("Annotated[")):
            if ch in "[(":
                depth += 1
            elif ch in "])":
                depth -= 1
            elif ch == "," and depth == 0:
                end = i
                break
        py = py[len("Annotated[") : end].strip()
    return py


def element(py: str) -> str | None:
    """``list[X]`` (inside ``Annotated[...]`` too) -> ``X``."""
    py = unwrap(py)
    return py[5:-1] if py.startswith("list[") and py.endswith("]") else None


def is_type(annotation: str, word: str) -> bool:
    """Whether ``word`` (`str`, `int`, `bool`) is one of the annotation's members."""
    return word in (unwrap(m.strip()) for m in unwrap(annotation).split("|"))


def _int(literal: str) -> int | None:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class AnswerField:
    wire: str  # dotted wire path (`meta.next_cursor`)
    names: tuple[str, ...]  # the same, as attributes of the parsed answer
    prop: PropInfo

    @property
    def last(self) -> str:
        return norm(self.wire.rsplit(".", 1)[-1])

    @property
    def parent(self) -> str:
        """The normalised name of the object holding it ("" at the top)."""
        parts = self.wire.split(".")
        return norm(parts[-2]) if len(parts) > 1 else ""


@dataclass
class Found:
    """The outcome for one operation."""

    pagination: ir.Pagination | None = None
    item_type: str | None = None  # the items' annotation, when paginated
    note: str = ""  # looks like a list, but not paginated: why, and what would decide it
    problems: list[Problem] = field(default_factory=list)


class OperationView:
    def __init__(
        self,
        sb: SchemaBuilder,
        resolve: Callable[[Any], Any],
        op_id: str,
        op: dict[str, Any],
        params: list[ir.Param],
        raw_query: dict[str, Any],
        response: str | None,
    ) -> None:
        self.sb, self.resolve = sb, resolve
        self.op_id, self.op = op_id, op
        self.params = params
        self.query = {p.wire: p for p in params if p.location == "query"}
        self.raw_query = raw_query  # wire -> schema
        self.response = response  # the JSON answer's annotation; None when it is not JSON
        self.model = response if response in sb.out.models else None

    # -- the answer -----------------------------------------------------------------------------
    def props(self, model: str | None) -> list[tuple[str, PropInfo]]:
        """(attribute, property) of a generated class, in declaration order."""
        if model is None or model not in self.sb.out.models:
            return []
        names = {f.wire: f.name for f in self.sb.out.models[model].fields}
        return [(names.get(p.wire, naming.field_name(p.wire)), p) for p in self.sb.props.get(model, [])]

    def path(self, dotted: str, model: str | None = None) -> AnswerField | str:
        """A dotted wire path through the answer's classes, or what is wrong with it."""
        model = self.model if model is None else model
        steps = dotted.split(".")
        names: list[str] = []
        prop: PropInfo | None = None
        for i, step in enumerate(steps):
            if prop is not None:
                model = prop.info.model
            if model is None:
                where = ".".join(steps[:i]) or "the answer"
                return f"`{where}` is not an object with declared fields, so it has no `{step}`"
            match = next(((name, p) for name, p in self.props(model) if p.wire == step), None)
            if match is None:
                known = ", ".join(p.wire for _, p in self.props(model)) or "none"
                return f"the answer has no field `{dotted}` (`{step}` is not one of: {known})"
            names.append(match[0])
            prop = match[1]
        if prop is None:
            return "an empty path"
        return AnswerField(dotted, tuple(names), prop)

    def fields(self, depth: int = 3) -> list[AnswerField]:
        """Every field of the answer, breadth first, through nested classes (not into lists)."""
        out: list[AnswerField] = []
        level: list[tuple[tuple[str, ...], tuple[str, ...], str | None]] = [((), (), self.model)]
        for _ in range(depth):
            deeper: list[tuple[tuple[str, ...], tuple[str, ...], str | None]] = []
            for wires, names, model in level:
                for name, p in self.props(model):
                    here = AnswerField(".".join((*wires, p.wire)), (*names, name), p)
                    out.append(here)
                    if p.info.model is not None and "array" not in p.info.json_types:
                        deeper.append(((*wires, p.wire), (*names, name), p.info.model))
            level = deeper
        return out

    def items(self, dotted: str | None) -> tuple[tuple[str, ...], str] | str:
        """(attribute path, item type) of the list of items: at `dotted` ("" the answer itself),
        else the answer's one list (or its one list named `data`, `items`, `results`...).
        A message when there is none, or several could be it."""
        if dotted == "" or (dotted is None and self.model is None):
            item = element(self.response or "")
            return ((), item) if item else "the answer is not a list (name the list with `items`)"
        if dotted is not None:
            found = self.path(dotted)
            if isinstance(found, str):
                return found
            item = element(found.prop.info.py)
            return (found.names, item) if item else f"`{dotted}` is not a list"
        lists = [(name, p) for name, p in self.props(self.model) if element(p.info.py)]
        if len(lists) > 1:
            named = [(n, p) for n, p in lists if norm(p.wire) in ITEM_NAMES]
            if len(named) != 1:
                listed = ", ".join(f"`{p.wire}`" for _, p in lists)
                return f"the answer has several lists ({listed}) that could hold the items"
            lists = named
        if not lists:
            return "the answer has no list of items"
        name, p = lists[0]
        return (name,), str(element(p.info.py))

    def link_header(self) -> bool:
        """A success answer declares a `Link` header."""
        responses = self.op.get("responses")
        for code, answer in responses.items() if isinstance(responses, dict) else ():
            headers = self.resolve(answer).get("headers") if str(code).startswith("2") else None
            if isinstance(headers, dict) and any(str(h).lower() == "link" for h in headers):
                return True
        return False

    # -- the parameters ------------------------------------------------------------------------
    def schema_types(self, wire: str) -> set[str]:
        schema = self.resolve(self.raw_query.get(wire))
        t = schema.get("type") if isinstance(schema, dict) else None
        return {t} if isinstance(t, str) else set(t) if isinstance(t, list) else set()

    def default(self, wire: str) -> int | None:
        p = self.query.get(wire)
        return _int(p.default) if p is not None else None

    def first_page(self, wire: str) -> int:
        """The number of the first page: the parameter's default, else its minimum (0 or 1), else 1."""
        default = self.default(wire)
        if default is not None:
            return default
        schema = self.resolve(self.raw_query.get(wire))
        minimum = schema.get("minimum") if isinstance(schema, dict) else None
        return minimum if minimum in (0, 1) else 1

    # -- the outcome ---------------------------------------------------------------------------
    def finish(self, scheme: ir.Pagination, item_type: str, first: int | None = None) -> Found:
        """Defaults from the parameters' schemas, and the sentence `--explain` prints."""
        if scheme.limit_param:
            scheme = replace(scheme, default_limit=self.default(scheme.limit_param))
        if scheme.style == "page":
            scheme = replace(scheme, first=self.first_page(scheme.param) if first is None else first)
        elif scheme.style == "offset":
            scheme = replace(scheme, first=(self.default(scheme.param) or 0) if first is None else first)
        wires = {f.names: f.wire for f in self.fields()}
        return Found(replace(scheme, reason=explain(scheme, item_type, wires)), item_type)

    def note(self, why: str, settings: str) -> Found:
        table = f"[tool.specbind.pagination.operations.{self.op_id}]"
        return Found(note=f"not paginated: {why}; to decide, set {table} {settings}")


ITEM_NAMES = {"data", "items", "results", "entries", "records", "values", "elements", "list"}


def explain(p: ir.Pagination, item_type: str, wires: dict[tuple[str, ...], str]) -> str:
    """One sentence on what pages and how, in the answer's wire names."""

    def w(names: tuple[str, ...]) -> str:
        return f"`{wires.get(names, '.'.join(names))}`"

    items = f"items {w(p.items)} ({item_type})" if p.items else f"items: the answer ({item_type})"
    if p.style == "cursor":
        source = f"{w(p.next_cursor)} from the answer" if p.next_cursor else f"the last item's `{p.item_cursor}`"
        how = f"`{p.param}` takes {source}"
    elif p.style == "next_url":
        how = f"the next page is at {w(p.next_url)} (a URL on the same host, or a path under the base URL)"
    elif p.style == "link_header":
        how = 'the next page is the answer\'s `Link: <...>; rel="next"` header'
    else:
        step = "advances by the page's length" if p.style == "offset" else f"counts up from {p.first}"
        how = f"`{p.param}` {step}"
    stops = [f"{w(p.has_more)} is false"] if p.has_more else []
    if p.total:
        stops.append(f"{w(p.total)} items are seen")
    if p.total_pages:
        stops.append(f"{w(p.total_pages)} pages are seen")
    if p.limit_param:
        default = f" (default {p.default_limit})" if p.default_limit else ""
        stops.append(f"a page is shorter than `{p.limit_param}`{default}")
    if p.next_cursor or p.next_url or p.style == "link_header":
        stops.append("there is no next " + ("cursor" if p.style == "cursor" else "link"))
    else:
        stops.append("a page is empty")
    return f"{p.source}: {how}; {items}; stops when {' or when '.join(stops)}"
