"""Phase 3, build IR: a resolved OpenAPI document -> ``ir.Api``.

The document is checked (``resolve.check_refs``) and normalized (``normalize``: one dialect,
references followed) first; the builders read only the normalized document. Types come from
``schemas`` (with the union layer in ``unions``), operations from ``operations``. Every
problem found is collected and raised together at the end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from . import (
    __version__,
    client_docs,
    client_tree,
    ir,
    layout,
    modules,
    naming,
    public,
    receivers,
    signature,
    tags,
    unread,
    wire,
)
from .errors import Diagnostics, SpecError
from .load import Document
from .modules import names_used as _names
from .normalize import normalize
from .operations import OperationBuilder, service_name
from .pagination_config import Rule
from .resolve import check_refs
from .schemas import SchemaBuilder

#: The newest OpenAPI minor version specbind reads (a later one may change what a key means).
NEWEST = (3, 2)


def _above_supported(version: str) -> bool:
    """`3.3.0`, `3.10`: a minor version above ``NEWEST`` (patch versions never change meaning)."""
    minor = re.match(r"3\.(\d+)", version)
    return minor is not None and (3, int(minor[1])) > NEWEST


def validate_root(doc: Document) -> None:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), f"the document root must be a mapping, not {type(data).__name__}")
    if "swagger" in data:
        raise doc.error(("swagger",), "Swagger 2.0 is not supported: convert it to OpenAPI 3.x first")
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise doc.error(
            ("openapi",) if "openapi" in data else (),
            "not an OpenAPI 3.x document (missing or unsupported `openapi` version)",
        )
    if _above_supported(version):
        raise doc.error(("openapi",), f"OpenAPI {version} is not supported: specbind reads 3.0, 3.1 and 3.2")
    for key in ("paths", "components"):
        if key in data and not isinstance(data[key], dict | None):
            raise doc.error((key,), f"`{key}` must be a mapping")
    schemas = (data.get("components") or {}).get("schemas")
    if schemas is not None and not isinstance(schemas, dict):
        raise doc.error(("components", "schemas"), "`schemas` must be a mapping")


def build_api(
    doc: Document,
    *,
    package: str,
    spec_name: str,
    overlays: tuple[str, ...] = (),
    diagnostics: Diagnostics | None = None,
    python_types: bool = False,
    pagination: tuple[Rule, ...] = (),
    idempotency_header: str | None = None,
    names: naming.Style = "python",
    client_layout: layout.Options | None = None,
) -> ir.Api:
    """``diagnostics`` collects warnings; with ``strict`` set they fail the build here."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    client_layout = client_layout or layout.Options()
    validate_root(doc)
    check_refs(doc)  # resolve
    for warning in doc.warnings:  # what bundling did instead (a string given by `$ref`, inlined)
        diagnostics.warn(warning.file, warning.line, warning.pointer, warning.message)
    n = normalize(doc)
    sb = SchemaBuilder(n, diagnostics, python_types=python_types, names=names)
    built = sb.build_all()
    unread.warn_unread(doc.data, sb.warn)  # nothing silent: what the builders below do not read
    data = n.data
    info = data.get("info") or {}
    client_cfg: dict[str, Any] = data["x-specbind-client"] if isinstance(data.get("x-specbind-client"), dict) else {}
    env_prefix = naming.snake(package.rsplit(".", 1)[-1]).upper() or "API"
    api_key_env = client_cfg.get("api-key-env")
    securities = wire.securities(data, package, env_prefix, str(api_key_env) if api_key_env else None)
    ops_builder = OperationBuilder(
        n,
        sb,
        {s.name: s.setting for s in securities},
        pagination=pagination,
        idempotency_header=idempotency_header,
    )
    raw_ops = ops_builder.build()
    raw_hooks = receivers.ReceiverBuilder(n, sb).build()
    if sb.problems:
        raise SpecError(sb.problems)
    order = definition_order(built)
    defined = set(order)
    none_aliases = frozenset(n for n, a in built.aliases.items() if a.annotation == "None")
    ops, adapters, error_adapters = wire.finish(raw_ops, set(built.models), defined, none_aliases)
    hooks = receivers.finish(raw_hooks, defined, none_aliases)
    hook_imports, hook_pydantic = receivers.imports(hooks)
    client_attrs = [s.setting for s in securities] + [p.name for p in wire.client_headers(ops)]
    doc_tags = tags.tags(data, sb.warn)
    placed = layout.Layout(data, client_layout, sb.warn, _list_like(sb, built), client_attrs).assign(ops)
    ops = signature.with_arguments(placed, client_layout.path_parameters)
    diagnostics.finish()
    service = service_name(data, package)
    error_body, error_media = wire.server_errors(ops_builder.error_schemas, ops_builder.error_types, n.deref)
    # `APIStatusError.error` is typed by the one error type the document uses, else Any.
    error_model = next(iter(ops_builder.error_types)) if len(ops_builder.error_types) == 1 else None
    servers = tuple(
        wire.server_url(s) for s in data.get("servers") or [] if isinstance(s, dict) and isinstance(s.get("url"), str)
    )
    lazy = self_referring(built)
    definitions = tuple(
        replace(d, lazy=True)
        if n in lazy and (isinstance(d, ir.Alias) or (isinstance(d, ir.Union) and d.strategy == "plain"))
        else d
        for n in order
        for d in (built.models.get(n) or built.aliases.get(n) or built.unions[n],)
    )
    bare = wire.bare_names(ops)  # `public` looks models up by name
    sent = public.sent_unions(definitions, bare)
    definitions = tuple(
        replace(d, accepts_other_models=True) if d.name in sent and isinstance(d, ir.Union) else d for d in definitions
    )
    client_stdlib = naming.stdlib_imports(_names(" ".join(b.param_annotation for op in ops for b in op.body_fields)))
    tables = public.kind_tables(definitions, bare)
    definitions = public.with_union_tables(definitions, tables)
    model_layout = model_modules(definitions, ops, data)
    api = ir.Api(
        title=str(info.get("title", "API")),
        version=str(info.get("version", "")),
        package=package,
        spec_name=spec_name,
        spec_sha256=doc.sha256,
        overlays=overlays,
        servers=servers,
        definitions=definitions,
        model_modules=model_layout,
        model_index=tuple((m.name, tuple(sorted(m.exports, key=naming.import_key))) for m in model_layout),
        uses_dispatch=any(isinstance(d, ir.Union) and d.strategy != "plain" for d in definitions),
        operations=ops,
        error_model=wire.qualify(error_model, defined) if error_model else None,
        base_url=servers[0] if servers else None,
        base_url_env=str(client_cfg.get("base-url-env") or env_prefix + "_BASE_URL"),
        api_key_env=securities[0].env if len(securities) == 1 else "",
        client_headers=wire.client_headers(ops),
        user_agent="".join(
            c for c in f"{package}/{info.get('version', '')} (specbind {__version__})" if 32 <= ord(c) < 127
        ),
        adapters=adapters.constants(defined),
        error_adapters=error_adapters.constants(defined),
        service_name=service,
        server_exports=tuple(
            sorted(
                (
                    "RequestContext",
                    "ServiceConflictError",
                    "ServiceError",
                    "ServiceInvalidRequestError",
                    "ServiceNotFoundError",
                    service,
                    "create_app",
                    "create_router",
                )
                + (("UploadedFile",) if any(op.body_kind == "multipart" for op in ops) else ()),
                key=lambda n: (not n[0].isupper(), n),
            )
        ),
        server_uses_field="Field("
        in " ".join(
            [p.constrained for op in ops for p in op.server_params]
            + [b.server_assignment + b.server_annotation for op in ops if op.parts_model for b in op.body_fields]
            + [type_ for _, type_ in adapters.constants(defined)]  # answer types with constraints
        ),
        server_typing_imports=wire.typing_names(
            ["Any Protocol TypeVar"]
            + [p.constrained for op in ops for p in op.server_params]
            + [b.server_annotation for op in ops if op.parts_model for b in op.body_fields]
            + [type_ for _, type_ in adapters.constants(defined)],  # inline answer types (`Literal[...]`)
            ("Annotated", "Any", "Literal", "Protocol", "TypeVar"),
        ),
        unknown_models=tuple(sorted(u.unknown for u in built.unions.values() if u.unknown)),
        exports=tuple(sorted(order, key=naming.export_key)),
        client_stdlib_imports=client_stdlib,
        securities=securities,
        tags=doc_tags,
        credentials_doc="".join(f";\n`{s.setting}` ({s.doc}) to ${s.env}" for s in securities),
        error_body=error_body,
        error_media=error_media,
        package_exports=public.package_exports(order, bool(ops)),
        lazy_exports=public.lazy_exports(bool(ops)),
        kind_tables=tables,
        which_class=public.which_class_text(tables),
        webhooks=hooks,
        webhook_imports=hook_imports,
        webhook_pydantic_imports=hook_pydantic,
    )
    api = client_docs.with_client_docs(api)
    return replace(api, resources=client_tree.tree(api.operations))


def _list_like(sb: SchemaBuilder, built: Any) -> Any:
    """Whether an operation answers with a list: an array, a page, or an object whose `data`,
    `items` or `results` is an array (Stripe's and OpenAI's list objects). `layout` names a GET
    on a collection `list` then, else `retrieve`."""

    def answer(op: ir.Operation) -> bool:
        if op.paginated:
            return True
        name = re.sub(r"(?<![\w.])models\.", "", op.response or "")
        alias = built.aliases.get(name)
        if (alias.annotation if alias else name).startswith(("list[", "Sequence[")):
            return True
        return any(
            p.wire in ("data", "items", "results") and "array" in p.info.json_types for p in sb.props.get(name, [])
        )

    return answer


def model_modules(
    definitions: tuple[ir.Model | ir.Alias | ir.Union, ...], ops: tuple[ir.Operation, ...], data: Mapping[str, Any]
) -> tuple[ir.ModelModule, ...]:
    """The modules of the ``models`` package (``modules.plan``), each with the imports it needs."""
    by_name = {d.name: d for d in definitions}
    planned = modules.plan(definitions, ops, data)
    module_of = {n: p.name for p in planned for n in p.definitions}
    out = []
    for p in planned:
        defs = tuple(by_name[n] for n in p.definitions)
        typing_imports, pydantic_imports, base_imports, extensions_imports = imports_for(defs)
        stdlib = naming.stdlib_imports(
            _names(" ".join(f.annotation for d in defs if isinstance(d, ir.Model) for f in d.fields))
        )
        stdlib += tuple(
            i
            for i in naming.stdlib_imports(_names(" ".join(d.annotation for d in defs if isinstance(d, ir.Alias))))
            if i not in stdlib
        )
        dispatch = any(isinstance(d, ir.Union) and d.strategy != "plain" for d in defs)
        blocks = (
            # isort's sections: the standard library, pydantic and typing_extensions, the package
            [line for line in stdlib if line.startswith("from datetime")]
            + ([f"from typing import {', '.join(typing_imports)}"] if typing_imports else [])
            + [line for line in stdlib if line.startswith("from uuid")],
            ([f"from pydantic import {', '.join(pydantic_imports)}"] if pydantic_imports else [])
            + ([f"from typing_extensions import {', '.join(extensions_imports)}"] if extensions_imports else []),
            (["from .. import _dispatch"] if dispatch else [])
            + ([f"from .._base import {', '.join(base_imports)}"] if base_imports else [])
            + [
                f"from .{sibling} import {', '.join(names)}"
                for sibling, names in modules.sibling_imports(p.definitions, by_name, module_of)
            ],
        )
        out.append(
            ir.ModelModule(
                name=p.name,
                doc=p.doc,
                definitions=defs,
                exports=tuple(sorted(p.definitions, key=naming.export_key)),
                import_blocks=tuple(tuple(block) for block in blocks if block),
            )
        )
    return tuple(out)


Imports = tuple[str, ...]


def imports_for(definitions: tuple[ir.Model | ir.Alias | ir.Union, ...]) -> tuple[Imports, Imports, Imports, Imports]:
    """The typing / pydantic / ``_base`` / typing_extensions names the models module needs,
    so it imports nothing unused."""
    words: set[str] = set()
    for d in definitions:
        if isinstance(d, ir.Model):
            words.add("UnknownVariant" if d.refuses else "BaseModel")
            for f in d.fields:
                words.update(_names(f.annotation + f.assignment))
            if d.refuses:
                words.update(("ClassVar", "UnknownVariant"))
            if any(f.static_assignment for f in d.fields):
                words.update(_names(" ".join(f.static_assignment for f in d.fields)))
                words.add("TYPE_CHECKING")
            if d.closed:
                words.add("ConfigDict")
            if d.extra:
                words.update(_names(d.extra))
                words.add("Field")
        elif isinstance(d, ir.Alias):
            words.update(_names(d.annotation))
            words.add("TypeAliasType" if d.lazy else "TypeAlias")
        else:
            words.update(_names(" ".join(d.members)))
            words.add("TypeAliasType" if d.lazy else "TypeAlias")
            if d.strategy != "plain":  # the dispatch metadata of `_dispatch`
                words.add("Annotated")
    typing = ("TYPE_CHECKING", "Annotated", "Any", "ClassVar", "Literal", "TypeAlias")
    pydantic = ("ConfigDict", "Field")
    base = ("BaseModel", "UnknownVariant", "unique_items")
    extensions = ("TypeAliasType",)
    groups = (typing, pydantic, base, extensions)
    return tuple(tuple(n for n in group if n in words) for group in groups)  # type: ignore[return-value]


def self_referring(built: Any) -> set[str]:
    """Aliases and unions whose value refers to itself, directly or through other aliases:
    they cannot be evaluated when the module runs, so each becomes a ``TypeAliasType``."""
    eager = set(built.aliases) | set(built.unions)
    graph = {n: sorted(d for d in built.deps.get(n, ()) if d in eager) for n in sorted(eager)}
    out: set[str] = set()
    for start, deps in graph.items():
        stack, seen = list(deps), set()
        while stack:
            n = stack.pop()
            if n == start:
                out.add(start)
                break
            if n not in seen:
                seen.add(n)
                stack.extend(graph[n])
    return out


def definition_order(built: Any) -> list[str]:
    """Classes first (spec order: annotations resolve lazily), then aliases and unions in
    dependency order, since their values are evaluated when the module runs."""
    names = list(built.models)
    eager = list(built.aliases) + list(built.unions)
    done: set[str] = set(names)
    out: list[str] = list(names)
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
