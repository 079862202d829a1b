"""Phase 2, resolve: `$ref` lookup (local only), ref checking and the transitive closure.

References into other files of the spec's folder were bundled in by ``bundle`` before this
phase. Nothing is fetched: a remote `$ref` is an error, and so is any reference that leaves the
document. `$ref` siblings keep their 3.1 meaning: callers get both the target and the
siblings (see ``split_ref``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import Problem, SpecError
from .load import Document
from .places import is_map, kind_at, mismatch, walk_places

Parts = tuple[str | int, ...]


def parse_pointer(fragment: str) -> Parts:
    if fragment in ("", "/"):
        return ()
    if not fragment.startswith("/"):
        raise ValueError(f"not a JSON pointer: {fragment!r}")
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/"))


def ref_target(ref: str) -> Parts:
    """`#/components/schemas/X` -> ('components', 'schemas', 'X'); raises ValueError otherwise."""
    if not isinstance(ref, str):
        raise ValueError("$ref must be a string")  # noqa: TRY004 - callers report ValueErrors as spec problems
    if "://" in ref or ref.startswith("//"):
        raise ValueError(f"remote $ref {ref!r} refused: specbind never fetches anything")
    if not ref.startswith("#"):
        raise ValueError(f"external $ref {ref!r} refused: only references inside the document are supported")
    return parse_pointer(ref[1:])


def lookup(root: Any, parts: Parts) -> Any:
    node = root
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, str) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(part)
    return node


#: Keywords whose value maps names to schemas: its keys are names (a property may be called
#: `$ref`), never keywords. Components sections and `paths`/`webhooks` are such maps too.
NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "mapping"})
#: OpenAPI maps keyed by names, status codes or media types (`responses: {default: ...}` is a
#: response, not a schema's literal `default`).
OPENAPI_MAPS = frozenset({"responses", "callbacks", "content", "encoding", "headers", "links"})
#: Keywords whose value is literal data, never a schema or a reference.
DATA_KEYS = frozenset({"example", "default", "const", "enum"})


def _child_kind(here: Parts, key: str | int, value: Any) -> str:
    """How ``walk`` treats the value under ``key`` of an object at ``here``: "object", "names" or "data"."""
    if key in DATA_KEYS or (key == "examples" and isinstance(value, list)):
        return "data"
    if key in OPENAPI_MAPS:
        return "names"
    if key in NAME_MAPS or here == ("components",) or (here == () and key in ("paths", "webhooks")):
        return "names"
    return "object"


def walk(node: Any, at: Parts = ()) -> Iterator[tuple[Parts, dict[str, Any]]]:
    """Every object (schema, operation, ...) in the tree with its location, iteratively (deep
    specs do not recurse). Name maps are walked through but not yielded, and literal data
    (examples, defaults, enums) is skipped, so a key there is never read as a keyword."""
    stack: list[tuple[Parts, Any, str]] = [(at, node, "object")]
    while stack:
        here, value, kind = stack.pop()
        if isinstance(value, dict):
            if kind == "object":
                yield here, value
                children = [(here + (k,), v, _child_kind(here, k, v)) for k, v in value.items()]
            else:
                children = [(here + (k,), v, "object") for k, v in value.items()]
            stack.extend(c for c in reversed(children) if c[2] != "data")
        elif isinstance(value, list):
            stack.extend((here + (i,), v, "object") for i, v in reversed(list(enumerate(value))))


def check_refs(doc: Document) -> None:
    """Every `$ref` must point at something inside the document, of the kind its place expects
    (``places``): a schema where a schema goes, a parameter where a parameter goes..."""
    problems: list[Problem] = []
    for at, kind, mapping in walk_places(doc.data):
        ref = mapping.get("$ref")
        if ref is None or is_map(kind):
            continue
        where = at + ("$ref",)
        try:
            parts = ref_target(ref)
            target = lookup(doc.data, parts)
        except ValueError as exc:
            problems.append(_problem(doc, where, str(exc)))
            continue
        except KeyError:
            problems.append(_problem(doc, where, f"dangling $ref {ref!r}: no such location"))
            continue
        if _ref_cycle(doc.data, ref, target):
            problems.append(_problem(doc, where, f"$ref cycle through {ref!r} with no schema in between"))
            continue
        wrong = _wrong_kind(doc, kind, parts, target)
        if wrong:
            problems.append(_problem(doc, where, f"$ref {ref!r} points at {wrong}"))
    if problems:
        raise SpecError(problems)


def _wrong_kind(doc: Document, expected: str, parts: Parts, target: Any) -> str | None:
    what = mismatch(expected, kind_at(doc.data, parts), target)
    if what is None:
        return None
    file, line, pointer = doc.locate(parts)
    article = "an" if expected[0] in "aeiou" else "a"
    return f"{what} ({file}:{line or 1} {pointer or '/'}), where {article} {expected} is expected"


def _ref_cycle(root: Any, ref: str, target: Any) -> bool:
    """Does following bare `$ref`s from ``target`` come back to ``ref`` (a cycle with no base case)?"""
    seen = {ref}
    while isinstance(target, dict) and isinstance(target.get("$ref"), str):
        nxt = target["$ref"]
        if nxt in seen:
            return True
        seen.add(nxt)
        try:
            target = lookup(root, ref_target(nxt))
        except (ValueError, KeyError):
            return False
    return False


def _problem(doc: Document, where: Parts, message: str) -> Problem:
    return Problem(*doc.locate(where), message)


def component_refs(node: Any) -> Iterator[Parts]:
    """Targets of `$ref`s and discriminator mappings below ``node``."""
    for _, mapping in walk(node):
        ref = mapping.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            yield parse_pointer(ref[1:])
        disc = mapping.get("discriminator")
        if isinstance(disc, dict):
            named = disc["mapping"].values() if isinstance(disc.get("mapping"), dict) else ()
            for target in [*named, disc.get("defaultMapping")]:  # defaultMapping: 3.2
                if isinstance(target, str) and target.startswith("#/"):
                    yield parse_pointer(target[1:])
                elif isinstance(target, str):  # a bare schema name
                    yield ("components", "schemas", target)


def closure(root: Any, start: Any) -> set[Parts]:
    """Component locations (section, name) reachable from ``start``."""
    seen: set[Parts] = set()
    todo = [p[:3] for p in component_refs(start) if len(p) >= 3 and p[0] == "components"]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        try:
            target = lookup(root, key)
        except KeyError:
            continue  # reported by check_refs
        todo.extend(p[:3] for p in component_refs(target) if len(p) >= 3 and p[0] == "components")
    return seen
