"""The generated package's public face: what its top level exports, and the "which class
do I use" table (for each kind of a tagged union: the class to send, the class you get back).

Both are computed from the IR once; templates print them, ``generate --explain`` prints the
table, and the README shows it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace

from . import ir, naming

#: What ``__init__.py`` imports besides the models, by module. Kept in step with the
#: ``__all__`` of the client and errors templates.
CLIENT_NAMES: dict[str, tuple[str, ...]] = {
    "client": ("NOT_GIVEN", "AsyncClient", "Client", "NotGiven"),
    "_http": ("AsyncPage", "AsyncPager", "SyncPage"),
    "_response": ("APIResponse", "AsyncStreamedResponse", "StreamedResponse"),
    "errors": (
        "APIConnectionError",
        "APIError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "InternalServerError",
        "NotFoundError",
        "PaginationError",
        "PermissionDeniedError",
        "RateLimitError",
        "UnprocessableEntityError",
    ),
}


def lazy_exports(has_client: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(module, names) the package's top level imports on first use, so that `import pkg`
    for the models alone pays for neither httpx nor building the client."""
    return tuple(sorted(CLIENT_NAMES.items())) if has_client else ()


def package_exports(model_names: Iterable[str], has_client: bool) -> tuple[str, ...]:
    """Every name the package's top level exports. Schemas never take a client name:
    ``naming.MODULE_RESERVED`` holds them all, so a schema called ``NotFoundError`` becomes
    ``NotFoundError_``."""
    client = {n for names in CLIENT_NAMES.values() for n in names} if has_client else set()
    modules = {"client", "errors", "models"} if has_client else {"models"}
    return _sorted_names(set(model_names) | client | modules)


def _sorted_names(names: set[str]) -> tuple[str, ...]:
    """Constants, then classes, then functions, numbers in natural order: what ruff's RUF022 keeps."""
    return tuple(sorted(names, key=naming.export_key))


# -- which class do I use ----------------------------------------------------------------------
_LITERAL = re.compile(r"Literal\[([^\]]*)\]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _tags_of(model: ir.Model, tag_wire: str) -> tuple[str, ...]:
    field = next((f for f in model.fields if f.wire == tag_wire), None)
    match = _LITERAL.search(field.annotation) if field else None
    if match is None:
        return ()
    values = ast.literal_eval("(" + match.group(1) + ",)")
    return tuple(v for v in values if isinstance(v, str))


def _reachable(roots: Iterable[str], by_name: dict[str, ir.Model | ir.Alias | ir.Union]) -> set[str]:
    seen: set[str] = set()
    stack = [r for r in roots if r in by_name]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        d = by_name[name]
        if isinstance(d, ir.Model):
            text = " ".join(f.annotation for f in d.fields)
        elif isinstance(d, ir.Alias):
            text = d.annotation
        else:
            text = " ".join(d.members)
        stack.extend(w for w in _WORD.findall(text) if w in by_name and w not in seen)
    return seen


def _kinds(u: ir.Union, models: dict[str, ir.Model]) -> dict[str, list[str]]:
    """tag value -> the member classes carrying it, spec order."""
    out: dict[str, list[str]] = {}
    for member in u.members:
        model = models.get(member)
        if model is not None and u.tag_wire:
            for tag in _tags_of(model, u.tag_wire):
                out.setdefault(tag, []).append(member)
    return out


def sent_unions(
    definitions: tuple[ir.Model | ir.Alias | ir.Union, ...], operations: tuple[ir.Operation, ...]
) -> set[str]:
    """The tagged unions a request body reaches: they take models of other classes too."""
    by_name = {d.name: d for d in definitions}
    sent = _reachable((op.body_model for op in operations if op.body_model), by_name)
    return {d.name for d in definitions if isinstance(d, ir.Union) and d.name in sent and d.strategy != "plain"}


def kind_tables(
    definitions: tuple[ir.Model | ir.Alias | ir.Union, ...], operations: tuple[ir.Operation, ...]
) -> tuple[ir.KindTable, ...]:
    """One table per tagged union a request body uses: each tag, the request classes that
    carry it, and the classes the responses' union of the most tags in common gives back.
    Unions that send and get back the same classes are left out: there is nothing to choose."""
    by_name = {d.name: d for d in definitions}
    models = {d.name: d for d in definitions if isinstance(d, ir.Model)}
    sent = _reachable((op.body_model for op in operations if op.body_model), by_name)
    received = _reachable(
        (w for op in operations for w in _WORD.findall(f"{op.response or ''} {op.item_type or ''}")), by_name
    )

    def tagged(names: set[str]) -> list[ir.Union]:
        unions = [
            d
            for d in definitions
            if isinstance(d, ir.Union) and d.name in names and d.tag_wire and d.strategy != "plain"
        ]
        # A union whose members all sit in a bigger one on the same tag (flattened) adds nothing.
        return [
            u for u in unions
            if not any(o is not u and o.tag_wire == u.tag_wire and set(u.members) < set(o.members) for o in unions)
        ]  # fmt: skip

    responses = [(u, _kinds(u, models)) for u in tagged(received)]
    tables: list[ir.KindTable] = []
    for request in tagged(sent):
        kinds = _kinds(request, models)
        if not kinds:
            continue
        overlaps = sorted(
            (-len(kinds.keys() & got.keys()), u.name, got) for u, got in responses if u.tag_wire == request.tag_wire
        )
        match = overlaps[0] if overlaps and overlaps[0][0] < 0 else None
        got = match[2] if match else {}
        rows = tuple(ir.KindRow(tag, tuple(classes), tuple(got.get(tag, ()))) for tag, classes in kinds.items())
        if all(r.send == r.receive for r in rows):
            continue  # the same classes both ways: nothing to choose
        tables.append(ir.KindTable(request.tag_wire or "", request.name, match[1] if match else None, rows))
    return tuple(sorted(tables, key=lambda t: (-len(t.rows), t.request_union)))


def with_union_tables(
    definitions: tuple[ir.Model | ir.Alias | ir.Union, ...], tables: tuple[ir.KindTable, ...]
) -> tuple[ir.Model | ir.Alias | ir.Union, ...]:
    """Each request union's docstring ends with its own table, so an IDE shows it on hover."""
    text = {t.request_union: which_class_text((t,)) for t in tables}
    return tuple(
        replace(d, doc=(d.doc + "\n\n" if d.doc else "") + text[d.name])
        if isinstance(d, ir.Union) and d.name in text
        else d
        for d in definitions
    )


def which_class_text(tables: tuple[ir.KindTable, ...]) -> str:
    """The tables as plain text: a docstring section, `--explain` output and README material."""
    out: list[str] = []
    for t in tables:
        gets = f", get back `{t.response_union}`" if t.response_union else ""
        out.append(f"Which class do I use: send `{t.request_union}`{gets}, by `{t.tag_wire}`.")
        out.append("")
        header = (t.tag_wire, "class to send", "class you get back")
        cells = [(r.tag, ", ".join(r.send), ", ".join(r.receive) or "-") for r in t.rows]
        widths = [max(len(c[i]) for c in [header, *cells]) for i in range(3)]
        for row in [header, tuple("-" * w for w in widths), *cells]:
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.append("")
    return "\n".join(out).rstrip()
