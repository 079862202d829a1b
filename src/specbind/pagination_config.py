"""Pagination as a user or a document states it: ``[tool.specbind.pagination]``,
``x-speakeasy-pagination`` and ``x-fern-pagination``, read into one neutral form (``Declared``).

Names are not checked here (that needs the operation): ``pagination`` resolves them against the
operation's parameters and answer, and a name that is not there is a located error. Kept free
of the builder's imports, since the configuration is read on the no-op path too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from .errors import Problem, SpecError, escape_pointer_token

STYLES = ("cursor", "next_url", "link_header", "offset", "page")


@dataclass(frozen=True)
class Declared:
    """One stated scheme. Response paths are dotted wire names (``meta.next``); ``items`` None
    means "find the list from the shape", ``""`` the answer itself."""

    style: str  # one of STYLES, or "none": not paginated
    source: str  # "config", "x-speakeasy-pagination", "x-fern-pagination"
    file: str
    line: int | None
    pointer: str  # where it was stated; a problem with one key is reported at pointer/key
    items: str | None = None
    param: str = ""  # the cursor / offset / page query parameter
    next_cursor: str = ""
    item_cursor: str = ""  # the next cursor is this field of the last item
    has_more: str = ""
    next_url: str = ""
    limit: str = ""  # the page-size query parameter
    total: str = ""
    total_pages: str = ""
    first: int | None = None
    #: An extension's own words: (config key, its key path in the extension, that key's line).
    keys: tuple[tuple[str, str, int | None], ...] = ()

    def problem(self, key: str, message: str, severity: str = "error") -> Problem:
        """A problem with one key, at that key (in the extension's words when it is one)."""
        named = {k: (path, line) for k, path, line in self.keys}
        path, line = named.get(key, (key, self.line))
        return Problem(self.file, line, f"{self.pointer}/{path}", message, severity)  # type: ignore[arg-type]

    def record(self) -> dict[str, object]:
        """What the manifest keeps (the output depends on it), without the location."""
        skip = {"file", "line", "pointer", "keys"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip and getattr(self, f.name)}


@dataclass(frozen=True)
class Rule:
    """A `[tool.specbind.pagination]` entry: for one operationId, or (None) for every operation
    that has the parameters and fields it names."""

    operation_id: str | None
    declared: Declared


# -- [tool.specbind.pagination] -----------------------------------------------------------------
# The config's words for the parameters, by style; `items`, `has_more`, `total`... are answer paths.
_PARAM_KEY = {"cursor": "cursor", "offset": "offset", "page": "page"}
_LIMIT_KEY = {"offset": "limit", "page": "per_page"}
_ANSWER_KEYS = {
    "cursor": ("next_cursor", "item_cursor", "has_more"),
    "next_url": ("next_url",),
    "link_header": (),
    "offset": ("total", "has_more"),
    "page": ("total", "total_pages", "has_more"),
}


def parse_config(table: Any, file: str, pointer: str, text: str) -> tuple[Rule, ...]:
    """``[tool.specbind.pagination]``: ``operations.<operationId>`` tables and ``rules`` (an
    array of tables). Shape errors are raised here, with the table's line."""
    if not isinstance(table, dict):
        raise SpecError.one(file, pointer, "`pagination` must be a table", _line(text, "pagination"))
    unknown = set(table) - {"operations", "rules"}
    if unknown:
        raise SpecError.one(file, pointer, f"unknown keys: {', '.join(sorted(unknown))} (operations, rules)")
    out: list[Rule] = []
    operations = table.get("operations", {})
    if not isinstance(operations, dict):
        raise SpecError.one(file, pointer + "/operations", "`operations` must be a table of operationIds")
    for op_id, body in operations.items():
        at = f"{pointer}/operations/{escape_pointer_token(op_id)}"
        out.append(Rule(str(op_id), _config_entry(body, file, at, _line(text, f"operations.{op_id}", op_id))))
    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise SpecError.one(file, pointer + "/rules", "`rules` must be an array of tables ([[...pagination.rules]])")
    for i, body in enumerate(rules):
        entry = _config_entry(body, file, f"{pointer}/rules/{i}", _line(text, "pagination.rules"), "config rule")
        if entry.style == "none":
            raise SpecError.one(file, f"{pointer}/rules/{i}/style", 'a rule cannot be `style = "none"`', entry.line)
        out.append(Rule(None, entry))
    return tuple(out)


def _config_entry(body: Any, file: str, at: str, line: int | None, source: str = "config") -> Declared:
    if not isinstance(body, dict):
        raise SpecError.one(file, at, "must be a table", line)
    style = body.get("style")
    if style not in (*STYLES, "none"):
        raise SpecError.one(file, at + "/style", f"`style` must be one of {', '.join(STYLES)} or none", line)
    allowed = {"style"} if style == "none" else {"style", "items", "first", *_ANSWER_KEYS[style]}
    allowed |= {k for k in (_PARAM_KEY.get(style), _LIMIT_KEY.get(style)) if k}
    unknown = set(body) - allowed
    if unknown:
        raise SpecError.one(
            file,
            at,
            f"unknown keys for style {style!r}: {', '.join(sorted(unknown))} ({', '.join(sorted(allowed))})",
            line,
        )
    for key, value in body.items():
        if key != "first" and not isinstance(value, str):
            raise SpecError.one(file, f"{at}/{key}", f"`{key}` must be a string", line)
    first = body.get("first")
    if first is not None and (not isinstance(first, int) or isinstance(first, bool)):
        raise SpecError.one(file, at + "/first", "`first` must be an integer", line)
    required = {"cursor": "cursor", "next_url": "next_url", "offset": "offset", "page": "page"}.get(style)
    if required and not body.get(required):
        raise SpecError.one(file, at, f"style {style!r} needs `{required}`", line)
    if style == "cursor" and not (body.get("next_cursor") or body.get("item_cursor")):
        raise SpecError.one(file, at, "style 'cursor' needs `next_cursor` or `item_cursor` (e.g. \"id\")", line)
    return Declared(
        style=style,
        source=source,
        file=file,
        line=line,
        pointer=at,
        items=body.get("items"),
        param=body.get(_PARAM_KEY.get(style, ""), ""),
        limit=body.get(_LIMIT_KEY.get(style, ""), ""),
        first=first,
        **{k: body.get(k, "") for k in ("next_cursor", "item_cursor", "has_more", "next_url", "total", "total_pages")},
    )


def _line(text: str, *needles: str) -> int | None:
    """The first line of pyproject.toml naming one of ``needles`` (tomllib keeps no lines)."""
    for needle in needles:
        for number, line in enumerate(text.splitlines(), 1):
            if needle in line:
                return number
    return None


# -- the document's extensions ----------------------------------------------------------------
class ExtensionError(Exception):
    """What is wrong with an extension, at which of its keys. ``unsupported``: well formed,
    but asking for what the client cannot do (a warning; the operation is not paged)."""

    def __init__(self, key: str, message: str, *, unsupported: bool = False) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.unsupported = unsupported


_SIMPLE_PATH = re.compile(r"^[A-Za-z0-9_@$-]+(?:\.[A-Za-z0-9_@$-]+)*$")


def _response_path(value: Any, key: str, prefix: str) -> tuple[str, str]:
    """`$.data.items` / `$response.data.items` -> ("data.items", ""); `$.data[-1].id` -> ("data", "id")."""
    if not isinstance(value, str) or not value.startswith(prefix):
        raise ExtensionError(key, f"must be a path starting with {prefix!r}, not {value!r}")
    rest = value[len(prefix) :].lstrip(".")
    last = ""
    if "[-1]." in rest:  # the last item's field
        rest, _, last = rest.partition("[-1].")
    if rest == "" and not last:
        return "", ""
    if not _SIMPLE_PATH.match(rest) or (last and not _SIMPLE_PATH.match(last)):
        raise ExtensionError(
            key, f"{value!r}: only dotted names (and `[-1].field` for the last item) are supported", unsupported=True
        )
    return rest, last


def _request_name(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.startswith("$request."):
        raise ExtensionError(key, f"must be `$request.<parameter>`, not {value!r}")
    name = value.removeprefix("$request.")
    if name.startswith("body.") or "." in name:
        raise ExtensionError(
            key, f"{value!r}: a cursor in the request body is not supported, only query parameters", unsupported=True
        )
    return name


def from_speakeasy(ext: Any) -> dict[str, Any]:
    """`x-speakeasy-pagination` (type offsetLimit / cursor / url, inputs, outputs) -> Declared keys."""
    if not isinstance(ext, dict):
        raise ExtensionError("", "must be a mapping with `type`, `inputs`, `outputs`")
    kind = ext.get("type")
    outputs: dict[str, Any] = ext["outputs"] if isinstance(ext.get("outputs"), dict) else {}
    inputs: dict[str, str] = {}
    where: dict[str, str] = {}  # input type -> its key path
    for i, entry in enumerate(ext.get("inputs") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ExtensionError(f"inputs/{i}", "each input needs a `name`, `in` and `type`")
        if entry.get("in") != "parameters":
            raise ExtensionError(
                f"inputs/{i}/in", f"`in: {entry.get('in')}` is not supported, only `in: parameters`", unsupported=True
            )
        inputs[str(entry.get("type"))] = entry["name"]
        where[str(entry.get("type"))] = f"inputs/{i}/name"
    out: dict[str, Any] = {}
    out["keys"] = {
        "items": "outputs/results", "next_cursor": "outputs/nextCursor", "item_cursor": "outputs/nextCursor",
        "next_url": "outputs/nextUrl", "total_pages": "outputs/numPages",
        **{k: where[t] for k, t in (("cursor", "cursor"), ("offset", "offset"), ("page", "page")) if t in where},
        **({"limit": where["limit"], "per_page": where["limit"]} if "limit" in where else {}),
    }  # fmt: skip
    if "results" in outputs:
        out["items"] = _response_path(outputs["results"], "outputs/results", "$")[0]
    if kind == "offsetLimit":
        if "page" in inputs:
            out.update(style="page", param=inputs["page"], limit=inputs.get("limit", ""))
            if "numPages" in outputs:
                out["total_pages"] = _response_path(outputs["numPages"], "outputs/numPages", "$")[0]
        elif "offset" in inputs:
            out.update(style="offset", param=inputs["offset"], limit=inputs.get("limit", ""))
        else:
            raise ExtensionError("inputs", "type offsetLimit needs an input of type `offset` or `page`")
    elif kind == "cursor":
        if "cursor" not in inputs or "nextCursor" not in outputs:
            raise ExtensionError("", "type cursor needs an input of type `cursor` and `outputs.nextCursor`")
        path, last = _response_path(outputs["nextCursor"], "outputs/nextCursor", "$")
        out.update(style="cursor", param=inputs["cursor"])
        if last:
            if out.get("items", path) != path:
                raise ExtensionError("outputs/nextCursor", "`[-1]` must index the `results` list")
            out.update(items=path, item_cursor=last)
        else:
            out["next_cursor"] = path
    elif kind == "url":
        if "nextUrl" not in outputs:
            raise ExtensionError("outputs", "type url needs `outputs.nextUrl`")
        out.update(style="next_url", next_url=_response_path(outputs["nextUrl"], "outputs/nextUrl", "$")[0])
    else:
        raise ExtensionError("type", f"type {kind!r} is not one of offsetLimit, cursor, url")
    return out


def from_fern(ext: Any) -> dict[str, Any]:
    """`x-fern-pagination` (cursor/next_cursor, offset/step, next_uri, next_path; results,
    has-next-page) -> Declared keys. Fern's `offset` without `step` counts pages."""
    if not isinstance(ext, dict):
        raise ExtensionError("", "must be a mapping (cursor, next_cursor, offset, step, next_uri, next_path, results)")
    known = {"cursor", "next_cursor", "offset", "step", "next_uri", "next_path", "results", "has-next-page"}
    unknown = set(ext) - known
    if unknown:
        raise ExtensionError(min(unknown), f"unknown keys: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    out["keys"] = {
        "items": "results", "has_more": "has-next-page", "cursor": "cursor", "next_cursor": "next_cursor",
        "item_cursor": "next_cursor", "offset": "offset", "page": "offset", "limit": "step",
        "next_url": "next_uri" if "next_uri" in ext else "next_path",
    }  # fmt: skip
    if "results" in ext:
        out["items"] = _response_path(ext["results"], "results", "$response")[0]
    if "has-next-page" in ext:
        out["has_more"] = _response_path(ext["has-next-page"], "has-next-page", "$response")[0]
    if "cursor" in ext:
        if "next_cursor" not in ext:
            raise ExtensionError("next_cursor", "`cursor` needs `next_cursor`")
        path, last = _response_path(ext["next_cursor"], "next_cursor", "$response")
        out.update(style="cursor", param=_request_name(ext["cursor"], "cursor"))
        out.update({"items": path, "item_cursor": last} if last else {"next_cursor": path})
    elif "offset" in ext:
        param = _request_name(ext["offset"], "offset")
        if "step" in ext:
            out.update(style="offset", param=param, limit=_request_name(ext["step"], "step"))
        else:
            out.update(style="page", param=param)
    elif "next_uri" in ext or "next_path" in ext:
        key = "next_uri" if "next_uri" in ext else "next_path"
        out.update(style="next_url", next_url=_response_path(ext[key], key, "$response")[0])
    else:
        raise ExtensionError("", "needs `cursor`, `offset`, `next_uri` or `next_path`")
    return out


def extension(op: dict[str, Any], root: dict[str, Any]) -> tuple[str, Any] | None:
    """(extension name, its value) when the operation declares its pagination; Fern's
    `x-fern-pagination: true` refers to the document's own `x-fern-pagination`."""
    for name in ("x-speakeasy-pagination", "x-fern-pagination"):
        if name in op:
            value = op[name]
            if name == "x-fern-pagination" and value is True:
                value = root.get(name)
            if value is False:
                return None
            return name, value
    return None
