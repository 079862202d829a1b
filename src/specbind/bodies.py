"""Request bodies of an operation: the media type it is sent in, the model and its fields as
method arguments, and for form and multipart bodies how each field goes on the wire (the
Encoding Object, see ``encoding``). A mixin of ``operations.OperationBuilder``.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from . import encoding, ir, naming
from .encoding import Encoding, Skip
from .resolve import Parts
from .schema_info import TypeInfo, type_name
from .schemas import SchemaBuilder
from .typetext import strip_constraints

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORM = "application/x-www-form-urlencoded"
#: Keys of an Encoding Object that make it "like a query parameter" (OpenAPI 3.1.1): without
#: any of them, the field is serialised in its `contentType` (an object: JSON).
_STYLE_KEYS = ("style", "explode", "allowReserved")

BodyParts = tuple[str | None, tuple[ir.BodyField, ...], bool, str, str, str]


def media_kind(media: str) -> str:
    """`json`, `form`, `multipart`, `event-stream`, `text` or `bytes` for a media type."""
    base = media.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == _FORM:
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base == "text/event-stream":
        return "event-stream"
    if base.startswith("text/"):
        return "text"
    return "bytes"


def offered(container: Any) -> list[tuple[str, dict[str, Any]]]:
    """(media type, Media Type Object) of a request body's or response's `content`, in order."""
    content = container.get("content") if isinstance(container, dict) else None
    return [(str(m), b if isinstance(b, dict) else {}) for m, b in content.items()] if isinstance(content, dict) else []


def first_of_each_kind(media: list[tuple[str, Any]]) -> dict[str, tuple[str, Any]]:
    """``media_kind`` -> the first (media type, entry) of that kind: the one generated."""
    return {media_kind(m): (m, b) for m, b in reversed(media)}


def part_type(content_type: str) -> str | None:
    """The content type a part is sent with when the caller gives none: the first specific one
    of an Encoding Object's `contentType` (`image/png, image/jpeg` -> `image/png`)."""
    for candidate in content_type.split(","):
        if (media := candidate.strip()) and "*" not in media:
            return media
    return None


class Bodies:
    """Request bodies (mixed into OperationBuilder, which provides these attributes)."""

    sb: SchemaBuilder
    shapes: encoding.Shapes
    # Per operation, while it is built: what the templates print for form and multipart bodies.
    part_types: tuple[tuple[str, str], ...]
    form_wires: str
    form_fields: str

    def resolve(self, node: Any) -> Any:
        raise NotImplementedError

    def content(self, container: Any) -> list[tuple[str, Any]]:
        return offered(container)

    def body(self, op: dict[str, Any], at: Parts, base: str, arg_names: naming.NameTable) -> BodyParts:
        """(model, fields, required, kind, media type, argument annotation)."""
        rb = self.resolve(op.get("requestBody"))
        offered = self.content(rb)
        if not offered:
            return None, (), False, "none", "", ""
        required = bool(rb.get("required"))
        by_kind = first_of_each_kind(offered)
        for kind in ("json", "form", "multipart", "bytes", "text"):
            if kind in by_kind:
                break
        else:
            media = offered[0][0]
            raise Skip(at + ("requestBody", "content", media), f"request body {media!r} is not supported")
        media, entry = by_kind[kind]
        where = at + ("requestBody", "content", media, "schema")
        if "itemSchema" in entry:  # OpenAPI 3.2: a body sent item by item
            whole = f"as {kind}" if kind in ("bytes", "text") else "typed by its `schema`"
            self.sb.warn(
                where[:-1] + ("itemSchema",),
                f"a request body sent item by item (`itemSchema`) is not generated: it is sent whole, {whole}",
            )
        if kind in ("bytes", "text"):
            return None, (), required, kind, media, "bytes" if kind == "bytes" else "str"
        schema = self.resolve(entry.get("schema"))
        if kind in ("form", "multipart") and not required and self.empty_object(schema):
            # Every Stripe GET and DELETE declares such a body: nothing to send, no argument.
            return None, (), False, "none", "", ""
        info: TypeInfo = self.sb.type_of(entry.get("schema"), where, base + "Body")
        if info.model is None:
            if kind in ("form", "multipart"):
                what = "an object schema with properties" if self.empty_object(schema) else "an object schema"
                raise Skip(
                    where, f"a required {media} body must be {what}" if required else f"a {media} body must be {what}"
                )
            return info.annotation(), (), required, "json", media, self.widen(info.annotation())
        model = self.sb.out.models[info.model]
        files = self.file_fields(entry.get("schema")) if kind == "multipart" else {}
        fields = tuple(
            ir.BodyField(
                arg_names.claim(f.name),
                f.wire,
                f.annotation,
                ("Sequence[_http.FileContent]" if files[f.wire] else "_http.FileContent")
                if f.wire in files
                else self.widen(f.annotation),
                f.required,
                f.doc,
                is_array=files[f.wire] if f.wire in files else strip_constraints(f.annotation).startswith("list["),
                is_file=f.wire in files,
                server_annotation=(
                    ("list[UploadedFile]" if files[f.wire] else "UploadedFile") + ("" if f.required else " | None")
                    if f.wire in files
                    else f.annotation
                ),
            )
            for f in model.fields
        )
        # The model's own default and alias, where the argument kept the field's name.
        fields = tuple(
            replace(b, model_assignment=f.assignment) if b.name == f.name else b
            for b, f in zip(fields, model.fields, strict=True)
        )
        if kind in ("form", "multipart"):
            self.field_encodings(info.model, entry, where, kind, set(files))
        return info.model, fields, required, {"json": "model"}.get(kind, kind), media, ""

    @staticmethod
    def empty_object(schema: Any) -> bool:
        """An object schema that declares no property (`{type: object, properties: {}}`)."""
        return (
            isinstance(schema, dict)
            and schema.get("type") in ("object", None)
            and not schema.get("properties")
            and not any(k in schema for k in ("allOf", "anyOf", "oneOf", "$ref", "items", "enum", "const"))
        )

    def field_encodings(self, model: str, entry: dict[str, Any], where: Parts, kind: str, files: set[str]) -> None:
        """Each field's wire form, from the Encoding Object: `form_wires` for the client,
        `form_fields` for the server, and the parts' default content types."""
        declared = entry.get("encoding")
        declared = declared if isinstance(declared, dict) else {}
        wires: list[str] = []
        fields: dict[str, Any] = {}
        for prop in self.sb.props.get(model, []):
            spec = declared.get(prop.wire)
            spec = spec if isinstance(spec, dict) else {}
            at = where[:-1] + ("encoding", prop.wire) if prop.wire in declared else where + ("properties", prop.wire)
            enc = self.field_encoding(prop.schema, spec, kind, prop.wire in files, at, prop.wire, prop.required)
            if not enc.default and not (kind == "multipart" and enc.style == "json"):  # JSON parts anyway
                wires.append(f"{prop.wire!r}: {encoding.wire_literal(enc)}")
            shape = json.loads(enc.shape)
            fields[prop.wire] = shape if enc.style == "form" and enc.explode else [enc.style, enc.explode, shape]
        spread = [w for w, f in fields.items() if isinstance(f, dict) and "p" in f]
        if len(spread) > 1:
            raise Skip(where, f"form fields {spread[0]!r} and {spread[1]!r} are both objects in style 'form', "
                       "exploded: their properties could not be told apart")  # fmt: skip
        self.form_wires = "{" + ", ".join(wires) + "}" if wires else ""
        self.form_fields = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
        if kind == "multipart":
            self.part_types = tuple(
                (str(k), media)
                for k, v in declared.items()
                if isinstance(v, dict)
                and isinstance(v.get("contentType"), str)
                and (media := part_type(v["contentType"])) is not None
            )

    def field_encoding(
        self, schema: Any, spec: dict[str, Any], kind: str, is_file: bool, at: Parts, wire: str, required: bool
    ) -> Encoding:
        shape = self.shapes.of(schema)
        default = Encoding("form", True, False, encoding.text(encoding.required(shape) if required else shape))
        if is_file:
            return default
        content_type = spec.get("contentType")
        if not any(k in spec for k in _STYLE_KEYS):
            # No style: the field is serialised in its content type, JSON for an object
            # (OpenAPI 3.1.1). Multipart sends an array one part per element (JSON parts
            # for objects), which the server collects by the shape.
            json_type = isinstance(content_type, str) and media_kind(content_type.split(",")[0]) == "json"
            if (json_type or encoding.nested(shape)) and (kind == "form" or "i" not in shape):
                return encoding.AS_JSON
            return default
        enc, why = encoding.decide(self.shapes, schema, kind, spec, spread_ok=kind == "form", is_required=required)
        if enc is None:
            raise Skip(at, f"form field {wire!r}: {why}")
        return enc

    def file_fields(self, schema: Any) -> dict[str, bool]:
        """Multipart properties that are files: wire name -> whether it is an array of files."""
        schema = self.resolve(schema)
        props = schema.get("properties") if isinstance(schema, dict) else None
        out: dict[str, bool] = {}
        for name, prop in props.items() if isinstance(props, dict) else ():
            prop = self.resolve(prop)
            items = self.resolve(prop.get("items")) if isinstance(prop, dict) and type_name(prop) == "array" else None
            for candidate, many in ((prop, False), (items, True)):
                if isinstance(candidate, dict) and (
                    candidate.get("format") == "binary" or "contentMediaType" in candidate
                ):
                    out[str(name)] = many
        return out

    def widen(self, annotation: str) -> str:
        """Argument type for a body field: generated models may also be given as plain mappings
        (validated before sending); containers become read-only protocols so that a
        ``list[dict[str, str]]`` is accepted where ``list[InputItem]`` is declared."""
        out = self.sb.out
        tagged = {n for n, u in out.unions.items() if u.strategy != "plain"}
        objects = set(out.models) | tagged

        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            if word in tagged:  # any model of a known kind is re-dispatched on its fields
                return f"{word} | BaseModel | Mapping[str, Any]"
            if word in objects:
                return f"{word} | Mapping[str, Any]"
            return {"list": "Sequence", "dict": "Mapping"}.get(word, word)

        return _WORD.sub(repl, strip_constraints(annotation))
