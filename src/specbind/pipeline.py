"""The whole flow, one line per phase: load -> overlay -> bundle -> resolve/normalize/build IR
-> render -> format.

Returns ``{path: text}``; only ``write`` touches the disk.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from . import __version__, client_tree, fmt, format_spec, ir
from .build import build_api, validate_root
from .bundle import bundle
from .config import Job
from .errors import Diagnostics, Problem
from .load import Document, load_file
from .manifest import inputs_record, templates_sha256
from .overlay import apply_overlay
from .progress import Progress, plural
from .render import PACKAGE_FILES, GeneratorInfo, render_package
from .surface import surface
from .write import MANIFEST


@dataclass(frozen=True)
class Result:
    api: ir.Api
    files: dict[str, str]
    warnings: tuple[Problem, ...] = ()


def load_spec(job: Job) -> Document:
    doc = load_file(job.spec, job.display(job.spec))
    validate_root(doc)
    if job.overlays:
        data = copy.deepcopy(doc.data)
        for path in job.overlays:
            data = apply_overlay(data, load_file(path, job.display(path)))
        doc = Document(doc.path, doc.text, data, doc.sha256, lines=doc.lines)
    return bundle(doc, job.spec, job.display)  # other files the document refers to


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Our phases build large, acyclic graphs (the loaded document, the IR, the text); the
    cyclic collector kept re-scanning them and took about half of a run on the whole OpenAI
    document, for nothing: memory peaks the same without it. Restored on the way out, with
    what is alive then frozen (`gc.freeze`): re-enabled, the collector would otherwise scan all
    of it once more (0.2 s on the whole OpenAI document); frozen objects are still freed by
    reference counting, like everything here."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


@contextmanager
def _with_cyclic_gc() -> Iterator[None]:
    """black's syntax trees are cyclic (parent links): the collector runs while it formats
    (and leaves what is alive now alone, frozen)."""
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def generate(job: Job, progress: Progress | None = None) -> Result:
    progress = progress or Progress()
    collector = gc.isenabled()
    with _without_cyclic_gc():
        doc = load_spec(job)  # load + overlay + bundle
        progress.phase(f"loaded {plural(1 + len(doc.includes) + len(job.overlays), 'file')}")
        overlay_names = tuple(p.name for p in job.overlays)
        diagnostics = Diagnostics(strict=job.strict)
        api = build_api(
            doc,
            package=job.package,
            spec_name=job.spec.name,
            overlays=overlay_names,
            diagnostics=diagnostics,
            python_types=job.python_types,
            pagination=job.pagination,
            idempotency_header=job.idempotency_header,
            names=job.names,  # type: ignore[arg-type]
            client_layout=job.layout_options(),
        )  # resolve + normalize + IR
        progress.phase(
            f"built {plural(len(api.definitions), 'schema')} and {plural(len(api.operations), 'operation')}"
            + (f" ({plural(len(diagnostics.warnings), 'warning')})" if diagnostics.warnings else "")
        )
        gen = GeneratorInfo(version=__version__, formatter=format_spec.description())
        rendered = render_package(api, gen)
        progress.phase(f"rendered {plural(len(rendered), 'file')}")
        # ruff's path parses a few stretches with `ast` (acyclic) and hands black a few
        # statements at most: the collector stays off.
        with _with_cyclic_gc() if job.formatter == "black" and collector else nullcontext():
            files = fmt.format_files(rendered, job.formatter)
        modules = plural(sum(p.endswith(".py") for p in files), "module")
        ran = (
            f"ruff format {format_spec.RUFF_VERSION}"
            if job.formatter == "ruff"
            else f"black {format_spec.BLACK_VERSION}"
        )
        progress.phase(f"formatted {modules} ({ran})")
        files[MANIFEST] = manifest(job, doc, files, surface(api), tuple(diagnostics.warnings))
    return Result(api, files, tuple(diagnostics.warnings))


def manifest(
    job: Job, doc: Document, files: dict[str, str], api_surface: dict[str, object], warnings: tuple[Problem, ...] = ()
) -> str:
    data: dict[str, object] = {
        "generator": f"specbind {__version__}",
        "format": format_spec.description(),  # what the bytes are, not which formatter ran
        "templates_sha256": templates_sha256(),
        "inputs": inputs_record(job, [name for name, _ in doc.includes]),
        "files": {p: hashlib.sha256(t.encode()).hexdigest() for p, t in sorted(files.items())},
        "surface": api_surface,
    }
    if warnings:  # recorded only when there are some, so clean documents' manifests do not change
        # The lines as printed: the no-op fast path says them again without rebuilding.
        data["warnings"] = [str(w) for w in warnings]
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def explain(api: ir.Api) -> str:
    """Human-readable account of every union's dispatch strategy."""
    lines: list[str] = []
    for u in api.unions:
        lines.append(f"{u.name} [{u.strategy}] ({u.source})")
        lines.append(f"  why: {u.reason}")
        if u.strategy == "plain":
            lines.append(f"  members: {', '.join(u.members)}")
            continue
        if u.strategy == "tagged":
            lines.append(f"  variants on `{u.tag_wire}`: {', '.join(u.members)}")
        for route in u.routes:
            lines.append(f"  {u.tag_wire}={route.tag!r}: " + _cands(route.candidates))
        if u.when_missing:
            lines.append(f"  {u.tag_wire} missing: " + _cands(u.when_missing))
        if u.when_null:
            lines.append(f"  {u.tag_wire} null: " + _cands(u.when_null))
        if u.default:
            lines.append(f"  {u.tag_wire} missing or any other: {u.default} (defaultMapping)")
        else:
            lines.append(f"  any other {u.tag_wire}: {u.unknown}")
    if any(t.summary or t.parent or t.kind for t in api.tags):
        lines.extend(("", "Tags (OpenAPI 3.2 summary, parent, kind):"))
        for t in api.tags:
            said = [f"parent {t.parent}" if t.parent else "", f"kind {t.kind}" if t.kind else ""]
            lines.append(f"{t.name}" + "".join(f" [{s}]" for s in said if s) + (f": {t.summary}" if t.summary else ""))
    if any(s.deprecated or s.flows for s in api.securities):
        lines.extend(("", "Security schemes:"))
        lines.extend(f"{s.setting}: {s.kind} ({s.doc})" for s in api.securities)
    if api.which_class:
        lines.extend(("", api.which_class))
    lines.extend(_explain_operations(api))
    if api.operations:
        lines.extend(([""] if lines else []) + [client_tree.explain(api.resources).rstrip("\n")])
    return "\n".join(lines) + "\n"


def _explain_operations(api: ir.Api) -> list[str]:
    """Which operations page and how, which look like lists but are not paged (and what would
    decide them), and which send an idempotency key."""
    pages = [op for op in api.operations if op.pagination or op.pagination_note]
    keyed = [op for op in api.operations if op.idempotency_header]
    lines: list[str] = []
    if pages:
        lines.extend(("", "Pagination:"))
        for op in pages:
            style = f" [{op.pagination.style}]" if op.pagination else ""
            lines.append(f"{op.name} ({op.method} {op.path}){style}")
            lines.append("  " + (op.pagination.reason if op.pagination else op.pagination_note))
    if keyed:
        lines.extend(("", "Idempotency keys (a new UUID4 per call, the same on every retry; retried like GET):"))
        lines.extend(f"{op.name} ({op.method} {op.path}): `{op.idempotency_header}`" for op in keyed)
    return lines


def _cands(cands: tuple[ir.Candidate, ...]) -> str:
    if len(cands) == 1:
        return cands[0].model
    parts = []
    for c in cands[:-1]:
        tests = " and ".join(
            f"{k.key} present"
            if k.kind == "present"
            else f"{k.key} is {'/'.join(map(str, k.values))}"
            if k.kind == "type"
            else f"{k.key} in {list(k.values)}"
            for k in c.checks
        )
        parts.append(f"{c.model} if {tests or 'always'}")
    parts.append(f"else {cands[-1].model}")
    keyed = [f"{c.model}: {', '.join(c.keys)}" for c in cands if c.keys]
    if keyed:  # the tie-break the dispatcher applies before the order above
        parts.append("of several that fit, the one declaring more of the keys present (" + "; ".join(keyed) + ")")
    return "; ".join(parts)


__all__ = ["PACKAGE_FILES", "Result", "explain", "generate", "load_spec"]
