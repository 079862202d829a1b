"""Phase 3c, the operation layer: paths -> ``ir.Operation`` and what the client and server
templates need to print them (argument types, wire encodings, imports, names)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import ir, naming
from .extract import HTTP_METHODS
from .load import Document
from .resolve import Parts, lookup, ref_target
from .schemas import SchemaBuilder, TypeInfo, clean_doc

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
        out.append(strip_constraints(annotation[start:comma if comma >= 0 else k]))
        i = k + 1


def server_url(server: dict[str, Any]) -> str:
    """A server URL with its variables set to their defaults."""
    url = str(server["url"])
    for name, var in (server.get("variables") or {}).items():
        if isinstance(var, dict) and "default" in var:
            url = url.replace("{" + str(name) + "}", str(var["default"]))
    return url.rstrip("/")


def client_headers(ops: tuple[ir.Operation, ...]) -> tuple[ir.Param, ...]:
    """Optional headers that every operation takes become client-level defaults too."""
    if not ops:
        return ()
    common = [p for p in ops[0].params if p.location == "header" and not p.required]
    return tuple(p for p in common if all(any(q.wire == p.wire and q.location == "header" for q in op.params) for op in ops))


def mark_client_defaults(ops: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
    wires = {p.wire for p in client_headers(ops)}
    return tuple(
        replace(op, params=tuple(replace(p, client_default=p.location == "header" and p.wire in wires) for p in op.params))
        for op in ops
    )


def with_adapters(ops: tuple[ir.Operation, ...], names: naming.NameTable) -> tuple[tuple[ir.Operation, ...], tuple[tuple[str, str], ...]]:
    """Responses that are not classes (unions, aliases) are validated through a TypeAdapter,
    one module constant per type."""
    adapters: dict[str, str] = {}
    out = []
    for op in ops:
        if op.response and not op.response_is_model:
            if op.response not in adapters:
                adapters[op.response] = names.claim("_" + naming.snake(op.response).upper() + "_ADAPTER")
            op = replace(op, response_adapter=adapters[op.response])
        if op.paginated:
            args = [p.name if p.location == "path" else f"{p.name}={'after' if p.wire == 'after' else p.name}" for p in op.params]
            args += ["extra_headers=extra_headers", "extra_query=extra_query", "timeout=timeout", "max_retries=max_retries"]
            op = replace(op, page_call=", ".join(args))
        out.append(op)
    return tuple(out), tuple((name, type_) for type_, name in adapters.items())


def client_imports(ops: tuple[ir.Operation, ...], defined: set[str], error_model: str | None) -> tuple[str, ...]:
    words: set[str] = set()
    for op in ops:
        for p in op.params:
            words.update(_WORD.findall(p.annotation))
        for b in op.body_fields:
            words.update(_WORD.findall(b.param_annotation))
        words.update(_WORD.findall(" ".join(filter(None, (op.body_model, op.response, op.item_type)))))
    return tuple(sorted(w for w in words & defined if w != error_model))


def server_imports(ops: tuple[ir.Operation, ...], defined: set[str]) -> tuple[str, ...]:
    words: set[str] = set()
    for op in ops:
        for p in op.params:
            words.update(_WORD.findall(p.constrained))
        words.update(_WORD.findall(" ".join(filter(None, (op.body_model, op.response)))))
    return tuple(sorted(words & defined))


def wire_values(p: ir.Param) -> ir.Param:
    """How the client encodes and the server reads this parameter (style and explode)."""
    wire = repr(p.wire)
    if p.location == "path":
        server = f"request.path_params[{p.name!r}]"  # the route names it by its Python name
    elif p.location == "header":
        server = f"request.headers.get({wire})"
    else:
        server = f"_query(request, {wire}, many={p.is_array}, explode={p.explode})"
    client = f"_http.comma_joined({p.name})" if p.is_array and not p.explode else p.name
    return replace(p, client_value=client, server_value=server)


def server_assignment(p: ir.Param) -> str:
    if p.name != p.wire:
        default = "" if p.required else f"default={p.default}, "
        return f" = Field({default}alias={p.wire!r})"
    return "" if p.required else f" = {p.default}"


def service_name(data: dict[str, Any], ops: tuple[ir.Operation, ...]) -> str:
    """`<FirstTag>Service` (e.g. ConversationsService), else `<Title>Service`."""
    for item in (data.get("paths") or {}).values():
        for method in HTTP_METHODS:
            tags = (item.get(method) or {}).get("tags") if isinstance(item, dict) else None
            if isinstance(tags, list) and tags and isinstance(tags[0], str) and naming.pascal(tags[0]):
                return naming.pascal(tags[0]) + "Service"
    return naming.pascal(str((data.get("info") or {}).get("title", "Api"))) + "Service"


class OperationBuilder:
    def __init__(self, doc: Document, sb: SchemaBuilder) -> None:
        self.doc = doc
        self.sb = sb
        self.names = naming.NameTable()
        self.error_model: str | None = None

    def build(self) -> tuple[ir.Operation, ...]:
        ops: list[ir.Operation] = []
        for path, item in (self.doc.data.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    ops.append(self.operation(path, method, item, op, ("paths", path, method)))
        return tuple(ops)

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            try:
                node = lookup(self.doc.data, ref_target(node["$ref"]))
            except (ValueError, KeyError):
                return {}
            seen += 1
        return node

    def operation(self, path: str, method: str, item: dict[str, Any], op: dict[str, Any], at: Parts) -> ir.Operation:
        op_id = op.get("operationId") or f"{method}_{path}"
        name = self.names.claim(naming.method_name(str(op_id)))
        base = naming.pascal(str(op_id)) or "Operation"
        merged: dict[tuple[str, str], tuple[Any, Parts]] = {}  # (name, in) -> parameter
        for where, declared in (("item", item.get("parameters")), ("op", op.get("parameters"))):
            for i, raw in enumerate(declared or []):
                p = self.resolve(raw)
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    p_loc: Parts = at[:-1] + ("parameters", i) if where == "item" else at + ("parameters", i)
                    merged[(p["name"], str(p.get("in")))] = (p, p_loc)
        arg_names = naming.NameTable({"self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries"})
        params: list[ir.Param] = []
        order = {"path": 0, "query": 1, "header": 2}
        for (wire, loc), (p, p_at) in sorted(merged.items(), key=lambda kv: order.get(kv[0][1], 3)):
            if loc not in order:
                continue
            schema = p.get("schema") or {}
            info = self.sb.type_of(schema, p_at + ("schema",), base + naming.pascal(wire))
            required = bool(p.get("required")) or loc == "path"
            default = schema.get("default") if isinstance(schema, dict) else None
            # Optional arguments default to None and are then not sent: defaults are the server's.
            ann = strip_constraints(info.annotation())
            if not required and not info.nullable:
                ann += " | None"
            wanted = p.get("x-specbind-name")
            if not (isinstance(wanted, str) and naming.is_identifier(wanted)):
                wanted = naming.field_name(wire)
            params.append(
                ir.Param(
                    name=arg_names.claim(wanted),
                    wire=wire,
                    location=loc,  # type: ignore[arg-type]
                    annotation=ann,
                    required=required,
                    default=repr(default) if default is not None else "None",
                    doc=clean_doc(p),
                    explode=bool(p.get("explode", True)),
                    is_array="array" in info.json_types,
                    constrained=info.annotation() if required or default is not None else f"{info.annotation()} | None",
                    service_annotation=strip_constraints(
                        info.annotation() if required or default is not None else f"{info.annotation()} | None"
                    ),
                )
            )
        body_model, body_fields, body_required = self.body(op, at, base)
        response, response_is_model = self.response(op, at, base)
        self.find_error_model(op, at, base)
        paginated, item_type = self.pagination(params, response)
        path_expr = path.replace("{", "{{").replace("}", "}}")
        route_path = path
        for p in params:
            if p.location == "path":
                route_path = route_path.replace("{" + p.wire + "}", "{" + p.name + "}")
                path_expr = path_expr.replace("{{" + p.wire + "}}", "{_path(" + p.name + ")}")
        path_expr = ("f" + repr(path_expr)) if "{_path(" in path_expr else repr(path)
        return ir.Operation(
            name=name, operation_id=str(op_id), method=method.upper(), path=path, route_path=route_path,
            summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
            doc=clean_doc(op), params=tuple(params), body_model=body_model, body_fields=body_fields,
            body_required=body_required, response=response, response_is_model=response_is_model,
            paginated=paginated, item_type=item_type, idempotent=method.upper() in IDEMPOTENT, path_expr=path_expr,
            params_model="_" + base + "Params",
        )  # fmt: skip

    def json_schema(self, container: Any) -> Any:
        content = container.get("content") if isinstance(container, dict) else None
        if not isinstance(content, dict):
            return None
        for media, body in content.items():
            if media.split(";")[0].strip() == "application/json" or media.endswith("+json"):
                return body.get("schema") if isinstance(body, dict) else None
        return None

    def body(self, op: dict[str, Any], at: Parts, base: str) -> tuple[str | None, tuple[ir.BodyField, ...], bool]:
        rb = self.resolve(op.get("requestBody"))
        schema = self.json_schema(rb)
        if schema is None:
            return None, (), False
        info: TypeInfo = self.sb.type_of(schema, at + ("requestBody", "content", "application/json", "schema"), base + "Body")
        if info.model is None:
            return info.py, (), bool(rb.get("required"))
        model = self.sb.out.models[info.model]
        fields = tuple(
            ir.BodyField(f.name, f.wire, f.annotation, self.widen(f.annotation), f.required, f.doc) for f in model.fields
        )
        return info.model, fields, bool(rb.get("required"))

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

    def response(self, op: dict[str, Any], at: Parts, base: str) -> tuple[str | None, bool]:
        responses = op.get("responses") or {}
        for code in sorted(str(k) for k in responses if str(k).startswith("2")):
            raw = responses.get(code, responses.get(int(code)) if code.isdigit() else None)
            schema = self.json_schema(self.resolve(raw))
            if schema is not None:
                where = at + ("responses", code, "content", "application/json", "schema")
                info = self.sb.type_of(schema, where, base + "Response")
                return info.annotation(), info.model is not None
        return None, False

    def find_error_model(self, op: dict[str, Any], at: Parts, base: str) -> None:
        responses = op.get("responses") or {}
        for code in (str(k) for k in responses):
            if code == "default" or code[:1] in ("4", "5"):
                schema = self.json_schema(self.resolve(responses[code]))
                if schema is not None and self.error_model is None:
                    where = at + ("responses", code, "content", "application/json", "schema")
                    self.error_model = self.sb.type_of(schema, where, base + "Error").model

    def pagination(self, params: list[ir.Param], response: str | None) -> tuple[bool, str | None]:
        if response is None or not any(p.wire == "after" and p.location == "query" for p in params):
            return False, None
        props = {p.wire: p for p in self.sb.props.get(response, [])}
        if {"data", "has_more", "last_id"} <= props.keys() and "array" in props["data"].info.json_types:
            ann = props["data"].info.py
            return True, ann.removeprefix("list[").removesuffix("]") if ann.startswith("list[") else None
        return False, None
