"""The normalize phase: every OpenAPI version's schemas as JSON Schema 2020-12, each with its
original location; references followed; operations of every method in one list."""

from __future__ import annotations

import textwrap
from typing import Any

from specbind.build import build_api
from specbind.errors import Diagnostics
from specbind.load import load_bytes
from specbind.normalize import Normalized, normalize

S = ("components", "schemas")


def _norm(text: str) -> Normalized:
    return normalize(load_bytes("spec.yaml", textwrap.dedent(text).encode()))


def _schemas(body: str, version: str = "3.0.3") -> Normalized:
    return _norm(f"openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n" + body)


def test_nullable_becomes_null_in_the_type_the_branches_or_the_enum() -> None:
    n = _schemas("""
    A: {type: string, nullable: true}
    B: {type: [string, integer], nullable: true}
    C: {oneOf: [{type: string}, {type: integer}], nullable: true}
    D: {type: string, enum: [a, b], nullable: true}
    E: {const: x, nullable: true}
    F: {type: string, nullable: false}
    G: {description: anything, nullable: true}
    """)
    got = n.component_schemas
    assert got["A"] == {"type": ["string", "null"]}
    assert got["B"] == {"type": ["string", "integer", "null"]}
    assert got["C"] == {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    assert got["D"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert got["E"] == {"enum": ["x", None]}
    assert got["F"] == {"type": "string"}
    assert got["G"] == {"description": "anything"}  # accepts null already


def test_nullable_ref_or_allof_is_wrapped_and_the_wrapped_schema_keeps_its_location() -> None:
    n = _schemas("""
    X: {type: object}
    H:
      type: object
      properties:
        r: {$ref: '#/components/schemas/X', nullable: true, description: d, default: null, readOnly: true}
        a: {allOf: [{$ref: '#/components/schemas/X'}], nullable: true}
    """)
    props = n.component_schemas["H"]["properties"]
    r = props["r"]
    assert r == {
        "description": "d",
        "default": None,
        "readOnly": True,
        "anyOf": [{"$ref": "#/components/schemas/X", "description": "d"}, {"type": "null"}],
    }
    at = S + ("H", "properties", "r")
    assert n.at(r, ()) == () and n.at(r["anyOf"][0], ()) == at  # the wrapped one came from there
    assert n.schemas[at] is r
    assert n.position[id(r["anyOf"][0])] == at + ("anyOf", 0)  # where it sits now
    assert props["a"]["anyOf"][0] == {"allOf": [{"$ref": "#/components/schemas/X"}]}
    assert n.at(props["a"]["anyOf"][0]["allOf"][0], ()) == S + ("H", "properties", "a", "allOf", 0)


def test_boolean_exclusive_bounds_become_numbers() -> None:
    n = _schemas("""
    A: {type: integer, minimum: 0, maximum: 9, exclusiveMinimum: true, exclusiveMaximum: false}
    B: {type: integer, exclusiveMinimum: true}
    """)
    assert n.component_schemas["A"] == {"type": "integer", "minimum": 0, "maximum": 9, "exclusiveMinimum": 0}
    assert n.component_schemas["B"] == {"type": "integer"}


def test_recursive_ref_names_its_component_and_tuple_items_become_prefix_items() -> None:
    n = _schemas(
        """
    Tree:
      $recursiveAnchor: true
      type: object
      properties:
        kids: {type: array, items: {$recursiveRef: '#'}}
        pair:
          type: array
          items: [{type: string}, {type: integer}]
          additionalItems: false
          example: [a, 1]
    """,
        "3.1.0",
    )
    tree = n.component_schemas["Tree"]
    assert "$recursiveAnchor" not in tree
    kids = tree["properties"]["kids"]["items"]
    assert kids == {"$ref": "#/components/schemas/Tree"}
    assert n.ref(kids["$ref"]) == (S + ("Tree",), tree)
    pair = tree["properties"]["pair"]
    assert pair == {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer"}],
        "items": False,
        "examples": [["a", 1]],
    }
    at = S + ("Tree", "properties", "pair")
    assert n.at(pair["prefixItems"], ()) == at + ("items",)
    assert n.at(pair["prefixItems"][1], ()) == at + ("items", 1)
    assert n.schemas[at + ("items", 1)] is pair["prefixItems"][1]


def test_every_schema_by_location_and_refs_by_lookup() -> None:
    n = _schemas("""
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/C/properties/c'}
    C: {type: object, properties: {c: {type: integer}}}
    """)
    c = n.schemas[S + ("C", "properties", "c")]
    assert c == {"type": "integer"}
    assert n.deref(n.component_schemas["A"]) is c
    assert n.ref("#/components/schemas/nowhere") is None


def test_an_object_reached_twice_stays_one_object() -> None:
    n = _schemas("""
    A: {type: object, properties: {x: &shared {type: string, nullable: true}, y: *shared}}
    """)
    props = n.component_schemas["A"]["properties"]
    assert props["x"] is props["y"] and props["x"] == {"type": ["string", "null"]}


SPEC_32 = """
openapi: 3.2.0
info: {title: t, version: '1'}
paths:
  /a/{id}/{b}:
    $ref: '#/components/pathItems/A'
  /q:
    query:
      operationId: q
      responses:
        '200':
          description: ok
          content:
            application/jsonl:
              itemSchema: {type: integer, nullable: true}
    additionalOperations:
      COPY: {operationId: copy}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  pathItems:
    A:
      parameters:
        - {$ref: '#/components/parameters/Id'}
        - {name: n, in: query, schema: {type: string}}
      get:
        operationId: get
        parameters:
          - {name: n, in: query, schema: {type: integer}, explode: false}
          - {name: h, in: header, schema: {type: string}}
          - {name: Content-Type, in: header, schema: {type: string}}
"""


def test_operations_of_every_method_with_their_parameters_merged() -> None:
    n = _norm(SPEC_32)
    ops = [(o.path, o.method, o.at) for o in n.operations]
    assert ops == [
        ("/a/{id}/{b}", "get", ("components", "pathItems", "A", "get")),
        ("/q", "query", ("paths", "/q", "query")),
        ("/q", "COPY", ("paths", "/q", "additionalOperations", "COPY")),
    ]
    get = n.operations[0]
    assert [(p.name, p.location, p.at) for p in get.declared] == [
        ("id", "path", ("components", "pathItems", "A", "parameters", 0)),  # where the $ref is
        ("n", "query", ("components", "pathItems", "A", "parameters", 1)),
        ("n", "query", ("components", "pathItems", "A", "get", "parameters", 0)),
        ("h", "header", ("components", "pathItems", "A", "get", "parameters", 1)),
        ("Content-Type", "header", ("components", "pathItems", "A", "get", "parameters", 2)),
    ]
    merged: dict[str, Any] = {p.name: p for p in get.params}
    assert list(merged) == ["id", "n", "h", "b"]  # the operation's `n` won; Content-Type ignored
    assert merged["n"].spec["schema"] == {"type": "integer"}
    assert (merged["n"].spec["style"], merged["n"].spec["explode"]) == ("form", False)
    assert (merged["h"].spec["style"], merged["h"].spec["explode"]) == ("simple", False)
    assert (merged["id"].spec["style"], merged["id"].spec["explode"]) == ("simple", False)
    assert not merged["b"].declared and merged["b"].at == ("paths", "/a/{id}/{b}")
    media = n.operations[1].spec["responses"]["200"]["content"]["application/jsonl"]
    assert media["itemSchema"] == {"type": ["integer", "null"]}


def test_query_and_additional_methods_are_built_with_their_item_schema() -> None:
    diagnostics = Diagnostics()
    doc = load_bytes("spec.yaml", textwrap.dedent(SPEC_32).encode())
    api = build_api(doc, package="p", spec_name="spec.yaml", diagnostics=diagnostics)
    by_id = {op.operation_id: op for op in api.operations}
    assert [(i, by_id[i].method) for i in by_id] == [("get", "GET"), ("q", "QUERY"), ("copy", "COPY")]
    q = by_id["q"]
    assert q.response_kind == "stream" and q.stream is not None
    assert (q.stream.format, q.stream.media, q.stream.item) == ("jsonl", "application/jsonl", "int | None")
    assert by_id["copy"].response_kind == "none"
    assert not [w for w in diagnostics.warnings if "operation" in w.message]
