"""Phase 3a, build types: the annotation of one schema occurrence (``type_of``).

A mixin of ``SchemaBuilder`` (schemas.py): scalars, enums, arrays, maps and type lists become
annotations here; inline objects and unions become named definitions through the builder
(``define_model``) and the union planner. Schemas are the normalized 2020-12 ones: `null` is
in a type list, an enum or a `oneOf`/`anyOf` branch, and every `$ref` is a table lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import naming
from .schema_info import ANY, JsonValue, TypeInfo, json_type_of, literal, type_list_has_null, type_name

if TYPE_CHECKING:
    from .normalize import Normalized
    from .resolve import Parts
    from .schema_info import Built
    from .unions import UnionPlanner

SCHEMAS = ("components", "schemas")
# Keys that only annotate a `$ref`; anything else beside a `$ref` is applied as allOf.
ANNOTATION_KEYS = frozenset(
    {
        "description",
        "title",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "externalDocs",
        "default",
    }
)
# `number` is `int | float`: with strict scalars (see _base) an integer stays an exact int and
# a float a float; `float` alone would turn 1 into 1.0 and 12345678901234567890 into 1.23e19.
PRIMITIVES = {"string": "str", "integer": "int", "number": "int | float", "boolean": "bool"}
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


class TypeExpressions:
    n: Normalized
    names: naming.NameTable
    out: Built
    schemas: dict[str, Any]
    unions: UnionPlanner
    _inline: dict[int, TypeInfo]

    if TYPE_CHECKING:

        def problem(self, at: Parts, message: str) -> None: ...
        def warn(self, at: Parts, message: str) -> None: ...
        def use(self, name: str) -> None: ...
        def component(self, spec_name: str) -> TypeInfo: ...
        def define_model(self, name: str, schema: dict[str, Any], at: Parts) -> TypeInfo: ...
        def note_unsupported(self, schema: Any, at: Parts) -> None: ...
        def extra_type(self, schema: dict[str, Any], at: Parts, hint: str, closed: bool) -> tuple[str | None, bool]: ...
        def tuple_type(self, schema: dict[str, Any], at: Parts, hint: str) -> str: ...
        def python_type(self, schema: dict[str, Any], at: Parts) -> str | None: ...
        def constrained(
            self, py: str, schema: dict[str, Any], at: Parts, keys: tuple[str, ...], markers: tuple[str, ...] = ()
        ) -> str: ...

    # -- shapes -----------------------------------------------------------------------------
    def shape(self, schema: Any) -> str:
        if not isinstance(schema, dict):
            return "other"
        branches = self.non_null_branches(schema)
        if branches is not None and len(branches) > 1:
            return "union"
        if "allOf" in schema and isinstance(schema["allOf"], list) and len(schema["allOf"]) > 1:
            return "object"
        if "properties" in schema and "$ref" not in schema:
            return "object"
        return "other"

    def non_null_branches(self, schema: dict[str, Any]) -> list[tuple[Parts, Any]] | None:
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list):
                if not branches:
                    return None  # reported by type_of
                return [((key, i), b) for i, b in enumerate(branches) if not self.is_null(b)]
        return None

    def is_null(self, schema: Any) -> bool:
        return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])

    def merge_ref_siblings(self, schema: Any, at: Parts) -> Any:
        """`$ref` plus constraining siblings (3.1) -> allOf, so both apply."""
        if isinstance(schema, dict) and "$ref" in schema:
            extra = {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATION_KEYS}
            if extra == {"type": "object"}:
                extra = {}  # `type: object` beside a $ref to an object adds nothing
            if extra:
                plain = {k: v for k, v in schema.items() if k in ANNOTATION_KEYS}
                return {**plain, "allOf": [{"$ref": schema["$ref"]}, extra]}
        return schema

    # -- type expressions ------------------------------------------------------------------
    def type_of(self, schema: Any, at: Parts, hint: str) -> TypeInfo:
        """Annotation for ``schema``; inline objects and unions become named definitions."""
        if schema is True or schema == {} or schema is None:
            return ANY
        if not isinstance(schema, dict):
            self.problem(at, "a schema must be an object or a boolean")
            return ANY
        at = self.n.at(schema, at)  # where normalizing moved it from
        self.note_unsupported(schema, at)
        # An inline schema reached twice (e.g. through allOf) is defined once.
        if id(schema) in self._inline:
            cached = self._inline[id(schema)]
            self.use(cached.py)
            return cached
        original = schema
        info = self._type_of(schema, at, hint)
        if info.py in self.out.models or info.py in self.out.unions:
            self._inline[id(original)] = info
        return info

    def _type_of(self, schema: dict[str, Any], at: Parts, hint: str) -> TypeInfo:
        schema = self.merge_ref_siblings(schema, at)
        nullable = type_list_has_null(schema)
        if "$ref" in schema:
            info = self.ref_type(schema["$ref"], at)
            return self.with_null(info, nullable)
        for key in ("oneOf", "anyOf", "allOf"):
            if key in schema and (not isinstance(schema[key], list) or not schema[key]):
                self.problem(at + (key,), f"{key} must be a non-empty list of schemas")
                return ANY
        branches = self.non_null_branches(schema)
        if branches is not None:
            nullable = nullable or len(branches) < len(schema.get("oneOf") or schema.get("anyOf") or [])
            if not branches:
                return TypeInfo("None", nullable=True, json_types=frozenset({"null"}))
            if len(branches) == 1:
                sub_at, sub = branches[0]
                return self.with_null(self.type_of(sub, at + sub_at, hint), nullable)
            name = self.names.claim(naming.class_name(hint))
            info = self.unions.define(name, schema, at)
            return self.with_null(info, nullable)
        if "allOf" in schema:
            parts = schema["allOf"]
            if isinstance(parts, list) and len(parts) == 1 and not schema.get("properties"):
                return self.with_null(self.type_of(parts[0], at + ("allOf", 0), hint), nullable)
            name = self.names.claim(naming.class_name(hint))
            return self.with_null(self.define_model(name, schema, at), nullable)
        values: tuple[Any, ...] | None = None
        if "const" in schema:
            values, key = (schema["const"],), "const"
        elif isinstance(schema.get("enum"), list) and schema["enum"]:
            values, key = tuple(schema["enum"]), "enum"
        if values is not None:
            if None in values:
                nullable = True
                values = tuple(v for v in values if v is not None)
            if not values:
                return TypeInfo("None", nullable=True, json_types=frozenset({"null"}))
            if not all(isinstance(v, str | int | float | bool) for v in values):
                self.warn(at + (key,), f"{key} values that are objects or arrays are not checked; typed as Any")
                return TypeInfo("Any", nullable)
            return self.with_null(self.enum_type(values, schema), nullable)
        kind = type_name(schema)
        if kind == "array" or (kind is None and ("items" in schema or "prefixItems" in schema)):
            unique = ("unique_items",) if schema.get("uniqueItems") is True else ()
            if isinstance(schema.get("prefixItems"), list):
                # The strict base model takes a tuple only as a tuple in Python (JSON arrays are
                # fine): lax here so a list works too; the items stay strict.
                lax = "tuple[" in (tuple_py := self.tuple_type(schema, at, hint))
                py = self.constrained(tuple_py, schema, at, (), ("Field(strict=False)",) * lax + unique)
                return TypeInfo(py, nullable, frozenset({"array"}))
            item = self.type_of(schema.get("items", {}), at + ("items",), hint + "Item")
            py = self.constrained(f"list[{item.annotation()}]", schema, at, ("minItems", "maxItems"), unique)
            return TypeInfo(py, nullable, frozenset({"array"}))
        if kind == "object" or (kind is None and ("properties" in schema or "additionalProperties" in schema)):
            if schema.get("properties") or schema.get("required"):
                name = self.names.claim(naming.class_name(hint))
                return self.with_null(self.define_model(name, schema, at), nullable)
            extra_py, _ = self.extra_type(schema, at, hint + "Value", False)
            value = ANY if extra_py is None else TypeInfo(extra_py)
            key = "str"
            names = schema.get("propertyNames")
            if isinstance(names, dict):
                key = self.constrained("str", names, at + ("propertyNames",), ("minLength", "maxLength", "pattern"))
            py = self.constrained(f"dict[{key}, {value.annotation()}]", schema, at, ("minProperties", "maxProperties"))
            return TypeInfo(py, nullable, frozenset({"object"}))
        if kind in PRIMITIVES:
            keys = {"string": ("minLength", "maxLength", "pattern"), "integer": _BOUNDS, "number": _BOUNDS}.get(
                kind, ()
            )
            types = frozenset({"integer", "number"}) if kind == "number" else frozenset({kind})
            python = self.python_type(schema, at) if kind == "string" else None
            if python:
                return TypeInfo(python, nullable, types)
            return TypeInfo(self.constrained(PRIMITIVES[kind], schema, at, keys), nullable, types)
        if kind == "null":
            return TypeInfo("None", True, frozenset({"null"}))
        if isinstance(schema.get("type"), list):
            return self.type_list(schema, at, hint, nullable)
        return TypeInfo("Any", nullable)

    def type_list(self, schema: dict[str, Any], at: Parts, hint: str, nullable: bool) -> TypeInfo:
        """`type: [string, integer]` -> a plain union of the listed types."""
        infos = [self.type_of({**schema, "type": t}, at, hint) for t in schema["type"] if t != "null"]
        # `[integer, number]` -> `int | float`, not `int | int | float`
        py = " | ".join(dict.fromkeys(p for i in infos for p in (i.py.split(" | ") if "[" not in i.py else [i.py])))
        return TypeInfo(py, nullable, frozenset().union(*(i.json_types for i in infos)))

    def with_null(self, info: TypeInfo, nullable: bool) -> TypeInfo:
        if not nullable or info.nullable:
            return info
        return TypeInfo(info.py, True, info.json_types, info.enum, info.model)

    def enum_type(self, values: tuple[JsonValue, ...], schema: dict[str, Any]) -> TypeInfo:
        types = frozenset(json_type_of(v) for v in values)
        return TypeInfo(literal(values), json_types=types, enum=values)

    def ref_type(self, ref: Any, at: Parts) -> TypeInfo:
        found = self.n.ref(ref)
        if found is None:
            return ANY  # reported by check_refs
        target, schema = found
        if len(target) == 3 and target[:2] == SCHEMAS and target[2] in self.schemas:
            info = self.component(str(target[2]))
            self.use(info.py)
            return info
        hint = naming.pascal(" ".join(str(t) for t in target[2:])) or "Schema"
        return self.type_of(schema, target, hint)
