"""The OpenAPI objects around the schemas: components, path items, operations, parameters,
request bodies, responses, headers, media types.

Every Reference Object is followed here (a parameter, a request body, a response, a header,
an example, a link, a callback, a path item: `#/components/pathItems/...` included), so the
builders read each object where it is used. An object reached twice is copied once. Schemas
go through ``schema.SchemaNormalizer``; a schema `$ref` is kept (schemas recurse) and found
in the table. Parameters get their `style` and `explode` written out (OpenAPI's defaults for
their location). Nothing here warns: the builders report, in document order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..load import Document
from ..resolve import Parts, lookup, ref_target
from .document import MAX_CHAIN, Incoming, Normalized, Operation, Parameter
from .schema import SchemaNormalizer

#: Path item keys that hold an operation (3.2 adds `query`; `additionalOperations` holds more).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
#: Header parameters OpenAPI says to ignore (the body's media type and security set them).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_TEMPLATE = re.compile(r"\{([^{}]+)\}")


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.s = SchemaNormalizer()
        self.objects: dict[tuple[int, str], Any] = {}  # (id(original), kind) -> normalized
        self.where: dict[int, dict[str, Parts]] = {}  # id(path item) -> key -> its location

    # -- references -------------------------------------------------------------------------
    def follow(self, value: Any, at: Parts) -> tuple[Any, Parts]:
        """A Reference Object followed to what it names, and where that is; anything else as it is."""
        for _ in range(MAX_CHAIN):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                break
            try:
                at = ref_target(value["$ref"])
                value = lookup(self.doc.data, at)
            except (ValueError, KeyError):
                return {}, at  # reported by check_refs
        return value, at

    def _object(self, value: Any, at: Parts, kind: str) -> tuple[dict[str, Any] | None, Any, Parts]:
        """(None, done, _) when ``value`` (followed) was normalized already or is no mapping;
        else (a fresh copy to fill, the original, its location)."""
        target, where = self.follow(value, at)
        if not isinstance(target, dict) or not target:
            return None, target, where  # nothing to normalize (an invalid entry is the builders' to report)
        key = (id(target), kind)
        if key in self.objects:
            return None, self.objects[key], where
        out: dict[str, Any] = dict(target)
        self.objects[key] = out
        return out, target, where

    def named(self, value: Any, at: Parts, each: Any) -> Any:
        """A map of named objects (`responses`, `headers`, `content`...), each normalized by ``each``."""
        if not isinstance(value, dict):
            return value
        return {k: each(v, at + (k,)) for k, v in value.items()}

    def schema(self, value: Any, at: Parts) -> Any:
        return self.s.schema(value, at, at)

    # -- the objects ------------------------------------------------------------------------
    def parameter(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "parameter")
        if out is None:
            return target
        self._schema_holder(out, target, where)
        loc = out.get("in")
        style = out.get("style") or ("form" if loc in ("query", "cookie") else "simple")
        out["style"] = style
        out["explode"] = out.get("explode", style in ("form", "cookie"))  # cookie: 3.2, form's default
        return out

    def header(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "header")
        if out is not None:
            self._schema_holder(out, target, where)
        return target if out is None else out

    def _schema_holder(self, out: dict[str, Any], target: dict[str, Any], at: Parts) -> None:
        """What parameters and headers share: a schema, or content, and examples."""
        if "schema" in target:
            out["schema"] = self.schema(target["schema"], at + ("schema",))
        if "content" in target:
            out["content"] = self.named(target["content"], at + ("content",), self.media_type)
        if "examples" in target:
            out["examples"] = self.named(target["examples"], at + ("examples",), self.plain)

    def plain(self, value: Any, at: Parts) -> Any:
        """An object with no schema inside (example, link, security scheme): only followed."""
        return self.follow(value, at)[0]

    def media_type(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "mediaType")
        if out is None:
            return target
        for key in ("schema", "itemSchema"):  # itemSchema: 3.2, the schema of each streamed item
            if key in target:
                out[key] = self.schema(target[key], where + (key,))
        if "examples" in target:
            out["examples"] = self.named(target["examples"], where + ("examples",), self.plain)
        for key in ("encoding", "itemEncoding", "prefixEncoding"):
            if isinstance(target.get(key), dict):
                out[key] = self.named(target[key], where + (key,), self.encoding)
            elif isinstance(target.get(key), list):
                out[key] = [self.encoding(v, where + (key, i)) for i, v in enumerate(target[key])]
        return out

    def encoding(self, value: Any, at: Parts) -> Any:
        if not isinstance(value, dict):
            return value
        out = dict(value)
        if "headers" in value:
            out["headers"] = self.named(value["headers"], at + ("headers",), self.header)
        return out

    def request_body(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "requestBody")
        if out is not None and "content" in target:
            out["content"] = self.named(target["content"], where + ("content",), self.media_type)
        return target if out is None else out

    def response(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "response")
        if out is None:
            return target
        if "headers" in target:
            out["headers"] = self.named(target["headers"], where + ("headers",), self.header)
        if "content" in target:
            out["content"] = self.named(target["content"], where + ("content",), self.media_type)
        if "links" in target:
            out["links"] = self.named(target["links"], where + ("links",), self.plain)
        return out

    def callback(self, value: Any, at: Parts) -> Any:
        out, target, where = self._object(value, at, "callback")
        if out is None:
            return target
        out.update(self.named(target, where, self.path_item))  # expression -> path item
        return out

    def operation(self, value: Any, at: Parts) -> Any:
        if not isinstance(value, dict):
            return value
        out = dict(value)
        if isinstance(value.get("parameters"), list):
            out["parameters"] = [self.parameter(p, at + ("parameters", i)) for i, p in enumerate(value["parameters"])]
        if "requestBody" in value:
            out["requestBody"] = self.request_body(value["requestBody"], at + ("requestBody",))
        if "responses" in value:
            out["responses"] = self.named(value["responses"], at + ("responses",), self.response)
        if "callbacks" in value:
            out["callbacks"] = self.named(value["callbacks"], at + ("callbacks",), self.callback)
        return out

    def path_item(self, value: Any, at: Parts) -> Any:
        """A path item, its `$ref` followed (its own keys then win, as when bundled); the
        location of each operation and of `parameters` is remembered in ``where``."""
        if not isinstance(value, dict):
            return value
        key = (id(value), "pathItem")
        if key in self.objects:
            return self.objects[key]
        out: dict[str, Any] = {}
        where: dict[str, Parts] = {"parameters": at}
        if isinstance(value.get("$ref"), str):
            target, target_at = self.follow({"$ref": value["$ref"]}, at)
            base = self.path_item(target, target_at)
            if isinstance(base, dict):
                out.update(base)
                where.update(self.where[id(base)])
        for k, v in value.items():
            if k == "$ref":
                continue
            if k in METHODS:
                out[k], where[k] = self.operation(v, at + (k,)), at + (k,)
            elif k == "parameters" and isinstance(v, list):
                out[k] = [self.parameter(p, at + (k, i)) for i, p in enumerate(v)]
                where[k] = at
            elif k == "additionalOperations" and isinstance(v, dict):
                out[k] = {m: self.operation(op, at + (k, m)) for m, op in v.items()}
                where.update({f"{k}/{m}": at + (k, m) for m in v})
            else:
                out[k] = v
        self.objects[key] = out
        self.where[id(out)] = where
        return out

    # -- the document -----------------------------------------------------------------------
    def components(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        each = {
            "parameters": self.parameter,
            "requestBodies": self.request_body,
            "responses": self.response,
            "headers": self.header,
            "mediaTypes": self.media_type,  # 3.2
            "callbacks": self.callback,
            "pathItems": self.path_item,
            "examples": self.plain,
            "links": self.plain,
            "securitySchemes": self.plain,
        }
        out = dict(value)
        schemas = value.get("schemas")
        if isinstance(schemas, dict):  # first: every schema is placed where it is defined
            out["schemas"] = {
                name: self.s.schema(s, ("components", "schemas", name), ("components", "schemas", name), str(name))
                for name, s in schemas.items()
            }
        for section, normalize in each.items():
            if section in value:
                out[section] = self.named(value[section], ("components", section), normalize)
        return out

    def operations(self, paths: Any) -> list[Operation]:
        found: list[Operation] = []
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(item, dict):
                continue
            where = self.where[id(item)]
            more = item.get("additionalOperations")
            keys = [(m, m) for m in METHODS] + [(m, f"additionalOperations/{m}") for m in more or {}] * isinstance(
                more, dict
            )
            for method, key in keys:
                spec = item.get(method) if key == method else item["additionalOperations"].get(method)
                if isinstance(spec, dict) and key in where:
                    found.append(self.one_operation(str(path), str(method), where[key], item, spec, where))
        return found

    def one_operation(
        self, path: str, method: str, at: Parts, item: dict[str, Any], spec: dict[str, Any], where: dict[str, Parts]
    ) -> Operation:
        declared: list[Parameter] = []
        for base, entries in ((where["parameters"], item.get("parameters")), (at, spec.get("parameters"))):
            for i, p in enumerate(entries if isinstance(entries, list) else []):
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    declared.append(Parameter(p["name"], str(p.get("in")), base + ("parameters", i), p))
        merged: dict[tuple[str, str], Parameter] = {}
        for p in declared:
            if not (p.location == "header" and p.name.lower() in IGNORED_HEADERS):
                merged[(p.name, p.location)] = p
        for wire in _TEMPLATE.findall(path):
            if (wire, "path") not in merged:
                spec_ = {"name": wire, "in": "path", "required": True, "schema": {"type": "string"}}
                spec_ |= {"style": "simple", "explode": False}
                merged[(wire, "path")] = Parameter(wire, "path", ("paths", path), spec_, declared=False)
        return Operation(path, method, at, item, spec, tuple(declared), tuple(merged.values()))

    def incoming(self, webhooks: Any, operations: list[Operation]) -> list[Incoming]:
        """The webhooks, then each operation's callbacks (expression -> path item), as operations."""

        def requests(kind: str, name: str, items: Any, owner: Operation | None) -> list[Incoming]:
            found = []
            for o in self.operations({k: v for k, v in items.items() if not str(k).startswith("x-")}):
                declared = replace(o, params=tuple(p for p in o.params if p.declared))
                found.append(Incoming(kind, name, o.path if kind == "callback" else "", owner, declared))
            return found

        out: list[Incoming] = []
        for name, item in webhooks.items() if isinstance(webhooks, dict) else ():
            if not str(name).startswith("x-"):
                out += requests("webhook", str(name), {name: item}, None)
        for op in operations:
            callbacks = op.spec.get("callbacks")
            for name, callback in callbacks.items() if isinstance(callbacks, dict) else ():
                if isinstance(callback, dict) and not str(name).startswith("x-"):
                    out += requests("callback", str(name), callback, op)
        return out

    def pending(self) -> None:
        """Schemas a `$ref` names that the walk did not reach (under an extension, or an
        object of another kind used as a schema): normalized where they are."""
        done: set[str] = set()
        while todo := [r for r in self.s.targets if r not in done]:
            for ref in todo:
                done.add(ref)
                target = self.s.targets[ref]
                if target in self.s.schemas:
                    continue
                try:
                    node = lookup(self.doc.data, target)
                except KeyError:
                    continue  # reported by check_refs
                in_component = len(target) >= 3 and target[:2] == ("components", "schemas")
                self.s.schema(node, target, None, str(target[2]) if in_component else None)


def normalize(doc: Document) -> Normalized:
    """The resolved document ``doc`` in the one dialect the builders read (see the package doc)."""
    w = _Walker(doc)
    data: dict[str, Any] = dict(doc.data)
    if "components" in data:
        data["components"] = w.components(data["components"])
    for key in ("paths", "webhooks"):
        if key in data:
            data[key] = w.named(data[key], (key,), w.path_item)
    operations = w.operations(data.get("paths"))
    incoming = w.incoming(data.get("webhooks"), operations)
    w.pending()
    schemas = (data.get("components") or {}).get("schemas") if isinstance(data.get("components"), dict) else None
    return Normalized(
        source=doc,
        data=data,
        component_schemas=schemas if isinstance(schemas, dict) else {},
        schemas=w.s.schemas,
        operations=tuple(operations),
        origin=w.s.origin,
        position=w.s.position,
        targets=w.s.targets,
        by_location={(op.path, op.at): op for op in operations},
        incoming=tuple(incoming),
    )
