"""Every schema, whatever the OpenAPI version wrote, as JSON Schema 2020-12.

- `nullable: true` (3.0, and 3.1 documents that kept it): `null` joins the `type` list, the
  `oneOf`/`anyOf` branches (a `{type: null}` branch) and the `enum` (a `const` becomes a
  two-value `enum`). A schema that cannot carry `null` itself (a `$ref`, an `allOf`, one
  typed only by its keywords) is wrapped: ``{anyOf: [<it>, {type: null}]}``, with its
  annotations (description, default, readOnly...) on the wrapper too.
- boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0): the number of `minimum`/`maximum`
  (which stays: ``minimum: 0, exclusiveMinimum: 0`` is the same bound), or dropped.
- `$recursiveRef` (2019-09) and `$dynamicRef`: a `$ref` to the component schema that holds
  them (the anchoring schema, as every generator reads them); the anchors are dropped.
- tuple-form `items` (+ `additionalItems`): `prefixItems` (+ `items`).
- `example`: one more value of `examples`.
- `definitions` is kept as it is: no builder reads it, and a `$ref` into it is a table lookup.

Nothing else changes: unknown keys, literal data (enum, const, default, examples) and invalid
values are kept as they are, for the builders to use or report. Copies are made once per
original object, so an object reached twice (a YAML alias) stays one object.
"""

from __future__ import annotations

from typing import Any

from ..errors import escape_pointer_token
from ..resolve import Parts, ref_target

#: Keywords whose value is one schema.
ONE = frozenset(
    {
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
        "items",
        "additionalItems",
    }
)
#: Keywords whose value is a list of schemas.
MANY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: Keywords whose value maps names (never keywords) to schemas.
NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
#: What a nullable wrapper carries as well as the schema it wraps: what describes the value
#: as a whole (a property's default and documentation, who owns it).
OUTER = frozenset(
    {"description", "title", "default", "examples", "readOnly", "writeOnly", "deprecated", "$comment", "externalDocs"}
)
#: ...of which these stay on the wrapper only.
OUTER_ONLY = frozenset({"default", "examples", "readOnly", "writeOnly", "deprecated"})
_DROPPED = frozenset({"nullable", "$recursiveAnchor", "$dynamicAnchor", "example"})
_NULL = {"type": "null"}


def is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _child(pos: Parts | None, *keys: str | int) -> Parts | None:
    return None if pos is None else pos + keys


def component_ref(name: str) -> str:
    return "#/components/schemas/" + escape_pointer_token(name)


class SchemaNormalizer:
    """Normalizes schemas one at a time and keeps the tables (see ``document.Normalized``)."""

    def __init__(self) -> None:
        self.schemas: dict[Parts, Any] = {}
        self.origin: dict[int, Parts] = {}
        self.position: dict[int, Parts] = {}
        self.targets: dict[str, Parts] = {}
        self._memo: dict[int, Any] = {}

    def schema(self, node: Any, at: Parts, pos: Parts | None, component: str | None = None) -> Any:
        """The 2020-12 form of the schema ``node`` found at ``at`` in the original document.
        ``pos``: where it goes in the normalized tree (None: not in it); ``component``: the
        component schema it is part of (what `$recursiveRef` names)."""
        done = self._memo.get(id(node))
        if done is not None:
            self.schemas.setdefault(at, done)
            return done
        if not isinstance(node, dict):
            self.schemas.setdefault(at, node)
            return node  # a boolean schema, or an invalid one for the builders to report
        nullable = node.get("nullable") is True
        wrap = nullable and self._needs_wrapper(node)
        inner_pos = _child(pos, "anyOf", 0) if wrap else pos
        out = self._keywords(node, at, inner_pos, component)
        self._exclusive_bounds(out)
        if nullable and not wrap:
            self._with_null(out)
        if wrap:
            inner = {k: v for k, v in out.items() if k not in OUTER_ONLY}
            self._place(inner, at, inner_pos)
            out = {k: v for k, v in out.items() if k in OUTER} | {"anyOf": [inner, dict(_NULL)]}
        self._place(out, at, pos)
        self.schemas[at] = out
        self._memo[id(node)] = out
        return out

    def _place(self, node: Any, at: Parts, pos: Parts | None) -> None:
        if pos is not None:
            self.position.setdefault(id(node), pos)
        if pos != at:
            self.origin[id(node)] = at

    def _keywords(self, node: dict[str, Any], at: Parts, pos: Parts | None, component: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tuple_form = isinstance(node.get("items"), list) and "prefixItems" not in node
        for key, value in node.items():
            if key in _DROPPED:
                if key == "example" and "examples" not in node:
                    out["examples"] = [value]
                elif key == "example" and not isinstance(node["examples"], list):
                    out[key] = value  # `examples` is something else: both kept as written
                continue
            if key in ("$recursiveRef", "$dynamicRef"):
                if component is not None and "$ref" not in node:
                    out["$ref"] = self.ref(component_ref(component))
                continue  # outside a component it names nothing a generator can know: any value
            if tuple_form and key == "items":
                out["prefixItems"] = self._tuple(value, at + (key,), _child(pos, "prefixItems"), component)
            elif tuple_form and key == "additionalItems":
                out["items"] = self.schema(value, at + (key,), _child(pos, "items"), component)
            elif key in ONE:
                out[key] = self.schema(value, at + (key,), _child(pos, key), component)
            elif key in MANY and isinstance(value, list):
                out[key] = [self.schema(v, at + (key, i), _child(pos, key, i), component) for i, v in enumerate(value)]
            elif key in NAMED and isinstance(value, dict):
                out[key] = {k: self.schema(v, at + (key, k), _child(pos, key, k), component) for k, v in value.items()}
            elif key == "dependencies" and isinstance(value, dict):  # draft 4: schemas or lists of names
                out[key] = {
                    k: self.schema(v, at + (key, k), _child(pos, key, k), component) if isinstance(v, dict) else v
                    for k, v in value.items()
                }
            elif key == "$ref":
                out[key] = self.ref(value)
            elif key == "examples" and isinstance(value, list) and "example" in node and node["example"] not in value:
                out[key] = [*value, node["example"]]
            else:
                out[key] = value
        return out

    def ref(self, ref: Any) -> Any:
        """Remember where a local `$ref` points (the builders look it up by its text)."""
        if isinstance(ref, str) and ref not in self.targets:
            try:
                self.targets[ref] = ref_target(ref)
            except ValueError:
                pass  # reported by check_refs
        return ref

    def _tuple(self, items: list[Any], at: Parts, pos: Parts | None, component: str | None) -> list[Any]:
        out = [self.schema(v, at + (i,), _child(pos, i), component) for i, v in enumerate(items)]
        self.origin[id(out)] = at  # the keyword's own location (its warning points there)
        return out

    @staticmethod
    def _exclusive_bounds(out: dict[str, Any]) -> None:
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):
                if flag and _number(out.get(bound)):
                    out[exclusive] = out[bound]
                else:
                    del out[exclusive]

    @staticmethod
    def _needs_wrapper(node: dict[str, Any]) -> bool:
        """A nullable schema that cannot take `null` in one of its own keywords."""
        if any(k in node for k in ("$ref", "$recursiveRef", "$dynamicRef", "allOf")):
            return True
        if isinstance(node.get("type"), str | list):
            return False
        if any(isinstance(node.get(k), list) and node[k] for k in ("oneOf", "anyOf", "enum")) or "const" in node:
            return False
        # Typed by its keywords alone (`properties`, `items`...): those refuse null.
        return any(k not in OUTER and k not in _DROPPED and not str(k).startswith("x-") for k in node)

    @staticmethod
    def _with_null(out: dict[str, Any]) -> None:
        t = out.get("type")
        if isinstance(t, str) and t != "null":
            out["type"] = [t, "null"]
        elif isinstance(t, list) and "null" not in t:
            out["type"] = [*t, "null"]
        for key in ("oneOf", "anyOf"):
            branches = out.get(key)
            if isinstance(branches, list) and branches and not any(map(is_null, branches)):
                out[key] = [*branches, dict(_NULL)]
        enum = out.get("enum")
        if isinstance(enum, list) and enum and None not in enum:
            out["enum"] = [*enum, None]
        elif "const" in out and "enum" not in out and out["const"] is not None:
            pairs = [("enum", [v, None]) if k == "const" else (k, v) for k, v in out.items()]
            out.clear()
            out.update(pairs)
