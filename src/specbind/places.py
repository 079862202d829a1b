"""What OpenAPI expects at each place of a document: a schema, a parameter, a response, a string...

The bundler follows a `$ref` the way its place wants (a string inlined, a map of names given
by reference merged in, a target bundled into the right `components` section), and
``resolve.check_refs`` refuses a `$ref` whose target is not what its place expects.

A kind is an object kind (``"schema"``, ``"parameter"``...), ``"map:<kind>"`` (names -> such
objects: `properties`, `responses`, `components/schemas`...), ``"list:<kind>"``, ``DATA``
(literal values: examples, defaults, enums, never read as keywords) or ``UNKNOWN`` (a place
OpenAPI says nothing about: extensions, unknown keywords; walked like ``resolve.walk`` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Parts = tuple[str | int, ...]

DATA = "data"
UNKNOWN = "?"
#: A map of names OpenAPI says nothing about (`mapping` somewhere unknown): its `$ref` key may be a name.
UNKNOWN_MAP = "map:?"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Object kinds a Reference Object may stand for, and the `components` section holding each.
SECTION_OF = {
    "schema": "schemas",
    "response": "responses",
    "parameter": "parameters",
    "example": "examples",
    "requestBody": "requestBodies",
    "header": "headers",
    "securityScheme": "securitySchemes",
    "link": "links",
    "callback": "callbacks",
    "pathItem": "pathItems",
}
KIND_OF_SECTION = {section: kind for kind, section in SECTION_OF.items()}

_SCHEMA_ONE = (
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "items",
)
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_PARAMETER = {"schema": "schema", "content": "map:mediaType", "examples": "map:example", "example": DATA}

#: kind -> keyword -> kind of its value. Keys not listed are UNKNOWN (walked, never trusted).
CHILDREN: dict[str, dict[str, str]] = {
    "document": {
        "info": "info",
        "paths": "map:pathItem",
        "webhooks": "map:pathItem",
        "components": "components",
        "tags": "list:tag",
        "servers": "list:server",
        "externalDocs": "externalDocs",
    },
    "components": {section: f"map:{kind}" for section, kind in KIND_OF_SECTION.items()},
    "info": {"contact": "contact", "license": "license"},
    "pathItem": {**dict.fromkeys(METHODS, "operation"), "parameters": "list:parameter", "servers": "list:server"},
    "operation": {
        "parameters": "list:parameter",
        "requestBody": "requestBody",
        "responses": "map:response",
        "callbacks": "map:callback",
        "servers": "list:server",
        "externalDocs": "externalDocs",
    },
    "parameter": _PARAMETER,
    "header": _PARAMETER,
    "requestBody": {"content": "map:mediaType"},
    "response": {"headers": "map:header", "content": "map:mediaType", "links": "map:link"},
    "mediaType": {"schema": "schema", "examples": "map:example", "encoding": "map:encoding", "example": DATA},
    "encoding": {"headers": "map:header"},
    "example": {"value": DATA, "dataValue": DATA},  # dataValue: 3.2, the value before serializing
    "link": {"parameters": DATA, "requestBody": DATA, "server": "server"},
    "server": {"variables": "map:serverVariable"},
    "serverVariable": {"enum": DATA, "default": DATA},
    "schema": {
        **dict.fromkeys(_SCHEMA_ONE, "schema"),
        **dict.fromkeys(_SCHEMA_MAPS, "map:schema"),
        **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), "list:schema"),
        **dict.fromkeys(("example", "examples", "default", "const", "enum"), DATA),
        "discriminator": "discriminator",
        "externalDocs": "externalDocs",
    },
    "discriminator": {"mapping": DATA},
}

#: kind -> the keywords whose value OpenAPI wants as a string.
STRINGS: dict[str, frozenset[str]] = {
    kind: frozenset(names)
    for kind, names in {
        "info": ("title", "summary", "description", "termsOfService", "version"),
        "contact": ("name", "url", "email"),
        "license": ("name", "identifier", "url"),
        "tag": ("name", "description"),
        "externalDocs": ("description", "url"),
        "server": ("url", "description"),
        "serverVariable": ("description",),
        "pathItem": ("summary", "description"),
        "operation": ("summary", "description", "operationId"),
        "parameter": ("name", "in", "description", "style"),
        "header": ("description", "style"),
        "requestBody": ("description",),
        "response": ("description",),
        "example": ("summary", "description", "externalValue", "serializedValue"),  # serializedValue: 3.2
        "link": ("operationRef", "operationId", "description"),
        "securityScheme": ("type", "description", "name", "in", "scheme", "bearerFormat", "openIdConnectUrl"),
        "encoding": ("contentType", "style"),
        "schema": ("title", "description", "$comment", "pattern", "format"),
    }.items()
}

#: What resolve.walk treats as names or data where OpenAPI does not say (kept identical there).
_UNKNOWN_NAMES = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "mapping"})
_UNKNOWN_DATA = frozenset({"example", "default", "const", "enum"})


def child_kind(kind: str, key: str | int, value: Any) -> str:
    """The kind of ``value`` found under ``key`` of something of ``kind``."""
    if kind.startswith("list:"):
        return kind[5:]
    if kind.startswith("map:"):
        return kind[4:]
    if kind == "callback":  # runtime expressions -> path items
        return "pathItem"
    if kind == DATA:
        return DATA
    table = CHILDREN.get(kind)
    if table is not None and key in table:
        found = table[key]
        if key == "items" and isinstance(value, list):
            return "list:schema"  # tuple-form items (earlier drafts)
        if key == "examples" and kind in ("parameter", "header", "mediaType") and isinstance(value, list):
            return DATA
        return found
    if kind == UNKNOWN or table is not None:
        if key in _UNKNOWN_DATA or (key == "examples" and isinstance(value, list)):
            return DATA
        if key in _UNKNOWN_NAMES:
            return UNKNOWN_MAP
    return UNKNOWN


def is_map(kind: str) -> bool:
    return kind.startswith("map:")


def kind_at(root: Any, parts: Parts, start: str = "document") -> str | None:
    """The kind of the place ``parts`` in ``root`` (None when it does not exist)."""
    node, kind = root, start
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
        kind = child_kind(kind, part, node)
    return kind


#: What can hold places.
_NESTED = (dict, list)


def walk_places(node: Any, kind: str = "document", at: Parts = ()) -> Iterator[tuple[Parts, str, dict[str, Any]]]:
    """Every object and name map below ``node``, with its location and kind, iteratively; data
    is skipped. A caller may change a yielded mapping: its children are read after the yield."""
    stack: list[tuple[Parts, Any, str]] = [(at, node, kind)]
    while stack:
        here, value, kind = stack.pop()
        if kind == DATA:
            continue
        if isinstance(value, dict):
            yield here, kind, value
            # Only mappings and lists are places: a scalar's kind is never asked for.
            children = [(here + (k,), v, child_kind(kind, k, v)) for k, v in value.items() if isinstance(v, _NESTED)]
        elif isinstance(value, list):
            element = kind[5:] if kind.startswith("list:") else UNKNOWN if is_map(kind) else kind
            children = [(here + (i,), v, element) for i, v in enumerate(value) if isinstance(v, _NESTED)]
        else:
            continue
        stack.extend(reversed(children))


def describe(kind: str | None, value: Any) -> str:
    """How an error names what a `$ref` points at: 'a parameter', 'a string', 'a list'..."""
    if not isinstance(value, dict):
        shape = {str: "a string", list: "a list", bool: "a boolean", int: "a number", float: "a number"}
        return shape.get(type(value), "null" if value is None else type(value).__name__)
    if kind is None or kind in (UNKNOWN, DATA) or is_map(kind) or kind.startswith("list:"):
        return "a mapping"
    article = "an" if kind[0] in "aeiou" else "a"
    return f"{article} {kind}"


def mismatch(expected: str, found: str | None, target: Any) -> str | None:
    """What ``target`` (of kind ``found`` by its place) is, when a `$ref` at a place of kind
    ``expected`` cannot stand for it; None when it fits or OpenAPI says nothing of the place."""
    if expected not in SECTION_OF:
        return None
    fits = isinstance(target, dict) or (expected == "schema" and isinstance(target, bool))
    if fits and (found is None or found not in SECTION_OF or found == expected):
        return None
    return describe(found, target)
