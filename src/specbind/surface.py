"""The API surface: a plain, JSON-able summary of an IR, for semantic diffs.

Stored in each package's manifest, so `generate` can say what changed since last time.
Each schema records which side of the wire uses it (request, response or both), because
whether a change breaks clients or servers depends on it.
"""

from __future__ import annotations

import re
from typing import Any

from . import ir

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUALIFIED = re.compile(r"(?<![\w.])models\.")


def _bare(text: str | None) -> str:
    """Operation annotations name models as `models.X` (see `wire`); the surface uses `X`."""
    return _QUALIFIED.sub("", text or "")


def _sides(api: ir.Api) -> dict[str, set[str]]:
    """name -> {"request", "response"}: which definitions each side reaches."""
    uses: dict[str, set[str]] = {}
    for d in api.definitions:
        text = (
            " ".join(f.annotation for f in d.fields)
            if isinstance(d, ir.Model)
            else d.annotation
            if isinstance(d, ir.Alias)
            else " ".join(d.members)
        )
        uses[d.name] = set(_WORD.findall(text)) - {d.name}
    sides: dict[str, set[str]] = {}
    for side, roots in (
        (
            "request",
            [
                w
                for op in api.operations
                for w in _WORD.findall(_bare(op.body_model) + " " + " ".join(_bare(p.annotation) for p in op.params))
            ],
        ),
        ("response", [w for op in api.operations for w in _WORD.findall(_bare(op.response))]),
    ):
        todo = [r for r in roots if r and r in uses]
        while todo:
            name = todo.pop()
            if side in sides.setdefault(name, set()):
                continue
            sides[name].add(side)
            todo.extend(u for u in uses[name] if u in uses)
    return sides


def surface(api: ir.Api) -> dict[str, Any]:
    sides = _sides(api)
    schemas: dict[str, Any] = {}
    for d in api.definitions:
        entry: dict[str, Any] = {
            "side": sorted(sides.get(d.name, {"request", "response"} if not api.operations else set()))
        }
        if isinstance(d, ir.Model):
            if d.refuses:
                continue  # Unknown<Union> fallbacks follow their union
            entry["kind"] = "model"
            entry["fields"] = {
                f.wire: {
                    "type": f.annotation.removesuffix(" | None") if not f.required else f.annotation,
                    "required": f.required,
                    "name": f.name,
                }
                for f in d.fields
            }
        elif isinstance(d, ir.Alias):
            entry["kind"] = "alias"
            entry["type"] = d.annotation
            if d.annotation.startswith("Literal["):
                entry["enum"] = literal_values(d.annotation)
        else:
            entry["kind"] = "union"
            entry["strategy"] = d.strategy
            entry["variants"] = list(d.members)
        schemas[d.name] = entry
    twins = {op.stream_of: op.python_path for op in api.operations if op.stream_of}
    # `stream=True` picks the twin: the call that streams is the method itself, with that argument
    twins |= {op.name: f"{op.python_path}({op.stream_switch}=True)" for op in api.operations if op.stream_call}
    operations = {
        op.operation_id: {
            "method": op.method,
            "path": op.path,
            "params": {
                f"{p.location}:{p.wire}": {
                    "type": _bare(p.annotation).removesuffix(" | None"),
                    "required": p.required,
                    "name": p.name,
                }
                for p in op.params
            },
            "body": _bare(op.body_model) or None,
            "response": _bare(op.response) or None,
            # the client's call shape: where the method lives, and which arguments are positional
            "python": op.python_path,
            "positional": [a.name for a in op.arguments if a.positional],
            **({"stream": twins[op.name]} if op.name in twins else {}),
        }
        for op in api.operations
        if not op.stream_of  # the streaming twin is the `stream` of the operation it streams
    }
    return {"schemas": schemas, "operations": operations}


def literal_values(annotation: str) -> list[str]:
    import ast

    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return []
    if isinstance(node, ast.Subscript):
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return [repr(e.value) for e in elts if isinstance(e, ast.Constant)]
    return []
