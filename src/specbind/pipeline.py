"""The whole flow, one line per phase: load -> overlay -> resolve/build IR -> render -> format.

Returns ``{path: text}``; only ``write`` touches the disk.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__, fmt, ir
from .build import build_api, validate_root
from .config import Job
from .load import Document, load_file
from .overlay import apply_overlay
from .render import PACKAGE_FILES, GeneratorInfo, render_package
from .resources import templates_dir
from .surface import surface
from .write import MANIFEST


@dataclass(frozen=True)
class Result:
    api: ir.Api
    files: dict[str, str]


def load_spec(job: Job) -> Document:
    doc = load_file(job.spec, job.display(job.spec))
    validate_root(doc)
    if job.overlays:
        data = copy.deepcopy(doc.data)
        for path in job.overlays:
            data = apply_overlay(data, load_file(path, job.display(path)))
        doc = Document(doc.path, doc.text, data, doc.sha256)
    return doc


def generator_sha256() -> str:
    """Fingerprint of everything that shapes the output besides the inputs: specbind's own
    code and templates, and the formatter's identity."""
    digest = hashlib.sha256(fmt.description().encode())
    package = Path(__file__).resolve().parent
    # The same in a wheel and in a checkout: bundled copies (_vendor, templates) are skipped
    # in the package walk, and the templates are hashed from wherever they live.
    code = sorted(
        p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in ("_vendor", "templates", "spec")
    )
    for path in code:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(templates_sha256().encode())
    return digest.hexdigest()


def inputs_record(job: Job) -> dict[str, object]:
    """What the output is a pure function of; stored in the manifest, compared by `check`."""
    return {
        "spec": {"name": job.spec.name, "sha256": hashlib.sha256(job.spec.read_bytes()).hexdigest()},
        "overlays": [{"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in job.overlays],
        "options": {"package": job.package},
        "generator_sha256": generator_sha256(),
    }


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def hand_edited(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Files whose bytes differ from what the manifest says specbind wrote (or are missing)."""
    out = []
    for rel, sha in sorted((manifest.get("files") or {}).items()):
        try:
            ok = hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha
        except OSError:
            ok = False
        if not ok:
            out.append(rel)
    return out


def stale_reasons(job: Job) -> list[str]:
    """Why `job.out` is not what `generate` would write now, as far as the manifest can tell."""
    manifest = read_manifest(job.out)
    if manifest is None:
        return ["no manifest: never generated here, or written by something else"]
    old, new = manifest.get("inputs") or {}, inputs_record(job)
    reasons = []
    if old.get("spec") != new["spec"]:
        reasons.append(f"the spec changed ({job.spec.name})")
    if old.get("overlays") != new["overlays"]:
        reasons.append("the overlays changed")
    if old.get("options") != new["options"]:
        reasons.append(f"options changed: {old.get('options')} -> {new['options']}")
    if old.get("generator_sha256") != new["generator_sha256"]:
        reasons.append("specbind itself (code, templates or formatter) changed")
    edited = hand_edited(job.out, manifest)
    if edited:
        reasons.append("edited by hand: " + ", ".join(edited))
    return reasons


def up_to_date(job: Job) -> bool:
    """Fast no-op path: the manifest records the same inputs and every file is untouched."""
    try:
        manifest = json.loads((job.out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("inputs") != inputs_record(job):
            return False
        for rel, sha in manifest["files"].items():
            if hashlib.sha256((job.out / rel).read_bytes()).hexdigest() != sha:
                return False
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False
    return True


def templates_sha256() -> str:
    digest = hashlib.sha256()
    root = templates_dir()
    for path in sorted(p for p in root.rglob("*.jinja")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generate(job: Job) -> Result:
    doc = load_spec(job)  # load + overlay
    overlay_names = tuple(p.name for p in job.overlays)
    api = build_api(doc, package=job.package, spec_name=job.spec.name, overlays=overlay_names)  # resolve + IR
    gen = GeneratorInfo(version=__version__, formatter=fmt.description())
    files = fmt.format_files(render_package(api, gen))  # render + format
    files[MANIFEST] = manifest(job, doc, files, surface(api))
    return Result(api, files)


def manifest(job: Job, doc: Document, files: dict[str, str], api_surface: dict[str, object]) -> str:
    data = {
        "generator": f"specbind {__version__}",
        "formatter": fmt.description(),
        "templates_sha256": templates_sha256(),
        "inputs": inputs_record(job),
        "files": {p: hashlib.sha256(t.encode()).hexdigest() for p, t in sorted(files.items())},
        "surface": api_surface,
    }
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
        lines.append(f"  any other {u.tag_wire}: {u.unknown}")
    return "\n".join(lines) + "\n"


def _cands(cands: tuple[ir.Candidate, ...]) -> str:
    if len(cands) == 1:
        return cands[0].model
    parts = []
    for c in cands[:-1]:
        tests = " and ".join(
            f"{k.key} present" if k.kind == "present" else f"{k.key} is {'/'.join(map(str, k.values))}" if k.kind == "type" else f"{k.key} in {list(k.values)}"
            for k in c.checks
        )
        parts.append(f"{c.model} if {tests or 'always'}")
    parts.append(f"else {cands[-1].model}")
    return "; ".join(parts)


__all__ = ["PACKAGE_FILES", "Result", "explain", "generate", "load_spec", "up_to_date"]
