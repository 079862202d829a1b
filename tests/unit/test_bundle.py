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


# -- DigitalOcean's patterns: strings and maps of names given by reference ---------------------


def test_a_string_given_by_ref_is_inlined_with_a_warning_naming_both_places(tmp_path: Path) -> None:
    (tmp_path / "texts.yaml").write_text("intro: |\n  # Introduction\n\n  Prose.\n")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: {$ref: 'texts.yaml#/intro'}\n"
        "paths: {}\ncomponents:\n  schemas:\n    A: {type: string, title: {$ref: '#/x-t/a'}}\nx-t: {a: Ay}\n"
    )
    result = generate(_job(spec))
    doc = load_spec(_job(spec))
    assert doc.data["info"]["description"] == "# Introduction\n\nProse.\n"
    assert doc.data["components"]["schemas"]["A"]["title"] == "Ay"
    first, second = result.warnings
    assert (first.file, first.line, first.pointer) == ("openapi.yaml", 5, "/info/description/$ref")
    assert "(texts.yaml:1 /intro) is inlined" in first.message
    assert (second.line, second.pointer) == (9, "/components/schemas/A/title/$ref")
    assert "(openapi.yaml:10 /x-t/a)" in second.message


def test_strict_makes_an_inlined_string_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD.replace("version: '1'}", "version: '1', description: {$ref: '#/x-t'}}") + "x-t: prose\n")
    with pytest.raises(SpecError, match="where OpenAPI wants a string"):
        generate(Job("t", spec, tmp_path / "out", "p", (), tmp_path, strict=True))


def test_a_map_of_properties_given_by_ref_is_merged_where_it_stands(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "attributes.yaml").write_text(
        "ids:\n  droplet_ids: {type: array, items: {$ref: '#/Id'}}\n  region: {type: integer, default: nope}\n"
        "Id: {type: integer}\n"
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        HEAD + "components:\n  schemas:\n    Lb:\n      type: object\n      properties:\n"
        "        name: {type: string}\n        $ref: 'models/attributes.yaml#/ids'\n        size: {type: integer}\n"
        "    Pointer:\n      type: object\n      properties:\n        $ref: {type: string}\n"
    )
    doc = load_spec(_job(spec))
    schemas = doc.data["components"]["schemas"]
    assert list(schemas["Lb"]["properties"]) == ["name", "droplet_ids", "region", "size"]
    # refs inside the merged entries are read from the target's file
    assert schemas["Lb"]["properties"]["droplet_ids"]["items"] == {"$ref": "#/components/schemas/Id"}
    assert schemas["Pointer"]["properties"] == {"$ref": {"type": "string"}}  # a property named `$ref`
    # a merged entry remembers where it was written
    [warning] = generate(_job(spec)).warnings
    assert (warning.file, warning.line, warning.pointer) == ("models/attributes.yaml", 3, "/ids/region/default")


def test_a_ref_to_the_wrong_kind_of_object_names_both_places(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{$ref: '#/components/schemas/Limit'}]\n"
        "      responses: {'200': {$ref: '#/components/parameters/P'}}\n"
        "components:\n  schemas:\n    Limit: {type: integer}\n    Text: {$ref: '#/x-t'}\n"
        "  parameters:\n    P: {name: p, in: query}\nx-t: [a, list]\n"
    )
    with pytest.raises(SpecError) as err:
        generate(_job(spec))
    got = [(p.line, p.pointer, p.message) for p in err.value.problems]
    assert got == [
        (
            6,
            "/paths/~1a/get/parameters/0/$ref",
            (
                "$ref '#/components/schemas/Limit' points at a schema (openapi.yaml:10 /components/schemas/Limit), "
                "where a parameter is expected"
            ),
        ),
        (
            7,
            "/paths/~1a/get/responses/200/$ref",
            (
                "$ref '#/components/parameters/P' points at a parameter (openapi.yaml:13 /components/parameters/P), "
                "where a response is expected"
            ),
        ),
        (
            11,
            "/components/schemas/Text/$ref",
            "$ref '#/x-t' points at a list (openapi.yaml:14 /x-t), where a schema is expected",
        ),
    ]


def test_operations_given_by_ref_are_copied_in_place(tmp_path: Path) -> None:
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "list.yaml").write_text(
        "operationId: things_list\nresponses:\n  '200': {$ref: 'responses.yaml#/all'}\n"
    )
    (tmp_path / "ops" / "responses.yaml").write_text(
        "all:\n  description: all\n  content:\n    application/json:\n      schema: {type: array, items: {type: string}}\n"
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(HEAD.replace("paths: {}\n", "paths:\n  /things:\n    get: {$ref: 'ops/list.yaml'}\n"))
    result = generate(_job(spec))
    assert [op.operation_id for op in result.api.operations] == ["things_list"]
    assert list(load_spec(_job(spec)).data["components"]) == ["responses"]  # a response, not a schema


# -- `$self` (OpenAPI 3.2): the base URI of references, never fetched ---------------------------
HEAD_32 = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def test_self_names_this_folder_so_its_urls_are_read_here(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "B: {type: object, properties: {a: {$ref: 'https://x.example/api/api.yaml#/components/schemas/A'}}}\n"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "$self: https://x.example/api/api.yaml\n" + HEAD_32 + "components:\n  schemas:\n"
        "    A: {type: string}\n    B: {$ref: 'https://x.example/api/b.yaml#/B'}\n"
        "    C: {$ref: 'https://x.example/api/api.yaml#/components/schemas/A'}\n    D: {$ref: 'api.yaml#/components/schemas/A'}\n"
    )
    doc = load_spec(_job(spec))
    schemas = doc.data["components"]["schemas"]
    assert schemas["B"]["properties"]["a"] == {"$ref": "#/components/schemas/A"}  # in b.yaml, by the root's URI
    assert schemas["C"] == schemas["D"] == {"$ref": "#/components/schemas/A"}  # this document, by its `$self`
    assert [name for name, _ in doc.includes] == ["b.yaml"] and not doc.warnings


def test_a_url_outside_the_self_folder_is_still_refused(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "$self: https://x.example/api/api.yaml\n" + HEAD_32 + "components:\n  schemas:\n"
        "    A: {$ref: 'https://x.example/other/a.yaml#/A'}\n"
    )
    with pytest.raises(SpecError, match="remote \\$ref .* refused: specbind never fetches anything"):
        generate(_job(spec))


@pytest.mark.parametrize(
    ("head", "self_", "why"),
    [
        (HEAD_32, "../elsewhere/api.yaml", "names another folder than the spec's"),
        (HEAD_32, "sub/api.yaml", "names another folder than the spec's"),
        (HEAD_32, "api.yaml#frag", "holds a fragment"),
        (HEAD, "https://x.example/api/api.yaml", "`$self` is OpenAPI 3.2, and this document is 3.1.0"),
    ],
)
def test_a_self_not_honoured_is_a_located_warning(tmp_path: Path, head: str, self_: str, why: str) -> None:
    (tmp_path / "b.yaml").write_text("B: {type: string}\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"$self: '{self_}'\n" + head + "components:\n  schemas:\n    A: {items: {$ref: 'b.yaml#/B'}}\n")
    doc = load_spec(_job(spec))
    assert doc.data["components"]["schemas"]["A"]["items"] == {"$ref": "#/components/schemas/B"}  # against the file
    (warning,) = doc.warnings
    assert (warning.line, warning.pointer) == (1, "/$self") and why in warning.message
    assert "references resolve against the file" in warning.message
