"""Phase 3b, the union layer: pick and explain a dispatch strategy for every oneOf/anyOf.

- ``tagged``: every variant has a required, non-null tag and no tag is shared. pydantic's
  discriminated union dispatches on it; an ``Unknown<Union>`` fallback, tried only when that
  fails and only for a tag it does not know, keeps forward-compatible payloads.
- ``tag_then_structure``: tags are shared, optional or nullable. Still pydantic-core's
  discriminated union on the tag (owned and null tags); where the tag cannot decide (shared,
  missing), the few structural facts that tell the candidates apart (required keys, enum
  values, JSON types, most specific candidate first) and the keys each declares decide.
- ``plain``: members are not all tagged objects; pydantic's smart mode picks the exact match.

Both tagged strategies render as ``_dispatch`` metadata (see ``templates/_dispatch.py.jinja``).
Nested discriminated unions on the same tag are flattened into their parent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from . import ir, naming
from .errors import pointer_of
from .schema_info import Built, TypeInfo, VariantInfo, clean_doc, json_type_of, type_list_has_null

if TYPE_CHECKING:
    from .resolve import Parts

JSON_OF = {"string", "integer", "number", "boolean", "array", "object", "null"}


class SchemaHost(Protocol):
    """What the planner uses of the schema builder (``schemas.SchemaBuilder``)."""

    out: Built
    names: naming.NameTable
    component_name: dict[str, str]
    names_style: naming.Style
    _deps_stack: list[set[str]]

    def type_of(self, schema: Any, at: Parts, hint: str) -> TypeInfo: ...
    def non_null_branches(self, schema: dict[str, Any]) -> list[tuple[Parts, Any]] | None: ...
    def variant_info(self, info: TypeInfo) -> VariantInfo | None: ...
    def use(self, name: str) -> None: ...
    def problem(self, at: Parts, message: str) -> None: ...
    def warn(self, at: Parts, message: str) -> None: ...


@dataclass(frozen=True)
class Tagging:
    variant: VariantInfo
    tags: tuple[str, ...]
    optional: bool
    nullable: bool


def implies(a: ir.Check, b: ir.Check) -> bool:
    """Does passing ``a`` guarantee passing ``b`` (same key)?"""
    if a.key != b.key:
        return False
    if b.kind == "present":
        return True
    if a.kind == "present":
        return False
    a_types = _types_of(a)
    if b.kind == "type":
        return a_types <= set(b.values) | ({"integer"} if "number" in b.values else set())
    return a.kind == "in" and set(a.values) <= set(b.values)


def _types_of(check: ir.Check) -> set[str]:
    if check.kind == "type":
        return {str(v) for v in check.values}
    return {json_type_of(v) for v in check.values}


def stronger(a: ir.Candidate, b: ir.Candidate) -> bool:
    """Is every check of ``b`` implied by some check of ``a`` (a is at least as specific)?"""
    return all(any(implies(x, y) for x in a.checks) for y in b.checks)


def most_specific_first(cands: list[ir.Candidate]) -> tuple[ir.Candidate, ...]:
    """Order so that no candidate comes after one it is strictly more specific than.

    Ties keep spec order. The dispatcher takes, among the candidates whose checks pass, the one
    declaring more of the payload's keys (first in this order on a tie); for a payload no
    candidate fits, the checks tell which one it is closest to (whose errors are shown). Each
    candidate's ``keys`` come in as every key it declares and leave as those that tell it apart.
    """
    rest, out = list(cands), []
    while rest:
        for c in rest:
            if not any(stronger(d, c) and not stronger(c, d) for d in rest if d is not c):
                out.append(c)
                rest.remove(c)
                break
    if len(out) <= 1:  # a lone candidate is taken whatever the payload: nothing to judge
        return tuple(ir.Candidate(c.model, ()) for c in out)
    # Keys every candidate declares tell none apart: each keeps those not all the others have.
    common = set.intersection(*(set(c.keys) for c in out))
    return tuple(ir.Candidate(c.model, c.checks, tuple(k for k in c.keys if k not in common)) for c in out)


def top_level_parts(annotation: str) -> list[str]:
    """``A | list[B | C] | None`` -> ``["A", "list[B | C]", "None"]`` (brackets and string
    literals respected), so that a plain union lists each member once (`integer` and
    `number` are both `int`...)."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(annotation):
        ch = annotation[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
        i += 1
    parts.append(annotation[start:].strip())
    return parts


def merge_literals(parts: tuple[str, ...]) -> tuple[str, ...]:
    """``Literal['a'] | int | Literal['']`` -> ``Literal['a', ''] | int``: one ``Literal`` for
    every literal member, where the first one stood (ruff PYI030; the same values)."""
    literals = [p for p in parts if p.startswith("Literal[") and p.endswith("]")]
    if len(literals) < 2:
        return parts
    merged = "Literal[" + ", ".join(dict.fromkeys(v for p in literals for v in top_level_values(p[8:-1]))) + "]"
    out: list[str] = []
    for p in parts:
        if p not in literals:
            out.append(p)
        elif merged not in out:
            out.append(merged)
    return tuple(out)


def top_level_values(inner: str) -> list[str]:
    """``'a', 1, 'b, c'`` -> ``["'a'", "1", "'b, c'"]`` (string literals respected)."""
    values, quote, start, i = [], "", 0, 0
    while i < len(inner):
        ch = inner[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == ",":
            values.append(inner[start:i].strip())
            start = i + 1
        i += 1
    values.append(inner[start:].strip())
    return [v for v in values if v]


class UnionPlanner:
    def __init__(self, builder: SchemaHost) -> None:
        self.b = builder
        self.variants: dict[str, list[VariantInfo]] = {}  # discriminated union -> flat variants
        self.tag_of: dict[str, str] = {}

    def define(self, name: str, schema: dict[str, Any], at: Parts) -> TypeInfo:
        b = self.b
        branches = b.non_null_branches(schema) or []
        nullable = len(branches) < len(schema.get("oneOf") or schema.get("anyOf") or [])
        # A `type: [..., "null"]` beside the oneOf/anyOf (3.0's `nullable: true` once normalized).
        nullable = nullable or type_list_has_null(schema)
        b._deps_stack.append(set())
        members: list[TypeInfo] = []
        for i, (sub_at, sub) in enumerate(branches):
            title = sub.get("title") if isinstance(sub, dict) and "$ref" not in sub else None
            hint = name + (
                naming.pascal(title) if isinstance(title, str) and naming.pascal(title) else f"Option{i + 1}"
            )
            members.append(b.type_of(sub, at + sub_at, hint))
        deps = b._deps_stack.pop()
        doc = clean_doc(schema)
        source = pointer_of(at)
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        mapping: dict[str, Any] = (
            disc["mapping"] if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict) else {}
        )
        flat = self.flatten(members, prop)
        reason_prefix = ""
        if flat is not None and prop is None:
            prop = self.infer_tag(flat)
            reason_prefix = (
                f"no discriminator declared; `{prop}` inferred (a single-value enum in every variant). " if prop else ""
            )
        if flat is None or prop is None:
            why = "members are not all objects" if flat is None else "no property tags every variant"
            union = ir.Union(
                name,
                doc,
                "plain",
                f"{why}: pydantic smart mode picks the best match",
                source,
                merge_literals(tuple(dict.fromkeys(part for m in members for part in top_level_parts(m.annotation())))),
            )
            b.out.unions[name] = union
            b.out.deps[name] = deps
            b.use(name)
            types = (
                frozenset().union(*(m.json_types for m in members))
                if all(m.json_types for m in members)
                else frozenset()
            )
            return TypeInfo(name, nullable=nullable, json_types=types)
        if isinstance(schema.get("discriminator"), dict) and not isinstance(prop, str):
            b.problem(at + ("discriminator", "propertyName"), "propertyName must be a string")
            prop = "type"
        taggings = [self.tagging(v, prop, mapping, at) for v in flat]
        self.variants[name] = flat
        self.tag_of[name] = prop
        union = self.plan(name, doc, source, prop, taggings, reason_prefix)
        default = self.default_variant(disc, flat, at, union.unknown)
        if default is not None:
            why = f"; `defaultMapping`: {default} when `{prop}` is absent or names no variant"
            union = replace(union, default=default, when_missing=(), reason=union.reason + why)
        b.out.unions[name] = union
        b.out.deps[name] = deps | {v.model for v in flat}
        b.use(name)
        return TypeInfo(name, nullable=nullable, json_types=frozenset({"object"}))

    def flatten(self, members: list[TypeInfo], prop: str | None) -> list[VariantInfo] | None:
        out: list[VariantInfo] = []
        for m in members:
            if m.model is None and m.py in self.variants and (prop is None or self.tag_of[m.py] == prop):
                out.extend(v for v in self.variants[m.py] if v.model not in {o.model for o in out})
                continue
            info = self.b.variant_info(m)
            if info is None or m.nullable:
                return None
            if info.model not in {o.model for o in out}:
                out.append(info)
        return out

    def infer_tag(self, flat: list[VariantInfo]) -> str | None:
        """A property every variant gives one string value: the first whose values tell every
        variant apart, else the first that tells some apart. A constant shared by all
        (Stripe's `deleted: true`) is no tag, and neither is a number or a boolean."""
        found: list[tuple[str, int]] = []
        for p in flat[0].props:
            values = []
            for v in flat:
                q = v.prop(p.wire)
                if q is None or q.info.enum is None or len(q.info.enum) != 1 or not isinstance(q.info.enum[0], str):
                    break
                values.append(q.info.enum[0])
            else:
                found.append((p.wire, len(set(values))))
        for wire, distinct in found:
            if distinct == len(flat):
                return wire
        return next((wire for wire, distinct in found if distinct > 1), None)

    def default_variant(self, disc: Any, flat: list[VariantInfo], at: Parts, unknown: str | None) -> str | None:
        """The variant a discriminator's `defaultMapping` (3.2) names: a schema name or a
        `$ref` to a component; one that is no variant of the union is a warning, left out."""
        target = disc.get("defaultMapping") if isinstance(disc, dict) else None
        if target is None:
            return None
        model = self.b.component_name.get(str(target).rsplit("/", 1)[-1]) if isinstance(target, str) else None
        if model is not None and model in {v.model for v in flat}:
            return model
        self.b.warn(
            at + ("discriminator", "defaultMapping"),
            f"defaultMapping {target!r} names no variant of this union: left out (an unknown tag stays {unknown})",
        )
        return None

    def tagging(self, v: VariantInfo, prop: str, mapping: dict[str, Any], at: Parts) -> Tagging:
        p = v.prop(prop)
        tags: list[str] = []
        for tag, target in mapping.items():
            target_name = str(target).rsplit("/", 1)[-1]
            if self.b.component_name.get(target_name) == v.model:
                tags.append(str(tag))
        if p is not None and p.info.enum is not None:
            tags.extend(str(t) for t in p.info.enum if isinstance(t, str) and str(t) not in tags)
        if p is None and not tags:
            self.b.problem(at, f"variant {v.model} has no discriminator property {prop!r}")
        return Tagging(v, tuple(tags), optional=p is None or not p.required, nullable=p is not None and p.info.nullable)

    def plan(
        self, name: str, doc: str | None, source: str, prop: str, taggings: list[Tagging], reason_prefix: str
    ) -> ir.Union:
        b = self.b
        tag_field = naming.field_name(prop, style=b.names_style)
        owners: dict[str, list[Tagging]] = {}
        for t in taggings:
            for tag in t.tags:
                owners.setdefault(tag, []).append(t)
        known = tuple(owners)
        unknown = b.names.claim(naming.class_name(f"Unknown{name}"))
        fallback_doc = f"A `{name}` whose `{prop}` this version of the spec does not know."
        alias = f"alias={prop!r}" if tag_field != prop else ""
        tag_assign = f" = Field({alias})" if alias else ""
        b.out.models[unknown] = ir.Model(
            unknown,
            fallback_doc,
            (ir.Field(tag_field, prop, "str", tag_assign, None, True),),
            False,
            source,
            refuses=(prop, known),
        )
        members = tuple(t.variant.model for t in taggings)
        shared = sorted(tag for tag, ts in owners.items() if len(ts) > 1)
        optional = [t.variant.model for t in taggings if t.optional]
        nullable = [t.variant.model for t in taggings if t.nullable]
        untagged = [t.variant.model for t in taggings if not t.tags]
        if not shared and not optional and not nullable and not untagged:
            return ir.Union(
                name, doc, "tagged",
                reason_prefix + f"every variant has its own required `{prop}` tag: pydantic-core dispatches on it",
                source, members, tag_field, prop, unknown=unknown,
            )  # fmt: skip
        why = []
        if shared:
            why.append(
                "shared tags " + ", ".join(f"`{s}` ({', '.join(t.variant.model for t in owners[s])})" for s in shared)
            )
        if optional:
            why.append("optional tag in " + ", ".join(optional))
        if nullable:
            why.append("nullable tag in " + ", ".join(nullable))
        if untagged:
            why.append("no tag in " + ", ".join(untagged))
        routes = tuple(
            ir.Route(tag, most_specific_first([self.candidate(t.variant, prop) for t in ts]))
            for tag, ts in owners.items()
        )
        when_missing = most_specific_first([self.candidate(t.variant, prop) for t in taggings if t.optional])
        when_null = most_specific_first([self.candidate(t.variant, prop) for t in taggings if t.nullable])
        dispatch_name = b.names.claim("_" + naming.snake(name).upper() + "_DISPATCH")
        return ir.Union(
            name, doc, "tag_then_structure",
            reason_prefix + "; ".join(why) + ": pydantic-core dispatches on the tag; where it cannot decide,"
            " the structure does (most specific first, then the keys present)",
            source, members, tag_field, prop, routes, when_missing, when_null, unknown, dispatch_name,
        )  # fmt: skip

    def candidate(self, v: VariantInfo, prop: str) -> ir.Candidate:
        checks: list[ir.Check] = []
        for p in v.props:
            if not p.required or p.wire == prop:
                continue
            info = p.info
            if info.enum is not None:
                values = tuple(info.enum) + ((None,) if info.nullable else ())
                checks.append(ir.Check(p.wire, "in", values))
            elif info.json_types and info.json_types <= JSON_OF:
                types = set(info.json_types) | ({"null"} if info.nullable else set())
                if "number" in types:
                    types.discard("integer")
                checks.append(ir.Check(p.wire, "type", tuple(sorted(types))))
            else:
                checks.append(ir.Check(p.wire, "present"))
        return ir.Candidate(v.model, tuple(checks), tuple(p.wire for p in v.props if p.wire != prop))
