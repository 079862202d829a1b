"""The small types the schema builders share: what one schema occurrence turned into
(``TypeInfo``), a model's properties (``PropInfo``), a union variant (``VariantInfo``), what
was built (``Built``), and the helpers that read a schema's value kinds and documentation.

Imported by ``schemas``, ``schema_types``, ``schema_keywords``, ``unions`` and
``operations``; imports none of them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from . import ir

JsonValue = str | int | float | bool | None


@dataclass(frozen=True)
class TypeInfo:
    """The rendered annotation of a schema occurrence, plus what the union layer needs to tell
    variants apart (JSON types, enum values, nullability)."""

    py: str
    nullable: bool = False
    json_types: frozenset[str] = frozenset()  # empty: unknown / any
    enum: tuple[JsonValue, ...] | None = None
    model: str | None = None  # set when the type is exactly one generated class
    absorbs_null: bool = False  # an alias whose value already admits None: no `| None` added

    def annotation(self) -> str:
        if self.nullable and not self.absorbs_null and self.py not in ("None", "Any"):
            return f"{self.py} | None"
        return self.py


ANY = TypeInfo("Any")


@dataclass
class PropInfo:
    wire: str
    info: TypeInfo
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True)
class VariantInfo:
    model: str
    props: list[PropInfo]

    def prop(self, wire: str) -> PropInfo | None:
        return next((p for p in self.props if p.wire == wire), None)


@dataclass
class Built:
    models: dict[str, ir.Model] = field(default_factory=dict)
    aliases: dict[str, ir.Alias] = field(default_factory=dict)
    unions: dict[str, ir.Union] = field(default_factory=dict)
    deps: dict[str, set[str]] = field(default_factory=dict)  # name -> names its definition uses


def single_value(info: TypeInfo) -> str | None:
    """The literal of a type with exactly one allowed string value (a kind's tag), else None."""
    if info.enum is not None and len(info.enum) == 1 and not info.nullable and isinstance(info.enum[0], str):
        return repr(info.enum[0])
    return None


def json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def literal(values: tuple[JsonValue, ...]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def type_name(schema: dict[str, Any]) -> str | None:
    """The one JSON type a schema's `type` names besides `null` (`null` when it names only that;
    None when it names none or several)."""
    t = schema.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        return (rest[0] if isinstance(rest[0], str) else None) if len(rest) == 1 else (None if rest else "null")
    return t if isinstance(t, str) else None


def type_list_has_null(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    return isinstance(t, list) and "null" in t


def clean_doc(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    text = schema.get("description") or schema.get("title")
    if not isinstance(text, str):
        return None
    # Split on newlines only: other separators (U+2028, form feed...) are content, escaped later.
    lines = [line.rstrip() for line in text.strip().replace("\r\n", "\n").split("\n")]
    # The indentation all continuation lines share is layout (as in inspect.cleandoc), not text.
    rest = textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else []
    return "\n".join([lines[0], *rest]) or None


def field_doc(schema: Any) -> str | None:
    """A property's description; for `anyOf: [X, {type: null}]` (a nullable written as a
    union) the one on X when the property itself has none."""
    doc = clean_doc(schema)
    members = (schema.get("anyOf") or schema.get("oneOf")) if isinstance(schema, dict) else None
    if doc is None and isinstance(members, list):
        branches = [b for b in members if not (isinstance(b, dict) and b.get("type") == "null")]
        if len(branches) == 1:
            doc = clean_doc(branches[0])
    return doc
