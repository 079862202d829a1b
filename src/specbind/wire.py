"""Phase 3d, finishing the operations for the templates: how each value goes on the wire and is
read back, the client's security settings, the body of the server's own errors, TypeAdapter
constants, and model names qualified as ``models.X`` so that no schema name can shadow what
client.py / server.py / _http.py import (a schema called `Response` or `Client` is harmless).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from . import encoding, ir, naming

_TOKEN = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?<![.\w])[A-Za-z_][A-Za-z0-9_]*""")

#: Documented minimal default for the server's own errors when the document declares no error
#: schema: RFC 9457 problem details.
PROBLEM_BODY = '{"type": "about:blank", "title": _reason(status), "status": status, "detail": message}'
PROBLEM_MEDIA = "application/problem+json"


def server_url(server: dict[str, Any]) -> str:
    """A server URL with its variables set to their defaults."""
    url = str(server["url"])
    for name, var in (server.get("variables") or {}).items():
        if isinstance(var, dict) and "default" in var:
            url = url.replace("{" + str(name) + "}", str(var["default"]))
    return url.rstrip("/")


def qualify(annotation: str, defined: set[str], none_aliases: frozenset[str] = frozenset()) -> str:
    """``list[Pet] | None`` -> ``list[models.Pet] | None``; string literals are left alone.
    An alias of None (`enum: [null]`) is not joined with None again: `None | None` fails when
    the annotation is evaluated (the server's parameter models evaluate theirs)."""

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        return "models." + word if word in defined else word

    for name in none_aliases:
        annotation = re.sub(rf"(?<![.\w]){re.escape(name)} \| None\b", name, annotation)
    return _TOKEN.sub(repl, annotation)


# -- security -----------------------------------------------------------------------------------
def securities(data: dict[str, Any], package: str, env_prefix: str, api_key_env: str | None) -> tuple[ir.Security, ...]:
    """Client settings, one per security scheme the client can send. A single scheme is the
    conventional `api_key` (`basic_auth` for HTTP basic); several are named after each scheme.
    Env vars: `x-specbind-client.api-key-env` for a single scheme, else `<PREFIX>_<SCHEME>`."""
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    found: list[tuple[str, str, str, str]] = []  # (name, kind, location, wire)
    said: dict[str, dict[str, Any]] = {}  # name -> what the docs say of it (deprecated, flows)
    for name, s in schemes.items() if isinstance(schemes, dict) else ():
        if not isinstance(s, dict):
            continue
        kind, scheme = s.get("type"), str(s.get("scheme", "")).lower()
        if kind == "http" and scheme == "bearer" or kind in ("oauth2", "openIdConnect"):
            found.append((str(name), "bearer", "header", "authorization"))
        elif kind == "http" and scheme == "basic":
            found.append((str(name), "basic", "header", "authorization"))
        elif kind == "apiKey" and s.get("in") in ("header", "query", "cookie") and isinstance(s.get("name"), str):
            found.append((str(name), "api_key", str(s["in"]), str(s["name"])))
        said[str(name)] = {"deprecated": s.get("deprecated") is True, "flows": _flows(s)}
    out: list[ir.Security] = []
    taken = naming.NameTable({"base_url", "default_headers", "timeout", "max_retries", "http_client", "array_format"})
    for name, kind, location, wire in found:
        if len(found) == 1:
            setting = taken.claim("basic_auth" if kind == "basic" else "api_key")
            env = api_key_env or f"{env_prefix}_{'BASIC_AUTH' if kind == 'basic' else 'API_KEY'}"
        else:
            setting = taken.claim(naming.field_name(naming.snake(name) or "auth"))
            env = f"{env_prefix}_{setting.upper().strip('_')}"
        out.append(ir.Security(name, setting, kind, location, wire, env, **said[name]))  # type: ignore[arg-type]
    return tuple(out)


def _flows(scheme: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The OAuth 2 flows the docs name, with the URL each starts at: the device authorization
    flow (3.2, RFC 8628); the older ones are left to the scheme's description, as before."""
    flows = scheme.get("flows") if scheme.get("type") == "oauth2" else None
    device = flows.get("deviceAuthorization") if isinstance(flows, dict) else None
    if not isinstance(device, dict):
        return ()
    url = device.get("deviceAuthorizationUrl")
    return (("deviceAuthorization", url if isinstance(url, str) else ""),)


# -- the server's own errors --------------------------------------------------------------------
_MESSAGE = ("message", "detail", "msg", "description", "error_description", "title", "reason")


def _types(schema: Any, resolve: Any) -> set[str]:
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return set()
    t = schema.get("type")
    out = {t} if isinstance(t, str) else set(t) if isinstance(t, list) else set()
    for key in ("anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            out |= _types(sub, resolve)
    if not out and "properties" in schema:
        out.add("object")
    return out


def error_body(schema: Any, resolve: Any, depth: int = 0) -> str | None:
    """A Python expression building an instance of the error ``schema`` from what the server
    knows (status, message, param, code, error_type), property by property: a message-like
    string gets the message, `code` the code (or the status when it is an integer), `param` the
    parameter, `type` the error type, `status` the status, and nested objects recurse. None when
    a required property cannot be filled: the server then uses the minimal default."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 3:
        return None
    props: dict[Any, Any] = schema["properties"] if isinstance(schema.get("properties"), dict) else {}
    required = set(schema.get("required") or [])
    parts: list[str] = []
    for name, sub in props.items():
        types = _types(sub, resolve)
        nullable = "null" in types or not types
        low = str(name).lower()
        value: str | None = None
        if "object" in types and low not in ("code",):
            value = error_body(sub, resolve, depth + 1)
        elif low in _MESSAGE and ("string" in types or not types):
            value = "message"
        elif low == "code" and ("integer" in types or "number" in types) and "string" not in types:
            value = "status"
        elif low == "code" and ("string" in types or not types):
            value = "code" if nullable else "code or str(status)"
        elif low in ("param", "field", "parameter") and ("string" in types or not types):
            value = "param" if nullable else 'param or ""'
        elif low == "type" and ("string" in types or not types):
            value = "error_type"
        elif low in ("status", "status_code", "statuscode") and ("integer" in types or "number" in types):
            value = "status"
        if value is None:
            if name in required:
                return None
            continue
        parts.append(f"{str(name)!r}: {value}")
    if not parts:
        return None
    return "{" + ", ".join(parts) + "}"


def server_errors(schemas: list[tuple[Any, str]], counts: dict[str, int], resolve: Any) -> tuple[str, str]:
    """(body expression, media type) for the errors the server produces itself: the document's
    most used error schema when it can be filled, else RFC 9457 problem details."""
    ranked = sorted(counts, key=lambda t: (-counts[t], [s[1] for s in schemas].index(t)))
    for type_ in ranked:
        schema = next(s for s, t in schemas if t == type_)
        expr = error_body(schema, resolve)
        if expr is not None:
            return expr, "application/json"
    return PROBLEM_BODY, PROBLEM_MEDIA


# -- parameters on the wire ---------------------------------------------------------------------
def client_headers(ops: tuple[ir.Operation, ...]) -> tuple[ir.Param, ...]:
    """Optional string headers that every operation takes become client-level defaults too."""
    if not ops:
        return ()
    common = [
        p
        for p in ops[0].params
        if p.location == "header" and not p.required and p.annotation == "str | None" and not p.idempotency_key
    ]
    return tuple(
        p for p in common if all(any(q.wire == p.wire and q.location == "header" for q in op.params) for op in ops)
    )


def mark_client_defaults(ops: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
    wires = {p.wire for p in client_headers(ops)}
    return tuple(
        replace(
            op, params=tuple(replace(p, client_default=p.location == "header" and p.wire in wires) for p in op.params)
        )
        for op in ops
    )


def _plain(p: ir.Param) -> bool:
    """Sent and read back as one piece of text: a string in its location's default style."""
    return p.shape == "{}" and p.style in ("form", "simple") and not p.allow_reserved


def _server_args(p: ir.Param, style: str, explode: bool) -> str:
    """The style, explode and shape arguments of a server reader, where not its defaults."""
    args = f", {p.style!r}" if p.style != style else ""
    args += f", explode={p.explode}" if p.explode != explode else ""
    return args + (f", shape={p.shape!r}" if p.shape != "{}" else "")


def wire_values(p: ir.Param) -> ir.Param:
    """How the client encodes and the server reads this parameter (the decision is the
    document's, made in `encoding`: style, explode, allowReserved, shape)."""
    wire = repr(p.wire)
    literal = encoding.wire_literal(encoding.Encoding(p.style, p.explode, p.allow_reserved, p.shape))
    if p.location in ("path", "header"):
        raw = f"request.path_params[{p.name!r}]" if p.location == "path" else f"request.headers.get({wire})"
        # The route names a path parameter by its Python name.
        plain = _plain(p) and not p.explode
        server = raw if plain else f"_from_text({raw}, {wire}{_server_args(p, 'simple', False)})"
    elif p.client_spread:  # form, exploded: `a=1&b=2` (set in `finish`, which knows the other names)
        server = ""
    elif p.style == "querystring":  # OpenAPI 3.2 `in: querystring`, as JSON: the whole query string
        server = "_querystring(request)"
    else:
        reader = "_query" if p.location == "query" else "_cookie"
        server = f"{reader}(request, {wire}{_server_args(p, 'form', True)})"
    if p.location == "query":
        default = p.style == "form" and p.explode and not p.allow_reserved and not p.client_spread
        client = p.name if default else f"_http.Styled({p.name}, {literal})"
    elif p.location == "cookie":
        client = f"_http.text({p.name})" if _plain(p) else f"_http.Styled({p.name}, {literal})"
    elif p.location == "header" and p.idempotency_key:  # one key per call, the same on every retry of it
        client = f"_http.idempotency_key({p.name})"
    elif p.location == "header":
        client = (
            f"_http.text({p.name})" if p.style == "simple" and not p.explode else f"_http.text({p.name}, {literal})"
        )
    else:
        client = ""  # in the path expression
    return replace(p, client_value=client, server_value=server)


_READERS = {"query": "request.query_params.multi_items()", "cookie": "_cookies(request)"}


def _reader(p: ir.Param) -> str:
    """The pairs a spread object is read from (`style: cookie` values are not percent-decoded)."""
    return "_cookies(request, False)" if p.style == "cookie" else _READERS[p.location]


def _known(params: tuple[ir.Param, ...], location: str) -> tuple[str, ...]:
    return tuple(p.wire for p in params if p.location == location and not p.client_spread)


def server_assignment(p: ir.Param) -> str:
    # The server's parameter model is keyed by Python names: a path and a query parameter of
    # the same wire name stay apart.
    return "" if p.required else f" = {p.default}"


# -- adapters and qualified names ---------------------------------------------------------------
class Adapters:
    """One `TypeAdapter` module constant per type that is not a generated class."""

    def __init__(self, names: naming.NameTable) -> None:
        self.names = names
        self.table: dict[str, str] = {}

    def __call__(self, type_: str) -> str:
        if type_ not in self.table:
            self.table[type_] = self.names.claim("_" + (naming.snake(type_).upper() or "ANY") + "_ADAPTER")
        return self.table[type_]

    def constants(self, defined: set[str]) -> tuple[tuple[str, str], ...]:
        return tuple((name, qualify(t, defined)) for t, name in self.table.items())


def finish(
    ops: tuple[ir.Operation, ...], classes: set[str], defined: set[str], none_aliases: frozenset[str] = frozenset()
) -> tuple[tuple[ir.Operation, ...], Adapters, Adapters]:
    """Wire values, adapters and qualified names for every operation. Returns the operations,
    the adapters of answers and bodies (client and server), and those of errors (client)."""
    names = naming.NameTable()
    adapters, errors = Adapters(names), Adapters(names)
    out = []
    for op in mark_client_defaults(ops):
        params = tuple(map(wire_values, op.params))
        # A required exploded object with no properties set puts nothing on the wire: the server
        # reads that as the empty object (its model then says which properties are missing).
        params = tuple(
            replace(
                p,
                server_value=f"_from_rest({_reader(p)}, frozenset({_known(params, p.location)!r}), "
                f"{p.shape!r})" + (" or {}" if p.required else ""),
            )
            if p.client_spread
            else p
            for p in params
        )
        is_model = op.response in classes and op.response_kind == "json"
        op = replace(
            op,
            params=params,
            response_is_model=is_model,
            response_adapter=adapters(op.response)
            if op.response and op.response_kind == "json" and not is_model
            else None,
            body_adapter=adapters(op.body_model) if op.body_kind == "json" and op.body_model else None,
            error_adapters=tuple((key, errors(t)) for key, t in op.errors),
            stream=stream_io(op.stream, adapters) if op.stream else None,
        )
        out.append(qualified(op, defined, none_aliases))
    return tuple(out), adapters, errors


def stream_io(stream: ir.Stream, adapters: Adapters) -> ir.Stream:
    """The adapters of a stream's items, and the expressions the client reads it with (a
    `_streams` reader) and the server frames each item with (a function of server.py)."""
    if stream.format == "events":
        events = tuple(replace(e, adapter=adapters(e.data)) for e in stream.events)
        table = "{" + ", ".join(f"{e.event!r}: ({e.adapter}, {e.json})" for e in events if e.event is not None) + "}"
        other = next(e for e in events if e.event is None)
        args = f"{table}, ({other.adapter}, {other.json})"
        return replace(stream, events=events, reader=f"_streams.Events({args})", writer=f"_sse_events({args})")
    if stream.format == "multipart" and stream.part_kind == "bytes":
        return replace(stream, reader="_streams.BinaryParts()", writer=f"_part(None, {stream.part_type!r})")
    if stream.format == "multipart":
        adapter, text = adapters(stream.item), stream.part_kind == "text"
        return replace(
            stream,
            reader=f"_streams.Parts({adapter}, {text})",
            writer=f"_part(({adapter}, {text}), {stream.part_type!r})",
        )
    adapter = adapters(stream.item)
    reader, writer = {
        "sse": ("EventData", "_sse_data"),
        "jsonl": ("JsonLines", "_json_line"),
        "json-seq": ("JsonSeq", "_json_seq_record"),
    }[stream.format]
    return replace(stream, reader=f"_streams.{reader}({adapter})", writer=f"{writer}({adapter})")


def qualified(op: ir.Operation, defined: set[str], none_aliases: frozenset[str]) -> ir.Operation:
    def q(text: str | None) -> Any:
        return None if text is None else qualify(text, defined, none_aliases)

    params = tuple(
        replace(
            p,
            annotation=argument(q(p.annotation)),
            constrained=q(p.constrained),
            service_annotation=argument(q(p.service_annotation)),
        )
        for p in op.params
    )
    server_params = tuple(
        replace(p, server_assignment=server_assignment(p)) for p in params if not p.client_default and not p.client_only
    )
    return replace(
        op,
        params=params,
        server_params=server_params,
        keyword_params=tuple(p for p in server_params if p.location != "path"),
        body_model=q(op.body_model),
        body_annotation=argument(q(op.body_annotation)),
        body_fields=tuple(
            replace(
                b,
                annotation=q(b.annotation),
                param_annotation=argument(q(b.param_annotation)),
                server_annotation=q(b.server_annotation),
                server_assignment=part_assignment(b),
            )
            for b in op.body_fields
        ),
        response=q(op.response),
        item_type=q(op.item_type),
        stream=replace(
            op.stream, item=q(op.stream.item), events=tuple(replace(e, data=q(e.data)) for e in op.stream.events)
        )
        if op.stream
        else None,
        errors=tuple((k, q(t)) for k, t in op.errors),
        body_type=argument(body_type(op, q(op.body_model))),
        file_parts=f"frozenset({tuple(sorted(b.wire for b in op.body_fields if b.is_file))!r})",
    )


_NUMBER = re.compile(r"(?<![\w.'\"])int \| float(?![\w\['\"])")


def argument(annotation: str) -> str:
    """A function parameter's annotation: a JSON number is ``float`` there (PEP 484 accepts an int
    where float is declared; ruff PYI041). Model fields keep ``int | float``, so that a value
    validated by a model stays an exact int (`1`, not `1.0`, on the wire)."""
    return _NUMBER.sub("float", annotation)


def part_assignment(b: ir.BodyField) -> str:
    if (
        not b.is_file and b.model_assignment is not None
    ):  # a field of the body model: its default and alias, as the model has them
        return b.model_assignment
    default = "" if b.required else "default=None, "
    if b.name != b.wire:
        return f" = Field({default}alias={b.wire!r})"
    return "" if b.required else " = None"


def body_type(op: ir.Operation, model: str | None) -> str:
    if op.body_kind == "none":
        return ""
    base = {"bytes": "bytes", "text": "str", "multipart": op.parts_model}.get(op.body_kind) or str(model)
    return base + " | None" if not op.body_required and op.body_kind in ("model", "json", "bytes", "text") else base


def typing_names(texts: Iterable[str], candidates: tuple[str, ...]) -> tuple[str, ...]:
    words = {w for t in texts for w in re.findall(r"[A-Za-z_]\w*", t)}
    return tuple(n for n in candidates if n in words)


def bare_names(ops: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
    """The operations with `models.X` written `X` again, for code that looks models up by name."""

    def bare(text: str | None) -> Any:
        return None if text is None else re.sub(r"(?<![\w.])models\.", "", text)

    return tuple(
        replace(
            op,
            body_model=bare(op.body_model),
            response=bare(op.response),
            item_type=bare(op.item_type),
            params=tuple(replace(p, annotation=bare(p.annotation)) for p in op.params),
            body_fields=tuple(
                replace(b, annotation=bare(b.annotation), param_annotation=bare(b.param_annotation))
                for b in op.body_fields
            ),
        )
        for op in ops
    )
