"""Nothing silent: each key of a path item, operation, parameter, header, request body, media
type or response that specbind does not act on is one located warning naming the key.

Extensions (`x-*`) are the document author's own and never warned about. Documentation keys
(`description`, `summary`, `example`, `examples`, `externalDocs`, `deprecated`) count as read.
The path items of webhooks and callbacks (received by the generated webhooks.py) are walked
like those of `paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Parts = tuple[str | int, ...]
Warn = Callable[[Parts, str], None]

METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})
_DOCS = frozenset({"description", "summary", "example", "examples", "externalDocs", "deprecated"})

#: What each kind of object has that specbind acts on (the rest is warned about).
READ: dict[str, frozenset[str]] = {
    "pathItem": METHODS | {"parameters", "additionalOperations", "$ref"},
    "operation": frozenset({"operationId", "tags", "parameters", "requestBody", "responses", "security", "callbacks"}),
    "parameter": frozenset(
        {"name", "in", "required", "schema", "content", "style", "explode", "allowReserved", "$ref"}
    ),
    "requestBody": frozenset({"content", "required", "$ref"}),
    "mediaType": frozenset({"schema", "itemSchema", "encoding", "itemEncoding"}),
    "response": frozenset({"content", "headers", "$ref"}),
}

#: What specbind does not do with a key it knows (the warning says so).
_WHY = {
    "servers": "per-path and per-operation servers are not used (the client uses the document's servers)",
    "links": "links are not generated",
    "allowEmptyValue": "allowEmptyValue is not applied",
    "prefixEncoding": "prefixEncoding is not applied",
}


def _objects(doc: dict[str, Any]) -> Iterator[tuple[str, Any, Parts]]:
    """(kind, object, location) for every object of the kinds above, inline or in components."""
    found = doc.get("components")
    components: dict[str, Any] = found if isinstance(found, dict) else {}
    for name, item in _items(doc.get("paths")):
        yield from _path_item(item, ("paths", name))
    for name, item in _items(doc.get("webhooks")):
        yield from _path_item(item, ("webhooks", name))
    for name, item in _items(components.get("pathItems")):
        yield from _path_item(item, ("components", "pathItems", name))
    for name, callback in _items(components.get("callbacks")):
        yield from _callback(callback, ("components", "callbacks", name))
    for section, kind in (
        ("parameters", "parameter"),
        ("requestBodies", "requestBody"),
        ("responses", "response"),
    ):
        for name, value in _items(components.get(section)):
            yield from _object(kind, value, ("components", section, name))


def _items(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not key.startswith("x-"):
                yield key, item


def _path_item(item: Any, at: Parts) -> Iterator[tuple[str, Any, Parts]]:
    if not isinstance(item, dict):
        return
    yield "pathItem", item, at
    for i, param in enumerate(item.get("parameters") or []):
        yield from _object("parameter", param, (*at, "parameters", i))
    operations = [(m, item[m], (*at, m)) for m in METHODS if isinstance(item.get(m), dict)]
    operations += [(m, op, (*at, "additionalOperations", m)) for m, op in _items(item.get("additionalOperations"))]
    for _, op, where in operations:
        yield from _operation(op, where)


def _operation(op: Any, at: Parts) -> Iterator[tuple[str, Any, Parts]]:
    if not isinstance(op, dict):
        return
    yield "operation", op, at
    for i, param in enumerate(op.get("parameters") or []):
        yield from _object("parameter", param, (*at, "parameters", i))
    yield from _object("requestBody", op.get("requestBody"), (*at, "requestBody"))
    for code, response in _items(op.get("responses")):
        yield from _object("response", response, (*at, "responses", code))
    for name, callback in _items(op.get("callbacks")):
        yield from _callback(callback, (*at, "callbacks", name))


def _callback(callback: Any, at: Parts) -> Iterator[tuple[str, Any, Parts]]:
    """A Callback Object: URL expression -> path item (a `$ref` is walked where it points)."""
    if isinstance(callback, dict) and "$ref" not in callback:
        for expression, item in _items(callback):
            yield from _path_item(item, (*at, expression))


def _object(kind: str, value: Any, at: Parts) -> Iterator[tuple[str, Any, Parts]]:
    if not isinstance(value, dict):
        return
    yield kind, value, at
    if "$ref" in value:
        return
    for media, content in _items(value.get("content")):
        yield "mediaType", content, (*at, "content", media)


def warn_unread(doc: dict[str, Any], warn: Warn) -> None:
    """One warning per key specbind does not act on."""
    for kind, value, at in _objects(doc):
        read = READ[kind] | _DOCS
        for key in value:
            if not isinstance(key, str) or key.startswith("x-") or key in read:
                continue
            why = _WHY.get(key, f"specbind does not read `{key}` in a {_KIND_NAMES[kind]}")
            warn((*at, key), f"`{key}` is ignored: {why}")
        if kind == "response" and "$ref" not in value:
            for name, _ in _items(value.get("headers")):
                if name.lower() != "link":  # pagination follows a declared `Link`
                    warn(
                        (*at, "headers", name),
                        f"response header `{name}` is not typed (read it through `with_raw_response`)",
                    )


_KIND_NAMES = {
    "pathItem": "path item",
    "operation": "operation",
    "parameter": "parameter",
    "requestBody": "request body",
    "mediaType": "media type",
    "response": "response",
}
