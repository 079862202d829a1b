"""A small valid value for a Python type: built from the JSON schema pydantic gives for it
(smallest choices: first enum value, minimum numbers, required keys only, shortest arrays)."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import find, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

_FORMATS = {
    "date-time": "2020-01-02T03:04:05Z",
    "date": "2020-01-02",
    "time": "03:04:05",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "a@example.com",
    "uri": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "duration": "P1D",
    "byte": "",
    "binary": "",
}


def _pattern(pattern: str, low: int, high: int | None) -> str:
    for candidate in ("a" * max(low, 1), "1" * max(low, 1), ""):
        if re.search(pattern, candidate) and low <= len(candidate) <= (high if high is not None else 1 << 30):
            return candidate
    with settings(database=None, max_examples=200, deadline=None):
        return find(st.from_regex(pattern), lambda s: low <= len(s) <= (high if high is not None else 1 << 30))


def minimal_json(schema: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "$ref" in schema:
        return minimal_json(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and depth > 0:
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return minimal_json(options[0], defs, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal_json(part, defs, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        out = {k: minimal_json(props.get(k, {}), defs, depth + 1) for k in schema.get("required") or []}
        for i in range(schema.get("minProperties", 0) - len(out)):
            out[f"k{i}"] = "v"
        return out
    if kind == "array" and isinstance(schema.get("prefixItems"), list):  # a tuple: every listed item
        return [minimal_json(item, defs, depth + 1) for item in schema["prefixItems"]]
    if kind == "array":
        return [minimal_json(schema.get("items") or {}, defs, depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        if schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if "pattern" in schema:
            return _pattern(schema["pattern"], low, high)
        return "a" * max(low, 1) if high is None or high >= 1 else ""
    if kind in ("integer", "number"):
        if "minimum" in schema:
            value = schema["minimum"]
        elif "exclusiveMinimum" in schema:
            value = schema["exclusiveMinimum"] + 1
        elif "maximum" in schema and schema["maximum"] < 1:
            value = schema["maximum"]
        else:
            value = 1
        step = schema.get("multipleOf")
        if step:
            value = -(-value // step) * step
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "x"  # any


def minimal(type_: Any, *, parameter: bool = False) -> Any:
    """A valid instance of ``type_`` (models as model instances). A ``parameter`` array gets
    one element: an empty array is not on the wire at all in form style."""
    adapter: TypeAdapter[Any] = TypeAdapter(type_)
    schema = adapter.json_schema()
    defs = schema.get("$defs", {})
    if parameter:
        options = [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]
        if options and options[0].get("type") == "array":
            schema = {**options[0], "minItems": max(1, options[0].get("minItems", 0))}
    return adapter.validate_python(minimal_json(schema, defs))
