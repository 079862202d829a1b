"""The hatch build hook regenerates on `pip wheel` and ships the output, offline."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from paths import REPO

SAMPLE = REPO / "tests" / "sample_project"


def _wheel(project: Path, dist: Path) -> tuple[zipfile.ZipFile, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "-w", str(dist), str(project)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheel = next(dist.glob("sample_app-*.whl"))
    return zipfile.ZipFile(wheel), proc.stdout + proc.stderr


def test_wheel_contains_generated_package(tmp_path: Path) -> None:
    project = tmp_path / "sample_project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("api", "build", "*.egg-info"))
    assert not (project / "src" / "sample_app" / "api").exists()
    wheel, _ = _wheel(project, tmp_path / "dist")
    names = set(wheel.namelist())
    assert {
        "sample_app/api/models/__init__.py",
        "sample_app/api/__init__.py",
        "sample_app/api/specbind-manifest.json",
    } <= names
    assert any(b"class Cat(BaseModel)" in wheel.read(n) for n in names if n.startswith("sample_app/api/models/"))
    # Second build: the no-op path leaves the generated files untouched.
    models = project / "src" / "sample_app" / "api" / "models" / "__init__.py"
    before = models.stat().st_mtime_ns
    _wheel(project, tmp_path / "dist2")
    assert models.stat().st_mtime_ns == before


def test_pre_commit_hooks_call_real_commands() -> None:
    import yaml

    from specbind.cli import _parser

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"specbind-check", "specbind-generate"}
    commands = set(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for hook in hooks:
        program, command = hook["entry"].split()
        assert program == "specbind" and command in commands
        assert hook["pass_filenames"] is False and hook["language"] == "python"


def _readme_block(marker: str) -> str:
    text = (REPO / "README.md").read_text()
    after = text.split(f"<!-- recipe: {marker} -->", 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]


def test_readme_recipe(tmp_path: Path) -> None:
    """The README's recipe, as written: a fresh project, specbind's wheel built from this
    checkout, the project built with build isolation and `--find-links` (pip takes hatchling
    from its configured index or cache)."""
    import shlex

    project = tmp_path / "myapp"
    (project / "src" / "myapp").mkdir(parents=True)
    (project / "src" / "myapp" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(_readme_block("pyproject.toml"))
    shutil.copy(SAMPLE / "spec.yaml", project / "openapi.yaml")
    wheels = tmp_path / "wheels"
    commands = [line for line in _readme_block("commands").splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2 and all(c.startswith("pip wheel ") for c in commands)
    for command in commands:
        args = [a.replace("~/wheels", str(wheels)).replace("path/to/specbind", str(REPO)) for a in shlex.split(command)]
        proc = subprocess.run([sys.executable, "-m", *args], cwd=project, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, command + "\n" + proc.stdout[-3000:] + proc.stderr[-3000:]
    assert [p.name for p in wheels.glob("specbind-*.whl")]
    wheel = zipfile.ZipFile(next((project / "dist").glob("myapp-*.whl")))
    names = set(wheel.namelist())
    assert {"myapp/api/models/__init__.py", "myapp/api/__init__.py"} <= names
    assert any(b"class Cat(BaseModel)" in wheel.read(n) for n in names if n.startswith("myapp/api/models/"))
