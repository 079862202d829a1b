"""`generate` never destroys or hides a user's files: a file or a foreign folder as --out is
refused, --force writes only specbind's files, overwritten hand edits are named, and what it
creates follows the umask (a package folder another user cannot read imports as an empty
namespace package)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

# Every spec gets client.py, server.py and _http.py; only a spec with a tagged or
# tag-then-structure union gets _dispatch.py: the file one of these writes and the other does not.
MODELS_ONLY = REPO / "tests" / "cases" / "nullable_and_refs" / "spec.yaml"
WITH_DISPATCH = REPO / "tests" / "cases" / "union_strategies" / "spec.yaml"
WITH_CLIENT = REPO / "tests" / "cases" / "operations" / "spec.yaml"
ERROR = re.compile(r"^specbind: error: [^:]+:\d+: /[^:]*: .+$")
WARNING = re.compile(r"^specbind: warning: [^:]+:\d+: /[^:]*: .+$")


def _run(cwd: Path, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def _set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "specbind", "generate", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False, preexec_fn=_set_umask,
    )  # fmt: skip


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_existing_file_as_out_is_refused_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes")
    for extra in ([], ["--force"]):
        proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "notes.txt", *extra)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and ERROR.match(lines[0]), lines
        assert "notes.txt" in lines[0] and "another --out" in lines[0]
        assert (tmp_path / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_folder_of_someone_elses_files_is_refused_and_force_writes_only_ours(tmp_path: Path) -> None:
    mine = tmp_path / "mydir"
    (mine / "sub").mkdir(parents=True)
    (mine / "models").mkdir()
    (mine / "models" / "__init__.py").write_text("my own code\n")
    (mine / "models" / "mine.py").write_text("mine too\n")
    (mine / "README.txt").write_text("keep\n")
    (mine / "sub" / "data.json").write_text("{}\n")
    before = _tree(mine)

    proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "mydir")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and ERROR.match(lines[0]), lines
    assert lines[0].startswith("specbind: error: mydir:") and "--force" in lines[0] and "another --out" in lines[0]
    assert _tree(mine) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydir"]  # no staging left behind

    proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "mydir", "--force")
    assert proc.returncode == 0, proc.stderr
    warnings = proc.stderr.strip().splitlines()
    assert warnings == [
        "specbind: warning: mydir/models/__init__.py:1: /: not written by specbind; overwritten (--force)"
    ]
    after = _tree(mine)
    assert after["README.txt"] == before["README.txt"] and after["sub/data.json"] == before["sub/data.json"]
    assert after["models/__init__.py"] != before["models/__init__.py"] and "specbind-manifest.json" in after
    assert after["models/mine.py"] == before["models/mine.py"], "a foreign file in a sub-folder is kept"

    # Now it is a specbind package: no --force needed, and nothing to report.
    proc = _run(tmp_path, "--spec", str(WITH_CLIENT), "--out", "mydir")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr


def test_an_empty_folder_needs_no_force(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "pkg")
    assert proc.returncode == 0, proc.stderr


def test_in_a_specbind_package_a_file_it_never_wrote_is_not_replaced_without_force(tmp_path: Path) -> None:
    assert _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "pkg").returncode == 0
    pkg = tmp_path / "pkg"
    (pkg / "_dispatch.py").write_text("my own dispatch\n")  # that spec writes no _dispatch.py
    before = _tree(pkg)
    proc = _run(tmp_path, "--spec", str(WITH_DISPATCH), "--out", "pkg")  # this one does
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and ERROR.match(lines[0]) and lines[0].startswith("specbind: error: pkg/_dispatch.py:"), (
        lines
    )
    assert "--force" in lines[0]
    assert _tree(pkg) == before
    proc = _run(tmp_path, "--spec", str(WITH_DISPATCH), "--out", "pkg", "--force")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "specbind: warning: pkg/_dispatch.py:1: /: not written by specbind; overwritten (--force)"
    ]
    assert (pkg / "_dispatch.py").read_text() != "my own dispatch\n"


def test_hand_edited_files_are_named_and_an_edited_stale_file_is_kept(tmp_path: Path) -> None:
    assert _run(tmp_path, "--spec", str(WITH_DISPATCH), "--out", "pkg").returncode == 0
    pkg = tmp_path / "pkg"
    with open(pkg / "_base.py", "a") as fh:
        fh.write("# my tweak\n")
    with open(pkg / "_dispatch.py", "a") as fh:
        fh.write("# my tweak\n")

    # MODELS_ONLY writes no _dispatch.py: the edited one stays, and both edits are reported.
    proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "pkg")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "specbind: warning: pkg/_base.py:1: /: edited by hand since the last generation; overwritten",
        "specbind: warning: pkg/_dispatch.py:1: /: edited by hand and no longer generated; kept",
    ]
    assert "# my tweak" not in (pkg / "_base.py").read_text()
    assert (pkg / "_dispatch.py").read_text().endswith("# my tweak\n")

    # The next run has nothing to say: _dispatch.py is the user's now.
    proc = _run(tmp_path, "--spec", str(MODELS_ONLY), "--out", "pkg")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    assert (pkg / "_dispatch.py").exists()


def _pets_spec(folder: Path, tags: tuple[str, ...]) -> Path:
    """One operation per tag, each answering its own schema: a models module per tag."""
    paths = "".join(
        f"  /{t}:\n    get:\n      tags: [{t}]\n      operationId: list_{t}\n      responses:\n"
        f"        '200':\n          description: ok\n          content:\n            application/json:\n"
        f"              schema: {{$ref: '#/components/schemas/{t.title()}'}}\n"
        for t in tags
    )
    schemas = "".join(
        f"    {t.title()}:\n      type: object\n      properties: {{name: {{type: string}}}}\n" for t in tags
    )
    spec = folder / f"{'_'.join(tags)}.yaml"
    spec.write_text(
        f"openapi: 3.1.0\ninfo: {{title: Pets, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n{schemas}"
    )
    return spec


def test_modules_of_the_models_folder_follow_the_same_rules(tmp_path: Path) -> None:
    both, cats = _pets_spec(tmp_path, ("cats", "dogs")), _pets_spec(tmp_path, ("cats",))
    pkg = tmp_path / "pkg"
    assert _run(tmp_path, "--spec", str(both), "--out", "pkg").returncode == 0
    assert {"models/cats.py", "models/dogs.py"} <= set(_tree(pkg))
    (pkg / "models" / "notes.txt").write_text("mine\n")
    # An untouched module that is no longer generated goes; a foreign file next to it stays.
    proc = _run(tmp_path, "--spec", str(cats), "--out", "pkg")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    assert not (pkg / "models" / "dogs.py").exists() and (pkg / "models" / "notes.txt").read_text() == "mine\n"
    # An edited one is named, and kept when no longer generated.
    assert _run(tmp_path, "--spec", str(both), "--out", "pkg").returncode == 0
    with open(pkg / "models" / "dogs.py", "a") as fh:
        fh.write("# my tweak\n")
    with open(pkg / "models" / "cats.py", "a") as fh:
        fh.write("# my tweak\n")
    proc = _run(tmp_path, "--spec", str(cats), "--out", "pkg")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "specbind: warning: pkg/models/cats.py:1: /: edited by hand since the last generation; overwritten",
        "specbind: warning: pkg/models/dogs.py:1: /: edited by hand and no longer generated; kept",
    ]
    assert (pkg / "models" / "dogs.py").read_text().endswith("# my tweak\n")
    assert "# my tweak" not in (pkg / "models" / "cats.py").read_text()


@pytest.mark.parametrize(("umask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o002, 0o775, 0o664)])
def test_folders_and_files_follow_the_umask(tmp_path: Path, umask: int, folder_mode: int, file_mode: int) -> None:
    out = tmp_path / "deep" / "pkg"
    for spec in (MODELS_ONLY, WITH_CLIENT):  # a fresh folder, then a swap of an existing one
        proc = _run(tmp_path, "--spec", str(spec), "--out", str(out), umask=umask)
        assert proc.returncode == 0, proc.stderr
        modes = {
            p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode)
            for p in [out.parent, out, *out.rglob("*")]
        }
        assert len(modes) > 5
        for rel, mode in modes.items():
            want = folder_mode if (tmp_path / rel).is_dir() else file_mode
            assert mode == want, f"{rel}: {oct(mode)}, want {oct(want)} under umask {oct(umask)}"

    extracted = tmp_path / "fragment.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "specbind", "extract", str(WITH_CLIENT), "--path-prefix", "/", "-o", str(extracted)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False, preexec_fn=lambda: os.umask(umask),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(extracted.stat().st_mode) == file_mode
