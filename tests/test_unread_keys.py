"""Nothing silent, over every corpus document and the whole OpenAI document: each key of a path
item, operation, parameter, request body, media type or response is either one specbind acts on
(`unread.READ`, documentation, an extension) or named by a located warning at its own pointer.

The walk here is the test's own (paths and webhooks -> methods -> parameters, request body,
responses -> content, and callbacks -> path items), so a kind of object the generator's walker forgot fails it. About a minute: every
document is built once more (no rendering)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_corpus import documents, source

from specbind import unread
from specbind.build import build_api
from specbind.config import Job
from specbind.errors import SpecError
from specbind.pipeline import load_spec
from specbind.schemas import SchemaBuilder

DOCUMENTATION = frozenset({"description", "summary", "example", "examples", "externalDocs", "deprecated"})
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def _keys(doc: dict[str, Any]) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(kind, key, location of the key) for every key the test reaches."""

    def of(kind: str, value: Any, at: tuple[str | int, ...]) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
        if isinstance(value, dict):
            for key in value:
                yield kind, key, (*at, key)
            if "$ref" not in value:
                for media, content in (value.get("content") or {}).items():
                    yield from of("mediaType", content, (*at, "content", media))

    def path_item(item: Any, at: tuple[str | int, ...]) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
        if not isinstance(item, dict):
            return
        yield from of("pathItem", item, at)
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            yield from of("operation", op, (*at, method))
            for i, param in enumerate(op.get("parameters") or []):
                yield from of("parameter", param, (*at, method, "parameters", i))
            yield from of("requestBody", op.get("requestBody"), (*at, method, "requestBody"))
            for code, response in (op.get("responses") or {}).items():
                yield from of("response", response, (*at, method, "responses", code))
            for name, callback in (op.get("callbacks") or {}).items():  # received by webhooks.py
                if isinstance(callback, dict) and "$ref" not in callback:
                    for expression, inner in callback.items():
                        yield from path_item(inner, (*at, method, "callbacks", name, expression))

    for section in ("paths", "webhooks"):
        for name, item in (doc.get(section) or {}).items():
            yield from path_item(item, (section, name))


@pytest.mark.parametrize("rel", documents())
def test_every_key_is_read_or_warned_about(rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Warnings as the builders give them, in the bundled document's places (a warning about a
    # file the document refers to is reported in that file's own coordinates).
    warned: set[tuple[str | int, ...]] = set()
    warn = SchemaBuilder.warn
    monkeypatch.setattr(
        SchemaBuilder, "warn", lambda self, at, message: (warned.add(tuple(at)), warn(self, at, message))
    )
    job = Job("corpus", source(rel), source(rel).parent, "corpus_pkg")
    try:
        doc = load_spec(job)
        build_api(doc, package="corpus_pkg", spec_name=job.spec.name)
    except SpecError:
        pytest.skip("a document specbind refuses (test_corpus.py pins the error)")
    silent = [
        "/".join(map(str, at))
        for kind, key, at in _keys(doc.data)
        if isinstance(key, str)
        and not key.startswith("x-")
        and key not in unread.READ[kind] | DOCUMENTATION
        and at not in warned
    ]
    assert not silent, f"keys neither read nor warned about: {silent[:10]}"
