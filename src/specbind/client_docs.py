"""What a client method says and checks beyond its signature.

- its docstring: the operation's description, then ``Args:`` (each parameter's description
  and constraints), ``Returns:`` and ``Raises:``;
- the path and query parameters whose constraints (bounds, lengths, enums) the client checks
  before sending, with a private pydantic model, so a bad argument raises the same
  ``ValidationError`` as a bad body field.

Constraints are read back from the annotations the IR already holds (``Annotated[int,
Field(ge=1, le=100)]``, ``Literal[...]``, enum aliases), so they say what is enforced.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import replace

from . import ir, naming

#: Annotations that say nothing a type checker does not already check.
_PLAIN = {"str", "int", "float", "bool", "Any"}

_BOUNDS = {
    "ge": ">= {}",
    "gt": "> {}",
    "le": "<= {}",
    "lt": "< {}",
    "min_length": "at least {} long",
    "max_length": "at most {} long",
    "pattern": "matching {!r}",
    "multiple_of": "a multiple of {}",
}


def _node(annotation: str) -> ast.expr | None:
    try:
        return ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return None


def constraints(annotation: str, aliases: dict[str, str], depth: int = 0) -> list[str]:
    """Plain-words constraints of an annotation, outermost first: bounds, lengths, allowed values."""
    node = _node(annotation)
    out: list[str] = []
    if node is None:
        return out

    def walk(n: ast.expr, level: int) -> None:
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
            walk(n.left, level)
            walk(n.right, level)
        elif isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name):
            if n.value.id == "Literal":
                items = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
                values = [ast.literal_eval(i) for i in items if isinstance(i, ast.Constant)]
                out.append("one of " + ", ".join(repr(v) for v in values))
            elif n.value.id == "Annotated" and isinstance(n.slice, ast.Tuple):
                base, *meta = n.slice.elts
                for m in meta:
                    if isinstance(m, ast.Call) and isinstance(m.func, ast.Name) and m.func.id == "Field":
                        for kw in m.keywords:
                            if kw.arg in _BOUNDS and isinstance(kw.value, ast.Constant):
                                what = _unit(base) if kw.arg.endswith("_length") else ""
                                text = _BOUNDS[kw.arg].format(kw.value.value)
                                out.append(text.replace(" long", " " + what))
                if level == 0:
                    walk(base, level + 1)
            elif n.value.id in ("list", "Sequence") and level == 0:
                inner = constraints(ast.unparse(n.slice), aliases, depth + 1)
                out.extend(f"each {c}" for c in inner)
        elif isinstance(n, ast.Name) and n.id in aliases and depth == 0:
            out.extend(constraints(aliases[n.id], aliases, depth + 1))

    walk(node, 0)
    return out


def _unit(n: ast.expr) -> str:
    """What a length counts: items of a list, entries of a map, else characters."""
    name = n.value.id if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) else ""
    return {"list": "items", "Sequence": "items", "dict": "entries", "Mapping": "entries"}.get(name, "characters")


def needs_check(p: ir.Param) -> bool:
    return (
        p.location in ("path", "query") and not p.client_default and p.constrained.removesuffix(" | None") not in _PLAIN
    )


def check_annotation(p: ir.Param) -> str:
    if p.required or p.constrained.endswith(" | None") or p.constrained == "Any":
        return p.constrained
    return f"{p.constrained} | None"


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items of a description, each joined into one line."""
    blocks: list[str] = []
    joinable = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            joinable = False
        elif joinable and not stripped.startswith(("- ", "* ")):
            blocks[-1] += " " + stripped
        else:
            blocks.append(stripped)
            joinable = True
    return blocks


def _wrap(text: str, first: str, rest: str = "        ") -> list[str]:
    lines: list[str] = []
    for i, block in enumerate(_blocks(text) or [""]):
        head = first if i == 0 else rest
        hang = rest + ("  " if block.startswith(("- ", "* ")) else "")
        wrapped = textwrap.wrap(
            " ".join(block.split()),
            84,
            initial_indent=head,
            subsequent_indent=hang,
            break_on_hyphens=False,
            break_long_words=False,
        )
        lines.extend(wrapped or [head.rstrip()])
    return lines


def _arg(name: str, doc: str | None, notes: list[str], default: str | None = None) -> list[str]:
    """``name: description`` wrapped, then what is checked before sending, and the default."""
    text = (doc or "").strip()
    if notes:
        text += "\n\nChecked before sending: " + ", ".join(notes) + "."
    if default is not None:
        text += f"\n\nServer default: {default}."
    return _wrap(text.strip(), f"    {name}: ")


def docstring(op: ir.Operation, aliases: dict[str, str], error_model: str | None) -> str:
    lines = _wrap(op.summary or op.doc or f"{op.method} {op.path}", "", "")
    if op.doc and op.summary and op.summary.strip() not in op.doc:
        lines += [""] + _wrap(op.doc, "", "")
    lines += ["", "Args:"]
    params = {p.name: p for p in op.params}
    fields = {b.name: b for b in op.body_fields}
    for a in op.arguments:  # in signature order
        if a.name in params:
            p = params[a.name]
            default = p.default if not p.required and p.default not in ("None", "") else None
            lines.extend(_arg(p.name, p.doc, constraints(p.constrained, aliases), default))
        elif a.name in fields:
            b = fields[a.name]
            lines.extend(_arg(b.name, b.doc, constraints(b.annotation, aliases)))
    if op.stream_switch and op.stream_switch not in fields:
        lines.extend(_arg(op.stream_switch, "True: the answer item by item, as it comes.", []))
    lines.append(
        "    extra_headers, extra_query"
        + (", extra_body" if op.body_model else "")
        + ": sent as given, on top of the rest."
    )
    lines.append("    timeout, max_retries: override the client's settings for this call.")
    lines += ["", "Returns:"]
    if op.paginated:
        lines += _wrap(
            f"A page of `{op.item_type}`: `data` (this page's items), `has_next_page()`, `get_next_page()`, "
            "`iter_pages()`; iterating it walks every item of every page. `AsyncClient`: await the call "
            "for the first page, or `async for` over the call itself.",
            "    ",
        )
    elif op.response:
        lines.append(f"    `{op.response}`.")
    else:
        lines.append("    None.")
    if op.stream_switch and op.stream is not None:
        lines += _wrap(
            f"With `{op.stream_switch}=True`: a `Stream` of `{op.stream.item}` (`AsyncStream` for `AsyncClient`), "
            "which holds its connection until exhausted or closed.",
            "    ",
        )
    lines += ["", "Raises:"]
    lines += _wrap("an argument breaks the spec's constraints; nothing was sent.", "    pydantic.ValidationError: ")
    caught = f"`.error` is the parsed `{error_model}`" if error_model else "`.body` holds what came back"
    lines += _wrap(f"a non-2xx answer (`NotFoundError` for a 404, ...); {caught}.", "    APIStatusError: ")
    lines += _wrap("no answer (`APITimeoutError` when the request timed out).", "    APIConnectionError: ")
    return "\n".join(lines)


def with_client_docs(api: ir.Api) -> ir.Api:
    """Fill each operation's client docstring and parameter checks."""
    aliases = {d.name: d.annotation for d in api.definitions if isinstance(d, ir.Alias)}
    ops = []
    for op in api.operations:
        checked = tuple((p.name, check_annotation(p)) for p in op.params if needs_check(p))
        ops.append(
            replace(
                op,
                client_doc=docstring(op, aliases, api.error_model),
                client_checks=checked,
                client_checks_model=f"_{naming.pascal(op.name)}Args" if checked else "",
            )
        )
    return replace(api, operations=tuple(ops))
