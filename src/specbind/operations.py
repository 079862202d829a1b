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

from . import encoding, idempotency, ir, naming
from .answers import Answers
from .bodies import Bodies, media_kind
from .encoding import Skip
from .normalize import METHODS, Normalized
from .normalize import Operation as Listed
from .pagination import Detector
from .pagination_config import Rule
from .resolve import Parts
from .schemas import SchemaBuilder, clean_doc
from .streams import StreamPlanner
from .typetext import or_none, strip_constraints

__all__ = ["OperationBuilder", "Skip", "media_kind", "or_none", "service_name", "strip_constraints"]

#: Methods a retry cannot make act twice (RFC 9110; QUERY is safe and idempotent too).
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "QUERY"})
#: RFC 9110's `token`: what an HTTP method may be made of.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

#: Argument names the generated methods use themselves, and module names their bodies read.
RESERVED_ARGS = frozenset(
    {
        "self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "ctx", "body",
        "request", "response", "params", "result", "models", "httpx", "json",
    }
)  # fmt: skip
_LOCATIONS = {"path": 0, "query": 1, "querystring": 1, "header": 2, "cookie": 3}


def service_name(data: dict[str, Any], package: str) -> str:
    """`<FirstTag>Service` (e.g. ConversationsService), else `<Package>Service`."""
    for item in (data.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        more = item.get("additionalOperations")
        for op in [item.get(m) for m in METHODS] + list(more.values() if isinstance(more, dict) else []):
            tags = op.get("tags") if isinstance(op, dict) else None
            if isinstance(tags, list) and tags and isinstance(tags[0], str) and naming.pascal(tags[0]):
                return naming.pascal(tags[0]) + "Service"
    return (naming.pascal(package.rsplit(".", 1)[-1]) or "Api") + "Service"


def method_token(o: Listed) -> str:
    """The method an operation is sent with: a fixed field's name in upper case (`query` is
    QUERY), an `additionalOperations` key exactly as written (OpenAPI 3.2: "the HTTP method
    with the same capitalization that is to be sent")."""
    if o.method in METHODS and o.at[-2:-1] != ("additionalOperations",):
        return o.method.upper()
    if not _TOKEN.fullmatch(o.method):
        raise Skip(o.at, f"{o.method!r} is not an HTTP method (RFC 9110 token characters only)")
    if o.method.lower() in METHODS:
        raise Skip(
            o.at, f"`additionalOperations` must not hold {o.method}: OpenAPI gives it the `{o.method.lower()}` field"
        )
    if o.method != o.method.upper():
        raise Skip(
            o.at,
            f"the method {o.method!r} is not in upper case: Starlette, which serves the generated server, "
            "matches upper-case methods only",
        )
    return o.method


class OperationBuilder(Bodies, Answers):
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
        self.shapes = encoding.Shapes(self.resolve)
        self.schemes = schemes  # security scheme name -> client setting
        self.pages = Detector(sb, pagination, self.resolve)
        self.idempotency_header = idempotency_header  # [tool.specbind]: sent with every POST / PATCH
        self.names = naming.NameTable()
        #: every error type seen, with how often: the most common one types `APIStatusError.error`
        self.error_types: dict[str, int] = {}
        self.error_schemas: list[tuple[Any, str]] = []  # (raw schema, type), document order
        self.streams = StreamPlanner(n, sb, self.resolve)
        # Per operation, while it is built: the sequential answer, multipart part types.
        self.stream: ir.Stream | None = None
        self.part_types: tuple[tuple[str, str], ...] = ()
        self.form_wires, self.form_fields = "", "{}"

    def build(self) -> tuple[ir.Operation, ...]:
        ops: list[ir.Operation] = []
        for o in self.n.operations:
            op, method, path = o.spec, o.method, o.path
            try:
                built = self.operation(path, method_token(o), o.item, op, o.at)
                ops.extend(self.with_stream_twin(built))
            except Skip as skip:
                op_id = op.get("operationId") or f"{method.upper()} {path}"
                self.sb.warn(skip.at, f"operation {op_id}: {skip.message}; no method is generated for it")
        self.sb.problems.extend(self.pages.finish())
        return tuple(ops)

    def with_stream_twin(self, op: ir.Operation) -> tuple[ir.Operation, ...]:
        """An answer offered both whole (JSON, bytes...) and as a stream of items (text/event-stream,
        JSON Lines...): the method returns the former, `<method>_stream` iterates the items (asking
        with `accept` and, when the body has a boolean `stream` field, `stream: true`)."""
        stream = self.stream
        if stream is None or op.response_kind == "stream":
            return (op,)
        flag = [
            b
            for b in op.body_fields
            if b.wire == "stream" and strip_constraints(b.annotation).removesuffix(" | None") == "bool"
        ]
        twin = replace(
            op, name=self.names.claim(op.name + "_stream"), response=stream.item, response_kind="stream",
            response_media=stream.media, stream=stream, pagination=None, pagination_note="", item_type=None,
            stream_of=op.name, stream_flag=bool(flag), body_fields=tuple(b for b in op.body_fields if b not in flag),
            summary=(op.summary or op.operation_id)
            + (" (events, as they come)" if stream.format in ("sse", "events") else " (items, as they come)"),
        )  # fmt: skip
        switch = flag[0].name if flag else "stream"
        taken = {p.name for p in op.params} | {b.name for b in op.body_fields if b not in flag}
        return replace(
            op, stream_method=twin.name, stream=stream,
            stream_switch="" if switch in taken or op.paginated else switch,
        ), twin  # fmt: skip

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
                    p.at,
                    f"parameter {p.name!r} is `in: {p.location}`, "
                    "which is not path, query, querystring, header or cookie",
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
        whole = [at for (_, loc), (_, at) in merged.items() if loc == "querystring"]
        if whole and len(whole) + sum(loc == "query" for _, loc in merged) > 1:
            raise Skip(
                whole[-1],
                "an `in: querystring` parameter is the whole query string: no other query parameter can come with it",
            )
        return merged

    def param(self, p: dict[str, Any], p_at: Parts, wire: str, loc: str, base: str, name: str) -> ir.Param:
        schema, schema_at, enc = p.get("schema") or {}, p_at + ("schema",), None
        if loc == "querystring":  # read as a query parameter whose value is every pair
            schema, schema_at, enc = self.querystring(p, p_at, wire)
            p, loc = {**p, "style": "form", "explode": True}, "query"
        elif "schema" not in p and isinstance(p.get("content"), dict):
            schema, schema_at, enc = self.param_content(p, p_at, wire)
        if enc is None:
            enc, why = encoding.decide(
                self.shapes, schema, loc, p, spread_ok=loc in ("query", "cookie"), is_required=p.get("required") is True
            )
            if enc is None:
                raise Skip(p_at, f"parameter {wire!r}: {why}")
        info = self.sb.type_of(schema, schema_at, base + naming.pascal(wire))
        resolved = self.resolve(schema)
        required = bool(p.get("required")) or loc == "path"
        default = resolved.get("default") if isinstance(resolved, dict) else None
        if default is not None:
            problem = self.sb.defaults.problem(schema, default, schema_at, what="parameter")
            if problem is not None:
                self.sb.warn(
                    schema_at + ("default",) if isinstance(schema, dict) and "default" in schema else schema_at,
                    problem,
                )
                default = None
        # Optional arguments default to None and are then not sent: defaults are the server's.
        ann = strip_constraints(info.annotation())
        if not required and not info.nullable:
            ann = or_none(ann)
        constrained = info.annotation() if required or default is not None else or_none(info.annotation())
        shape = enc.shape
        return ir.Param(
            name=name, wire=wire, location=loc,  # type: ignore[arg-type]
            annotation=ann, required=required, default=repr(default) if default is not None else "None",
            doc=clean_doc(p), explode=enc.explode, is_array="array" in info.json_types, style=enc.style,
            allow_reserved=enc.allow_reserved, shape=shape,
            is_object="object" in info.json_types and "array" not in info.json_types,
            client_spread=enc.style in ("form", "cookie") and enc.explode and '"p":' in shape,
            constrained=constrained, service_annotation=strip_constraints(constrained),
        )  # fmt: skip

    def param_content(self, p: dict[str, Any], p_at: Parts, wire: str) -> tuple[Any, Parts, encoding.Encoding | None]:
        """A parameter given by `content`: (schema, where, encoding). JSON media types send the
        value as JSON text; `text/*` as the text itself, in the location's default style."""
        content: dict[str, Any] = p["content"]
        if len(content) != 1:
            raise Skip(p_at + ("content",), f"parameter {wire!r}: `content` must name exactly one media type")
        media, entry = next(iter(content.items()))
        kind = media_kind(str(media))
        if kind not in ("json", "text"):
            raise Skip(
                p_at + ("content", media),
                f"parameter {wire!r}: content {media!r} is not supported (JSON and text/* media types are)",
            )
        schema = entry.get("schema", {}) if isinstance(entry, dict) else {}
        at = p_at + ("content", media, "schema")
        return (schema, at, encoding.AS_JSON) if kind == "json" else ({"type": "string"}, at, None)

    def querystring(self, p: dict[str, Any], p_at: Parts, wire: str) -> tuple[Any, Parts, encoding.Encoding | None]:
        """OpenAPI 3.2's `in: querystring`: the whole query string is one value, in the media type
        of its `content`. Form-encoded: an object whose properties are the pairs (the encoding is
        a form-style exploded object's); JSON: the percent-encoded JSON text, nothing else."""
        content = p.get("content")
        if not isinstance(content, dict) or len(content) != 1:
            raise Skip(p_at, f"parameter {wire!r} is `in: querystring`: its `content` must name exactly one media type")
        media, entry = next(iter(content.items()))
        schema = entry.get("schema", {}) if isinstance(entry, dict) else {}
        at = p_at + ("content", media, "schema")
        kind = media_kind(str(media))
        if kind == "json":
            return schema, at, encoding.Encoding("querystring", False, False, encoding.AS_JSON.shape)
        if kind != "form":
            raise Skip(
                p_at + ("content", media),
                f"parameter {wire!r} is `in: querystring` in {media!r}: "
                "application/x-www-form-urlencoded and JSON media types are supported",
            )
        shape = self.shapes.of(schema)
        fields = [*shape.get("p", {}).values(), shape.get("a", {})]
        # Each property one form field (an array: repeated, `tag=a&tag=b`), as in a form body.
        if "p" not in shape or "i" in shape or shape.get("s"):
            raise Skip(at, f"parameter {wire!r} is `in: querystring`, form-encoded: its schema must be an object")
        if not all(
            encoding.leafish(f) or ("i" in f and set(f) <= {"i", "z"} and encoding.leafish(f["i"])) for f in fields
        ):
            raise Skip(at, f"parameter {wire!r} is `in: querystring`, form-encoded: a property holds an object")
        required = encoding.required(shape) if p.get("required") is True else shape
        return schema, at, encoding.Encoding("form", True, False, encoding.text(required))

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
        self.part_types, self.form_wires, self.form_fields = (), "", "{}"
        body = self.body(op, at, base, arg_names)
        params = [
            self.param(p, p_at, wire, loc, base, path_names.get((wire, loc)) or arg_names.claim(wanted(p, wire)))
            for (wire, loc), (p, p_at) in ordered
        ]
        params, key_header = idempotency.key_header(self.n.data, op, method, params, arg_names, self.idempotency_header)
        status, response, kind, media = self.response(op, at, base)
        errors = self.errors(op, at, base)
        raw_query = {wire: p.get("schema") for (wire, loc), (p, _) in ordered if loc == "query"}
        pages = self.pages.detect(
            str(op_id), method.upper(), op, at, params, raw_query, response if kind == "json" else None
        )
        self.sb.problems.extend(pages.problems)
        name = self.names.claim(naming.method_name(str(op_id)))
        pagination = replace(pages.pagination, constant=f"_{name.upper()}_PAGES") if pages.pagination else None
        route_path = path
        for p in params:
            if p.location == "path":
                route_path = route_path.replace("{" + p.wire + "}", "{" + p.name + "}")
        for loc in ("query", "cookie"):
            spread = [p for p in params if p.location == loc and p.client_spread]
            if len(spread) > 1:
                raise Skip(at, f"{loc} parameters {spread[0].wire!r} and {spread[1].wire!r} are both objects in "
                           "style 'form', exploded: their properties could not be told apart")  # fmt: skip
        path_expr = path_expression(path, params)
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
            response_kind=kind, response_media=media, stream=self.stream if kind == "stream" else None,  # type: ignore[arg-type]
            body_kind=body[3], body_media=body[4], body_annotation=body[5], errors=errors,  # type: ignore[arg-type]
            security=self.security(op), part_types=self.part_types,
            parts_model=base + "Parts" if body[3] == "multipart" else "",
            form_wires=self.form_wires, form_fields=self.form_fields,
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


def path_expression(path: str, params: list[ir.Param]) -> str:
    """The client's expression for the request path: each path parameter through
    `_http.path_text` (percent-encoded, in its style). An f-string while no call needs a string
    argument; else a concatenation, which needs no quoting rules."""
    by_wire = {p.wire: p for p in params if p.location == "path"}
    pieces: list[tuple[bool, str]] = []
    for piece in re.split(r"(\{[^{}]+\})", path):
        p = by_wire.get(piece[1:-1]) if piece.startswith("{") and piece.endswith("}") else None
        if p is None:
            if piece:
                pieces.append((False, piece))
        elif p.style == "simple" and not p.explode:
            pieces.append((True, f"_http.path_text({p.name})"))
        else:
            enc = encoding.Encoding(p.style, p.explode, False, p.shape)
            pieces.append((True, f"_http.path_text({p.name}, {encoding.wire_literal(enc)}, {p.wire!r})"))
    if not any(is_call for is_call, _ in pieces):
        return repr(path)
    if all("'" not in text and '"' not in text for is_call, text in pieces if is_call):
        body = "".join(
            "{" + text + "}" if is_call else text.replace("{", "{{").replace("}", "}}") for is_call, text in pieces
        )
        return "f" + repr(body)
    return " + ".join(text if is_call else repr(text) for is_call, text in pieces)
