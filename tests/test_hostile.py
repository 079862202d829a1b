"""Every folder in tests/hostile: exit 2 with clean one-line errors and an untouched output
folder; or (GENERATES) a package that imports; or (WARNS <fragment>) located warnings and a
package that imports; within 60 s and 1 GiB of address space. An optional `args.txt` adds
command-line flags (e.g. `--strict`)."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from paths import REPO

HOSTILE = REPO / "tests" / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if (p / "expect.txt").exists())
LINE = re.compile(r"^specbind: error: [^:]+:\d+: /[^:]*: .+$")
WARNING = re.compile(r"^specbind: warning: [^:]+:\d+: /[^:]*: .+$")
LIMIT_BYTES = 1 << 30


def _input(case: Path, tmp: Path) -> Path:
    for name in ("input.yaml", "input.json"):
        if (case / name).exists():
            return case / name
    ns: dict[str, object] = {}
    exec((case / "make.py").read_text(), ns)  # noqa: S102 - our own test fixture, not spec content
    data = ns["DATA"]
    assert isinstance(data, bytes)
    out = tmp / "input.yaml"
    out.write_bytes(data)
    return out


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_hostile_input(case: Path, tmp_path: Path) -> None:
    expect = (case / "expect.txt").read_text().strip()
    spec = _input(case, tmp_path)
    out = tmp_path / "out"
    seed = REPO / "tests" / "cases" / "recursion" / "spec.yaml"
    subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    (out / "NOTES.txt").write_text("mine, not specbind's")
    before = _snapshot(out)
    extra = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", str(out), "--package", "hostile", *extra],
        capture_output=True, text=True, timeout=60, preexec_fn=_limit, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    if expect == "GENERATES" or expect.startswith("WARNS "):
        assert proc.returncode == 0, proc.stderr
        warnings = proc.stderr.strip().splitlines()
        if expect == "GENERATES":
            assert not warnings, warnings
        else:
            assert warnings and all(WARNING.match(line) for line in warnings), warnings
            assert expect.removeprefix("WARNS ") in warnings[0], warnings
        assert (out / "NOTES.txt").read_text() == "mine, not specbind's"
        check = subprocess.run(
            [sys.executable, "-c", "import out.models"], cwd=out.parent, capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
    else:
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, proc.stderr
        assert lines and all(LINE.match(line) for line in lines), lines
        assert expect in lines[0], lines
        assert _snapshot(out) == before, "nothing in the output folder may change"
    assert elapsed < 60
