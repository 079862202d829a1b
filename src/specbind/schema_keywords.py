"""Phase 3a, build types: the JSON Schema keywords beyond `type`, `properties` and `items`
that real documents use (constraints, tuples, typed extras, `patternProperties`,
`readOnly`/`writeOnly`, formats as Python types), and the located warnings for those the
models do not check.

A mixin of ``SchemaBuilder`` (schemas.py), kept apart so that module stays about one thing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import naming
from .errors import pointer_of

if TYPE_CHECKING:
    from .normalize import Normalized
    from .resolve import Parts
    from .schema_info import TypeInfo

#: pydantic's name for each constraint keyword.
_FIELD_NAMES = {
    "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern",
    "minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt",
    "multipleOf": "multiple_of", "minItems": "min_length", "maxItems": "max_length",
    "minProperties": "min_length", "maxProperties": "max_length",
}  # fmt: skip

# JSON Schema keywords that constrain values in ways the models do not check: each use is a
# located warning (the rest of the schema still applies).
UNSUPPORTED = {
    "not": "`not` is not checked",
    "if": "`if`/`then`/`else` are not checked",
    "contains": "`contains` is not checked",
    "dependentRequired": "`dependentRequired` is not checked",
    "dependentSchemas": "`dependentSchemas` is not checked",
    "dependencies": "`dependencies` is not checked",
    "unevaluatedProperties": "`unevaluatedProperties` is not checked",
    "unevaluatedItems": "`unevaluatedItems` is not checked",
}


class KeywordTypes:
    n: Normalized
    python_types: bool
    _current: list[str]  # component stack: python types apply inside components only
    _noted: set[tuple[str, int]]

    if TYPE_CHECKING:

        def warn(self, at: Parts, message: str) -> None: ...
        def problem(self, at: Parts, message: str) -> None: ...
        def type_of(self, schema: Any, at: Parts, hint: str) -> TypeInfo: ...

    def note_unsupported(self, schema: Any, at: Parts) -> None:
        """A located warning for each keyword the models do not check (once per location)."""
        if not isinstance(schema, dict) or schema.keys().isdisjoint(UNSUPPORTED):
            return
        # Per location and object: a nullable wrapper and the schema it wraps share a location.
        key = (pointer_of(at), id(schema))
        if key in self._noted:
            return
        self._noted.add(key)
        for keyword, what in UNSUPPORTED.items():
            if keyword in schema:
                self.warn(at + (keyword,), f"{what} by the generated models; the rest of the schema applies")

    def extra_type(self, schema: dict[str, Any], at: Parts, hint: str, closed: bool) -> tuple[str | None, bool]:
        """Value type of undeclared keys (None: any), and whether undeclared keys are refused.

        ``additionalProperties`` with a schema types them; ``patternProperties`` types them
        with the union of its value schemas (the key patterns themselves are not checked).
        """
        extra = schema.get("additionalProperties")
        patterns = schema.get("patternProperties")
        infos: list[str] = []  # annotations
        if extra is not None and not isinstance(extra, bool | dict):
            self.problem(at + ("additionalProperties",), "a schema must be an object or a boolean")
        if isinstance(patterns, dict) and patterns:
            self.warn(
                at + ("patternProperties",),
                "keys are not checked against `patternProperties` patterns; undeclared keys are "
                "typed with the union of its value schemas" + ("" if extra is False else " and `additionalProperties`"),
            )
            for pattern, sub in patterns.items():
                infos.append(self.type_of(sub, at + ("patternProperties", pattern), hint).annotation())
            closed = False  # keys matching a pattern are allowed
        if isinstance(extra, dict) and extra:
            infos.append(self.type_of(extra, at + ("additionalProperties",), hint).annotation())
        elif infos and extra is not False:
            infos.append("Any")
        if not infos or "Any" in infos:
            return None, closed
        return " | ".join(dict.fromkeys(infos)), closed

    def owner(self, schema: Any) -> str | None:
        """``readOnly`` / ``writeOnly`` on a property or the schema it refers to."""
        candidates = [schema]
        if isinstance(schema, dict) and (found := self.n.ref(schema.get("$ref"))) is not None:
            candidates.append(found[1])
        for s in candidates:
            if isinstance(s, dict):
                for key in ("readOnly", "writeOnly"):
                    if s.get(key) is True:
                        return key
        return None

    def tuple_type(self, schema: dict[str, Any], at: Parts, hint: str) -> str:
        """``prefixItems`` (a tuple-form ``items`` of earlier drafts, once normalized) -> ``tuple[A, B]``."""
        members = schema["prefixItems"]
        if not members:
            return "list[Any]"
        key_at = self.n.at(members, at + ("prefixItems",))  # `items` when the document wrote that
        names = [self.type_of(m, key_at + (i,), f"{hint}Item{i + 1}").annotation() for i, m in enumerate(members)]
        n = len(members)
        rest = schema.get("items")
        max_items, min_items = schema.get("maxItems"), schema.get("minItems")
        longer = rest is not False and not (isinstance(max_items, int) and max_items <= n)
        shorter = not (isinstance(min_items, int) and min_items >= n)
        if longer or shorter:
            allowed = " and ".join(w for w, on in (("fewer", shorter), ("more", longer)) if on)
            self.warn(
                key_at,
                f"typed as a tuple of exactly {n} items; the schema also allows {allowed} "
                f"items, which the model refuses (pin `minItems`/`maxItems` to {n} to say so)",
            )
        return f"tuple[{', '.join(names)}]"

    def python_type(self, schema: dict[str, Any], at: Parts) -> str | None:
        """`python_types = true`: ``datetime`` / ``date`` / ``time`` / ``UUID`` for a string format,
        in component schemas only (inline parameters stay ``str``: the client and server modules
        do not import them). None: stays ``str``."""
        fmt = schema.get("format")
        if not self.python_types or not self._current or fmt not in naming.PYTHON_TYPES:
            return None
        if any(k in schema for k in ("minLength", "maxLength", "pattern")):
            self.warn(at + ("format",), f"format {fmt!r} with string constraints stays `str` (python_types)")
            return None
        return naming.PYTHON_TYPES[str(fmt)]

    def constrained(
        self, py: str, schema: dict[str, Any], at: Parts, keys: tuple[str, ...], markers: tuple[str, ...] = ()
    ) -> str:
        """``Annotated[py, Field(<constraints>), *markers]``, or ``py`` when there are none."""
        kwargs = []
        for key in keys:
            if key not in schema:
                continue
            value = schema[key]
            if key == "pattern":
                if not isinstance(value, str) or not self.pattern_ok(value):
                    self.problem(at + (key,), f"pattern {value!r} is not a valid regular expression")
                    continue
            elif isinstance(value, bool) or not isinstance(value, int | float):
                self.problem(at + (key,), f"{key} must be a number")
                continue
            name = _FIELD_NAMES[key]
            if key in ("minimum", "maximum") and _same_number(schema.get("exclusive" + key.title()), value):
                name = "gt" if key == "minimum" else "lt"  # the bound is exclusive: said once, here
            elif key.startswith("exclusive") and _same_number(schema.get(key.removeprefix("exclusive").lower()), value):
                continue
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


def _same_number(a: Any, b: Any) -> bool:
    return not isinstance(a, bool) and isinstance(a, int | float) and not isinstance(b, bool) and a == b
