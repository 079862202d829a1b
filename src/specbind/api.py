"""The Python API: what the CLI, the hatch build hook and pre-commit share.

from specbind.api import sync
sync()                      # every [tool.specbind] job of the project in the cwd
sync(root, jobs=["azure"])  # one job of another project
"""

from __future__ import annotations

from pathlib import Path

from .config import Job, load_jobs
from .manifest import up_to_date
from .pipeline import generate
from .write import check_overwrites, check_target, write_tree


def select(root: Path | None = None, jobs: list[str] | None = None) -> list[Job]:
    found = load_jobs(root)
    if jobs is None:
        return found
    by_name = {j.name: j for j in found}
    missing = [n for n in jobs if n not in by_name]
    if missing:
        raise KeyError(f"no [tool.specbind] job named {', '.join(missing)}")
    return [by_name[n] for n in jobs]


def sync(root: Path | None = None, jobs: list[str] | None = None, force: bool = False) -> dict[str, list[str]]:
    """Regenerate what is stale; return the files written per job (empty when up to date).

    Everything is generated before anything is written, so a bad spec changes nothing; an
    output folder holding files but no manifest is refused unless ``force``."""
    selected = select(root, jobs)
    for job in selected:
        check_target(job.out, job.display(job.out), force)
    stale = [(job, generate(job)) for job in selected if not up_to_date(job)]
    for job, result in stale:  # a file specbind never wrote is replaced only when forced
        check_overwrites(job.out, job.display(job.out), result.files, force)
    written: dict[str, list[str]] = {job.name: [] for job in selected}
    for job, result in stale:
        written[job.name] = write_tree(job.out, result.files, force)
    return written


def is_current(root: Path | None = None, jobs: list[str] | None = None) -> bool:
    """True when every selected job's output is exactly what `generate` would write."""
    from .write import compare_tree

    return all(up_to_date(job) or not compare_tree(job.out, generate(job).files) for job in select(root, jobs))
