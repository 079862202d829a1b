"""`formatter = "ruff"` (or --formatter ruff): byte-identical to black on everything specbind
generates, named with its version and mode in every header and in the manifest."""

from __future__ import annotations

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

JOBS = [*load_jobs(REPO), *(case_job(c) for c in sorted((REPO / "tests" / "cases").glob("*/")) if (c / "spec.yaml").exists())]


@pytest.mark.parametrize("job", JOBS, ids=lambda j: j.out.parent.name + "/" + j.out.name)
def test_ruff_output_is_byte_identical_to_black(job: Job) -> None:
    doc = load_spec(job)
    api = build_api(doc, package=job.package, spec_name=job.spec.name, overlays=tuple(p.name for p in job.overlays))
    rendered = render_package(api, GeneratorInfo(__version__, fmt.description()))
    black = fmt.format_files(rendered, "black")
    modules = [p for p in rendered if p.endswith(".py")]
    assert modules
    for path in modules:
        assert fmt._ruff(rendered[path]) == black[path], path  # uncached: ruff really ran


def test_the_formatter_is_named_in_headers_and_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    assert main(["generate", "--quiet", "--spec", str(spec), "--out", "r", "--package", "r", "--formatter", "ruff"]) == 0
    assert main(["generate", "--quiet", "--spec", str(spec), "--out", "b", "--package", "r"]) == 0
    ruff_desc, black_desc = fmt.description("ruff"), fmt.description("black")
    assert ruff_desc.startswith(f"ruff format {fmt.RUFF_VERSION} (line-length 88")
    assert f"# Formatted by {ruff_desc}." in (tmp_path / "r" / "models.py").read_text()
    assert json.loads((tmp_path / "r" / "specbind-manifest.json").read_text())["formatter"] == ruff_desc
    assert json.loads((tmp_path / "b" / "specbind-manifest.json").read_text())["formatter"] == black_desc
    # Apart from the header line naming the formatter, the two packages are the same bytes.
    for name in ("models.py", "client.py", "server.py", "_base.py"):
        r = (tmp_path / "r" / name).read_text().replace(ruff_desc, "FMT")
        b = (tmp_path / "b" / name).read_text().replace(black_desc, "FMT")
        assert r == b, name


def test_formatter_in_pyproject_and_bad_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    (tmp_path / "pyproject.toml").write_text(f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\nformatter = "ruff"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--quiet"]) == 0
    assert "# Formatted by ruff format " in (tmp_path / "o" / "models.py").read_text()
    assert main(["check", "--quiet"]) == 0
    (tmp_path / "pyproject.toml").write_text(f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\nformatter = "yapf"\n')
    capsys.readouterr()
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "/tool/specbind/jobs/default/formatter: `formatter` must be \"black\" or \"ruff\"" in err, err


def test_a_missing_or_wrong_ruff_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "version", lambda name: "0.0.1")
    with pytest.raises(fmt.FormatterUnavailable, match=f"needs ruff=={fmt.RUFF_VERSION}"):
        fmt._ruff("x = 1\n")
