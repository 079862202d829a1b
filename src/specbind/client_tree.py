"""The client's resource tree, for the templates and `generate --explain`: built from the
operations once ``layout`` has placed them (``Operation.resource_path`` / ``method_name``) and
``signature`` has ordered their arguments.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import ir, naming

_LIST = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?<![\w.])list\[""")


def tree(ops: tuple[ir.Operation, ...]) -> ir.Resource:
    """The resource tree, children in the order the document first reaches them."""
    order: dict[tuple[str, ...], list[ir.Operation]] = {(): []}
    for op in ops:
        for n in range(1, len(op.resource_path) + 1):
            order.setdefault(op.resource_path[:n], [])
        order[op.resource_path].append(op)
    classes = naming.NameTable(naming.MODULE_RESERVED | {"cached_property"})
    names: dict[tuple[str, ...], tuple[str, str]] = {}
    views: dict[tuple[str, ...], tuple[str, str, str, str]] = {}
    for path in order:
        if path:
            sync = classes.claim(naming.resource_class(path))
            names[path] = (sync, classes.claim("Async" + sync))
    for path in order:  # after every resource class, which keep their plain names
        raw, streaming, async_raw, async_streaming = naming.response_views(names[path][0] if path else "Client")
        views[path] = (
            classes.claim(raw),
            classes.claim(streaming),
            classes.claim(async_raw),
            classes.claim(async_streaming),
        )

    def build(path: tuple[str, ...]) -> ir.Resource:
        children = tuple(build(p) for p in order if len(p) == len(path) + 1 and p[: len(path)] == path)
        methods = order[path]
        where = "`client." + ".".join(path) + "`" if path else "The client"
        listed = ", ".join(f"`{op.method_name}`" for op in methods if not op.method_name.startswith("_"))
        subs = ", ".join(f"`{c.name}`" for c in children)
        doc = where + ("" if path else " itself") + (f": {listed}." if listed else ".")
        if subs:
            doc += f"\n\nSub-resources: {subs}."
        sync, async_ = names.get(path, ("", ""))
        if "list" in {c.name for c in children} | {op.method_name for op in methods}:
            methods = [_typing_list(op) for op in methods]
        return ir.Resource(path, sync, async_, doc, children, tuple(methods), views[path])

    return build(())


def _typing_list(op: ir.Operation) -> ir.Operation:
    """The signature's `list[...]` as `builtins.list[...]`, for a class whose member `list` shadows it."""

    def sub(text: str | None) -> Any:
        return (
            None
            if text is None
            else _LIST.sub(lambda m: "builtins.list[" if m.group(0) == "list[" else m.group(0), text)
        )

    return replace(
        op,
        arguments=tuple(replace(a, annotation=sub(a.annotation)) for a in op.arguments),
        response=sub(op.response),
        item_type=sub(op.item_type),
    )


def signature_text(op: ir.Operation) -> str:
    """``(item_id, *, conversation_id, include=...)``: the call shape, for `--explain`."""
    parts = [a.name for a in op.arguments if a.positional]
    keywords = [a.name + ("=..." if a.default else "") for a in op.arguments if not a.positional]
    if keywords:
        parts += ["*", *keywords]
    return "(" + ", ".join(parts) + ")"


def explain(root: ir.Resource) -> str:
    """The tree, each method with its operationId and why it got its name, then the names the
    methods had on the flat client."""
    lines = ["Client layout (AsyncClient has the same tree, every method async):"]
    for r in (root, *root.walk()):
        if not r.operations and r.path:
            lines.append(f"client.{'.'.join(r.path)}")
            continue
        if r.operations:
            lines.append("client" + ("." + ".".join(r.path) if r.path else ""))
        for op in r.operations:
            lines.append(f"  .{op.method_name}{signature_text(op)}")
            lines.append(f"      {op.operation_id} ({op.method} {op.path}): {op.layout_reason}")
    ops = [op for r in (root, *root.walk()) for op in r.operations]
    # a private twin is reached through its method's `stream=True`
    switched = {op.name: f"{op.python_path}({op.stream_switch}=True)" for op in ops if op.stream_call}
    moved = [(op.name, switched.get(op.stream_of, op.python_path)) for op in ops if op.name != op.python_path]
    if moved:
        lines += ["", "Migration from the flat client (one method per operation on `Client`):"]
        width = max(len(old) for old, _ in moved) + len("client.")
        lines += [f"  {'client.' + old:<{width}} -> client.{new}" for old, new in moved]
    return "\n".join(lines) + "\n"
