"""Bad input: exit 2, one line `specbind: error: FILE:LINE: POINTER: message`, nothing written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from specbind.cli import main

LINE = re.compile(r"^specbind: error: (?P<file>[^:]+):(?P<line>\d+): (?P<pointer>/[^:]*): (?P<msg>.+)$")

BAD = {
    "not_yaml": (b"openapi: [3.1\n  - x: {\n", "invalid YAML"),
    "empty": (b"", "empty"),
    "binary": (b"\x00\xff\xfe\x00garbage", "UTF-8"),
    "list_root": (b"- 1\n- 2\n", "root must be a mapping"),
    "swagger": (b"swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 2.0"),
    "no_openapi": (b"info: {title: x, version: '1'}\npaths: {}\n", "not an OpenAPI 3.x"),
    "openapi_33": (b"openapi: 3.3.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "OpenAPI 3.3.0 is not supported"),
    "openapi_4": (b"openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "not an OpenAPI 3.x"),
    "bad_json": (b'{"openapi": "3.1.0", ', "invalid JSON"),
    "dup_keys": (b"openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key"),
    "dangling": (
        (
            b"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n"
            b"      properties:\n        b: {$ref: '#/components/schemas/Nope'}\n"
        ),
        "dangling $ref",
    ),
    "remote_ref": (
        b"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/x.yaml'}\n",
        "remote $ref",
    ),
    "alias_bomb": (
        (
            b"openapi: 3.1.0\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            b"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        ),
        "aliases expand",
    ),
}

BAD_DEFAULT = (
    b"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n"
    b"      properties:\n        n: {type: integer, default: abc}\n"
)
WARNING = re.compile(r"^specbind: warning: (?P<file>[^:]+):(?P<line>\d+): (?P<pointer>/[^:]*): .+$")


def test_a_bad_default_is_a_located_warning_and_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(BAD_DEFAULT)
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--package", "out"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    match = WARNING.match(err[0]) if len(err) == 1 else None
    assert match, err
    assert match["line"] == "9" and match["pointer"] == "/components/schemas/A/properties/n/default"
    assert "default 'abc' does not match" in err[0]
    assert all("abc" not in p.read_text() for p in (out / "models").glob("*.py"))


def test_strict_turns_warnings_into_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(BAD_DEFAULT)
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--strict"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and LINE.match(err[0]) and "default 'abc' does not match" in err[0], err
    assert not out.exists(), "nothing is written on error"


def test_strict_from_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "spec.yaml").write_bytes(BAD_DEFAULT)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specbind]\nspec = "spec.yaml"\nout = "out"\npackage = "out"\nstrict = true\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 2
    assert "specbind: error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_clean_line(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw, expected = BAD[name]
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(raw)
    out = tmp_path / "out"
    code = main(["generate", "--spec", str(spec), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err and all(LINE.match(line) for line in err), err
    assert expected in err[0]
    assert not out.exists(), "nothing is written on error"


def test_error_points_at_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(BAD["dangling"][0])
    main(["generate", "--spec", str(spec), "--out", str(tmp_path / "o")])
    match = LINE.match(capsys.readouterr().err.strip())
    assert match and match["line"] == "9" and match["pointer"] == "/components/schemas/A/properties/b/$ref"


def test_several_problems_are_reported_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: {$ref: '#/nope/1'}\n    B: {$ref: '#/nope/2'}\n"
    )
    assert main(["generate", "--spec", str(spec), "--out", str(tmp_path / "o")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_no_traceback_from_the_real_command(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(BAD["not_yaml"][0])
    proc = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stdout == ""


def test_check_reports_drift_then_generate_fixes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    assert main(["generate", "--out", str(out), "--job", "default"]) == 0
    edited = out / "models" / "conversations.py"  # a module in a sub-folder of the package
    edited.write_text(edited.read_text() + "# edited\n")
    (out / "mine.txt").write_text("not specbind's")
    capsys.readouterr()
    assert main(["check", "--out", str(out), "--job", "default"]) == 1
    report = capsys.readouterr().out
    assert "changed: models/conversations.py" in report and "-# edited" in report
    assert main(["generate", "--out", str(out), "--job", "default"]) == 0
    assert main(["check", "--out", str(out), "--job", "default"]) == 0
    assert (out / "mine.txt").read_text() == "not specbind's", "foreign files are never deleted"


def test_warnings_are_said_again_when_nothing_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The no-op fast path must not hide warnings, nor let --strict pass on output made without it."""
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(BAD_DEFAULT)
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--package", "out"]) == 0
    capsys.readouterr()
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--package", "out"]) == 0
    said = capsys.readouterr()
    assert "specbind: warning:" in said.err
    assert "is up to date" in said.out, "the fast path says the recorded warnings without rebuilding"
    assert main(["check", "--spec", str(spec), "--out", str(out), "--package", "out", "--strict"]) == 2
    assert "default 'abc' does not match" in capsys.readouterr().err
