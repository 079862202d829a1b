"""The smaller OpenAPI 3.2 features (tests/cases/openapi_32_features): the `cookie` style on the
wire, the discriminator's `defaultMapping`, tag `summary`/`parent`/`kind` in the IR, a
deprecated security scheme and the device authorization flow, example `dataValue`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from case_packages import CASES, Recorder, load_case, wire
from pydantic import TypeAdapter

from specbind import ir
from specbind.build import build_api
from specbind.config import Job
from specbind.load import load_file
from specbind.pipeline import generate
from specbind.write import write_tree

Case = tuple[dict[str, Any], list[str]]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return load_case("openapi_32_features", tmp_path_factory.mktemp("features32"))


def test_cookie_style_is_sent_and_read_back_as_it_is(case: Case) -> None:
    pkg, _ = case
    m = pkg["models"]
    service = Recorder({"list_toys": []})
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, device="t")
    color = m.Color(r=1, g=2)
    client.pets.toys.list("p1", session="a%20b", ids=[1, 2], tags=["x", "y"], color=color, plain="a b")
    # style: cookie never percent-encodes (the caller escaped `a%20b`); form style still does.
    assert seen[-1].headers["cookie"] == "session=a%20b; ids=1; ids=2; tags=x,y; r=1; g=2; plain=a%20b"
    _, args, kwargs = service.calls[-1]
    assert args == ("p1",)
    assert kwargs == {"session": "a%20b", "ids": [1, 2], "tags": ["x", "y"], "color": color, "plain": "a b"}


def test_a_cookie_style_value_that_would_break_the_header_is_refused(case: Case) -> None:
    pkg, _ = case
    http, seen = wire(pkg["server"].create_app(Recorder({"list_toys": []})))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, device="t")
    for bad in ("a;b", "a\r\nx-injected: 1"):
        with pytest.raises(ValueError, match="escape it first"):
            client.pets.toys.list("p1", session=bad)
    assert not seen, "nothing was sent"


def test_default_mapping_takes_a_missing_or_unknown_tag(case: Case) -> None:
    pkg, warnings = case
    m = pkg["models"]
    shape = TypeAdapter(m.Shape)
    assert type(shape.validate_python({"shape": "circle", "radius": 1})) is m.Circle
    assert type(shape.validate_json('{"shape": "square", "side": 2}')) is m.Square
    for raw in ({"points": 3}, {"shape": "triangle", "points": 3}):
        chosen = shape.validate_python(raw)
        assert type(chosen) is m.Blob and chosen.points == 3  # not UnknownShape
        assert type(shape.validate_json(m.Blob.model_validate(raw).model_dump_json(exclude_unset=True))) is m.Blob
    # A defaultMapping naming no variant is a located warning; the unknown tag is kept as before.
    assert type(TypeAdapter(m.Drawing).validate_python({"shape": "triangle"})) is m.UnknownDrawing
    assert any("/components/schemas/Drawing/discriminator/defaultMapping" in w for w in warnings)


def test_default_mapping_through_the_server(case: Case) -> None:
    pkg, _ = case
    m = pkg["models"]
    service = Recorder({"draw": m.Circle(shape="circle", radius=1)})
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, device="t")
    client.pets.drawing(body={"points": 5})
    _, (body,), _ = service.calls[-1]
    assert seen[-1].content == b'{"points":5}'
    assert type(body) is m.Blob and body.points == 5


def test_a_deprecated_scheme_still_works_and_says_so(case: Case) -> None:
    pkg, _ = case
    http, seen = wire(pkg["server"].create_app(Recorder({"list_orphans": None})))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http, legacy_key="k")
    client.orphans.list()
    assert seen[-1].headers["x-legacy-key"] == "k"
    doc = pkg["client"].Client.__doc__
    assert "(legacyKey, deprecated)" in doc
    assert "OAuth 2 deviceAuthorization at https://auth.example.com/device" in doc


def test_tags_keep_summary_parent_and_kind() -> None:
    api = build_api(load_file(CASES / "openapi_32_features" / "spec.yaml"), package="case", spec_name="spec")
    assert api.tags == (
        ir.Tag("Pets", "Pets and their things", "Everything about pets.", None, "nav"),
        ir.Tag("Toys", "A pet's toys", None, "Pets", "nav"),
        ir.Tag("Orphans"),  # its parent names no tag: a warning (below), no parent
        ir.Tag("Badged", kind="badge"),  # a summary that is no string: a warning, left out
        ir.Tag("Chicken", parent="Egg"),
        ir.Tag("Egg", parent="Chicken"),  # a loop: the layout cuts it (a warning, below)
    )
    security = {s.name: s for s in api.securities}
    assert security["legacyKey"].deprecated and not security["device"].deprecated
    assert security["device"].flows == (("deviceAuthorization", "https://auth.example.com/device"),)


def test_warnings_are_located_and_none_is_about_examples(case: Case) -> None:
    _, warnings = case
    assert any("/tags/2/parent" in w and "'Nobody' is not the name of a tag" in w for w in warnings)
    assert any("/tags/3/summary" in w for w in warnings)
    assert any("/paths/~1eggs/get/tags/0" in w and "chain loops at 'Egg'" in w for w in warnings)
    assert not any("example" in w.lower() or "dataValue" in w for w in warnings)


@pytest.mark.parametrize("name", ["openapi_32_features", "self_base_uri"])
def test_the_whole_package_passes_mypy_strict_and_ruff(name: str, tmp_path: Path) -> None:
    result = generate(Job(name, CASES / name / "spec.yaml", tmp_path / "pkg", "pkg", (), CASES / name))
    write_tree(tmp_path / "pkg", result.files)
    for tool in (["mypy", "--strict", "--no-incremental"], ["ruff", "check", "--isolated", "--no-cache"]):
        proc = subprocess.run(
            [sys.executable, "-m", *tool, "pkg"], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
