"""The value generator of the behaviour test (tests/support/minimal.py) on hard types, as the
generator emits them: each value must be one the generated model itself accepts."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Annotated, Literal

import pytest
from minimal import CannotBuild, minimal, pattern_string
from pydantic import AfterValidator, Field

from specbind.config import Job
from specbind.pipeline import generate

SPEC = """
openapi: 3.1.0
info: {title: hard, version: '1'}
paths: {}
components:
  schemas:
    Account:
      type: object
      required: [sid, tags, pair, next, limits, amount, step, kind]
      properties:
        sid: {type: string, pattern: '^AC[0-9a-fA-F]{32}$', minLength: 34, maxLength: 34}
        tags: {type: array, uniqueItems: true, minItems: 3, maxItems: 4, items: {type: string, enum: [a, b, c, d]}}
        pair: {type: array, prefixItems: [{type: integer}, {type: string}], items: false}
        next: {anyOf: [{$ref: '#/components/schemas/Account'}, {type: 'null'}]}
        limits:
          type: array
          uniqueItems: true
          minItems: 2
          items: {type: integer, minimum: 10, maximum: 40, multipleOf: 5}
        amount: {type: number, exclusiveMinimum: 0.5, maximum: 2}
        step: {type: integer, multipleOf: 7, minimum: -20}
        kind: {$ref: '#/components/schemas/Kind'}
        address: {anyOf: [{$ref: '#/components/schemas/Address'}, {type: string, enum: ['']}]}
    Address:
      type: object
      required: [line1, postal_code]
      properties:
        line1: {type: string, maxLength: 5000}
        postal_code: {type: string, pattern: '\\d{5}(-\\d{4})?'}
    Kind:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: pet}
    Cat:
      type: object
      required: [pet, lives]
      properties: {pet: {const: cat}, lives: {type: integer, minimum: 1, maximum: 9}}
    Dog:
      type: object
      required: [pet]
      properties: {pet: {const: dog}}
    Tree:
      type: object
      required: [children]
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
    AddressOrBlank:
      anyOf: [{$ref: '#/components/schemas/Address'}, {type: string, enum: ['']}]
    Forever:
      type: object
      required: [again]
      properties: {again: {$ref: '#/components/schemas/Forever'}}
"""


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("minimal")
    (root / "spec.yaml").write_text(SPEC)
    result = generate(Job("t", root / "spec.yaml", root / "hard", "hard", (), root, formatter="ruff"))
    (root / "hard").mkdir()
    for rel, text in result.files.items():
        (root / "hard" / rel).parent.mkdir(parents=True, exist_ok=True)  # models/...
        (root / "hard" / rel).write_text(text)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("hard.models")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "hard" or m.startswith("hard.")]:
            del sys.modules[name]


def test_a_twilio_pattern_unique_items_bounds_and_a_tagged_union(models: ModuleType) -> None:
    account = minimal(models.Account)
    assert re.fullmatch(r"AC[0-9a-fA-F]{32}", account.sid)
    assert len(account.tags) == 3 and len(set(account.tags)) == 3
    assert account.limits == [10, 15]
    assert 0.5 < account.amount <= 2 and account.step % 7 == 0 and account.step >= -20
    assert account.kind.pet in ("cat", "dog")
    assert account.next is None  # the recursion ends on the nullable branch
    assert "address" not in account.model_fields_set  # optional: left out
    assert minimal(models.Account) == account  # deterministic


def test_a_union_of_an_object_and_an_empty_literal(models: ModuleType) -> None:
    value = minimal(models.AddressOrBlank)
    assert isinstance(value, models.Address)
    assert re.fullmatch(r"\d{5}(-\d{4})?", value.postal_code)
    assert minimal(Literal[""]) == ""


def test_recursion_through_a_list_stops_at_the_empty_list(models: ModuleType) -> None:
    assert minimal(models.Tree).children == []


def test_a_type_with_no_finite_value_says_so(models: ModuleType) -> None:
    with pytest.raises(CannotBuild, match="nesting deeper"):
        minimal(models.Forever)


def test_annotated_metadata_and_parameters() -> None:
    assert minimal(Annotated[str, Field(min_length=3, max_length=3)]) == "aaa"
    assert minimal(Annotated[list[int], Field(min_length=2, max_length=2)]) == [1, 2]
    assert minimal(Annotated[int, Field(gt=3, lt=10, multiple_of=4)]) == 4
    assert minimal(list[str], parameter=True) == ["a"]
    assert minimal(dict[str, int]) == {}
    assert minimal(tuple[int, str]) == (1, "a")
    assert minimal(int | None) == 1
    with pytest.raises(CannotBuild, match="within"):
        minimal(Annotated[int, Field(gt=3, lt=4)])


def test_patterns_give_distinct_variants_and_refuse_what_cannot_match() -> None:
    first, second = pattern_string("^AC[0-9a-f]{4}$", 0, None, 0), pattern_string("^AC[0-9a-f]{4}$", 0, None, 1)
    assert first != second and all(re.fullmatch("AC[0-9a-f]{4}", s) for s in (first, second))
    with pytest.raises(CannotBuild, match="no string matching"):
        pattern_string("^[a-z]{10}$", 0, 3)
    with pytest.raises(CannotBuild, match="not a Python regex"):
        pattern_string("(", 0, None)


def test_every_value_is_checked_against_its_type() -> None:
    class Odd:
        pass

    def never(value: str) -> str:
        raise ValueError("no string is good enough")

    with pytest.raises(CannotBuild, match="no rule"):
        minimal(Odd)
    with pytest.raises(CannotBuild, match="refuses 'a'.*no string is good enough"):
        minimal(Annotated[str, AfterValidator(never)])
