"""Phase 3a, build types: component schemas -> models, aliases and unions (IR).

``SchemaBuilder`` defines every component schema as a model (an object), a union (oneOf /
anyOf, planned in ``unions``) or an alias (anything else), and the fields of each model. The
annotation of each schema occurrence comes from ``schema_types``, the keywords beyond the
basics from ``schema_keywords``; the shared small types live in ``schema_info``. It reads the
normalized document (``normalize``): JSON Schema 2020-12, a `$ref` is a table lookup.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import ir, naming
from .defaults import DefaultChecker
from .errors import Diagnostics, Problem, pointer_of
from .normalize import Normalized
from .resolve import Parts
from .schema_info import Built, PropInfo, TypeInfo, VariantInfo, clean_doc, field_doc, single_value
from .schema_keywords import KeywordTypes
from .schema_types import SCHEMAS, TypeExpressions
from .unions import UnionPlanner

__all__ = ["SchemaBuilder", "TypeInfo", "clean_doc"]


def _assignment(default: str | None, kwargs: list[str]) -> str:
    if kwargs:
        return " = Field(" + ", ".join(([f"default={default}"] if default is not None else []) + kwargs) + ")"
    return f" = {default}" if default is not None else ""


class SchemaBuilder(TypeExpressions, KeywordTypes):
    def __init__(
        self,
        n: Normalized,
        diagnostics: Diagnostics | None = None,
        *,
        python_types: bool = False,
        names: naming.Style = "python",
    ) -> None:
        self.n = n
        self.python_types = python_types
        self.names_style: naming.Style = names  # `names = "wire"` keeps identifiers as the spec spells them
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()
        self.schemas: dict[str, Any] = n.component_schemas
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
        self._current: list[str] = []  # component stack: python types apply inside components only
        self._deps_stack: list[set[str]] = []
        self._inline: dict[int, TypeInfo] = {}  # id(inline schema) -> its named definition
        self._noted: set[tuple[str, int]] = set()  # (pointer, id) already warned about (a schema is read twice)
        self.unions = UnionPlanner(self)
        self.defaults = DefaultChecker(n)

    # -- problems ---------------------------------------------------------------------------
    def problem(self, at: Parts, message: str) -> None:
        self.problems.append(self.n.problem(at, message))

    def warn(self, at: Parts, message: str) -> None:
        """Something a generator can survive: said once, located, and what was done instead."""
        self.n.warn(self.diagnostics, at, message)

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
            found = self.n.ref(ref)
            if found is None:
                return at, {}  # reported by check_refs
            at, schema = found
        return self.n.at(schema, at), schema

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

    # -- used by the union planner ---------------------------------------------------------
    def variant_info(self, info: TypeInfo) -> VariantInfo | None:
        if info.model is None or info.model not in self.props:
            return None
        return VariantInfo(info.model, self.props[info.model])
