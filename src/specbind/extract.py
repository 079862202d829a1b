"""`specbind extract`: cut a self-contained fragment (paths under a prefix + their closure)."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import SpecError
from .load import Document
from .resolve import check_refs, closure

try:
    _Dumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operations(item: Any) -> list[dict[str, Any]]:
    """A path item's operations: the fixed fields (3.2 adds `query`) and `additionalOperations`."""
    if not isinstance(item, dict):
        return []
    more = item.get("additionalOperations")
    found = [item.get(m) for m in (*HTTP_METHODS, "query")] + list(more.values() if isinstance(more, dict) else [])
    return [op for op in found if isinstance(op, dict)]


def _matches(path: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def extract(doc: Document, prefix: str, source_name: str) -> dict[str, Any]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise doc.error((), "not an OpenAPI document with `paths`")
    check_refs(doc)
    paths = {k: v for k, v in data["paths"].items() if _matches(k, prefix)}
    if not paths:
        raise doc.error(("paths",), f"no path matches the prefix {prefix!r}")
    security = [data.get("security", [])] + [
        op.get("security", []) for item in paths.values() for op in _operations(item)
    ]
    needed = closure(data, paths)
    components: dict[str, Any] = {}
    for section, entries in data.get("components", {}).items():
        kept = {name: body for name, body in entries.items() if ("components", section, name) in needed}
        if section == "securitySchemes":
            used = {name for reqs in security for req in reqs for name in req}
            kept = {name: body for name, body in entries.items() if name in used or name in kept}
        if kept:
            components[section] = kept
    out: dict[str, Any] = {"openapi": data.get("openapi"), "info": data.get("info")}
    for key in ("servers", "security"):
        if key in data:
            out[key] = data[key]
    used_tags = {t for item in paths.values() for op in _operations(item) for t in op.get("tags", [])}
    tags = [t for t in data.get("tags", []) if isinstance(t, dict) and t.get("name") in used_tags]
    if tags:
        out["tags"] = tags
    out["paths"] = paths
    out["components"] = components
    out["x-specbind-provenance"] = {"source": source_name, "sha256": doc.sha256, "path-prefix": prefix}
    return out


def dump_yaml(data: Any) -> str:
    try:
        text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        return text
    except yaml.YAMLError as exc:  # pragma: no cover - data came from a loader
        raise SpecError.one("<output>", "", f"cannot serialise: {exc}") from None
