"""A run killed at any moment leaves the previous tree intact (or the complete new one), and
files specbind did not write survive."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from paths import REPO

from specbind.write import MANIFEST, recover


def _consistent(out: Path) -> str:
    """Which generation `out` holds, asserting that every file matches its manifest."""
    manifest = json.loads((out / MANIFEST).read_text())
    for rel, sha in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha, f"{rel} is half-written"
    return str(manifest["inputs"]["spec"]["sha256"])


def test_killed_runs_never_leave_a_half_written_tree(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    env = {**os.environ, "SPECBIND_NO_CACHE": "1"}  # cold runs: the write window is not trivially short
    base = [sys.executable, "-m", "specbind", "generate", "--out", str(out), "--spec"]
    old_spec = REPO / "tests" / "cases" / "recursion" / "spec.yaml"
    new_spec = REPO / "spec" / "conversations.yaml"
    subprocess.run([*base, str(old_spec)], check=True, capture_output=True, env=env)
    (out / "mine.txt").write_text("keep me")
    old = _consistent(out)
    outcomes = set()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0):
        proc = subprocess.Popen([*base, str(new_spec)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover(out)  # what the next run does first
        now = _consistent(out)
        assert now in (old, hashlib.sha256(new_spec.read_bytes()).hexdigest())
        assert (out / "mine.txt").read_text() == "keep me"
        outcomes.add(now)
        if now != old:  # it finished: restore the old tree and go on killing
            subprocess.run([*base, str(old_spec)], check=True, capture_output=True, env=env)
    assert old in outcomes
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "pkg"]
    assert not [n for n in leftovers if n.startswith(".pkg.specbind-old")], leftovers
