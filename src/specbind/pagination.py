"""Which list operations page, and how: ``ir.Pagination`` per operation.

In order, the first that speaks decides: ``[tool.specbind.pagination.operations.<id>]``, the
document's ``x-speakeasy-pagination`` / ``x-fern-pagination``, a ``[[...pagination.rules]]``
entry whose names the operation has, then the operation's shape (GET only):

1. a next-page URL or path in the answer (`next_url`, `next_page_uri`, `nextLink`, `links.next`,
   `_links.next.href`, a `format: uri` `next`...);
2. a `Link` header declared in the answer (RFC 8288, `rel="next"`);
3. a cursor parameter (`after`, `starting_after`, `cursor`, `page_token`...) with the next cursor
   in the answer (`next_cursor`, `next_page_token`, `next`...), or `last_id`, or `has_more`
   with items that have an `id` (the last item's id is the next cursor);
4. `offset` (`skip`) with a total in the answer or a page-size parameter (a short page is the last);
5. `page` (an integer) likewise, or with `total_pages` / `has_more`.

An ambiguous shape (two lists, two next cursors, a cursor parameter with nothing that feeds it)
is not guessed: ``pagination_note`` says so, and which configuration would decide it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from . import ir, naming
from .errors import Problem
from .pagination_config import Declared, ExtensionError, Rule, extension, from_fern, from_speakeasy
from .resolve import Parts
from .schemas import PropInfo, SchemaBuilder


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


_CURSOR_PARAMS = {
    "after", "startingafter", "cursor", "pagetoken", "nexttoken", "continuationtoken", "continuation",
    "marker", "page[after]", "page[cursor]", "startcursor", "nextcursor",
}  # fmt: skip
_OFFSET_PARAMS = {"offset", "skip", "page[offset]"}
_PAGE_PARAMS = {"page", "pagenumber", "pageno", "page[number]"}
_LIMIT_PARAMS = {"limit", "pagesize", "perpage", "size", "maxresults", "take", "top", "$top", "page[size]", "page[limit]"}
_ITEMS = ("data", "items", "results", "entries", "records", "values", "elements", "list")
_NEXT_URL = {
    "nexturl", "nextpageurl", "nexturi", "nextpageuri", "nextlink", "nextpagelink", "nexthref", "@odata.nextlink",
    "nextpath", "nextpagepath",
}  # fmt: skip
_LINK_CONTAINERS = {"links", "_links", "link", "pages"}
_NEXT_CURSOR = {"nextcursor", "nextpagetoken", "nexttoken", "continuationtoken", "nextmarker", "endcursor"}
_CURSOR_CONTAINERS = {"meta", "pagination", "paging", "pageinfo", "responsemetadata", "cursors", "page", "links"}
_HAS_MORE = {"hasmore", "hasnext", "hasnextpage", "hasmoreitems", "hasmoreresults"}
_TOTAL = {"total", "totalcount", "totalitems", "totalresults", "totalsize", "totalentries", "totalrecords"}
_TOTAL_PAGES = {"totalpages", "pagecount", "numpages", "pagestotal"}


@dataclass(frozen=True)
class _Field:
    wire: str  # dotted wire path
    names: tuple[str, ...]  # attribute path
    prop: PropInfo


@dataclass
class Found:
    """The outcome for one operation."""

    pagination: ir.Pagination | None = None
    item_type: str | None = None  # the items' annotation, when paginated
    note: str = ""
    problems: list[Problem] = field(default_factory=list)


def _unwrap(py: str) -> str:
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


def _element(py: str) -> str | None:
    """``list[X]`` (inside ``Annotated[...]`` too) -> ``X``."""
    py = _unwrap(py)
    return py[5:-1] if py.startswith("list[") and py.endswith("]") else None


def _int(literal: str) -> int | None:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is(annotation: str, word: str) -> bool:
    """Whether ``word`` (`str`, `int`, `bool`) is one of the annotation's members."""
    return word in (_unwrap(m.strip()) for m in _unwrap(annotation).split("|"))


class Detector:
    """Decides every operation's pagination; rules that matched nothing are said at the end."""

    def __init__(self, sb: SchemaBuilder, rules: tuple[Rule, ...], resolve: Callable[[Any], Any]) -> None:
        self.sb = sb
        self.resolve = resolve
        self.by_operation = {r.operation_id: r.declared for r in rules if r.operation_id is not None}
        self.rules = [r.declared for r in rules if r.operation_id is None]
        self.used_rules: set[int] = set()
        self.seen_operations: set[str] = set()

    # -- entry ----------------------------------------------------------------------------------
    def detect(
        self,
        op_id: str,
        method: str,
        op: dict[str, Any],
        at: Parts,
        params: list[ir.Param],
        raw_params: dict[str, Any],
        response: str | None,
    ) -> Found:
        """``response``: the JSON answer's annotation (None when the answer is not JSON)."""
        self.seen_operations.add(op_id)
        ctx = _Op(self, op_id, method, op, at, {p.wire: p for p in params if p.location == "query"}, params, raw_params, response)
        declared = self.by_operation.get(op_id)
        if declared is not None:
            return ctx.declared(declared)
        ext = extension(op, self.sb.doc.data)
        if ext is not None:
            name, value = ext
            ext_at = at + (name,)
            file, line, pointer = self.sb.doc.locate(ext_at)
            try:
                keys = from_speakeasy(value) if name == "x-speakeasy-pagination" else from_fern(value)
            except ExtensionError as exc:
                where = pointer + ("/" + exc.key if exc.key else "")
                if exc.unsupported:
                    key_at = tuple(int(k) if k.isdigit() else k for k in exc.key.split("/") if k)
                    self.sb.warn(ext_at + key_at, f"{name}: {exc.message}; the operation returns its answer unpaged")
                    return Found()
                return Found(problems=[Problem(file, line, where, f"{name}: {exc.message}")])
            return ctx.declared(Declared(source=name, file=file, line=line, pointer=pointer, **keys))
        if method != "GET" or response is None:
            return Found()
        for i, rule in enumerate(self.rules):
            found = ctx.declared(rule)
            if found.pagination is not None and not found.problems:
                self.used_rules.add(i)
                return found
        return ctx.shape()

    def finish(self) -> list[Problem]:
        """Configuration that never applied: an operationId the document lacks is an error,
        a rule that matched nothing a warning."""
        out = [
            Problem(d.file, d.line, d.pointer, f"no operation has the operationId {op_id!r}")
            for op_id, d in self.by_operation.items()
            if op_id not in self.seen_operations
        ]
        for i, rule in enumerate(self.rules):
            if i not in self.used_rules:
                self.sb.diagnostics.warn(
                    rule.file, rule.line, rule.pointer, "this pagination rule matched no GET operation; nothing is paged by it"
                )
        return out


class _Op:
    """One operation being looked at: its parameters and answer, by name."""

    def __init__(
        self,
        det: Detector,
        op_id: str,
        method: str,
        op: dict[str, Any],
        at: Parts,
        query: dict[str, ir.Param],
        params: list[ir.Param],
        raw_params: dict[str, Any],
        response: str | None,
    ) -> None:
        self.det, self.sb = det, det.sb
        self.op_id, self.method, self.op, self.at = op_id, method, op, at
        self.query, self.params, self.raw_params = query, params, raw_params
        self.response = response
        self.model = response if response in self.sb.out.models else None

    # -- names ----------------------------------------------------------------------------------
    def props(self, model: str | None) -> list[tuple[str, PropInfo]]:
        """(attribute, property) of a generated class, in declaration order."""
        if model is None or model not in self.sb.out.models:
            return []
        names = {f.wire: f.name for f in self.sb.out.models[model].fields}
        return [(names.get(p.wire, naming.field_name(p.wire)), p) for p in self.sb.props.get(model, [])]

    def path(self, dotted: str, model: str | None = None) -> _Field | str:
        """A dotted wire path through the answer's classes, or what is wrong with it."""
        model = self.model if model is None else model
        names: list[str] = []
        prop: PropInfo | None = None
        for i, step in enumerate(dotted.split(".")):
            if prop is not None:
                model = prop.info.model
            if model is None:
                where = ".".join(dotted.split(".")[:i]) or "the answer"
                return f"`{where}` is not an object with declared fields, so it has no `{step}`"
            match = next(((name, p) for name, p in self.props(model) if p.wire == step), None)
            if match is None:
                known = ", ".join(p.wire for _, p in self.props(model))
                return f"the answer has no field `{dotted}` (`{step}` is not one of: {known or 'none'})"
            names.append(match[0])
            prop = match[1]
        assert prop is not None
        return _Field(dotted, tuple(names), prop)

    def walk(self, depth: int = 3) -> list[_Field]:
        """Every field of the answer, breadth first, through nested classes (not lists)."""
        out: list[_Field] = []
        level = [((), (), self.model)]
        for _ in range(depth):
            nxt = []
            for wires, names, model in level:
                for name, p in self.props(model):
                    f = _Field(".".join((*wires, p.wire)), (*names, name), p)
                    out.append(f)
                    if p.info.model is not None and "array" not in p.info.json_types:
                        nxt.append(((*wires, p.wire), (*names, name), p.info.model))
            level = nxt
        return out

    def schema_types(self, wire: str) -> set[str]:
        schema = self.det.resolve(self.raw_params.get(wire))
        t = schema.get("type") if isinstance(schema, dict) else None
        return {t} if isinstance(t, str) else set(t) if isinstance(t, list) else set()

    def param_default(self, wire: str) -> int | None:
        p = self.query.get(wire)
        return _int(p.default) if p is not None else None

    def first_page(self, wire: str) -> int:
        """The number of the first page: the parameter's default, else its minimum (0 or 1), else 1."""
        default = self.param_default(wire)
        if default is not None:
            return default
        schema = self.det.resolve(self.raw_params.get(wire))
        minimum = schema.get("minimum") if isinstance(schema, dict) else None
        return minimum if minimum in (0, 1) else 1

    def link_header(self) -> bool:
        responses = self.op.get("responses") if isinstance(self.op.get("responses"), dict) else {}
        for code, answer in responses.items():
            headers = self.det.resolve(answer).get("headers") if str(code).startswith("2") else None
            if isinstance(headers, dict) and any(str(h).lower() == "link" for h in headers):
                return True
        return False

    # -- items --------------------------------------------------------------------------------
    def items(self, dotted: str | None) -> tuple[tuple[str, ...], str] | str:
        """(attribute path, item type) of the list of items; a message when there is none or
        several could be it."""
        if dotted == "" or (dotted is None and self.model is None):
            element = _element(self.response or "")
            return ((), element) if element else "the answer is not a list (name the list with `items`)"
        if dotted is not None:
            found = self.path(dotted)
            if isinstance(found, str):
                return found
            element = _element(found.prop.info.py)
            return (found.names, element) if element else f"`{dotted}` is not a list"
        arrays = [(name, p) for name, p in self.props(self.model) if _element(p.info.py)]
        if len(arrays) > 1:
            named = [(n, p) for n, p in arrays if _norm(p.wire) in _ITEMS]
            if len(named) != 1:
                listed = ", ".join(f"`{p.wire}`" for _, p in arrays)
                return f"the answer has several lists ({listed}) that could hold the items"
            arrays = named
        if not arrays:
            return "the answer has no list of items"
        name, p = arrays[0]
        return (name,), str(_element(p.info.py))

    # -- declared schemes ----------------------------------------------------------------------
    def declared(self, d: Declared) -> Found:
        if d.style == "none":
            return Found()
        problems: list[Problem] = []

        def param(key: str, wire: str) -> str:
            if not wire:
                return ""
            if wire not in self.query:
                other = next((p for p in self.params if p.wire == wire), None)
                problems.append(
                    d.problem(
                        key,
                        f"`{wire}` is a {other.location} parameter; only a query parameter can carry it"
                        if other
                        else f"operation {self.op_id} has no query parameter `{wire}`"
                        + (f" (it has {', '.join(f'`{w}`' for w in self.query)})" if self.query else ""),
                    )
                )
            return wire

        def answer(key: str, dotted: str) -> tuple[str, ...]:
            if not dotted:
                return ()
            found = self.path(dotted)
            if isinstance(found, str):
                problems.append(d.problem(key, f"operation {self.op_id}: {found}"))
                return ()
            return found.names

        if self.response is None:
            return Found(problems=[d.problem("style", f"operation {self.op_id} has no JSON answer to page through")])
        items = self.items(d.items)
        if isinstance(items, str):
            problems.append(d.problem("items", f"operation {self.op_id}: {items}"))
            items = ((), "Any")
        scheme = ir.Pagination(
            style=d.style,  # type: ignore[arg-type]
            source=d.source,
            reason="",
            items=items[0],
            param=param({"cursor": "cursor", "offset": "offset", "page": "page"}.get(d.style, "param"), d.param),
            next_cursor=answer("next_cursor", d.next_cursor),
            item_cursor=d.item_cursor,
            has_more=answer("has_more", d.has_more),
            next_url=answer("next_url", d.next_url),
            limit_param=param("limit" if d.style == "offset" else "per_page", d.limit),
            total=answer("total", d.total),
            total_pages=answer("total_pages", d.total_pages),
        )
        if d.item_cursor and items[1] in self.sb.out.models:
            found = self.path(d.item_cursor, items[1])
            if isinstance(found, str):
                problems.append(d.problem("item_cursor", f"operation {self.op_id}: the items' {found.removeprefix('the answer')}"))
            else:
                scheme = replace(scheme, item_cursor=found.names[0])
        if problems:
            return Found(problems=problems)
        return self.finish(scheme, items[1], d.first)

    def finish(self, scheme: ir.Pagination, item_type: str, first: int | None = None) -> Found:
        """Defaults from the parameters' schemas, and the sentence `--explain` prints."""
        if scheme.limit_param:
            scheme = replace(scheme, default_limit=self.param_default(scheme.limit_param))
        if scheme.style == "page":
            scheme = replace(scheme, first=self.first_page(scheme.param) if first is None else first)
        elif scheme.style == "offset":
            scheme = replace(scheme, first=self.param_default(scheme.param) or 0 if first is None else first)
        return Found(replace(scheme, reason=explain(scheme, item_type, self.wires(scheme))), item_type)

    def wires(self, scheme: ir.Pagination) -> dict[tuple[str, ...], str]:
        """Attribute paths back to the answer's wire names, for sentences."""
        return {f.names: f.wire for f in self.walk()}

    # -- the shape -------------------------------------------------------------------------------
    def shape(self) -> Found:
        fields = self.walk()
        items = self.items(None)
        looks = self.looks_like_a_list()
        if isinstance(items, str):
            several = items.startswith("the answer has several lists")
            return Found(note=self.note(items, 'items = "..."')) if looks and several else Found()
        names, item_type = items
        top = {f.names: f for f in fields}
        item_field = top.get(names)
        strings = [f for f in fields if _is(f.prop.info.py, "str") and f is not item_field]

        def named(pool: Iterable[_Field], wanted: set[str], containers: set[str] | None = None) -> list[_Field]:
            return [
                f
                for f in pool
                if _norm(f.wire.rsplit(".", 1)[-1]) in wanted
                and (len(f.names) == 1 or containers is None or _norm(f.wire.split(".")[-2]) in containers)
            ]

        # 1. a next URL or path
        urls = named(strings, _NEXT_URL, _CURSOR_CONTAINERS | _LINK_CONTAINERS)
        urls += [
            f
            for f in strings
            if f.wire.rsplit(".", 1)[-1].lower() == "next"
            and (f.prop.schema.get("format") in ("uri", "uri-reference", "url") or (len(f.names) > 1 and _norm(f.wire.split(".")[-2]) in _LINK_CONTAINERS))
        ]
        urls += [f for f in strings if f.wire.lower().endswith("next.href") and len(f.names) > 1]
        urls = list({f.wire: f for f in urls}.values())
        if len(urls) > 1:
            return Found(note=self.note(f"several fields could be the next page's URL ({self.listed(urls)})", 'style = "next_url", next_url = "..."'))
        if urls:
            return self.finish(ir.Pagination("next_url", "shape", "", names, next_url=urls[0].names), item_type)
        # 2. a Link header
        if self.link_header():
            return self.finish(ir.Pagination("link_header", "shape", "", names), item_type)
        if self.model is None:
            return Found()
        has_more = [f for f in named(fields, _HAS_MORE, _CURSOR_CONTAINERS) if _is(f.prop.info.py, "bool")]
        more = has_more[0].names if len(has_more) == 1 else ()
        # 3. a cursor
        cursors = [w for w in self.query if _norm(w) in _CURSOR_PARAMS and "integer" not in self.schema_types(w)]
        page_cursor = [w for w in self.query if _norm(w) == "page" and self.schema_types(w) == {"string"}]
        if cursors or page_cursor:
            return self.cursor(cursors, page_cursor, strings, fields, more, names, item_type)
        # 4, 5. offset / page numbers
        totals = [f for f in named(fields, _TOTAL, _CURSOR_CONTAINERS) if _is(f.prop.info.py, "int")]
        pages = [f for f in named(fields, _TOTAL_PAGES, _CURSOR_CONTAINERS) if _is(f.prop.info.py, "int")]
        limits = [w for w in self.query if _norm(w) in _LIMIT_PARAMS and "integer" in self.schema_types(w)]
        for style, wanted in (("offset", _OFFSET_PARAMS), ("page", _PAGE_PARAMS)):
            found = [w for w in self.query if _norm(w) in wanted and "integer" in self.schema_types(w)]
            if not found:
                continue
            if len(found) > 1 or len(limits) > 1 or len(totals) > 1:
                return Found(note=self.note(f"several {style}, size or total names ({', '.join(found + limits)})", f'style = "{style}", ...'))
            total = totals[0].names if totals else ()
            total_pages = pages[0].names if style == "page" and len(pages) == 1 else ()
            if not (total or total_pages or limits or more):
                return Found(note=self.note(f"`{found[0]}` pages, but neither a total, a page-size parameter nor `has_more` says where the list ends", f'style = "{style}", {style} = "{found[0]}", total = "..."'))
            scheme = ir.Pagination(
                style, "shape", "", names, param=found[0], limit_param=limits[0] if limits else "", has_more=more,  # type: ignore[arg-type]
                total=total, total_pages=total_pages,
            )  # fmt: skip
            return self.finish(scheme, item_type)
        return Found()

    def cursor(
        self,
        cursors: list[str],
        page_cursor: list[str],
        strings: list[_Field],
        fields: list[_Field],
        more: tuple[str, ...],
        names: tuple[str, ...],
        item_type: str,
    ) -> Found:
        if len(cursors) > 1:
            return Found(note=self.note(f"several cursor parameters ({', '.join(f'`{w}`' for w in cursors)})", 'style = "cursor", cursor = "...", next_cursor = "..."'))
        param = cursors[0] if cursors else page_cursor[0]
        wanted = set(_NEXT_CURSOR) | {"next" + _norm(param), "next"}
        nexts = [f for f in strings if _norm(f.wire.rsplit(".", 1)[-1]) in wanted and (len(f.names) == 1 or _norm(f.wire.split(".")[-2]) in _CURSOR_CONTAINERS)]
        if not nexts:  # `paging.cursors.after`
            nexts = [f for f in strings if len(f.names) > 1 and _norm(f.wire.split(".")[-2]) == "cursors" and _norm(f.wire.rsplit(".", 1)[-1]) == _norm(param)]
        if len(nexts) > 1:
            return Found(note=self.note(f"several fields could be the next cursor ({self.listed(nexts)})", f'style = "cursor", cursor = "{param}", next_cursor = "..."'))
        if nexts:
            return self.finish(ir.Pagination("cursor", "shape", "", names, param=param, next_cursor=nexts[0].names, has_more=more), item_type)
        last = [f for f in strings if len(f.names) == 1 and _norm(f.wire) == "lastid"]
        if last:
            return self.finish(ir.Pagination("cursor", "shape", "", names, param=param, next_cursor=last[0].names, has_more=more), item_type)
        if more and page_cursor == [] and self.item_has_id(item_type):
            return self.finish(ir.Pagination("cursor", "shape", "", names, param=param, item_cursor="id", has_more=more), item_type)
        why = "nothing in the answer gives the next cursor (no `next_cursor`, `last_id`, or `has_more` with items that have an `id`)"
        return Found(note=self.note(f"`{param}` is a cursor parameter, but {why}", f'style = "cursor", cursor = "{param}", next_cursor = "..." (or item_cursor = "id")'))

    def item_has_id(self, item_type: str) -> bool:
        """The items (a class, or a union of classes) all have a string `id`."""
        models = [item_type] if item_type in self.sb.out.models else []
        union = self.sb.out.unions.get(item_type)
        if union is not None:
            models = [m for m in union.members if m in self.sb.out.models]
            if len(models) != len(union.members):
                return False
        return bool(models) and all(
            any(p.wire == "id" and _is(p.info.py, "str") for _, p in self.props(m)) for m in models
        )

    def looks_like_a_list(self) -> bool:
        """A query parameter that only a list takes (a cursor, an offset, a page number)."""
        return bool({_norm(w) for w in self.query} & (_CURSOR_PARAMS | _OFFSET_PARAMS | _PAGE_PARAMS))

    def listed(self, found: list[_Field]) -> str:
        return ", ".join(f"`{f.wire}`" for f in found)

    def note(self, why: str, settings: str) -> str:
        return f"not paginated: {why}; to decide, set [tool.specbind.pagination.operations.{self.op_id}] {settings}"


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
    stops = []
    if p.has_more:
        stops.append(f"{w(p.has_more)} is false")
    if p.total:
        stops.append(f"{w(p.total)} items are seen")
    if p.total_pages:
        stops.append(f"{w(p.total_pages)} pages are seen")
    if p.limit_param:
        stops.append(f"a page is shorter than `{p.limit_param}`" + (f" (default {p.default_limit})" if p.default_limit else ""))
    if p.style in ("cursor", "next_url", "link_header") and (p.next_cursor or p.next_url or p.style == "link_header"):
        stops.append("there is no next " + ("cursor" if p.style == "cursor" else "link"))
    elif p.style in ("offset", "page", "cursor"):
        stops.append("a page is empty")
    ends = f"; stops when {' or when '.join(stops)}" if stops else ""
    return f"{p.source}: {how}; {items}{ends}"


__all__ = ["Detector", "Found", "explain"]
