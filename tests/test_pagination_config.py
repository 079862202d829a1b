"""Bad pagination configuration: a name the operation does not have is one located error line
(exit 2, nothing written), in pyproject.toml or in the document's extension; a rule that
matches nothing is a warning; a changed configuration makes the output stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specbind.cli import main

SPEC = """openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: token, in: query, schema: {type: string}}
        - {name: X-Page, in: header, schema: {type: string}}
%(extension)s      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  next: {type: [string, "null"]}
"""
ERROR = re.compile(r"^specbind: error: (?P<file>[^:]+):(?P<line>\d+): (?P<pointer>/[^:]*): (?P<msg>.+)$")
WARNING = re.compile(r"^specbind: warning: (?P<file>[^:]+):(?P<line>\d+): (?P<pointer>/[^:]*): (?P<msg>.+)$")


def project(tmp_path: Path, config: str, extension: str = "") -> Path:
    (tmp_path / "spec.yaml").write_text(SPEC % {"extension": extension}, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specbind]\nspec = "spec.yaml"\nout = "out"\nformatter = "ruff"\n{config}', encoding="utf-8"
    )
    return tmp_path


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    monkeypatch.chdir(tmp_path)
    code = main(["generate", "--quiet"])
    return code, capsys.readouterr().err.strip().splitlines()


def one_error(code: int, err: list[str], tmp_path: Path) -> re.Match[str]:
    assert code == 2 and len(err) == 1, err
    match = ERROR.match(err[0])
    assert match, err[0]
    assert not (tmp_path / "out").exists()  # nothing written
    return match


CURSOR = '[tool.specbind.pagination.operations.listThings]\nstyle = "cursor"\ncursor = "%s"\nnext_cursor = "%s"\n'


@pytest.mark.parametrize(
    ("config", "pointer", "words"),
    [
        (CURSOR % ("page", "next"), "/operations/listThings/cursor", ["no query parameter `page`", "`token`"]),
        (CURSOR % ("X-Page", "next"), "/operations/listThings/cursor", ["header parameter"]),
        (CURSOR % ("token", "meta.next"), "/operations/listThings/next_cursor", ["no field `meta.next`"]),
        (CURSOR % ("token", "next") + 'items = "rows"\n', "/operations/listThings/items", ["no field `rows`"]),
        (CURSOR.replace("listThings", "listOthers") % ("token", "next"), "/operations/listOthers", ["listOthers"]),
        ('[tool.specbind.pagination.operations.listThings]\nstyle = "pages"\n', "/operations/listThings/style", []),
        (
            '[tool.specbind.pagination.operations.listThings]\nstyle = "cursor"\ncursor = "token"\n',
            "/operations/listThings",
            ["next_cursor", "item_cursor"],
        ),
        (
            '[tool.specbind.pagination.operations.listThings]\nstyle = "next_url"\nurl = "next"\n',
            "/operations/listThings",
            ["url"],
        ),
    ],
    ids=[
        "no-such-param",
        "header-param",
        "no-such-field",
        "no-such-items",
        "no-such-operation",
        "bad-style",
        "cursor-without-source",
        "unknown-key",
    ],
)
def test_config_errors_are_located(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    pointer: str,
    words: list[str],
) -> None:
    match = one_error(*run(project(tmp_path, config), monkeypatch, capsys), tmp_path)
    assert match["file"].endswith("pyproject.toml") and match["pointer"] == "/tool/specbind/pagination" + pointer
    assert int(match["line"]) == 5  # the table's header line
    assert all(w in match["msg"] for w in words), match["msg"]


def test_an_extension_naming_a_missing_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ext = "      x-fern-pagination:\n        cursor: $request.token\n        next_cursor: $response.cursor\n"
    match = one_error(*run(project(tmp_path, "", ext), monkeypatch, capsys), tmp_path)
    assert match["file"] == "spec.yaml" and match["line"] == "12"  # the `next_cursor:` line
    assert match["pointer"] == "/paths/~1things/get/x-fern-pagination/next_cursor"
    assert "no field `cursor`" in match["msg"]


def test_a_rule_that_matches_nothing_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = '[[tool.specbind.pagination.rules]]\nstyle = "offset"\noffset = "skip"\n'
    code, err = run(project(tmp_path, rule), monkeypatch, capsys)
    assert code == 0 and len(err) == 1
    match = WARNING.match(err[0])
    assert match and match["pointer"] == "/tool/specbind/pagination/rules/0" and "matched no GET operation" in err[0]


def test_the_config_is_part_of_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, CURSOR % ("token", "next"))
    assert run(root, monkeypatch, capsys)[0] == 0
    assert "SyncPage[str]" in (root / "out" / "client.py").read_text(encoding="utf-8")
    assert main(["check"]) == 0
    text = (root / "pyproject.toml").read_text(encoding="utf-8").replace('style = "cursor"', 'style = "none"')
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("cursor", "next_cursor")))
    (root / "pyproject.toml").write_text(text + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check"]) == 1 and "options changed" in capsys.readouterr().out
