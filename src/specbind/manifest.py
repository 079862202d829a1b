"""The manifest: what a generated package was made from, and the cheap checks built on it.

Kept apart from the pipeline so that the no-op path (nothing changed) imports neither the
builder, Jinja nor black.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import format_spec
from .config import Job
from .resources import templates_dir
from .write import MANIFEST


def templates_sha256() -> str:
    digest = hashlib.sha256()
    root = templates_dir()
    for path in sorted(p for p in root.rglob("*.jinja")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generator_sha256() -> str:
    """Fingerprint of everything that shapes the output besides the inputs: specbind's own
    code and templates, and the pinned formatting (not which formatter ran: both write the
    same bytes, so switching formatter leaves a package up to date)."""
    digest = hashlib.sha256(format_spec.description().encode())
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


def _sha256_or_missing(folder: Path, name: str) -> str:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return "refused"  # a manifest edited to point outside the spec's folder: never read
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def inputs_record(job: Job, includes: Iterable[str] = ()) -> dict[str, object]:
    """What the output is a pure function of; stored in the manifest, compared by `check`.

    ``includes``: other files the spec refers to (relative to its folder), each hashed too,
    so that an edit to any of them makes the output stale."""
    record: dict[str, object] = {
        "spec": {"name": job.spec.name, "sha256": hashlib.sha256(job.spec.read_bytes()).hexdigest()},
        "overlays": [{"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in job.overlays],
        "options": job.options_record(),
        "generator_sha256": generator_sha256(),
    }
    names = sorted(set(includes))
    if names:  # absent for a one-file spec, so its manifest is unchanged
        record["includes"] = [{"name": n, "sha256": _sha256_or_missing(job.spec.parent, n)} for n in names]
    return record


def _recorded_includes(manifest: dict[str, Any]) -> list[str]:
    """Names of the referenced files the last generation read (re-hashed to detect edits)."""
    inputs = manifest.get("inputs")
    entries = inputs.get("includes") if isinstance(inputs, dict) else None
    if not isinstance(entries, list):
        return []
    return [e["name"] for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)]


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
    old, new = manifest.get("inputs") or {}, inputs_record(job, _recorded_includes(manifest))
    reasons = []
    if old.get("spec") != new["spec"]:
        reasons.append(f"the spec changed ({job.spec.name})")
    if old.get("includes") != new.get("includes"):
        reasons.append("a file the spec refers to changed")
    if old.get("overlays") != new["overlays"]:
        reasons.append("the overlays changed")
    if old.get("options") != new["options"]:
        reasons.append(f"options changed: {old.get('options')} -> {new['options']}")
    if old.get("generator_sha256") != new["generator_sha256"]:
        reasons.append("specbind itself (code, templates or the pinned formatters) changed")
    edited = hand_edited(job.out, manifest)
    if edited:
        reasons.append("edited by hand: " + ", ".join(edited))
    return reasons


def recorded_warnings(out: Path) -> list[str]:
    """The warnings the last generation printed, as recorded in its manifest."""
    manifest = read_manifest(out)
    found = manifest.get("warnings") if manifest else None
    return [w for w in found if isinstance(w, str)] if isinstance(found, list) else []


def up_to_date(job: Job) -> bool:
    """Fast no-op path: the manifest records the same inputs and every file is untouched."""
    try:
        manifest = json.loads((job.out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("inputs") != inputs_record(job, _recorded_includes(manifest)):
            return False
        if manifest.get("warnings") and job.strict:  # rebuild, so that --strict fails on them
            return False
        if not all(isinstance(w, str) for w in manifest.get("warnings") or ()):
            return False  # an older manifest counted them: rebuild to say them
        for rel, sha in manifest["files"].items():
            if hashlib.sha256((job.out / rel).read_bytes()).hexdigest() != sha:
                return False
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False
    return True
