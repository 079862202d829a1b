"""Sequential media types (OpenAPI 3.2): answers read item by item as they arrive.

`text/event-stream`, `application/jsonl`, `application/x-ndjson`, `application/json-seq` (and
`+json-seq`) and `multipart/mixed` carry a sequence of items. OpenAPI 3.2's `itemSchema` types
one item; `schema` types the whole content, "as if the values were in an array", so an array
schema's `items` types one item too. For `text/event-stream` an item is an event (`data`,
`event`, `id`, `retry`); its `data` is a string that `contentMediaType` / `contentSchema` say how
to decode (JSON, validated by the content schema). Without an `itemSchema`, a
`text/event-stream` media type's `schema` types each event's data, as OpenAPI 3.1 documents
(OpenAI's) mean it.

``StreamPlanner.plan`` turns one media type into an ``ir.Stream`` (None when the media type is
not sequential or nothing types its items); adapter constants and the reader / writer
expressions the templates print are set by ``wire.finish``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ir, naming
from .media import is_json_media, sequential
from .normalize import Normalized
from .resolve import Parts
from .schema_info import type_name
from .schemas import SchemaBuilder


class StreamPlanner:
    def __init__(self, n: Normalized, sb: SchemaBuilder, resolve: Callable[[Any], Any]) -> None:
        self.n = n
        self.sb = sb
        self.resolve = resolve

    def plan(self, media: str, entry: dict[str, Any], at: Parts, hint: str) -> ir.Stream | None:
        """``entry`` is the Media Type Object at ``at``; ``hint`` names what the planner must name."""
        fmt = sequential(media)
        if fmt is None:
            return None
        item = entry.get("itemSchema")
        if fmt == "sse":
            if "itemSchema" in entry:
                return self.events(media, item, at + ("itemSchema",), hint)
            schema = entry.get("schema")  # 3.1: the schema of each event's data
            data = self.sb.type_of(schema, at + ("schema",), hint).annotation()
            return ir.Stream("sse", media, data)
        item_at = at + ("itemSchema",)
        if "itemSchema" not in entry:
            whole = self.resolve(entry.get("schema"))
            if isinstance(whole, dict) and type_name(whole) == "array" and isinstance(whole.get("items"), dict):
                item, item_at = whole["items"], self.located(entry.get("schema"), at + ("schema",)) + ("items",)
            elif fmt != "multipart" and isinstance(whole, dict) and whole:
                # Written before 3.2 had `itemSchema`: such a schema means one line / record.
                self.sb.warn(
                    at + ("schema",),
                    f"the `schema` of {media} types the whole sequence (as an array) and this one is not an "
                    "array: it is read as the schema of each item (say so with `itemSchema`)",
                )
                item, item_at = entry.get("schema"), at + ("schema",)
            else:
                return None  # nothing types one item: the body is read whole (bytes)
        annotation = self.sb.type_of(item, item_at, hint).annotation()
        if fmt != "multipart":
            return ir.Stream(fmt, media, annotation)
        kind, default_type = self.part_kind(item)
        encoding = entry.get("itemEncoding")
        declared = encoding.get("contentType") if isinstance(encoding, dict) else None
        part_type = declared.split(",")[0].strip() if isinstance(declared, str) and declared.strip() else default_type
        if kind == "bytes":
            annotation = "bytes"
        return ir.Stream("multipart", media, annotation, part_kind=kind, part_type=part_type)

    def located(self, schema: Any, at: Parts) -> Parts:
        """Where ``schema`` (maybe a `$ref`) is defined."""
        if isinstance(schema, dict) and "$ref" in schema:
            found = self.n.ref(schema["$ref"])
            if found is not None:
                return found[0]
        return at

    def part_kind(self, item: Any) -> tuple[Any, str]:
        """How one multipart part is read, and the Content-Type OpenAPI gives it by default
        (the Encoding Object's defaults: no type is binary, a string text, the rest JSON)."""
        schema = self.resolve(item)
        if isinstance(schema, dict) and isinstance(schema.get("contentMediaType"), str):
            return "bytes", schema["contentMediaType"]
        if not isinstance(schema, dict) or schema.get("format") == "binary":
            return "bytes", "application/octet-stream"
        kind = type_name(schema)
        if kind is None and not any(k in schema for k in ("properties", "items", "enum", "const")):
            return "bytes", "application/octet-stream"
        if kind == "string":
            return (
                ("bytes", "application/octet-stream")
                if "contentEncoding" in schema
                else ("text", "text/plain; charset=utf-8")
            )
        return "json", "application/json"

    # -- text/event-stream with an itemSchema -------------------------------------------------------
    def events(self, media: str, item: Any, at: Parts, hint: str) -> ir.Stream:
        """Typed events: one entry per event name a variant of the item schema fixes (its
        `event` property's `const` or `enum`), then one for any other event."""
        named: dict[str, ir.EventType] = {}
        default: ir.EventType | None = None
        for i, (props, where) in enumerate(self.variants(item, at)):
            names = self.event_names(props.get("event", []))
            label = naming.pascal(names[0]) if names else ("Event" if i == 0 else f"Event{i + 1}")
            entry = self.data(props.get("data", []), where, hint + label + "Data")
            for name in names:
                named.setdefault(name, ir.EventType(name, entry.data, entry.json))
            if not names and default is None:
                default = entry
        events = (*named.values(), default or ir.EventType(None, "str", False))
        members = list(dict.fromkeys(e.data for e in events))
        return ir.Stream("events", media, f"ServerSentEvent[{' | '.join(members)}]", events=events)

    def variants(self, item: Any, at: Parts) -> list[tuple[dict[str, list[tuple[Any, Parts]]], Parts]]:
        """The item schema's variants (its `oneOf` / `anyOf` branches, each with what the
        schema around them says), as property name -> every schema that applies to it."""
        base: dict[str, list[tuple[Any, Parts]]] = {}
        branches: list[tuple[Any, Parts]] = []
        for schema, where in self.applied(item, at):
            for name, found in self.properties(schema, where).items():
                base.setdefault(name, []).extend(found)
            key = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf"
            if not branches and isinstance(schema.get(key), list):
                branches = [(b, where + (key, i)) for i, b in enumerate(schema[key])]
        if not branches:
            return [(base, self.located(item, at))]
        out = []
        for branch, where in branches:
            merged = {name: list(found) for name, found in base.items()}
            for schema, there in self.applied(branch, where):
                for name, found in self.properties(schema, there).items():
                    merged.setdefault(name, []).extend(found)
            out.append((merged, self.located(branch, where)))
        return out

    def applied(self, schema: Any, at: Parts) -> list[tuple[dict[str, Any], Parts]]:
        """``schema`` and, through its `$ref`s, what they name: a `$ref` with sibling keywords
        (OpenAPI 3.1+) applies both."""
        out: list[tuple[dict[str, Any], Parts]] = []
        for _ in range(50):
            if not isinstance(schema, dict):
                break
            out.append((schema, at))
            found = self.n.ref(schema["$ref"]) if "$ref" in schema else None
            if found is None:
                break
            at, schema = found
        return out

    def properties(self, schema: Any, at: Parts, depth: int = 0) -> dict[str, list[tuple[Any, Parts]]]:
        """Property name -> the schemas (with their locations) ``schema`` and its `allOf` give
        it (its `oneOf` / `anyOf` branches are the variants: see ``variants``)."""
        out: dict[str, list[tuple[Any, Parts]]] = {}
        if not isinstance(schema, dict) or depth > 8:
            return out
        props = schema.get("properties")
        for name, sub in props.items() if isinstance(props, dict) else ():
            out.setdefault(str(name), []).append((sub, at + ("properties", name)))
        parts = schema.get("allOf")
        for i, part in enumerate(parts if isinstance(parts, list) else []):
            where = self.located(part, at + ("allOf", i))
            for name, found in self.properties(self.resolve(part), where, depth + 1).items():
                out.setdefault(name, []).extend(found)
        return out

    def event_names(self, found: list[tuple[Any, Parts]]) -> list[str]:
        for sub, _ in found:
            schema = self.resolve(sub)
            if not isinstance(schema, dict):
                continue
            if isinstance(schema.get("const"), str):
                return [schema["const"]]
            if isinstance(schema.get("enum"), list) and all(isinstance(v, str) for v in schema["enum"]):
                return list(schema["enum"])
        return []

    def data(self, found: list[tuple[Any, Parts]], at: Parts, hint: str) -> ir.EventType:
        """How an event's `data` (a string on the wire) is read: JSON validated by its
        `contentSchema` when `contentMediaType` is JSON; else the text (typed by its schema)."""
        for sub, where in found:
            schema = self.resolve(sub)
            media = schema.get("contentMediaType") if isinstance(schema, dict) else None
            if isinstance(media, str) and is_json_media(media):
                if "contentSchema" not in schema:
                    return ir.EventType(None, "Any", True)
                where = self.located(sub, where)
                content = self.sb.type_of(schema["contentSchema"], where + ("contentSchema",), hint)
                return ir.EventType(None, content.annotation(), True)
            if isinstance(media, str):
                return ir.EventType(None, "str", False)  # another media type: the text, as sent
        for sub, where in found:
            schema = self.resolve(sub)
            kind = type_name(schema) if isinstance(schema, dict) else None
            if isinstance(schema, dict) and kind not in (None, "string"):
                self.sb.warn(
                    where,
                    f"an event's `data` is a string in text/event-stream, and this schema says {kind}: "
                    "it is read as JSON text (say so with `contentMediaType: application/json` and "
                    "`contentSchema`)",
                )
                return ir.EventType(None, self.sb.type_of(sub, where, hint).annotation(), True)
            if isinstance(schema, dict) and kind == "string" and any(k in schema for k in ("enum", "const")):
                return ir.EventType(None, self.sb.type_of(sub, where, hint).annotation(), False)
        return ir.EventType(None, "str", False)
