"""Snapshot maintenance: `python -m specbind.snapshots [--update]`.

Regenerates every golden record in one go: each [tool.specbind] job's output folder
(normally `generated/`) and every test case folder's `expected/` (tests/cases/*).
Without --update it only reports what differs (exit 1 on drift).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from .config import Job, load_jobs
from .errors import SpecError
from .pipeline import explain, generate
from .write import compare_tree, write_tree

UPDATE_COMMAND = "python -m specbind.snapshots --update"
# What a case folder pins: the modules that depend on the spec (static ones are left out);
# a folder (`models/`) pins every file the generator writes in it.
CASE_FILES = ("models/", "client.py", "server.py", "webhooks.py")


def pinned(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in CASE_FILES)


def case_job(case: Path) -> Job:
    """A case folder's job: its spec.yaml and overlay*.yaml; a `pyproject.toml` there adds its
    `[tool.specbind]` options (pagination, idempotency header...)."""
    overlays = tuple(sorted(case.glob("overlay*.yaml")))
    if (case / "pyproject.toml").is_file():
        configured = load_jobs(case)[0]
        return replace(
            configured,
            name=case.name,
            spec=case / "spec.yaml",
            out=case / "expected",
            package="case",
            overlays=overlays,
        )
    return Job(case.name, case / "spec.yaml", case / "expected", "case", overlays, case)


def case_outputs(case: Path) -> dict[str, str]:
    """What a case folder pins: the models package, the client and server modules, and the
    union explanation."""
    result = generate(case_job(case))
    out = {name: text for name, text in sorted(result.files.items()) if pinned(name)}
    out["explain.txt"] = explain(result.api)
    if result.warnings:  # located warnings are part of the behaviour a case pins
        out["warnings.txt"] = "".join(f"{w.file}:{w.line}: {w.pointer}: {w.message}\n" for w in result.warnings)
    return out


def cases_root(repo: Path) -> Path:
    return repo / "tests" / "cases"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m specbind.snapshots")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    drift = 0
    try:
        targets = [(job.out, generate(job).files) for job in load_jobs(repo)]
        targets += [
            (case / "expected", case_outputs(case))
            for case in sorted(cases_root(repo).glob("*/"))
            if (case / "spec.yaml").exists()
        ]
    except SpecError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return 2
    cases = {case / "expected" for case in cases_root(repo).glob("*/")}
    for out, files in targets:
        exact = out in cases  # a case's expected/ holds nothing else: a file no longer pinned goes
        if args.update:
            changed = write_tree(out, files, force=True, exact=exact)  # its own golden folders
            print(f"{out.relative_to(repo)}: {len(changed)} files updated")
        elif compare_tree(out, files, exact=exact):
            drift = 1
            print(f"{out.relative_to(repo)}: differs")
    return drift


if __name__ == "__main__":
    raise SystemExit(main())
