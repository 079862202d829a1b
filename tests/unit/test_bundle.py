"""Multi-file documents: what is followed, what is refused unread, where errors point, and
that `check` sees an edit to a referenced file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import REPO

from specbind.cli import main
from specbind.config import Job
from specbind.errors import SpecError
from specbind.pipeline import generate, load_spec

CASE = REPO / "tests" / "cases" / "external_refs"
HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def _job(spec: Path) -> Job:
    return Job("t", spec, spec.parent / "out", "p", (), spec.parent)


def test_bundles_every_file_once_with_its_origin(tmp_path: Path) -> None:
    shutil.copytree(CASE, tmp_path / "c", ignore=shutil.ignore_patterns("expected"))
    doc = load_spec(_job(tmp_path / "c" / "spec.yaml"))
    schemas = doc.data["components"]["schemas"]
    # root names first, then bundled ones in the order they were first referenced
    assert list(schemas) == [
        "Feedback",
        "Tag",
        "Labelled",
        "FeedbackItemCreate",
        "common_Tag",
        "author",
        "FeedbackItemBase",
    ]
    assert [name for name, _ in doc.includes] == ["common.yaml", "schemas/author.yaml", "schemas/feedback.yaml"]
    assert schemas["FeedbackItemBase"]["properties"]["written_by"] == {"$ref": "#/components/schemas/author"}
    assert schemas["author"]["properties"]["reports_to"] == {"$ref": "#/components/schemas/author"}
    file, line, pointer = doc.locate(("components", "schemas", "FeedbackItemBase", "properties", "id"))
    assert (file, line, pointer) == ("schemas/feedback.yaml", 4, "/FeedbackItemBase/properties/id")


def test_a_symlink_out_of_the_folder_is_refused_unread(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("X: {type: string}\n")
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "link.yaml").symlink_to(outside)
    spec = spec_dir / "openapi.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    A: {$ref: './link.yaml#/X'}\n")
    with pytest.raises(SpecError, match="leaves the spec's folder"):
        load_spec(_job(spec))


def test_a_url_inside_a_second_file_is_refused_there(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "B:\n  type: object\n  properties:\n    x: {$ref: 'https://example.invalid/x.yaml'}\n"
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    A: {$ref: './b.yaml#/B'}\n")
    with pytest.raises(SpecError) as err:
        generate(_job(spec))
    [problem] = err.value.problems
    assert (problem.file.endswith("b.yaml"), problem.line, problem.pointer) == (True, 4, "/B/properties/x/$ref")
    assert "remote $ref" in problem.message


def test_a_dangling_pointer_into_a_second_file(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("B: {type: string}\n")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD + "components:\n  schemas:\n    A: {$ref: './b.yaml#/Nope'}\n")
    with pytest.raises(SpecError, match="dangling \\$ref './b.yaml#/Nope': no such location in"):
        load_spec(_job(spec))


def test_check_sees_an_edit_to_a_referenced_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CASE, tmp_path / "c", ignore=shutil.ignore_patterns("expected"))
    monkeypatch.chdir(tmp_path)
    args = ["--spec", "c/spec.yaml", "--out", "gen/p", "--package", "p"]
    assert main(["generate", *args]) == 0
    assert main(["check", *args]) == 0
    author = tmp_path / "c" / "schemas" / "author.yaml"
    author.write_text(author.read_text() + "  email: {type: string}\n")
    capsys.readouterr()
    assert main(["check", *args]) == 1
    out = capsys.readouterr().out
    assert "a file the spec refers to changed" in out
    assert "email" in out


def test_path_items_parameters_and_responses_from_other_files(tmp_path: Path) -> None:
    (tmp_path / "paths").mkdir()
    (tmp_path / "openapi.yaml").write_text(
        HEAD.replace("paths: {}\n", "paths:\n  /items:\n    $ref: './paths/items.yaml'\n")
    )
    (tmp_path / "paths" / "items.yaml").write_text(
        "get:\n  operationId: listItems\n  parameters:\n    - $ref: '../common.yaml#/Limit'\n"
        "  responses:\n    '200': {$ref: '../common.yaml#/ItemPage'}\n"
    )
    (tmp_path / "common.yaml").write_text(
        "Limit: {name: limit, in: query, schema: {type: integer, default: 20}}\n"
        "ItemPage:\n  description: a page\n  content:\n    application/json:\n"
        "      schema: {type: array, items: {$ref: '#/Item'}}\n"
        "Item: {type: object, properties: {id: {type: string}, size: {type: integer, default: big}}}\n"
    )
    job = _job(tmp_path / "openapi.yaml")
    doc = load_spec(job)
    components = doc.data["components"]
    # Each where it belongs: only the schema becomes a model.
    assert (list(components["schemas"]), list(components["parameters"]), list(components["responses"])) == (
        ["Item"],
        ["Limit"],
        ["ItemPage"],
    )
    assert doc.data["paths"]["/items"]["get"]["operationId"] == "listItems"  # the path item is inlined
    result = generate(job)
    assert [op.operation_id for op in result.api.operations] == ["listItems"]
    assert [p.wire for p in result.api.operations[0].params] == ["limit"]
    assert [d.name for d in result.api.definitions] == ["Item"]
    # A warning inside a bundled file names that file, its line and its own pointer.
    [warning] = result.warnings
    assert (warning.file, warning.line, warning.pointer) == ("common.yaml", 7, "/Item/properties/size/default")
    # and an error inside the inlined path item names the path item's file.
    (tmp_path / "paths" / "items.yaml").write_text(
        "get:\n  operationId: listItems\n  parameters: [{$ref: '#/nope'}]\n  responses: {}\n"
    )
    with pytest.raises(SpecError) as err:
        load_spec(job)
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.pointer) == ("paths/items.yaml", 3, "/get/parameters/0/$ref")
