"""Shapes and encodings decided at generation time (`specbind.encoding`)."""

from __future__ import annotations

import json
from typing import Any

from specbind.encoding import Shapes, decide, wire_literal

DOC: dict[str, Any] = {
    "Point": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}},
    "Node": {"type": "object", "properties": {"child": {"$ref": "#/Node"}, "name": {"type": "string"}}},
}  # fmt: skip


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = DOC[node["$ref"].removeprefix("#/")]
    return node


SHAPES = Shapes(_resolve)


def test_leaves_read_as_json_only_where_never_a_string() -> None:
    assert SHAPES.of({"type": "integer"}) == {"j": 1}
    assert SHAPES.of({"type": "string", "enum": ["1", "true"]}) == {}  # string literals stay text
    assert SHAPES.of({"type": ["integer", "null"]}) == {"j": 1}
    assert SHAPES.of({"anyOf": [{"type": "integer"}, {"type": "string"}]}) == {}  # a free string: text
    assert SHAPES.of({"anyOf": [{"type": "integer"}, {"enum": [""]}]}) == {"j": 1, "e": [""]}
    assert SHAPES.of({}) == {}


def test_containers_and_unions() -> None:
    assert SHAPES.of({"type": "array", "items": {"type": "boolean"}}) == {"i": {"j": 1}}
    stripe_metadata = {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"enum": [""]}]}
    assert SHAPES.of(stripe_metadata) == {"p": {}, "s": 1}
    created = {"anyOf": [{"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}
    assert SHAPES.of(created) == {"p": {"gt": {"j": 1}}, "j": 1, "s": 1}
    assert SHAPES.of({"type": "object", "additionalProperties": {"type": "number"}}) == {"p": {}, "a": {"j": 1}}


def test_required_containers_and_all_of() -> None:
    body = {"allOf": [{"$ref": "#/Point"}, {"required": ["tags"]}]}
    assert SHAPES.of(body) == {"p": {"x": {"j": 1}, "tags": {"i": {}, "z": 1}}}
    # required in one object alternative only: not the node's
    either = {
        "anyOf": [
            {"$ref": "#/Point"},
            {"type": "object", "required": ["tags"], "properties": {"tags": {"type": "array"}}},
        ]
    }
    assert "z" not in SHAPES.of(either)["p"]["tags"]


def test_recursion_ends_in_text() -> None:
    """Beyond its first cycle a recursive schema is read as the wire gives it (text, dicts)."""
    assert SHAPES.of({"$ref": "#/Node"}) == {"p": {}}
    assert SHAPES.of({"type": "array", "items": {"$ref": "#/Node"}}) == {"i": {"p": {}}}


def test_styles_and_what_they_cannot_carry() -> None:
    enc, why = decide(SHAPES, {"type": "array", "items": {"type": "integer"}}, "query", {"style": "pipeDelimited"})
    assert enc is not None and why is None and (enc.style, enc.explode) == ("pipeDelimited", False)
    assert wire_literal(enc) == '_http.Wire("pipeDelimited")'
    flat = {"type": "object", "properties": {"x": {"type": "integer"}, "name": {"type": "string"}}}
    enc, _ = decide(SHAPES, flat, "path", {"style": "matrix", "explode": True})
    assert enc is not None and wire_literal(enc) == '_http.Wire("matrix", explode=True)'
    assert json.loads(enc.shape) == {"p": {"x": {"j": 1}}}
    enc, why = decide(SHAPES, {"$ref": "#/Point"}, "path", {"style": "matrix"})  # Point holds an array
    assert enc is None and why == "style 'matrix' cannot carry an object holding arrays or objects"
    enc, why = decide(SHAPES, {"$ref": "#/Point"}, "header", {})
    assert enc is None and why == "style 'simple' cannot carry an object holding arrays or objects"
    enc, why = decide(SHAPES, {"type": "string"}, "query", {"style": "matrix"})
    assert enc is None and why is not None and "not one of form, spaceDelimited, pipeDelimited, deepObject" in why
    enc, _ = decide(SHAPES, {"type": "array"}, "query", {"style": "deepObject"})  # explode left out
    assert enc is not None and enc.explode
    enc, why = decide(SHAPES, {"$ref": "#/Point"}, "form", {"style": "form"}, spread_ok=False)
    assert enc is None and why is not None
    enc, _ = decide(SHAPES, {"type": "string"}, "query", {"allowReserved": True})
    assert enc is not None and enc.allow_reserved and wire_literal(enc) == '_http.Wire("form", allow_reserved=True)'
