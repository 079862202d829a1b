"""Phase 3a, build types: component schemas -> models, aliases and unions (IR).

One ``TypeInfo`` per schema occurrence carries the rendered annotation plus what the
union layer needs to tell variants apart (JSON types, enum values, nullability).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field, replace
from typing import Any

from . import ir, naming
from .defaults import DefaultChecker
from .errors import Diagnostics, Problem, pointer_of
from .load import Document
from .resolve import Parts, lookup, ref_target
from .schema_keywords import KeywordTypes
from .unions import UnionPlanner, VariantInfo

JsonValue = str | int | float | bool | None
SCHEMAS = ("components", "schemas")
# Keys that only annotate a `$ref`; anything else beside a `$ref` is applied as allOf.
ANNOTATION_KEYS = frozenset(
    {
        "description",
        "title",
        "example",
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


@dataclass(frozen=True)
class TypeInfo:
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


@dataclass
class Built:
    models: dict[str, ir.Model] = field(default_factory=dict)
    aliases: dict[str, ir.Alias] = field(default_factory=dict)
    unions: dict[str, ir.Union] = field(default_factory=dict)
    deps: dict[str, set[str]] = field(default_factory=dict)  # name -> names its definition uses


def _assignment(default: str | None, kwargs: list[str]) -> str:
    if kwargs:
        return " = Field(" + ", ".join(([f"default={default}"] if default is not None else []) + kwargs) + ")"
    return f" = {default}" if default is not None else ""


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


def literal(values: tuple[JsonValue, ...]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


class SchemaBuilder(KeywordTypes):
    def __init__(
        self,
        doc: Document,
        diagnostics: Diagnostics | None = None,
        *,
        python_types: bool = False,
        names: naming.Style = "python",
    ) -> None:
        self.doc = doc
        self.python_types = python_types
        self.names_style: naming.Style = names  # `names = "wire"` keeps identifiers as the spec spells them
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()
        self.schemas: dict[str, Any] = doc.data.get("components", {}).get("schemas", {}) or {}
        self.out = Built()
        self.problems: list[Problem] = []
        # With python_types the module imports datetime, date, time and UUID: no class or field takes them.
        reserved = naming.MODULE_RESERVED | (frozenset(naming.PYTHON_TYPES.values()) if python_types else frozenset())
        self.names = naming.NameTable(reserved)
        # Component names are claimed before any inline name, and names that need no cleaning
        # before those that do, so that a schema called `MyItem` keeps it over `my-item`.
        exact = [n for n in self.schemas if naming.class_name(n) == n]
        claimed = {n: self.names.claim(n) for n in exact}
        claimed |= {n: self.names.claim(naming.class_name(n)) for n in self.schemas if n not in claimed}
        self.component_name = {n: claimed[n] for n in self.schemas}
        self.props: dict[str, list[PropInfo]] = {}  # model name -> properties
        self.closed: dict[str, bool] = {}
        self.component_info: dict[str, TypeInfo] = {}
        self._in_progress: set[str] = set()
        self._current: list[str] = []  # component stack, for $recursiveRef
        self._deps_stack: list[set[str]] = []
        self._inline: dict[int, TypeInfo] = {}  # id(inline schema) -> its named definition
        self._noted: set[str] = set()  # pointers already warned about (a schema is read twice)
        self.unions = UnionPlanner(self)
        self.defaults = DefaultChecker(doc)

    # -- problems ---------------------------------------------------------------------------
    def problem(self, at: Parts, message: str) -> None:
        self.problems.append(Problem(*self.doc.locate(at), message))

    def warn(self, at: Parts, message: str) -> None:
        """Something a generator can survive: said once, located, and what was done instead."""
        self.doc.warn(self.diagnostics, at, message)

    # -- entry ----------------------------------------------------------------------------------
    def build_all(self) -> Built:
        for name in self.schemas:
            self.component(name)
        # A class renamed from the spec's name says which schema it is.
        for spec_name, py in self.component_name.items():
            if py != spec_name:
                self.note_spec_name(py, spec_name)
        return self.out

    def note_spec_name(self, py: str, spec_name: str) -> None:
        line = f"`{spec_name}` in the spec."

        def noted(doc: str | None) -> str:
            return f"{doc}\n\n{line}" if doc else line

        if py in self.out.models:
            self.out.models[py] = replace(self.out.models[py], doc=noted(self.out.models[py].doc))
        elif py in self.out.aliases:
            self.out.aliases[py] = replace(self.out.aliases[py], doc=noted(self.out.aliases[py].doc))
        elif py in self.out.unions:
            self.out.unions[py] = replace(self.out.unions[py], doc=noted(self.out.unions[py].doc))

    def component(self, spec_name: str) -> TypeInfo:
        """TypeInfo of a component schema, defining it on first use."""
        if spec_name in self.component_info:
            return self.component_info[spec_name]
        py = self.component_name[spec_name]
        if spec_name in self._in_progress:  # recursion: the name is enough
            return TypeInfo(py, model=py, json_types=frozenset({"object"}))
        self._in_progress.add(spec_name)
        self._current.append(spec_name)
        at = SCHEMAS + (spec_name,)
        info = self.define(py, self.schemas[spec_name], at)
        self._current.pop()
        self._in_progress.discard(spec_name)
        self.component_info[spec_name] = info
        return info

    # -- definitions ----------------------------------------------------------------------
    def define(self, name: str, schema: Any, at: Parts) -> TypeInfo:
        """Define ``name`` as a model, union or alias for ``schema`` and return a reference to it."""
        self.note_unsupported(schema, at)
        schema = self.merge_ref_siblings(schema, at)
        shape = self.shape(schema)
        if shape == "object":
            return self.define_model(name, schema, at)
        if shape == "union":
            return self.unions.define(name, schema, at)
        self._deps_stack.append(set())
        info = self.type_of(schema, at, name)
        deps = self._deps_stack.pop()
        self.out.aliases[name] = ir.Alias(name, clean_doc(schema), info.annotation(), pointer_of(at))
        self.out.deps[name] = deps
        self.use(name)
        return TypeInfo(
            # `X: TypeAlias = None` (enum: [null]): `X | None` would fail at run time.
            name,
            info.nullable,
            info.json_types,
            info.enum,
            info.model,
            absorbs_null=info.py == "None",
        )

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

    def define_model(self, name: str, schema: dict[str, Any], at: Parts) -> TypeInfo:
        props, closed = self.collect_properties(schema, at)
        self.props[name] = []
        self._deps_stack.append(set())
        extra, closed = self.extra_type(schema, at, name + "Extra", closed)
        self.closed[name] = closed
        py_names = naming.field_names(list(props), self.names, style=self.names_style)
        fields: list[ir.Field] = []
        for wire, (prop_schema, required, prop_at) in props.items():
            info = self.type_of(prop_schema, prop_at, name + naming.pascal(wire))
            self.props[name].append(
                PropInfo(wire, info, required, prop_schema if isinstance(prop_schema, dict) else {})
            )
            fields.append(self.make_field(py_names[wire], wire, info, required, prop_schema, prop_at))
        self._deps_stack.pop()
        doc = clean_doc(schema)
        single = tuple(
            (f.name, f.wire, value)
            for f, p in zip(fields, self.props[name], strict=True)
            if f.required and (value := single_value(p.info))
        )
        self.out.models[name] = ir.Model(
            name, doc, tuple(fields), closed, pointer_of(at), extra=extra, single_values=single
        )
        self.out.deps[name] = set()
        self.use(name)
        return TypeInfo(name, json_types=frozenset({"object"}), model=name)

    def collect_properties(self, schema: dict[str, Any], at: Parts) -> tuple[dict[str, tuple[Any, bool, Parts]], bool]:
        """Properties of an object schema, allOf parts merged in order (later parts win)."""
        props: dict[str, tuple[Any, bool, Parts]] = {}
        required: set[str] = set()
        closed = schema.get("additionalProperties") is False
        parts: list[tuple[Parts, Any]] = [(at + ("allOf", i), p) for i, p in enumerate(schema.get("allOf") or [])]
        parts.append((at, {k: v for k, v in schema.items() if k != "allOf"}))
        for part_at, part in parts:
            part_at, part = self.deref(part, part_at)
            if not isinstance(part, dict):
                continue
            if "allOf" in part and part is not schema:
                sub, _ = self.collect_properties(part, part_at)
                for k, (s, r, a) in sub.items():
                    props[k] = (s, False, a)
                    if r:
                        required.add(k)
            for wire, prop in (part.get("properties") or {}).items():
                props[wire] = (prop, False, part_at + ("properties", wire))
            req = part.get("required") or []
            if isinstance(req, list):
                required.update(r for r in req if isinstance(r, str))
        for wire in sorted(required - props.keys()):
            # Listed as required but never declared: keep it required, type unknown.
            props[wire] = ({}, True, at + ("required",))
        return {k: (s, k in required, a) for k, (s, _, a) in props.items()}, closed

    def deref(self, schema: Any, at: Parts) -> tuple[Parts, Any]:
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                self.problem(at, f"$ref cycle through {ref!r} with no schema in between")
                return at, {}
            seen.add(ref)
            try:
                target = ref_target(ref)
                schema = lookup(self.doc.data, target)
                at = target
            except (ValueError, KeyError):
                return at, {}  # reported by check_refs
        return at, schema

    def make_field(self, py: str, wire: str, info: TypeInfo, required: bool, schema: Any, at: Parts) -> ir.Field:
        kwargs: list[str] = []
        annotation = info.annotation()
        doc = field_doc(schema)
        owner = self.owner(schema)
        if owner and required and not (info.enum is not None and len(info.enum) == 1):  # a tag stays required
            # One model serves requests and responses: a field one side owns is not required
            # from the other, so the model accepts it missing.
            required = False
            note = (
                "Read-only: set by the server; optional here so requests need not send it."
                if owner == "readOnly"
                else "Write-only: sent by the client; optional here since responses leave it out."
            )
            doc = f"{doc}\n\n{note}" if doc else note
        has_default = isinstance(schema, dict) and "default" in schema
        default: str | None = None
        if has_default:
            value = schema["default"]
            problem = self.defaults.problem(schema, value, at)
            if problem is None:
                default = repr(value)
            else:
                self.warn(at + ("default",), problem)
        if not required:
            if default is None:
                default = "None"
                if not info.nullable and info.py not in ("Any", "None"):
                    annotation = f"{annotation} | None"
        else:
            default = None  # required in the spec: the model requires it too
        if py != wire:
            kwargs.append(f"alias={wire!r}")
        # A list or dict default in `Field(default=...)`: pydantic copies it per instance, and
        # it does not read as a shared class attribute.
        mutable = not required and has_default and isinstance(schema["default"], list | dict) and default != "None"
        assignment = f" = Field(default={default})" if mutable and not kwargs else _assignment(default, kwargs)
        # One allowed value (a tag): still required when parsing, but constructors fill it in,
        # so type checkers are shown a default (see `_single_values` in the base model).
        one = single_value(info) if required else None
        static = _assignment(one, kwargs) if one else ""
        return ir.Field(py, wire, annotation, assignment, doc, required, static)

    def use(self, name: str) -> None:
        if self._deps_stack:
            self._deps_stack[-1].add(name)

    # -- type expressions ------------------------------------------------------------------
    def type_of(self, schema: Any, at: Parts, hint: str) -> TypeInfo:
        """Annotation for ``schema``; inline objects and unions become named definitions."""
        if schema is True or schema == {} or schema is None:
            return ANY
        if not isinstance(schema, dict):
            self.problem(at, "a schema must be an object or a boolean")
            return ANY
        self.note_unsupported(schema, at)
        if "$recursiveRef" in schema or "$dynamicRef" in schema:
            return self.component(self._current[-1]) if self._current else ANY
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
        nullable = bool(schema.get("nullable")) or self._type_list_has_null(schema)
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
        kind = self._type_name(schema)
        if kind == "array" or (kind is None and ("items" in schema or "prefixItems" in schema)):
            unique = ("unique_items",) if schema.get("uniqueItems") is True else ()
            if isinstance(schema.get("prefixItems"), list) or isinstance(schema.get("items"), list):
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
            keys = {
                "string": ("minLength", "maxLength", "pattern"),
                "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
                "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
                "boolean": (),
            }[kind]
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

    def _type_list_has_null(self, schema: dict[str, Any]) -> bool:
        t = schema.get("type")
        return isinstance(t, list) and "null" in t

    def _type_name(self, schema: dict[str, Any]) -> str | None:
        t = schema.get("type")
        if isinstance(t, list):
            rest = [x for x in t if x != "null"]
            return rest[0] if len(rest) == 1 else (None if rest else "null")
        return t if isinstance(t, str) else None

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
        try:
            target = ref_target(ref)
        except ValueError:
            return ANY  # reported by check_refs
        if len(target) == 3 and target[:2] == SCHEMAS and target[2] in self.schemas:
            info = self.component(str(target[2]))
            self.use(info.py)
            return info
        try:
            schema = lookup(self.doc.data, target)
        except KeyError:
            return ANY
        hint = naming.pascal(" ".join(str(t) for t in target[2:])) or "Schema"
        return self.type_of(schema, target, hint)

    def constrained(
        self, py: str, schema: dict[str, Any], at: Parts, keys: tuple[str, ...], markers: tuple[str, ...] = ()
    ) -> str:
        """``Annotated[py, Field(<constraints>), *markers]``, or ``py`` when there are none."""
        kwargs = []
        names = {
            "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern",
            "minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt",
            "multipleOf": "multiple_of", "minItems": "min_length", "maxItems": "max_length",
            "minProperties": "min_length", "maxProperties": "max_length",
        }  # fmt: skip
        for key in keys:
            if key not in schema:
                continue
            value = schema[key]
            if key == "pattern":
                if not isinstance(value, str) or not self.pattern_ok(value):
                    self.problem(at + (key,), f"pattern {value!r} is not a valid regular expression")
                    continue
            elif isinstance(value, bool) or not isinstance(value, int | float):
                if key.startswith("exclusive") and isinstance(value, bool):
                    continue  # OpenAPI 3.0 boolean form: handled with minimum/maximum below
                self.problem(at + (key,), f"{key} must be a number")
                continue
            name = names[key]
            if key in ("minimum", "maximum") and schema.get("exclusive" + key.title()) is True:
                name = "gt" if key == "minimum" else "lt"
            kwargs.append(f"{name}={value!r}")
        meta = ([f"Field({', '.join(kwargs)})"] if kwargs else []) + list(markers)
        return f"Annotated[{py}, {', '.join(meta)}]" if meta else py

    @staticmethod
    def pattern_ok(pattern: str) -> bool:
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            return False
        return True

    # -- used by the union planner ---------------------------------------------------------
    def variant_info(self, info: TypeInfo) -> VariantInfo | None:
        if info.model is None or info.model not in self.props:
            return None
        return VariantInfo(info.model, self.props[info.model])
