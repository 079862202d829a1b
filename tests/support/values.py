"""Hypothesis strategies for values of a pydantic type, from the JSON schema pydantic gives for
it: what a form body can carry exactly.

What the wire cannot tell apart is left out, as the generated client documents it: no null
(left out on the wire), no empty array or object (nothing on the wire), and strings from an
alphabet without the delimiters of delimited styles (`,` `|`) or of bracketed keys (`[` `]`).
They also hold no `'` or `(`, so that any of those on the wire is the text of a Python
container or model, which must never be sent.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

ALPHABET = st.sampled_from("abcXYZ019 -_.~@/&=+%#?é\u00e8")
KEY = st.text(st.sampled_from("abkz019_"), min_size=1, max_size=6)
_FORMATS = {
    "date-time": st.just("2020-01-02T03:04:05Z"),
    "date": st.just("2020-01-02"),
    "time": st.just("03:04:05"),
    "uuid": st.just("00000000-0000-4000-8000-000000000000"),
    "email": st.just("a@example.com"),
    "uri": st.just("https://example.com/a"),
}
_FORBIDDEN = re.compile(r"[,|\[\]'()\"{}\\\x00-\x1f]")


def _string(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    low, high = schema.get("minLength", 0), schema.get("maxLength", 12)
    if "pattern" in schema:
        pattern = schema["pattern"]
        return st.from_regex(pattern).filter(lambda s: low <= len(s) <= high and not _FORBIDDEN.search(s))
    return st.text(ALPHABET, min_size=low, max_size=max(low, min(high, 12)))


def _number(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if integer:
        ints = st.integers(
            min_value=None if low is None else int(low) + ("exclusiveMinimum" in schema),
            max_value=None if high is None else int(high) - ("exclusiveMaximum" in schema),
        )
        step = schema.get("multipleOf")
        return ints.map(lambda v: v - v % step) if isinstance(step, int) and step > 0 else ints
    floats = st.floats(
        min_value=low, max_value=high, allow_nan=False, allow_infinity=False,
        exclude_min="exclusiveMinimum" in schema, exclude_max="exclusiveMaximum" in schema,
    )  # fmt: skip
    return floats | _number(schema, True).filter(lambda v: (low is None or v > low) and (high is None or v < high))


def strategy(schema: Any, defs: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    if not isinstance(schema, dict) or schema == {} or depth > 40:
        return st.text(ALPHABET, min_size=1, max_size=8)  # any: text, as the wire gives it back
    if "$ref" in schema:
        return strategy(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, depth + 1)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from([v for v in schema["enum"] if v is not None])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return st.one_of([strategy({**o, **_siblings(schema)}, defs, depth + 1) for o in options])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return strategy({**schema["allOf"][0], **_siblings(schema, "allOf")}, defs, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([strategy({**schema, "type": k}, defs, depth) for k in kind if k != "null"])
    if kind == "object" or "properties" in schema:
        return _object(schema, defs, depth)
    if kind == "array":
        if "prefixItems" in schema:
            return st.tuples(*(strategy(i, defs, depth + 1) for i in schema["prefixItems"])).map(list)
        low, high = max(1, schema.get("minItems", 0)), schema.get("maxItems", 3)
        items = strategy(schema.get("items", {}), defs, depth + 1)
        unique = schema.get("uniqueItems") is True
        return st.lists(items, min_size=low, max_size=max(low, min(high, 3)), unique_by=repr if unique else None)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    return st.text(ALPHABET, min_size=1, max_size=8)


def _siblings(schema: dict[str, Any], *also: str) -> dict[str, Any]:
    """Keys next to anyOf/oneOf that still apply to each option (pydantic puts none that matter)."""
    return {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "title", "description", "default", *also)}


def _object(schema: dict[str, Any], defs: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    props: dict[str, Any] = schema.get("properties") or {}
    required = [k for k in schema.get("required") or [] if k in props]
    optional = [k for k in props if k not in required]
    extra = schema.get("additionalProperties")
    if not props:
        values = strategy(extra if isinstance(extra, dict) else {}, defs, depth + 1)
        return st.dictionaries(KEY, values, min_size=1, max_size=3)
    fixed = st.fixed_dictionaries(
        {k: strategy(props[k], defs, depth + 1) for k in required},
        optional={k: strategy(props[k], defs, depth + 1) for k in optional},
    )
    return fixed.filter(bool)  # an object with nothing set puts nothing on the wire
