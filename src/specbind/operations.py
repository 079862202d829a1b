"""Phase 3c, the operation layer: paths -> ``ir.Operation`` (parameters, request body, answers
and error schemas as the document declares them). How they go on the wire, and the names the
templates print, are finished in ``wire``.

What cannot be generated for an operation is a located warning, and the operation is skipped:
never a method that silently drops part of the request.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import idempotency, ir, naming
from .extract import HTTP_METHODS
from .normalize import Normalized
from .pagination import Detector
from .pagination_config import Rule
from .resolve import Parts
from .schema_info import type_name
from .schemas import SchemaBuilder, TypeInfo, clean_doc

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: Argument names the generated methods use themselves, and module names their bodies read.
RESERVED_ARGS = frozenset(
    {
        "self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "ctx", "body",
        "request", "response", "params", "result", "models", "httpx", "json",
    }
)  # fmt: skip
_LOCATIONS = {"path": 0, "query": 1, "header": 2, "cookie": 3}
_FORM = "application/x-www-form-urlencoded"


class Skip(Exception):
    """An operation part the generator cannot produce: the whole operation is skipped."""

    def __init__(self, at: Parts, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def strip_constraints(annotation: str) -> str:
    """``Annotated[X, Field(...)]`` -> ``X``: argument types say what to pass; the models
    enforce the constraints when the request is validated."""
    out: list[str] = []
    i = 0
    while True:
        j = annotation.find("Annotated[", i)
        if j < 0:
            return "".join(out) + annotation[i:]
        out.append(annotation[i:j])
        depth, k, comma = 0, j + len("Annotated["), -1
        start = k
        while k < len(annotation):
            ch = annotation[k]
            if ch == "[":
                depth += 1
            elif ch == "]":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0 and comma < 0:
                comma = k
            k += 1
        out.append(strip_constraints(annotation[start : comma if comma >= 0 else k]))
        i = k + 1


def union_members(annotation: str) -> list[str]:
    """The top-level members of a ``A | B[C | D]`` annotation (brackets and quotes respected)."""
    members, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(annotation):
        if quote:
            quote = "" if c == quote and annotation[i - 1] != "\\" else quote
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "|" and depth == 0:
            members.append(annotation[start:i].strip())
            start = i + 1
    return [*members, annotation[start:].strip()]


def or_none(annotation: str) -> str:
    """``annotation | None``, unless None is already one of its members (ruff PYI016)."""
    return annotation if "None" in union_members(annotation) else f"{annotation} | None"


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


def service_name(data: dict[str, Any], package: str) -> str:
    """`<FirstTag>Service` (e.g. ConversationsService), else `<Package>Service`."""
    for item in (data.get("paths") or {}).values():
        for method in HTTP_METHODS:
            tags = (item.get(method) or {}).get("tags") if isinstance(item, dict) else None
            if isinstance(tags, list) and tags and isinstance(tags[0], str) and naming.pascal(tags[0]):
                return naming.pascal(tags[0]) + "Service"
    return (naming.pascal(package.rsplit(".", 1)[-1]) or "Api") + "Service"


class OperationBuilder:
    def __init__(
        self,
        n: Normalized,
        sb: SchemaBuilder,
        schemes: dict[str, str],
        *,
        pagination: tuple[Rule, ...] = (),
        idempotency_header: str | None = None,
    ) -> None:
        self.n = n
        self.sb = sb
        self.schemes = schemes  # security scheme name -> client setting
        self.pages = Detector(sb, pagination, self.resolve)
        self.idempotency_header = idempotency_header  # [tool.specbind]: sent with every POST / PATCH
        self.names = naming.NameTable()
        #: every error type seen, with how often: the most common one types `APIStatusError.error`
        self.error_types: dict[str, int] = {}
        self.error_schemas: list[tuple[Any, str]] = []  # (raw schema, type), document order
        # Per operation, while it is built: the text/event-stream event type, multipart part types.
        self.stream_event: str | None = None
        self.part_types: tuple[tuple[str, str], ...] = ()
        self.form_decode: tuple[str, ...] = ()

    def build(self) -> tuple[ir.Operation, ...]:
        ops: list[ir.Operation] = []
        for o in self.n.operations:
            op, method, path = o.spec, o.method, o.path
            try:
                if method not in HTTP_METHODS:
                    raise Skip(o.at, f"the {method.upper()} method (OpenAPI 3.2) is not supported yet")
                built = self.operation(path, method, o.item, op, o.at)
                ops.extend(self.with_stream_twin(built))
            except Skip as skip:
                op_id = op.get("operationId") or f"{method.upper()} {path}"
                self.sb.warn(skip.at, f"operation {op_id}: {skip.message}; no method is generated for it")
        self.sb.problems.extend(self.pages.finish())
        return tuple(ops)

    def with_stream_twin(self, op: ir.Operation) -> tuple[ir.Operation, ...]:
        """An answer offered both as JSON (or bytes...) and as text/event-stream: the method
        returns the former, `<method>_stream` iterates the events (asking with `accept` and,
        when the body has a boolean `stream` field, `stream: true`)."""
        if self.stream_event is None or op.response_kind == "stream":
            return (op,)
        flag = [
            b
            for b in op.body_fields
            if b.wire == "stream" and strip_constraints(b.annotation).removesuffix(" | None") == "bool"
        ]
        twin = replace(
            op, name=self.names.claim(op.name + "_stream"), response=self.stream_event, response_kind="stream",
            response_media="text/event-stream", pagination=None, pagination_note="", item_type=None, stream_of=op.name,
            stream_flag=bool(flag), body_fields=tuple(b for b in op.body_fields if b not in flag),
            summary=(op.summary or op.operation_id) + " (events, as they come)",
        )  # fmt: skip
        return replace(op, stream_method=twin.name), twin

    def resolve(self, node: Any) -> Any:
        """A schema with its `$ref`s followed (a lookup in the normalized document)."""
        return self.n.deref(node)

    # -- parameters ---------------------------------------------------------------------------
    def declared_params(
        self, path: str, item: dict[str, Any], op: dict[str, Any], at: Parts
    ) -> dict[tuple[str, str], tuple[Any, Parts]]:
        normalized = self.n.operation(path, at)  # the path item's entries, then the operation's
        for p in normalized.declared:
            if p.location not in _LOCATIONS:
                raise Skip(
                    p.at, f"parameter {p.name!r} is `in: {p.location}`, which is not path, query, header or cookie"
                )
            if p.location == "path" and p.spec.get("required") is not True:
                self.sb.warn(
                    p.at,
                    f"path parameter {p.name!r} must be `required: true` "
                    "(a path has no optional parts); it is required",
                )
        merged: dict[tuple[str, str], tuple[Any, Parts]] = {}  # (name, in) -> parameter; the operation's win
        for p in normalized.params:  # OpenAPI ignores `Accept`, `Content-Type` and `Authorization` headers
            if not p.declared:
                self.sb.warn(
                    p.at,
                    f"path parameter {{{p.name}}} is not declared by any `parameters` entry; "
                    "a required string parameter is assumed",
                )
            merged[(p.name, p.location)] = (p.spec, p.at)
        return merged

    def param(self, p: dict[str, Any], p_at: Parts, wire: str, loc: str, base: str, name: str) -> ir.Param:
        if "schema" not in p and isinstance(p.get("content"), dict):
            raise Skip(p_at, f"parameter {wire!r} uses `content` (a serialised body), which is not supported")
        schema = p.get("schema") or {}
        info = self.sb.type_of(schema, p_at + ("schema",), base + naming.pascal(wire))
        resolved = self.resolve(schema)
        required = bool(p.get("required")) or loc == "path"
        default = resolved.get("default") if isinstance(resolved, dict) else None
        if default is not None:
            problem = self.sb.defaults.problem(schema, default, p_at + ("schema",), what="parameter")
            if problem is not None:
                self.sb.warn(
                    p_at + ("schema", "default")
                    if isinstance(schema, dict) and "default" in schema
                    else p_at + ("schema",),
                    problem,
                )
                default = None
        style = str(p["style"])  # explicit: OpenAPI's default for the location written out
        is_object = "object" in info.json_types and "array" not in info.json_types
        if style not in ("form", "simple", "deepObject") or (
            is_object and not (loc == "query" and style in ("form", "deepObject"))
        ):
            raise Skip(
                p_at,
                f"parameter {wire!r}: style {style!r} for {'an object' if is_object else 'a value'} "
                f"in {loc} is not supported",
            )
        # Strings on the wire; the server reads them back as JSON where the value is never a
        # string (`Literal[1, 2]` or `Literal[True, False]` would refuse "1" and "true").
        element = (
            self.resolve(resolved.get("items"))
            if isinstance(resolved, dict) and "array" in info.json_types
            else resolved
        )
        types = self.scalar_types(element)
        decode = bool(types) and "string" not in types
        # Optional arguments default to None and are then not sent: defaults are the server's.
        ann = strip_constraints(info.annotation())
        if not required and not info.nullable:
            ann = or_none(ann)
        constrained = info.annotation() if required or default is not None else or_none(info.annotation())
        return ir.Param(
            name=name, wire=wire, location=loc,  # type: ignore[arg-type]
            annotation=ann, required=required, default=repr(default) if default is not None else "None",
            doc=clean_doc(p), explode=bool(p["explode"]),
            is_array="array" in info.json_types, style=style, is_object=is_object,
            constrained=constrained, service_annotation=strip_constraints(constrained), decode=decode,
            decode_keys=self.object_decode(resolved) if is_object else (),
        )  # fmt: skip

    def scalar_types(self, schema: Any, depth: int = 0) -> set[str]:
        """JSON types a scalar schema allows (from `type`, `enum`, `const`, anyOf/oneOf/allOf)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 8:
            return set()
        t = schema.get("type")
        out = {t} if isinstance(t, str) else set(t) if isinstance(t, list) else set()
        for value in list(schema.get("enum") or []) + ([schema["const"]] if "const" in schema else []):
            out.add("string" if isinstance(value, str) else "null" if value is None else "other")
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key) or []:
                out |= self.scalar_types(sub, depth + 1)
        return out

    # -- the operation ----------------------------------------------------------------------------
    def operation(self, path: str, method: str, item: dict[str, Any], op: dict[str, Any], at: Parts) -> ir.Operation:
        op_id = op.get("operationId") or f"{method}_{path}"
        base = naming.pascal(str(op_id)) or "Operation"
        merged = self.declared_params(path, item, op, at)
        arg_names = naming.NameTable(RESERVED_ARGS)
        # Path parameters in the order the template names them, then query, header, cookie.
        ordered = sorted(
            merged.items(),
            key=lambda kv: (_LOCATIONS[kv[0][1]], path.find("{" + kv[0][0] + "}") if kv[0][1] == "path" else 0),
        )

        def wanted(p: dict[str, Any], wire: str) -> str:
            custom = p.get("x-specbind-name")
            if isinstance(custom, str) and naming.is_identifier(custom):
                return custom
            return naming.field_name(wire, style=self.sb.names_style)

        # Names are claimed path first, then body fields, then the rest: the order a reader sees.
        path_names = {key: arg_names.claim(wanted(p, key[0])) for key, (p, _) in ordered if key[1] == "path"}
        self.part_types, self.form_decode = (), ()
        body = self.body(op, at, base, arg_names)
        params = [
            self.param(p, p_at, wire, loc, base, path_names.get((wire, loc)) or arg_names.claim(wanted(p, wire)))
            for (wire, loc), (p, p_at) in ordered
        ]
        params, key_header = idempotency.key_header(self.n.data, op, method, params, arg_names, self.idempotency_header)
        self.stream_event = None
        status, response, kind, media = self.response(op, at, base)
        errors = self.errors(op, at, base)
        raw_query = {wire: p.get("schema") for (wire, loc), (p, _) in ordered if loc == "query"}
        pages = self.pages.detect(
            str(op_id), method.upper(), op, at, params, raw_query, response if kind == "json" else None
        )
        self.sb.problems.extend(pages.problems)
        name = self.names.claim(naming.method_name(str(op_id)))
        pagination = replace(pages.pagination, constant=f"_{name.upper()}_PAGES") if pages.pagination else None
        path_expr = path.replace("{", "{{").replace("}", "}}")
        route_path = path
        for p in params:
            if p.location == "path":
                route_path = route_path.replace("{" + p.wire + "}", "{" + p.name + "}")
                path_expr = path_expr.replace("{{" + p.wire + "}}", "{_path(" + p.name + ")}")
        path_expr = ("f" + repr(path_expr)) if "{_path(" in path_expr else repr(path)
        return ir.Operation(
            name=name, operation_id=str(op_id), method=method.upper(),
            path=path, route_path=route_path,
            summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
            doc=clean_doc(op), params=tuple(params), body_model=body[0], body_fields=body[1],
            body_required=body[2], response=response, response_is_model=False,
            pagination=pagination, pagination_note=pages.note, item_type=pages.item_type,
            idempotent=method.upper() in IDEMPOTENT or bool(key_header), idempotency_header=key_header,
            path_expr=path_expr,
            params_model="_" + base + "Params", status=status,
            response_kind=kind, response_media=media,  # type: ignore[arg-type]
            body_kind=body[3], body_media=body[4], body_annotation=body[5], errors=errors,  # type: ignore[arg-type]
            security=self.security(op), part_types=self.part_types,
            parts_model=base + "Parts" if body[3] == "multipart" else "",
            form_decode=f"frozenset({self.form_decode!r})",
        )  # fmt: skip

    def security(self, op: dict[str, Any]) -> tuple[str, ...]:
        """Client settings the operation may send: every scheme of every alternative it allows
        (the operation's `security`, else the document's), in the document's scheme order."""
        declared = op.get("security", self.n.data.get("security"))
        if declared is None:
            wanted = set(self.schemes)  # nothing said: send whatever the user configured
        else:
            wanted = {n for alt in declared if isinstance(alt, dict) for n in alt}
        return tuple(setting for name, setting in self.schemes.items() if name in wanted)

    # -- bodies ---------------------------------------------------------------------------------
    def content(self, container: Any) -> list[tuple[str, Any]]:
        content = container.get("content") if isinstance(container, dict) else None
        return (
            [(str(m), b if isinstance(b, dict) else {}) for m, b in content.items()]
            if isinstance(content, dict)
            else []
        )

    def body(
        self, op: dict[str, Any], at: Parts, base: str, arg_names: naming.NameTable
    ) -> tuple[str | None, tuple[ir.BodyField, ...], bool, str, str, str]:
        """(model, fields, required, kind, media type, argument annotation)."""
        rb: Any = op.get("requestBody")  # followed by normalize, as every response
        offered = self.content(rb)
        if not offered:
            return None, (), False, "none", "", ""
        required = bool(rb.get("required"))
        by_kind = {media_kind(m): (m, b) for m, b in reversed(offered)}  # the first of a kind wins
        for kind in ("json", "form", "multipart", "bytes", "text"):
            if kind in by_kind:
                break
        else:
            media = offered[0][0]
            raise Skip(at + ("requestBody", "content", media), f"request body {media!r} is not supported")
        media, entry = by_kind[kind]
        where = at + ("requestBody", "content", media, "schema")
        if kind in ("bytes", "text"):
            return None, (), required, kind, media, "bytes" if kind == "bytes" else "str"
        info: TypeInfo = self.sb.type_of(entry.get("schema"), where, base + "Body")
        if info.model is None:
            if kind in ("form", "multipart"):
                raise Skip(where, f"a {media} body must be an object schema")
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
        self.form_decode = (
            tuple(sorted(self.never_strings(entry.get("schema")))) if kind in ("form", "multipart") else ()
        )
        if kind == "multipart":
            encoding = entry.get("encoding") if isinstance(entry.get("encoding"), dict) else {}
            self.part_types = tuple(
                (str(k), str(v["contentType"]))
                for k, v in encoding.items()
                if isinstance(v, dict) and isinstance(v.get("contentType"), str)
            )
            return info.model, fields, required, "multipart", media, ""
        if kind == "form":
            for f in model.fields:
                if f.annotation.startswith(("dict[", "Annotated[dict")) or f.annotation in self.sb.out.models:
                    raise Skip(where, f"form field {f.wire!r} is an object; nested form encoding is not supported")
        return info.model, fields, required, "model" if kind == "json" else "form", media, ""

    def object_decode(self, schema: Any) -> tuple[str, ...]:
        """Properties of an object parameter never a string; "*" when every value of a map is."""
        extra = self.resolve(schema.get("additionalProperties")) if isinstance(schema, dict) else None
        types = self.scalar_types(extra) if isinstance(extra, dict) else set()
        star = ("*",) if types and "string" not in types and "object" not in types else ()
        return tuple(sorted(self.never_strings(schema))) + star

    def never_strings(self, schema: Any) -> set[str]:
        """Form properties whose values (or elements) are never strings: sent as text, they are
        read back as JSON (`true`, `3`), since the models do not turn strings into scalars."""
        schema = self.resolve(schema)
        props = schema.get("properties") if isinstance(schema, dict) else None
        out: set[str] = set()
        for name, prop in props.items() if isinstance(props, dict) else ():
            prop = self.resolve(prop)
            element = self.resolve(prop.get("items")) if isinstance(prop, dict) and type_name(prop) == "array" else prop
            types = self.scalar_types(element)
            if types and "string" not in types and "object" not in types:
                out.add(str(name))
        return out

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

    # -- answers --------------------------------------------------------------------------------
    def response(self, op: dict[str, Any], at: Parts, base: str) -> tuple[int, str | None, str, str]:
        """(status, type, kind, media type) of the success answer. The server answers the first
        declared 2xx code; several codes with different JSON schemas give a union."""
        responses: dict[Any, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        codes = sorted(str(k) for k in responses if str(k)[:1] == "2" and (str(k).isdigit() or str(k).upper() == "2XX"))
        status = next((int(c) for c in codes if c.isdigit()), 200)
        types: list[str] = []
        kind, media = "none", ""
        for code in codes:
            raw = responses.get(code, responses.get(int(code)) if code.isdigit() else None)
            offered = self.content(raw)
            by_kind = {media_kind(m): (m, b) for m, b in reversed(offered)}
            if "json" in by_kind:
                m, entry = by_kind["json"]
                info = self.sb.type_of(
                    entry.get("schema"), at + ("responses", code, "content", m, "schema"), base + "Response"
                )
                if kind in ("none", "json"):
                    kind, media = "json", m
                    if info.annotation() not in types:
                        types.append(info.annotation())
            elif offered and kind == "none":
                plain = [m for m, _ in offered if media_kind(m) != "event-stream"]
                m = plain[0] if plain else offered[0][0]
                kind, media = (
                    ("text", m)
                    if media_kind(m) == "text"
                    else ("stream", m)
                    if media_kind(m) == "event-stream"
                    else ("bytes", m)
                )
            if "event-stream" in by_kind and self.stream_event is None:
                m, entry = by_kind["event-stream"]
                self.stream_event = self.sb.type_of(
                    entry.get("schema"), at + ("responses", code, "content", m, "schema"), base + "Event"
                ).annotation()
        if kind == "stream":
            return status, self.stream_event, kind, media
        if kind in ("text", "bytes"):
            return status, "str" if kind == "text" else "bytes", kind, media
        if not types:
            return status, None, "none", ""
        return status, " | ".join(types) if len(types) > 1 else types[0], "json", media

    def errors(self, op: dict[str, Any], at: Parts, base: str) -> tuple[tuple[str, str], ...]:
        """(status key, type) for each declared error answer with a JSON schema."""
        responses: dict[Any, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        out: list[tuple[str, str]] = []
        for code in (str(k) for k in responses):
            if not (code == "default" or code[:1] in ("4", "5")):
                continue
            offered = {media_kind(m): (m, b) for m, b in reversed(self.content(responses[code]))}
            if "json" not in offered:
                continue
            m, entry = offered["json"]
            where = at + ("responses", code, "content", m, "schema")
            info = self.sb.type_of(entry.get("schema"), where, base + "Error")
            out.append((code.upper() if code != "default" else code, info.annotation()))
            self.error_types[info.annotation()] = self.error_types.get(info.annotation(), 0) + 1
            self.error_schemas.append((self.resolve(entry.get("schema")), info.annotation()))
        return tuple(out)
