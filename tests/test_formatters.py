"""`formatter = "ruff"` (or --formatter ruff): the same code as black, named with its version
and mode in every header and in the manifest.

ruff 0.17.6 and black 26.10.1 are not byte-identical on everything specbind generates, and
no ruff setting (stable or preview) makes them so. This file pins exactly where they differ,
so that a new kind of difference fails here: (1) an annotation too long for its line followed
by a default, which black wraps in parentheses and ruff leaves bare (split at `|` in a
parameter list), and (2) a docstring whose last line is full, where black moves the closing
quotes to a line of their own. Everything else is byte-identical, and the code (AST) is the
same everywhere."""

from __future__ import annotations

import ast
import difflib
import json
from pathlib import Path

import pytest
from paths import REPO

from specbind import __version__, fmt
from specbind.build import build_api
from specbind.cli import main
from specbind.config import Job, load_jobs
from specbind.pipeline import load_spec
from specbind.render import GeneratorInfo, render_package
from specbind.snapshots import case_job

JOBS = [
    *load_jobs(REPO),
    *(case_job(c) for c in sorted((REPO / "tests" / "cases").glob("*/")) if (c / "spec.yaml").exists()),
]


def difference_kind(black: list[str], ruff: list[str]) -> str | None:
    """Which documented difference a diff hunk is (black's lines vs ruff's), or None."""
    b, r = [x.strip() for x in black], [x.strip() for x in ruff]
    if b and b[0].endswith(": (") and any(x.startswith(") = ") for x in b) and not any(x.endswith(": (") for x in r):
        return "long annotation with a default"
    if b and b[-1] == '"""' and r and r[-1].endswith('"""') and b[:-1] == [*r[:-1], r[-1].removesuffix('"""')]:
        return "docstring closing quotes"
    return None


def differences(black: str, ruff: str) -> list[str]:
    """The kind of every hunk where ruff's output differs from black's."""
    kinds = []
    matcher = difflib.SequenceMatcher(a=black.splitlines(), b=ruff.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            kind = difference_kind(matcher.a[i1:i2], matcher.b[j1:j2])
            assert kind, "undocumented difference:\n" + "\n".join(
                difflib.unified_diff(matcher.a[i1:i2], matcher.b[j1:j2], "black", "ruff", lineterm="")
            )
            kinds.append(kind)
    return kinds


def code_of(text: str) -> str:
    """The module's AST, docstrings compared without trailing whitespace (where black's closing
    quotes on their own line add a newline and indentation to the docstring's value)."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                first.value.value = first.value.value.rstrip()
    return ast.dump(tree)


@pytest.mark.parametrize("job", JOBS, ids=lambda j: j.out.parent.name + "/" + j.out.name)
def test_ruff_output_is_black_output_but_for_the_documented_differences(job: Job) -> None:
    doc = load_spec(job)
    api = build_api(doc, package=job.package, spec_name=job.spec.name, overlays=tuple(p.name for p in job.overlays))
    rendered = render_package(api, GeneratorInfo(__version__, fmt.description()))
    black = fmt.format_files(rendered, "black")
    modules = [p for p in rendered if p.endswith(".py")]
    assert modules
    for path in modules:
        ruff = fmt._ruff(rendered[path])  # uncached: ruff really ran
        assert code_of(ruff) == code_of(black[path]), path
        differences(black[path], ruff)


def test_the_difference_classifier_accepts_only_the_documented_kinds() -> None:
    black = 'def f(\n    x: (\n        Long | None\n    ) = None,\n) -> None:\n    """Text\n    more.\n    """\n'
    ruff = 'def f(\n    x: Long\n    | None = None,\n) -> None:\n    """Text\n    more."""\n'
    assert differences(black, ruff) == ["long annotation with a default", "docstring closing quotes"]
    with pytest.raises(AssertionError, match="undocumented difference"):
        differences("x = 1\n", "x = 2\n")


def test_the_formatter_is_named_in_headers_and_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    assert (
        main(["generate", "--quiet", "--spec", str(spec), "--out", "r", "--package", "r", "--formatter", "ruff"]) == 0
    )
    assert main(["generate", "--quiet", "--spec", str(spec), "--out", "b", "--package", "r"]) == 0
    ruff_desc, black_desc = fmt.description("ruff"), fmt.description("black")
    assert ruff_desc.startswith(f"ruff format {fmt.RUFF_VERSION} (line-length 88")
    assert f"# Formatted by {ruff_desc}." in (tmp_path / "r" / "models" / "__init__.py").read_text()
    assert json.loads((tmp_path / "r" / "specbind-manifest.json").read_text())["formatter"] == ruff_desc
    assert json.loads((tmp_path / "b" / "specbind-manifest.json").read_text())["formatter"] == black_desc
    # Apart from the header line naming the formatter, the two packages are the same bytes.
    for name in ("models/__init__.py", "models/things.py", "client.py", "server.py", "_base.py"):
        r = (tmp_path / "r" / name).read_text().replace(ruff_desc, "FMT")
        b = (tmp_path / "b" / name).read_text().replace(black_desc, "FMT")
        assert r == b, name


def test_formatter_in_pyproject_and_bad_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\nformatter = "ruff"\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--quiet"]) == 0
    assert "# Formatted by ruff format " in (tmp_path / "o" / "models" / "__init__.py").read_text()
    assert main(["check", "--quiet"]) == 0
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\nformatter = "yapf"\n'
    )
    capsys.readouterr()
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert '/tool/specbind/jobs/default/formatter: `formatter` must be "black" or "ruff"' in err, err


def test_a_missing_or_wrong_ruff_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "version", lambda name: "0.0.1")
    with pytest.raises(fmt.FormatterUnavailable, match=f"needs ruff=={fmt.RUFF_VERSION}"):
        fmt._ruff("x = 1\n")
