"""How each parameter and form field goes on the wire, decided once from the document.

The OpenAPI style table (RFC 6570): `style` and `explode` per location, `allowReserved`,
`content` (a parameter serialised in a media type), and the Encoding Object of form and
multipart bodies. The decision is printed into the generated code: the client's `_http.Wire`
arguments, and for the server a *shape*, a compact JSON text saying where the value has
arrays (`i`: the items' shape), objects (`p`: properties' shapes, `a`: other keys'), which
text leaves are never strings (`j`: read as JSON, except the string literals `e`), and where
a container also admits a plain value (`s`). With it the server turns
`items[0][price]=x&items[0][quantity]=2` back into `{"items": [{"price": "x", "quantity": 2}]}`.

A value that the declared style cannot carry (an object holding objects under `style: form`)
is refused here with a message: the operation is skipped, never sent half-encoded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .resolve import Parts

#: Styles each location allows (OpenAPI 3.x, "Style Values"); `form` and `multipart` are the
#: properties of those request bodies (the Encoding Object takes the query styles).
STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form", "cookie"),  # cookie: 3.2, form's pairs as RFC 6265 writes them, not percent-encoded
    "form": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "multipart": ("form", "deepObject"),
}
DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form", "form": "form"}
_SCALARS = ("integer", "number", "boolean", "null")


class Skip(Exception):
    """An operation part the generator cannot produce: the whole operation is skipped."""

    def __init__(self, at: Parts, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


@dataclass(frozen=True)
class Encoding:
    """One value's wire form: style (or `json`: the value as JSON text), explode, reserved
    characters kept, and the shape the server reads it back with (JSON text)."""

    style: str
    explode: bool
    allow_reserved: bool
    shape: str

    @property
    def default(self) -> bool:
        """Form style, exploded, nothing reserved: what the client sends without being told."""
        return self.style == "form" and self.explode and not self.allow_reserved


@dataclass
class _Kinds:
    """What a schema (with its anyOf/oneOf/allOf members) allows, gathered before the shape."""

    items: list[Any] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    seen: frozenset[int] = frozenset()  # the schemas gathered: their properties and items end a cycle there
    objects: int = 0  # object alternatives (anyOf / oneOf members): required-ness is theirs, not the node's
    extra: list[Any] = field(default_factory=list)
    is_array: bool = False
    is_object: bool = False
    text: bool = False  # a free string, or a schema that says nothing
    scalar: bool = False  # a number or boolean
    null: bool = False  # null: left out as a field or parameter, `null` as an array element
    literals: list[str] = field(default_factory=list)  # string enum / const values


class Shapes:
    """Shapes of raw schemas, following `$ref`s with ``resolve``."""

    def __init__(self, resolve: Callable[[Any], Any]) -> None:
        self.resolve = resolve

    def of(self, schema: Any) -> dict[str, Any]:
        return self._many([schema], frozenset(), 0)

    def _many(self, schemas: list[Any], seen: frozenset[int], depth: int) -> dict[str, Any]:
        kinds = _Kinds()
        for schema in schemas:
            self._collect(schema, kinds, seen, depth)
        seen = seen | kinds.seen
        shape: dict[str, Any] = {}
        if kinds.is_array:
            shape["i"] = self._many(kinds.items, seen, depth + 1)
        if kinds.is_object:
            props = {k: self._many(v, seen, depth + 1) for k, v in kinds.props.items()}
            if kinds.objects <= 1:
                props = {k: required(v) if k in kinds.required else v for k, v in props.items()}
            shape["p"] = {k: v for k, v in props.items() if v}  # plain text is the default
            if kinds.extra and (extra := self._many(kinds.extra, seen, depth + 1)):
                shape["a"] = extra
        if (kinds.scalar or kinds.null) and not kinds.text:  # string literals alone stay text
            shape["j"] = 1
            if kinds.literals:
                shape["e"] = sorted(set(kinds.literals))
        if (kinds.is_array or kinds.is_object) and (kinds.text or kinds.scalar or kinds.literals):
            shape["s"] = 1
        return shape

    def _collect(self, schema: Any, kinds: _Kinds, seen: frozenset[int], depth: int, part: bool = False) -> None:
        """Gather what ``schema`` allows into ``kinds``; an allOf ``part`` that names no type
        (`{required: [...]}`) adds nothing."""
        schema = self.resolve(schema)
        if schema is True or schema == {} or schema is None:
            kinds.text = kinds.text or not part
            return
        if not isinstance(schema, dict) or depth > 16 or id(schema) in seen:
            kinds.text = True  # a recursive schema: read as text beyond the cycle
            return
        seen = seen | {id(schema)}
        kinds.seen |= seen
        if isinstance(schema.get("required"), list):
            kinds.required |= {str(name) for name in schema["required"]}
        members = [m for key in ("anyOf", "oneOf") for m in schema.get(key) or [] if isinstance(schema.get(key), list)]
        for member in members:
            self._collect(member, kinds, seen, depth + 1)
        parts = schema.get("allOf")
        for sub in parts if isinstance(parts, list) else []:
            self._collect(sub, kinds, seen, depth + 1, part=True)
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        declared = schema.get("type")
        types = {declared} if isinstance(declared, str) else set(declared) if isinstance(declared, list) else set()
        if isinstance(values, list) and values:
            for value in values:
                if isinstance(value, str):
                    kinds.literals.append(value)
                elif isinstance(value, dict | list):
                    kinds.text = True  # structured enum values: not checked (typed Any)
                elif value is None:
                    kinds.null = True
                else:
                    kinds.scalar = True
            return
        if not types:
            if "properties" in schema or "additionalProperties" in schema or "patternProperties" in schema:
                types = {"object"}
            elif "items" in schema or "prefixItems" in schema:
                types = {"array"}
            elif not members and "allOf" not in schema and not part:
                kinds.text = True
        if "string" in types:
            kinds.text = True
        if types & set(_SCALARS) - {"null"}:
            kinds.scalar = True
        if "null" in types:
            kinds.null = True
        if "array" in types:
            kinds.is_array = True
            items = schema.get("items")
            prefix = schema.get("prefixItems")
            prefix = prefix if isinstance(prefix, list) else []
            kinds.items.extend(items if isinstance(items, list) else [] if items is None else [items])
            kinds.items.extend(prefix)
            if items is None and not prefix:
                kinds.items.append({})
        if "object" in types:
            kinds.is_object = True
            kinds.objects += not part
            for name, prop in (schema.get("properties") or {}).items():
                kinds.props.setdefault(str(name), []).append(prop)
            extra = schema.get("additionalProperties", True)
            if extra is not False:
                kinds.extra.append({} if extra is True else extra)
            for sub in (schema.get("patternProperties") or {}).values():
                kinds.extra.append(sub)


def required(shape: dict[str, Any]) -> dict[str, Any]:
    """The shape of a required value: an array or object that admits no plain value is marked
    `z`, since empty it puts nothing on the wire and the server reads its absence as empty."""
    if ("i" in shape or "p" in shape) and not shape.get("s"):
        return {**shape, "z": 1}
    return shape


def text(shape: dict[str, Any]) -> str:
    """The shape as the JSON text the generated server reads back."""
    return json.dumps(shape, separators=(",", ":"), ensure_ascii=False)


def wire_literal(enc: Encoding) -> str:
    """The client's `_http.Wire(...)` for an encoding; explode is printed where it is not the
    style's own default (true for form, false for the others)."""
    args = [json.dumps(enc.style)]
    if enc.style not in ("json", "deepObject") and enc.explode != (enc.style in ("form", "cookie")):
        args.append(f"explode={enc.explode}")
    if enc.allow_reserved:
        args.append("allow_reserved=True")
    return f"_http.Wire({', '.join(args)})"


def leafish(shape: dict[str, Any]) -> bool:
    return "i" not in shape and "p" not in shape


def flat(shape: dict[str, Any]) -> bool:
    """A value a delimited style can carry: a scalar, an array of scalars, an object of scalars."""
    if "i" in shape and not leafish(shape["i"]):
        return False
    return all(leafish(v) for v in shape.get("p", {}).values()) and leafish(shape.get("a", {}))


def problem(shape: dict[str, Any], style: str, explode: bool, spread_ok: bool) -> str | None:
    """Why ``style`` cannot put a value of this shape on the wire (None when it can)."""
    if style in ("deepObject", "json"):
        return None
    if not flat(shape):
        return f"style {style!r} cannot carry {'an array' if 'i' in shape else 'an object'} holding arrays or objects"
    if "p" in shape and style in ("form", "cookie") and explode:
        if not spread_ok:
            return f"an object in style {style!r}, exploded, has no name of its own on the wire here"
        if "i" in shape or shape.get("s"):
            return f"a value that may be an object in style {style!r}, exploded, cannot be told apart from other fields"
    return None


def decide(
    shapes: Shapes,
    schema: Any,
    where: str,
    declared: dict[str, Any],
    *,
    spread_ok: bool = True,
    is_required: bool = False,
) -> tuple[Encoding | None, str | None]:
    """The encoding of one value declared at ``where`` (a location, or `form` for a form body
    field) by ``declared`` (a Parameter or Encoding Object): (encoding, None) or (None, why)."""
    shape = shapes.of(schema)
    style = declared.get("style")
    if style is None:
        style = DEFAULT_STYLE.get(where, "form")
    if not isinstance(style, str) or style not in STYLES[where]:
        return None, f"style {style!r} is not one of {', '.join(STYLES[where])} (for {where})"
    # deepObject is defined for explode: true only; documents often leave explode out.
    explode = declared.get("explode", style in ("form", "cookie", "deepObject")) or style == "deepObject"
    if not isinstance(explode, bool):
        return None, "explode must be a boolean"
    reserved = declared.get("allowReserved") is True and where in ("query", "form")
    why = problem(shape, style, explode, spread_ok)
    if why is not None:
        return None, why
    return Encoding(style, explode, reserved, text(required(shape) if is_required else shape)), None


#: A value sent as JSON text (`content: application/json`, or a form field whose Encoding
#: Object's contentType says so): the server reads it back with json.loads.
AS_JSON = Encoding("json", False, False, text({"j": 1}))


def nested(shape: dict[str, Any]) -> bool:
    """Holds an object, or arrays of containers: what a form field sends as JSON by default."""
    return "p" in shape or not flat(shape)
