"""The loader's line index (load.LineIndex) gives every location the line that parsing the text
again as a node graph gives (what line numbers came from before the index): over every YAML
document of the corpus and the whole OpenAI document, for every object and name map, each of
their keys, and a location below a key that does not exist; and on documents with aliases,
non-string keys, lists and a changed copy of the data."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from specbind.load import Document, load_bytes, load_file
from specbind.places import walk_places

SHARED = Path(__file__).resolve().parents[3] / "shared"
DOCUMENTS = sorted(
    p
    for p in [
        *(SHARED / "corpus").rglob("*.yaml"),
        *(SHARED / "corpus").rglob("*.yml"),
        *(SHARED / "upstream").glob("openai-*.yaml"),
    ]
)


def _composed(doc: Document) -> Document:
    """The same text, its lines found by parsing it again (no index)."""
    return Document(doc.path, doc.text, doc.data, doc.sha256)


def _locations(data: object) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = [()]
    for at, _, mapping in walk_places(data):
        out += [(*at, key) for key in mapping]
        out.append((*at, "no-such-key", "below"))
    return out


@pytest.mark.skipif(not DOCUMENTS, reason="../shared is absent")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_index_agrees_with_the_node_graph(path: Path) -> None:
    doc = load_file(path)
    assert doc.lines is not None
    again = _composed(doc)
    locations = _locations(doc.data)
    step = max(1, len(locations) // 4000)  # the whole OpenAI document: every 7th or so
    differ = [
        (at, doc.line_of(at), again.line_of(at)) for at in locations[::step] if doc.line_of(at) != again.line_of(at)
    ]
    assert not differ, differ[:5]


SMALL = b"""\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - &p
          name: x
          in: query
        - *p
      responses:
        200:
          description: ok
        '404':
          description: no
components:
  schemas:
    A:
      enum: [1, 2,
        3]
    true: {type: string}
"""


def test_aliases_keys_and_lists() -> None:
    doc = load_bytes("spec.yaml", SMALL)
    again = _composed(doc)
    for at in [
        (),
        ("paths", "/a", "get", "parameters", 1, "name"),  # through an alias: the anchor's line
        ("paths", "/a", "get", "parameters", "1", "in"),
        ("paths", "/a", "get", "responses", "200", "description"),  # a key YAML loads as an int
        ("paths", "/a", "get", "responses", 200),
        ("paths", "/a", "get", "responses", "404"),
        ("components", "schemas", "A", "enum", 2),
        ("components", "schemas", "A", "enum", 9),
        ("components", "schemas", "nope", "type"),
    ]:
        assert doc.line_of(at) == again.line_of(at), at
    assert doc.line_of(("paths", "/a", "get", "parameters", 1, "name")) == 8
    assert doc.line_of(("components", "schemas", "A", "enum", 2)) == 20


def test_a_changed_copy_keeps_the_lines_of_what_was_loaded() -> None:
    doc = load_bytes("spec.yaml", SMALL)
    data = copy.deepcopy(doc.data)
    data["components"]["schemas"]["B"] = {"type": "integer"}  # what bundling or an overlay adds
    changed = Document(doc.path, doc.text, data, doc.sha256, lines=doc.lines)
    assert changed.line_of(("components", "schemas", "A", "enum")) == 19
    assert changed.line_of(("components", "schemas", "B", "type")) == 18  # `schemas:`, as before


def test_json_text_still_has_lines() -> None:
    doc = load_bytes("spec.json", b'{"openapi": "3.1.0",\n "info": {"title": "t",\n  "version": "1"}, "paths": {}}')
    assert doc.lines is None
    assert doc.line_of(("info", "version")) == 3
