"""The union strategies case, generated and imported: every route of every strategy."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest
from paths import REPO
from pydantic import TypeAdapter, ValidationError

from specbind.cli import main


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("unions")
    spec = REPO / "tests" / "cases" / "union_strategies" / "spec.yaml"
    assert main(["generate", "--spec", str(spec), "--out", str(root / "union_case")]) == 0
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("union_case.models")
    finally:
        sys.path.remove(str(root))


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"kind": "cat", "lives": 9}, "Cat"),  # nested Pet, flattened
        ({"kind": "note", "text": "hi"}, "Note"),  # shared tag, fewer keys
        ({"kind": "note", "text": "hi", "to": "bob"}, "Letter"),  # shared tag, more specific first
        ({"kind": "note", "text": "hi", "stamp": "s"}, "Postcard"),  # checks like Note; only it declares `stamp`
        ({"kind": "note", "text": "hi", "to": "bob", "stamp": "s"}, "Letter"),  # one key each: more specific
        ({"text": "untagged"}, "Note"),  # missing tag: the candidate whose checks pass
        ({"id": "r1"}, "Ref"),  # missing tag, nothing else matches: the last candidate
        ({"kind": None, "id": "r2"}, "Ref"),  # null tag
        ({"kind": "ref", "id": "r3"}, "Ref"),
        ({"kind": "hamster", "wheel": True}, "UnknownPaper"),
    ],
)
def test_paper_routes(models: Any, payload: dict[str, Any], expected: str) -> None:
    item = TypeAdapter(models.Paper).validate_python(payload)
    assert type(item).__name__ == expected
    assert item.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload


def test_tagged_union_and_its_fallback(models: Any) -> None:
    pet = TypeAdapter(models.Pet)
    assert type(pet.validate_python({"kind": "dog"})).__name__ == "Dog"
    assert type(pet.validate_python({"kind": "axolotl", "gills": 6})).__name__ == "UnknownPet"
    with pytest.raises(ValidationError):
        pet.validate_python({"kind": "cat", "lives": 10})  # known tag, bad field: not Unknown
    with pytest.raises(ValidationError):
        TypeAdapter(models.Paper).validate_python({"kind": "cat", "lives": -1})
    assert type(TypeAdapter(models.Inferred).validate_python({"kind": "cat", "lives": 1})).__name__ == "Cat"


def test_a_tag_named_unlike_its_field(models: Any) -> None:
    shape = TypeAdapter(list[models.Shape])
    assert [
        type(s).__name__
        for s in shape.validate_json('[{"shape-kind": "square", "side": 1}, {"shape-kind": "hexagon"}]')
    ] == ["Square", "UnknownShape"]
    with pytest.raises(ValidationError) as bad:
        shape.validate_python([{"shape-kind": "circle"}])
    assert [e["loc"][-1] for e in bad.value.errors()] == ["radius"]


def test_plain_union_prefers_exact_types(models: Any) -> None:
    scalar = TypeAdapter(models.Scalar)
    assert scalar.validate_python("7") == "7" and scalar.validate_python(7) == 7
    assert type(scalar.validate_python({"kind": "cat", "lives": 1})).__name__ == "Cat"


def test_failing_payload_shows_the_closest_candidates_errors(models: Any) -> None:
    """No candidate passes: the errors are those of the candidate the payload is closest to,
    not the last one's (here Ref's `id: Field required`)."""
    paper = TypeAdapter(models.Paper)
    with pytest.raises(ValidationError) as untagged:
        paper.validate_python({"text": 5})
    assert [e["loc"][-1] for e in untagged.value.errors()] == ["text"]
    with pytest.raises(ValidationError) as letter:
        paper.validate_python({"kind": "note", "text": 5, "to": "bob"})  # a Letter (has `to`) with a bad text
    assert [(e["loc"][-2], e["loc"][-1]) for e in letter.value.errors()] == [("Letter", "text")]


@pytest.mark.parametrize(
    ("union", "payload", "where"),
    [
        ("Pet", {"kind": "cat", "lives": 10}, "lives"),  # known tag: not also "not an UnknownPet"
        ("Paper", {"kind": "cat", "lives": 10}, "lives"),  # owned tag, native
        ("Paper", {"kind": "note", "text": 5, "to": "bob"}, "text"),  # shared tag, chosen in Python
        ("Paper", {"text": 5}, "text"),  # missing tag: not also "unable to extract tag"
        ("Paper", {"kind": None}, "id"),  # null tag
        ("Paper", {"kind": 5, "text": "hi"}, None),  # a tag of the wrong type: the tag's error alone
        ("Paper", "not an object", None),
    ],
)
def test_a_bad_item_is_reported_once(models: Any, union: str, payload: Any, where: str | None) -> None:
    for validate in (TypeAdapter(list[getattr(models, union)]).validate_python, _from_json(union, models)):
        with pytest.raises(ValidationError) as bad:
            validate([payload])
        errors = bad.value.errors()
        assert len(errors) == 1, errors
        assert errors[0]["loc"][0] == 0 and (where is None or errors[0]["loc"][-1] == where), errors


def _from_json(union: str, models: Any) -> Any:
    adapter = TypeAdapter(list[getattr(models, union)])
    return lambda value: adapter.validate_json(json.dumps(value))
