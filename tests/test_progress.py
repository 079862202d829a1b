"""Feedback on long runs, in its three modes: a terminal gets a line per phase (stderr) with
counts and times; a pipe gets one summary line per job; --quiet only errors and warnings."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from paths import REPO

SPEC = REPO / "tests" / "cases" / "operations" / "spec.yaml"
WARNS = REPO / "tests" / "hostile" / "wrong_default" / "input.yaml"
PHASE = re.compile(r"^specbind: (?P<out>\S+): (?P<what>.+) in \d+\.\d\d s$")


def _shown(path: Path) -> str:
    """How the CLI names an output folder outside the project: relative to it when that is
    shorter (so the expected line does not depend on where the repository was cloned)."""
    rel = os.path.relpath(path, REPO)
    return rel if len(rel) < len(str(path)) else str(path)


def _run(spec: Path, out: Path, *flags: str, tty: bool) -> tuple[int, str, str]:
    cmd = [
        sys.executable,
        "-m",
        "specbind",
        "generate",
        "--spec",
        str(spec),
        "--out",
        str(out),
        "--package",
        "p",
        *flags,
    ]
    if not tty:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        return proc.returncode, proc.stdout, proc.stderr
    master, slave = pty.openpty()  # stderr is a terminal, stdout a pipe
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120, check=False)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.returncode, proc.stdout, b"".join(chunks).decode().replace("\r\n", "\n")


def test_terminal_prints_each_phase_with_counts_and_time(tmp_path: Path) -> None:
    code, out, err = _run(SPEC, tmp_path / "p", tty=True)
    assert code == 0, err
    lines = err.strip().splitlines()
    matches = [PHASE.match(line) for line in lines]
    assert all(matches), lines
    whats = [m["what"] for m in matches if m]
    assert [w.split()[0] for w in whats] == ["loaded", "built", "rendered", "formatted", "wrote"], whats
    assert whats[0] == "loaded 1 file"
    assert re.fullmatch(r"built \d+ schemas and \d+ operations", whats[1]), whats[1]
    assert re.fullmatch(r"rendered \d+ files", whats[2]), whats[2]
    assert whats[3].startswith("formatted ") and "(ruff format 0.17.6)" in whats[3]  # the default
    assert re.fullmatch(r"wrote \d+ changed files", whats[4]), whats[4]
    assert out.strip().splitlines() == [f"specbind: {_shown(tmp_path / 'p')}: {whats[4].split()[1]} files changed"]


def test_a_pipe_gets_one_summary_line_per_job(tmp_path: Path) -> None:
    code, out, err = _run(SPEC, tmp_path / "p", tty=False)
    assert code == 0, err
    assert err == ""
    assert len(out.strip().splitlines()) == 1 and out.endswith("files changed\n"), out
    code, out, err = _run(SPEC, tmp_path / "p", tty=False)  # nothing changed: still one line
    assert (code, out, err) == (0, f"specbind: {_shown(tmp_path / 'p')} is up to date\n", "")


def test_quiet_prints_only_errors_and_warnings_even_on_a_terminal(tmp_path: Path) -> None:
    code, out, err = _run(SPEC, tmp_path / "p", "--quiet", tty=True)
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "p" / "models" / "__init__.py").exists()
    code, out, err = _run(WARNS, tmp_path / "w", "--quiet", tty=True)
    lines = err.strip().splitlines()
    assert (code, out) == (0, "")
    assert len(lines) == 1 and lines[0].startswith("specbind: warning: ") and "default 'many'" in lines[0], lines
    code, out, err = _run(
        REPO / "tests" / "hostile" / "remote_ref" / "input.yaml", tmp_path / "e", "--quiet", tty=False
    )
    assert code == 2 and out == "" and err.startswith("specbind: error: "), err
