"""Defaults are validated against the resolved schema (jsonschema): valid ones are kept,
invalid ones are one located warning each and left out of the model."""

from __future__ import annotations

import textwrap

import pytest

from specbind.build import build_api
from specbind.defaults import DefaultChecker
from specbind.errors import Diagnostics, SpecError
from specbind.load import load_bytes
from specbind.normalize import normalize

SPEC_31 = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Voice:
      anyOf:
        - type: string
        - type: string
          enum: [alloy, ash]
    Mode:
      oneOf:
        - {type: string, enum: [fast]}
        - {type: integer, minimum: 1}
    Base: {type: object, properties: {a: {type: integer}}, required: [a]}
    Holder:
      type: object
      properties:
        voice: {$ref: '#/components/schemas/Voice', default: alloy}
        mode: {$ref: '#/components/schemas/Mode', default: 3}
        both:
          allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {b: {type: string}}}]
          default: {a: 1, b: x}
        maybe: {type: [string, 'null'], default: null}
        legacy_null: {type: string, nullable: true, default: null}
        anything: {default: [1, 2]}
        bad_list: {type: array, items: {type: string}, default: eval}
        bad_mode: {$ref: '#/components/schemas/Mode', default: 0}
        bad_both:
          allOf: [{$ref: '#/components/schemas/Base'}]
          default: {b: x}
        bad_null: {type: object, default: null}
"""


def _build(text: str) -> tuple[str, list[str]]:
    doc = load_bytes("spec.yaml", textwrap.dedent(text).encode())
    diagnostics = Diagnostics()
    api = build_api(doc, package="p", spec_name="spec.yaml", diagnostics=diagnostics)
    holder = next(d for d in api.definitions if d.name == "Holder")
    fields = "\n".join(f"{f.name}{f.assignment}" for f in holder.fields)  # type: ignore[union-attr]
    return fields, [str(w) for w in diagnostics.warnings]


def test_valid_defaults_are_kept_through_ref_anyof_oneof_allof() -> None:
    fields, _ = _build(SPEC_31)
    # list and dict defaults go through Field(default=...): ruff's RUF012, and pydantic copies them
    for kept in (
        "voice = 'alloy'",
        "mode = 3",
        "both = Field(default={'a': 1, 'b': 'x'})",
        "maybe = None",
        "legacy_null = None",
        "anything = Field(default=[1, 2])",
    ):
        assert kept in fields, fields


def test_invalid_defaults_warn_once_each_located_and_are_left_out() -> None:
    fields, warnings = _build(SPEC_31)
    assert [w.split(": ")[3] for w in warnings] == [
        "/components/schemas/Holder/properties/bad_list/default",
        "/components/schemas/Holder/properties/bad_mode/default",
        "/components/schemas/Holder/properties/bad_both/default",
        "/components/schemas/Holder/properties/bad_null/default",
    ]
    assert all(w.startswith("specbind: warning: spec.yaml:") for w in warnings)
    assert "'eval' is not of type 'array'" in warnings[0]
    assert "`default: null` on a property that does not accept null" in warnings[3]
    for name in ("bad_list", "bad_mode", "bad_both", "bad_null"):
        assert f"{name} = None" in fields, fields  # optional, the bad default dropped


def test_strict_turns_default_warnings_into_errors() -> None:
    doc = load_bytes("spec.yaml", textwrap.dedent(SPEC_31).encode())
    with pytest.raises(SpecError) as err:
        build_api(doc, package="p", spec_name="spec.yaml", diagnostics=Diagnostics(strict=True))
    assert len(err.value.problems) == 4
    assert all(p.severity == "error" for p in err.value.problems)


def test_openapi_30_nullable_and_ref_siblings() -> None:
    doc = load_bytes(
        "s.yaml",
        textwrap.dedent("""
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            N: {type: integer, minimum: 0, exclusiveMinimum: true}
            A:
              type: object
              properties:
                n: {type: integer, nullable: true, default: null}
                e: {type: string, enum: [a, b], nullable: true, default: null}
                r: {$ref: '#/components/schemas/N', default: 1}
                zero: {$ref: '#/components/schemas/N', default: 0}
    """).encode(),
    )
    n = normalize(doc)  # 2020-12: `nullable` as type lists, exclusiveMinimum as a number
    checker = DefaultChecker(n)
    props = n.component_schemas["A"]["properties"]

    def problem(name: str, value: object) -> str | None:
        return checker.problem(props[name], value, ("components", "schemas", "A", "properties", name))

    assert problem("n", None) is None
    assert problem("e", None) is None
    assert problem("e", "c") is not None
    assert problem("r", 1) is None
    assert problem("zero", 0) is not None  # 3.0's boolean exclusiveMinimum, through the $ref


def test_unresolvable_or_remote_refs_are_never_fetched_and_never_flagged() -> None:
    doc = load_bytes("s.yaml", b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    checker = DefaultChecker(normalize(doc))
    assert checker.problem({"$ref": "https://example.invalid/schema.json"}, 1) is None
    assert checker.problem({"$ref": "#/nowhere"}, 1) is None
