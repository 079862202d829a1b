"""Pagination read from an operation's shape, when nothing declares it (GET only). In order:

1. a next-page URL or path in the answer (`next_url`, `next_page_uri`, `nextLink`, `links.next`,
   `links.pages.next`, `_links.next.href`, a `format: uri` `next`...);
2. a `Link` header declared in the answer (RFC 8288, `rel="next"`);
3. a cursor parameter (`after`, `starting_after`, `cursor`, `page_token`..., or a string `page`)
   with the next cursor in the answer (`next_cursor`, `next_page_token`, `next_<param>`, `next`,
   nested in `meta` / `pagination` / `paging`...), else `last_id`, else `has_more` with items
   that all have a string `id` (the last item's id is the next cursor);
4. an integer `offset` (`skip`) with a total in the answer, a page-size parameter (a short page
   is the last) or `has_more`;
5. an integer `page` (`page_number`) likewise, or with `total_pages`.

Names are compared without case, `_` and `-`. What is ambiguous (two lists, two next cursors,
two cursor parameters) or incomplete (a cursor parameter nothing feeds) is not guessed: the
operation is not paged, and a note says which configuration would decide it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from . import ir
from .pagination_view import AnswerField, Found, OperationView, is_type, norm

CURSOR_PARAMS = {
    "after", "startingafter", "cursor", "pagetoken", "nexttoken", "continuationtoken", "continuation",
    "marker", "page[after]", "page[cursor]", "startcursor", "nextcursor",
}  # fmt: skip
OFFSET_PARAMS = {"offset", "skip", "page[offset]"}
PAGE_PARAMS = {"page", "pagenumber", "pageno", "page[number]"}
LIMIT_PARAMS = {
    "limit",
    "pagesize",
    "perpage",
    "size",
    "maxresults",
    "take",
    "top",
    "$top",
    "page[size]",
    "page[limit]",
}
NEXT_URL = {
    "nexturl", "nextpageurl", "nexturi", "nextpageuri", "nextlink", "nextpagelink", "nexthref", "@odata.nextlink",
    "nextpath", "nextpagepath",
}  # fmt: skip
LINK_CONTAINERS = {"links", "_links", "link", "pages"}
NEXT_CURSOR = {"nextcursor", "nextpagetoken", "nexttoken", "continuationtoken", "nextmarker", "endcursor"}
CONTAINERS = {"meta", "pagination", "paging", "pageinfo", "responsemetadata", "cursors", "page", "links"}
HAS_MORE = {"hasmore", "hasnext", "hasnextpage", "hasmoreitems", "hasmoreresults"}
TOTAL = {"total", "totalcount", "totalitems", "totalresults", "totalsize", "totalentries", "totalrecords"}
TOTAL_PAGES = {"totalpages", "pagecount", "numpages", "pagestotal"}
_URI_FORMATS = ("uri", "uri-reference", "url")


def _named(pool: Iterable[AnswerField], wanted: set[str], containers: set[str]) -> list[AnswerField]:
    """Fields named one of `wanted`, at the top of the answer or inside one of `containers`."""
    return [f for f in pool if f.last in wanted and (len(f.names) == 1 or f.parent in containers)]


def _listed(found: list[AnswerField]) -> str:
    return ", ".join(f"`{f.wire}`" for f in found)


def detect(view: OperationView) -> Found:
    paging_params = {norm(w) for w in view.query} & (CURSOR_PARAMS | OFFSET_PARAMS | PAGE_PARAMS)
    items = view.items(None)
    if isinstance(items, str):
        several = items.startswith("the answer has several lists")
        return view.note(items, 'items = "..."') if paging_params and several else Found()
    names, item_type = items
    fields = [f for f in view.fields() if f.names != names]
    strings = [f for f in fields if is_type(f.prop.info.py, "str")]

    # 1. a next URL or path
    urls = _named(strings, NEXT_URL, CONTAINERS | LINK_CONTAINERS) + [
        f
        for f in strings
        if f.last == "next"
        and (f.prop.schema.get("format") in _URI_FORMATS or f.parent in LINK_CONTAINERS)
        or f.wire.lower().endswith("next.href")
    ]
    urls = list({f.wire: f for f in urls}.values())
    if len(urls) > 1:
        why = f"several fields could be the next page's URL ({_listed(urls)})"
        return view.note(why, 'style = "next_url", next_url = "..."')
    if urls:
        return view.finish(ir.Pagination("next_url", "shape", "", names, next_url=urls[0].names), item_type)
    # 2. a Link header
    if view.link_header():
        return view.finish(ir.Pagination("link_header", "shape", "", names), item_type)
    if view.model is None:
        return Found()
    flags = [f for f in _named(fields, HAS_MORE, CONTAINERS) if is_type(f.prop.info.py, "bool")]
    more = flags[0].names if len(flags) == 1 else ()
    # 3. a cursor
    cursors = [w for w in view.query if norm(w) in CURSOR_PARAMS and "integer" not in view.schema_types(w)]
    if not cursors:  # Stripe's and OpenAI's searches: a string `page`, fed by `next_page`
        cursors = [w for w in view.query if norm(w) == "page" and view.schema_types(w) == {"string"}]
        if cursors:
            return _cursor(view, cursors, strings, more, names, item_type, by_id=False)
    if cursors:
        return _cursor(view, cursors, strings, more, names, item_type, by_id=True)
    # 4, 5. an offset, a page number
    totals = [f for f in _named(fields, TOTAL, CONTAINERS) if is_type(f.prop.info.py, "int")]
    pages = [f for f in _named(fields, TOTAL_PAGES, CONTAINERS) if is_type(f.prop.info.py, "int")]
    limits = [w for w in view.query if norm(w) in LIMIT_PARAMS and "integer" in view.schema_types(w)]
    for style, wanted in (("offset", OFFSET_PARAMS), ("page", PAGE_PARAMS)):
        found = [w for w in view.query if norm(w) in wanted and "integer" in view.schema_types(w)]
        if not found:
            continue
        if len(found) > 1 or len(limits) > 1 or len(totals) > 1:
            named = ", ".join(f"`{n}`" for n in found + limits + [f.wire for f in totals])
            return view.note(f"several {style}, page-size or total names ({named})", f'style = "{style}", ...')
        total = totals[0].names if totals else ()
        total_pages = pages[0].names if style == "page" and len(pages) == 1 else ()
        if not (total or total_pages or limits or more):
            why = f"`{found[0]}` pages, but no total, page-size parameter or `has_more` says where the list ends"
            return view.note(why, f'style = "{style}", {style} = "{found[0]}", total = "..."')
        scheme = ir.Pagination(
            style,  # type: ignore[arg-type]
            "shape",
            "",
            names,
            param=found[0],
            limit_param=limits[0] if limits else "",
            has_more=more,
            total=total,
            total_pages=total_pages,
        )
        return view.finish(scheme, item_type)
    return Found()


def _cursor(
    view: OperationView,
    cursors: list[str],
    strings: list[AnswerField],
    more: tuple[str, ...],
    names: tuple[str, ...],
    item_type: str,
    *,
    by_id: bool,
) -> Found:
    """A cursor parameter: where its next value comes from."""
    settings = f'style = "cursor", cursor = "{cursors[0]}", next_cursor = "..."'
    if len(cursors) > 1:
        return view.note(f"several cursor parameters ({', '.join(f'`{w}`' for w in cursors)})", settings)
    param = cursors[0]
    nexts = _named(strings, NEXT_CURSOR | {"next" + norm(param), "next"}, CONTAINERS)
    if not nexts:  # Facebook's `paging.cursors.after`
        nexts = [f for f in strings if f.parent == "cursors" and f.last == norm(param)]
    if not nexts:
        nexts = [f for f in strings if len(f.names) == 1 and f.last == "lastid"]  # OpenAI's lists
    if len(nexts) > 1:
        return view.note(f"several fields could be the next cursor ({_listed(nexts)})", settings)
    scheme = ir.Pagination("cursor", "shape", "", names, param=param, has_more=more)
    if nexts:
        return view.finish(replace(scheme, next_cursor=nexts[0].names), item_type)
    attribute = _id_attribute(view, item_type) if more and by_id else None
    if attribute:  # Stripe's lists
        return view.finish(replace(scheme, item_cursor=attribute), item_type)
    why = "nothing in the answer gives the next cursor (no `next_cursor`, `last_id`, or `has_more` with items"
    return view.note(
        f"`{param}` is a cursor parameter, but {why} that have an `id`)", settings + ' (or item_cursor = "id")'
    )


def _id_attribute(view: OperationView, item_type: str) -> str | None:
    """The attribute holding the items' string `id` (a class, or every class of a union of
    classes), when they all have one under the same name."""
    models = [item_type] if item_type in view.sb.out.models else []
    union = view.sb.out.unions.get(item_type)
    if union is not None:
        models = [m for m in union.members if m in view.sb.out.models]
        if len(models) != len(union.members):
            return None
    names = {name for m in models for name, p in view.props(m) if p.wire == "id" and is_type(p.info.py, "str")}
    has_all = all(any(p.wire == "id" and is_type(p.info.py, "str") for _, p in view.props(m)) for m in models)
    return names.pop() if models and has_all and len(names) == 1 else None
