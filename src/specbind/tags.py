"""The document's Tag Objects in the IR, with what OpenAPI 3.2 adds: `summary`, `parent`, `kind`.

A `parent` that names no tag (or is no string) is the layout's to warn about, since the
layout is what nests resources by it (``layout.Layout._tag_parents``); here it is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ir
from .resolve import Parts

_TEXTS = ("summary", "description", "kind")


def tags(data: dict[str, Any], warn: Callable[[Parts, str], None]) -> tuple[ir.Tag, ...]:
    found = data.get("tags")
    entries = [(i, t) for i, t in enumerate(found if isinstance(found, list) else []) if isinstance(t, dict)]
    names = {t["name"] for _, t in entries if isinstance(t.get("name"), str)}
    out: list[ir.Tag] = []
    for i, t in entries:
        if not isinstance(t.get("name"), str):
            continue
        texts: dict[str, str | None] = {}
        for key in _TEXTS:
            value = t.get(key)
            if value is not None and not isinstance(value, str):
                warn(("tags", i, key), f"a tag's `{key}` must be a string; ignored")
            texts[key] = value if isinstance(value, str) else None
        parent = t.get("parent")
        out.append(ir.Tag(t["name"], parent=parent if parent in names else None, **texts))
    return tuple(out)
