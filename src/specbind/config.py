"""One configuration for the CLI, the Python API and build hooks: ``[tool.specbind]``.

    [tool.specbind]                 # defaults for every job
    spec = "spec/conversations.yaml"
    [tool.specbind.jobs.default]    # optional; without `jobs` the table itself is one job
    out = "generated/conversations"
    package = "conversations"
    overlays = ["spec/overlays/sdk-compat.yaml"]

Paths are relative to the folder holding pyproject.toml. Command-line flags override.
"""

from __future__ import annotations

import keyword
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import SpecError
from .naming import snake
from .resources import embedded_overlays, embedded_spec

DEFAULT_PACKAGE = "conversations"


@dataclass(frozen=True)
class Job:
    name: str
    spec: Path
    out: Path
    package: str
    overlays: tuple[Path, ...] = field(default=())
    root: Path = field(default_factory=Path.cwd)
    strict: bool = False  # warnings are errors
    formatter: str = "ruff"  # or "black", the reference: the same bytes (see fmt.py)
    configured: bool = True  # False: no [tool.specbind] here, the embedded default job
    python_types: bool = False  # formats date-time/date/time/uuid as datetime/date/time/UUID

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:  # outside the project: relative when that is shorter (`../shared/x.yaml`)
            rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
            return rel if len(rel) < len(str(path)) else str(path)

    def override(self, **changes: Any) -> Job:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _builtin(start: Path) -> Job:
    """No [tool.specbind] here: the embedded Conversations fragment with its default overlays."""
    return Job(
        "default",
        embedded_spec(),
        start / "generated" / DEFAULT_PACKAGE,
        DEFAULT_PACKAGE,
        embedded_overlays(),
        start,
        configured=False,
    )


def package_from_out(out: Path) -> str:
    """The import name a package folder implies: its last segment, snake_cased."""
    name = snake(out.name)
    if not name:
        return "api"
    return "api_" + name if name[0].isdigit() or keyword.iskeyword(name) else name


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _job(name: str, table: dict[str, Any], defaults: dict[str, Any], root: Path, where: str) -> Job:
    merged = {**defaults, **table}
    unknown = set(merged) - {"spec", "out", "package", "overlays", "strict", "formatter", "python_types"}
    if unknown:
        raise SpecError.one(where, f"/tool/specbind/jobs/{name}", f"unknown keys: {', '.join(sorted(unknown))}")
    if "package" in merged:
        package = str(merged["package"])
    elif "out" in merged:
        package = package_from_out(root / merged["out"])
    elif "spec" in merged:
        raise SpecError.one(where, f"/tool/specbind/jobs/{name}", "a job with its own `spec` needs `out` or `package`")
    else:
        package = DEFAULT_PACKAGE
    spec = root / merged["spec"] if "spec" in merged else embedded_spec()
    out = root / merged["out"] if "out" in merged else root / "generated" / package.rsplit(".", 1)[-1]
    overlays = tuple(root / o for o in merged.get("overlays", []))
    strict = merged.get("strict", False)
    if not isinstance(strict, bool):
        raise SpecError.one(where, f"/tool/specbind/jobs/{name}/strict", "`strict` must be true or false")
    formatter = merged.get("formatter", "ruff")
    if formatter not in ("black", "ruff"):
        raise SpecError.one(where, f"/tool/specbind/jobs/{name}/formatter", '`formatter` must be "black" or "ruff"')
    python_types = merged.get("python_types", False)
    if not isinstance(python_types, bool):
        raise SpecError.one(where, f"/tool/specbind/jobs/{name}/python_types", "`python_types` must be true or false")
    return Job(name, spec, out, package, overlays, root, strict, formatter, python_types=python_types)


def load_jobs(start: Path | None = None) -> list[Job]:
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return [_builtin(start)]
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError.one(str(pyproject), "", f"cannot read: {exc}") from None
    table = data.get("tool", {}).get("specbind")
    root = pyproject.parent
    if not isinstance(table, dict):
        return [_builtin(start)]
    jobs = table.get("jobs")
    defaults = {k: v for k, v in table.items() if k != "jobs"}
    if not isinstance(jobs, dict) or not jobs:
        return [_job("default", {}, defaults, root, str(pyproject))]
    return [_job(name, body, defaults, root, str(pyproject)) for name, body in jobs.items()]
