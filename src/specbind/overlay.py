"""OpenAPI Overlay 1.0: reviewable edits applied to a spec before anything else reads it.

Each action has a JSONPath ``target`` and either ``update`` (objects merged recursively,
scalars and nested arrays replaced; an array target gets the update appended) or
``remove: true``. A target that matches nothing is an error: a stale overlay must not pass
silently when the upstream spec moves.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from .errors import Problem, SpecError, pointer_of
from .load import Document


def _merge(target: Any, update: Any) -> Any:
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = _merge(target[key], value) if key in target else copy.deepcopy(value)
        return target
    return copy.deepcopy(update)


@cache
def _parser() -> Any:
    # Building the parser generates its LALR tables (~70 ms): do it once per process.
    from jsonpath_ng.ext.parser import ExtentedJsonPathParser

    return ExtentedJsonPathParser()


def apply_overlay(spec: Any, overlay: Document) -> Any:
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError

    parse = _parser().parse

    data = overlay.data
    if not isinstance(data, dict) or "overlay" not in data or not isinstance(data.get("actions"), list):
        raise overlay.error((), "not an OpenAPI Overlay document (needs `overlay` and a list of `actions`)")
    problems: list[Problem] = []
    for i, action in enumerate(data["actions"]):
        at = ("actions", i)
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            problems.append(
                Problem(overlay.path, overlay.line_of(at), pointer_of(at), "an action needs a string `target`")
            )
            continue
        try:
            expr = parse(action["target"])
        # jsonpath-ng raises its own errors and also bare Exception
        except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # noqa: BLE001
            where = at + ("target",)
            problems.append(
                Problem(overlay.path, overlay.line_of(where), pointer_of(where), f"invalid JSONPath: {exc}")
            )
            continue
        matches = expr.find(spec)
        if not matches:
            where = at + ("target",)
            problems.append(
                Problem(
                    overlay.path,
                    overlay.line_of(where),
                    pointer_of(where),
                    f"target {action['target']!r} matches nothing in the spec",
                )
            )
            continue
        if action.get("remove") is True:
            # Remove from the deepest / last match first so list indexes stay valid.
            for match in reversed(matches):
                parent, key = match.context.value if match.context else None, match.path
                _remove(parent, key, match.value)
        elif "update" in action:
            for match in matches:
                if isinstance(match.value, list):
                    match.value.append(copy.deepcopy(action["update"]))
                elif isinstance(match.value, dict) and isinstance(action["update"], dict):
                    _merge(match.value, action["update"])
                else:
                    where = at + ("update",)
                    problems.append(
                        Problem(
                            overlay.path,
                            overlay.line_of(where),
                            pointer_of(where),
                            "update must be an object (or the target an array)",
                        )
                    )
        else:
            problems.append(
                Problem(overlay.path, overlay.line_of(at), pointer_of(at), "an action needs `update` or `remove: true`")
            )
    if problems:
        raise SpecError(problems)
    return spec


def _remove(parent: Any, path: Any, value: Any) -> None:
    from jsonpath_ng import Fields, Index

    if isinstance(parent, dict) and isinstance(path, Fields):
        for name in path.fields:
            parent.pop(name, None)
    elif isinstance(parent, list):
        if isinstance(path, Index):
            for index in sorted(path.indices, reverse=True):
                if 0 <= index < len(parent):
                    del parent[index]
        else:
            for i in range(len(parent) - 1, -1, -1):
                if parent[i] is value or parent[i] == value:
                    del parent[i]
                    break
