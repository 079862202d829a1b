"""No string from a spec can break or inject code: names, docs, enum values and defaults
round-trip exactly, and nothing in the spec runs."""

from __future__ import annotations

import importlib
import sys
import typing
from pathlib import Path

import yaml

from specbind.cli import main

NASTY = [
    '"""; import os; os.system("touch PWNED") #',
    "'''",
    "ends with a backslash \\",
    'ends with a quote"',
    "{{ 7 * 7 }} {% for x in y %}",
    "line\u2028separator\u2029paragraph",
    "__import__('os').system('touch PWNED')",
    "tab\tand\x00nul",
]


def _spec() -> dict[str, object]:
    props: dict[str, object] = {}
    for i, text in enumerate(NASTY):
        props[f"p{i}"] = {"type": "string", "default": text, "description": text}
    for name in [
        "class",
        "match",
        "type",
        "model_config",
        "schema",
        "json",
        "copy",
        "validate",
        "dict",
        "2x",
        "a-b",
        "a b",
        "é",
        "_x",
        "str",
        "Field",
    ]:
        props[name] = {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {"title": NASTY[0], "version": NASTY[0]},
        "tags": [{"name": NASTY[0]}],
        "paths": {
            "/items/{item_id}/\"x'": {
                "get": {
                    "operationId": "get'\"item",
                    "tags": [NASTY[0]],
                    "summary": NASTY[0],
                    "description": NASTY[2],
                    "parameters": [
                        {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {
                            "name": 'q"x',
                            "in": "query",
                            "description": NASTY[1],
                            "schema": {"type": "string", "default": NASTY[0]},
                        },
                        {"name": 'X-"Hdr', "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nasty"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Nasty": {"type": "object", "description": NASTY[0], "properties": props},
                "Values": {"type": "string", "enum": NASTY[:-1]},
                "class": {"type": "object", "properties": {"if": {"type": "integer", "default": 1}}},
                "a.b-c": {"type": "object", "properties": {"x": {"type": "string"}}},
            }
        },
    }


def test_nasty_strings_round_trip(tmp_path: Path, monkeypatch: object) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(_spec(), allow_unicode=True))
    out = tmp_path / "nasty_pkg"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    sys.path.insert(0, str(tmp_path))
    try:
        m = importlib.import_module("nasty_pkg.models")
        importlib.import_module("nasty_pkg.client")
        importlib.import_module("nasty_pkg.server")
    finally:
        sys.path.remove(str(tmp_path))
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
    model = m.Nasty
    model.model_rebuild()
    fields = model.model_fields
    wires = {f.alias or name for name, f in fields.items()}
    assert wires == set(_spec()["components"]["schemas"]["Nasty"]["properties"])  # type: ignore[index]
    for i, text in enumerate(NASTY):
        assert fields[f"p{i}"].default == text
    assert model.__doc__ == NASTY[0]
    assert typing.get_args(m.Values) == tuple(NASTY[:-1])
    dumped = model.model_validate({"class": "c", "2x": "d", "a b": "e", "é": "f", "_x": "g"}).model_dump(
        exclude_unset=True
    )
    assert dumped == {"class": "c", "2x": "d", "a b": "e", "é": "f", "_x": "g"}
    assert m.Class.model_validate({"if": 2}).model_dump() == {"if": 2}
    assert m.ABC.model_validate({"x": "1"}).x == "1"
