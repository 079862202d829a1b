"""Phase 3, build IR: a resolved OpenAPI document -> ``ir.Api``.

Types come from ``schemas`` (with the union layer in ``unions``); operations are built here.
Every problem found is collected and raised together at the end.
"""

from __future__ import annotations

import re
from typing import Any

from . import ir, naming
from .errors import SpecError
from .extract import HTTP_METHODS
from .load import Document
from .resolve import Parts, check_refs, lookup, ref_target
from .schemas import SchemaBuilder, TypeInfo, clean_doc

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def validate_root(doc: Document) -> None:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), f"the document root must be a mapping, not {type(data).__name__}")
    if "swagger" in data:
        raise doc.error(("swagger",), "Swagger 2.0 is not supported: convert it to OpenAPI 3.x first")
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise doc.error(("openapi",) if "openapi" in data else (), "not an OpenAPI 3.x document (missing or unsupported `openapi` version)")
    for key in ("paths", "components"):
        if key in data and not isinstance(data[key], dict | None):
            raise doc.error((key,), f"`{key}` must be a mapping")
    schemas = (data.get("components") or {}).get("schemas")
    if schemas is not None and not isinstance(schemas, dict):
        raise doc.error(("components", "schemas"), "`schemas` must be a mapping")


def build_api(doc: Document, *, package: str, spec_name: str, overlays: tuple[str, ...] = ()) -> ir.Api:
    validate_root(doc)
    check_refs(doc)
    sb = SchemaBuilder(doc)
    built = sb.build_all()
    ops = OperationBuilder(doc, sb).build()
    if sb.problems:
        raise SpecError(sb.problems)
    order = definition_order(built)
    data = doc.data
    info = data.get("info") or {}
    servers = tuple(s["url"] for s in data.get("servers") or [] if isinstance(s, dict) and isinstance(s.get("url"), str))
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    bearer = any(isinstance(s, dict) and s.get("type") == "http" and str(s.get("scheme", "")).lower() == "bearer" for s in schemes.values())
    definitions = tuple(built.models.get(n) or built.aliases.get(n) or built.unions[n] for n in order)
    typing_imports, pydantic_imports = imports_for(definitions)
    return ir.Api(
        title=str(info.get("title", "API")),
        version=str(info.get("version", "")),
        package=package,
        spec_name=spec_name,
        spec_sha256=doc.sha256,
        overlays=overlays,
        servers=servers,
        auth_scheme="bearer" if bearer else "none",
        definitions=definitions,
        typing_imports=typing_imports,
        pydantic_imports=pydantic_imports,
        uses_dispatch=any(isinstance(d, ir.Union) and d.strategy == "tag_then_structure" for d in definitions),
        operations=ops,
        error_model=None,
        exports=tuple(sorted(order)),
    )


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def imports_for(definitions: tuple[ir.Model | ir.Alias | ir.Union, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The typing / pydantic names the models module needs, so it imports nothing unused."""
    words: set[str] = set()
    for d in definitions:
        if isinstance(d, ir.Model):
            for f in d.fields:
                words.update(_WORD.findall(f.annotation + f.assignment))
            if d.refuses:
                words.update(("ClassVar", "field_validator"))
            if d.closed:
                words.add("ConfigDict")
        elif isinstance(d, ir.Alias):
            words.update(_WORD.findall(d.annotation))
            words.add("TypeAlias")
        else:
            words.update(_WORD.findall(" ".join(d.members)))
            words.add("TypeAlias")
            if d.strategy == "tagged":
                words.update(("Annotated", "Field"))
            elif d.strategy == "tag_then_structure":
                words.update(("Annotated", "Discriminator", "Tag"))
    typing = ("Annotated", "Any", "ClassVar", "Literal", "TypeAlias")
    pydantic = ("ConfigDict", "Discriminator", "Field", "Tag", "field_validator")
    return tuple(n for n in typing if n in words), tuple(n for n in pydantic if n in words)


def definition_order(built: Any) -> list[str]:
    """Classes first (spec order: annotations resolve lazily), then aliases and unions in
    dependency order, since their values are evaluated when the module runs."""
    names = list(built.models)
    eager = [n for n in list(built.aliases) + list(built.unions)]
    done: set[str] = set(names)
    out = list(names)
    visiting: set[str] = set()

    def visit(n: str) -> None:
        if n in done or n in visiting:
            return
        visiting.add(n)
        for d in sorted(built.deps.get(n, ())):
            if d in built.aliases or d in built.unions:
                visit(d)
        visiting.discard(n)
        done.add(n)
        out.append(n)

    for n in eager:
        visit(n)
    return out


class OperationBuilder:
    def __init__(self, doc: Document, sb: SchemaBuilder) -> None:
        self.doc = doc
        self.sb = sb
        self.names = naming.NameTable()

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
        merged: dict[tuple[str, str], tuple[Any, Parts]] = {}
        for where, params in (("item", item.get("parameters")), ("op", op.get("parameters"))):
            for i, p in enumerate(params or []):
                p = self.resolve(p)
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    loc = at[:-1] + ("parameters", i) if where == "item" else at + ("parameters", i)
                    merged[(p["name"], str(p.get("in")))] = (p, loc)
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
            ann = info.annotation() if required or default is not None else f"{info.annotation()} | None"
            params.append(
                ir.Param(
                    name=arg_names.claim(naming.field_name(wire).rstrip("_") if loc == "header" else naming.field_name(wire)),
                    wire=wire,
                    location=loc,  # type: ignore[arg-type]
                    annotation=ann,
                    required=required,
                    default=repr(default) if default is not None else "None",
                    doc=clean_doc(p),
                    explode=bool(p.get("explode", True)),
                    is_array="array" in info.json_types,
                )
            )
        body_model, body_fields, body_required = self.body(op, at, base)
        response, response_is_model = self.response(op, at, base)
        paginated, item_type = self.pagination(params, response)
        path_template = path
        for p in params:
            if p.location == "path":
                path_template = path_template.replace("{" + p.wire + "}", "{" + p.name + "}")
        return ir.Operation(
            name=name, operation_id=str(op_id), method=method.upper(), path=path, path_template=path_template,
            summary=op.get("summary") if isinstance(op.get("summary"), str) else None,
            doc=clean_doc(op), params=tuple(params), body_model=body_model, body_fields=body_fields,
            body_required=body_required, response=response, response_is_model=response_is_model,
            paginated=paginated, item_type=item_type, idempotent=method.upper() in IDEMPOTENT,
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
        fields = tuple(ir.BodyField(f.name, f.wire, f.annotation, f.required) for f in model.fields)
        return info.model, fields, bool(rb.get("required"))

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

    def pagination(self, params: list[ir.Param], response: str | None) -> tuple[bool, str | None]:
        if response is None or not any(p.wire == "after" and p.location == "query" for p in params):
            return False, None
        props = {p.wire: p for p in self.sb.props.get(response, [])}
        if {"data", "has_more", "last_id"} <= props.keys() and "array" in props["data"].info.json_types:
            ann = props["data"].info.py
            return True, ann.removeprefix("list[").removesuffix("]") if ann.startswith("list[") else None
        return False, None

