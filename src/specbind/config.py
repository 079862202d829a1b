"""One configuration for the CLI, the Python API and build hooks: ``[tool.specbind]``.

    [tool.specbind]                 # defaults for every job
    spec = "spec/conversations.yaml"
    [tool.specbind.jobs.default]    # optional; without `jobs` the table itself is one job
    out = "generated/conversations"
    package = "conversations"
    overlays = ["spec/overlays/sdk-compat.yaml"]

The client's shape (see ``layout`` and ``signature``), on the table or per job:

    names = "python"                # or "wire": keep the spec's spelling of identifiers
    layout = "auto"                 # or "path" (ignore tags), "tags" (one resource per tag)
    path_parameters = "keyword"     # or "positional": every path parameter positional
    [tool.specbind.resources]       # operationId -> "resource.sub.method"
    createConversation = "conversations.create"

Paths are relative to the folder holding pyproject.toml. Command-line flags override.
"""

from __future__ import annotations

import keyword
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import SpecError
from .naming import is_identifier, snake
from .pagination_config import Rule, parse_config
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
    pagination: tuple[Rule, ...] = ()  # [tool.specbind.pagination]: per operationId, and rules by shape
    idempotency_header: str | None = None  # sent with a new UUID4 on every POST / PATCH call
    names: str = "python"  # or "wire"
    layout: str = "auto"  # or "path", "tags"
    path_parameters: str = "keyword"  # or "positional"
    #: operationId -> "resource.sub.method", with the line of pyproject.toml it is on
    resources: tuple[tuple[str, str, int | None], ...] = ()
    config_file: str = "pyproject.toml"  # where `resources` was read, as shown in errors
    resources_pointer: str = "/tool/specbind/resources"

    def layout_options(self) -> Any:
        """The client layout options (a ``layout.Options``; imported late: the no-op path
        reads jobs without the builder)."""
        from .layout import Options

        return Options(self.layout, self.path_parameters, self.resources, self.config_file, self.resources_pointer)  # type: ignore[arg-type]

    def options_record(self) -> dict[str, object]:
        """The options the output depends on, for the manifest; defaults left out."""
        out: dict[str, object] = {"package": self.package}
        if self.python_types:
            out["python_types"] = True
        for key, default in (("names", "python"), ("layout", "auto"), ("path_parameters", "keyword")):
            if getattr(self, key) != default:
                out[key] = getattr(self, key)
        if self.resources:
            out["resources"] = {op_id: target for op_id, target, _ in self.resources}
        # Recorded only when set, so that manifests without them do not change.
        if self.idempotency_header:
            out["idempotency_header"] = self.idempotency_header
        if self.pagination:
            out["pagination"] = [{"operation": r.operation_id, **r.declared.record()} for r in self.pagination]
        return out

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


def _job(name: str, table: dict[str, Any], defaults: dict[str, Any], root: Path, where: str, text: str = "") -> Job:
    merged = {**defaults, **table}
    job_pointer = f"/tool/specbind/jobs/{name}" if table else "/tool/specbind"
    unknown = set(merged) - {
        "spec", "out", "package", "overlays", "strict", "formatter", "python_types", "names", "layout",
        "path_parameters", "resources", "pagination", "idempotency_header",
    }  # fmt: skip
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
    choices = {}
    for key, allowed in _CHOICES.items():
        value = merged.get(key, allowed[0])
        if value not in allowed:
            options = " or ".join(f'"{a}"' for a in allowed)
            raise SpecError.one(where, f"{job_pointer}/{key}", f"`{key}` must be {options}", _line(text, key))
        choices[key] = value
    resources, pointer = _resources(name, table, defaults, where, text)
    job = Job(
        name, spec, out, package, overlays, root, strict, formatter, python_types=python_types,
        resources=resources, config_file=where, resources_pointer=pointer, **choices,
    )  # fmt: skip
    return _client_options(job, table, merged, where, text)


def _client_options(job: Job, table: dict[str, Any], merged: dict[str, Any], where: str, text: str) -> Job:
    """The client's settings: pagination rules and the idempotency header."""

    def at(key: str) -> str:  # the job's own table, else the defaults
        return (f"/tool/specbind/jobs/{job.name}/" if key in table else "/tool/specbind/") + key

    header = merged.get("idempotency_header")
    if header is not None and (not isinstance(header, str) or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", header)):
        raise SpecError.one(where, at("idempotency_header"), "`idempotency_header` must be a header name")
    rules = parse_config(merged["pagination"], where, at("pagination"), text) if "pagination" in merged else ()
    return replace(job, pagination=rules, idempotency_header=header)


_CHOICES = {
    "names": ("python", "wire"),
    "layout": ("auto", "path", "tags"),
    "path_parameters": ("keyword", "positional"),
}


def _resources(
    name: str, table: dict[str, Any], defaults: dict[str, Any], where: str, text: str
) -> tuple[tuple[tuple[str, str, int | None], ...], str]:
    """The `resources` table (the job's entries over the top level's), each target checked:
    dotted identifiers, `resource.sub.method` or a bare `method` of the client."""
    merged: dict[str, Any] = {}
    pointer = "/tool/specbind/resources"
    for source, at in ((defaults, pointer), (table, f"/tool/specbind/jobs/{name}/resources")):
        value = source.get("resources", {})
        if not isinstance(value, dict):
            raise SpecError.one(
                where, at, '`resources` must be a table: operationId = "resource.method"', _line(text, "resources")
            )
        if value:
            merged.update(value)
            pointer = at if source is table else pointer
    out = []
    for op_id, target in merged.items():
        line = _line(text, op_id)
        parts = target.split(".") if isinstance(target, str) else []
        if not parts or not all(is_identifier(p) and not p.startswith("_") for p in parts):
            message = f"{op_id} = {target!r}: a place is dotted Python names, `resource.sub.method`"
            raise SpecError.one(where, f"{pointer}/{op_id}", message, line)
        out.append((str(op_id), target, line))
    return tuple(out), pointer


def _line(text: str, key: str) -> int | None:
    """The first line of pyproject.toml that sets `key` (bare or quoted), for located errors."""
    pattern = re.compile(r"^\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"')\s*=")
    for i, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return i
    return None


def load_jobs(start: Path | None = None) -> list[Job]:
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return [_builtin(start)]
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError.one(str(pyproject), "", f"cannot read: {exc}") from None
    table = data.get("tool", {}).get("specbind")
    root = pyproject.parent
    if not isinstance(table, dict):
        return [_builtin(start)]
    jobs = table.get("jobs")
    defaults = {k: v for k, v in table.items() if k != "jobs"}
    if not isinstance(jobs, dict) or not jobs:
        return [_job("default", {}, defaults, root, str(pyproject), text)]
    return [_job(name, body, defaults, root, str(pyproject), text) for name, body in jobs.items()]
