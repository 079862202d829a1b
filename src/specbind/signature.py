"""The order of a client method's arguments: the convention of the Stainless-generated SDKs
(openai-python), so that ``client.conversations.items.retrieve(item_id, conversation_id=...)``
reads as it does there.

1. The last path parameter is positional (``path_parameters = "positional"``: every path
   parameter, in path order); then a required body that is not an object's fields (``body``).
2. ``*``; the other path parameters, keyword-only, in path order.
3. The rest by name, required before optional (a stable sort), query parameters before body
   fields, then headers and cookies, each group in alphabetical order:
   ``items.create(conversation_id, *, items, include=...)``,
   ``items.list(conversation_id, *, after=..., include=..., limit=..., order=...)``.
   openai 3.54.0 orders every method that way (``beta.threads.runs.create(thread_id, *,
   assistant_id, include=..., additional_instructions=..., ...)``: the optional query
   parameter before the optional body fields).
"""

from __future__ import annotations

from dataclasses import replace

from . import ir
from .layout import PathParameters

_GROUP = {"query": 0, "body": 1, "header": 2, "cookie": 3}


def arguments(op: ir.Operation, path_parameters: PathParameters = "keyword") -> tuple[ir.Argument, ...]:
    paths = [p for p in op.params if p.location == "path"]  # in the order the template names them
    positional = paths if path_parameters == "positional" else paths[-1:]
    out = [ir.Argument(p.name, p.annotation, "", True, "path") for p in positional]
    if op.body_annotation and op.body_required:
        out.append(ir.Argument("body", op.body_annotation, "", True, "body"))
    out += [ir.Argument(p.name, p.annotation, "", False, "path") for p in paths if p not in positional]
    rest: list[tuple[int, str, bool, ir.Argument]] = []
    for p in op.params:
        if p.location != "path":
            default = "" if p.required else " = None"
            argument = ir.Argument(p.name, p.annotation, default, False, p.location)
            rest.append((_GROUP[p.location], p.name, p.required, argument))
    if op.body_annotation and not op.body_required:
        annotation = f"{op.body_annotation} | NotGiven"
        rest.append((1, "body", False, ir.Argument("body", annotation, " = NOT_GIVEN", False, "body")))
    for b in op.body_fields:
        annotation = b.param_annotation if b.required else f"{b.param_annotation} | NotGiven"
        default = "" if b.required else " = NOT_GIVEN"
        rest.append((1, b.name, b.required, ir.Argument(b.name, annotation, default, False, "body")))
    rest.sort(key=lambda r: (not r[2], r[0], r[1]))
    return tuple(out + [r[3] for r in rest])


def with_arguments(ops: tuple[ir.Operation, ...], path_parameters: PathParameters) -> tuple[ir.Operation, ...]:
    return tuple(replace(op, arguments=arguments(op, path_parameters)) for op in ops)
