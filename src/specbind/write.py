"""Phase 6, write or compare. The only module that touches the output folder.

A package is staged in a temporary sibling folder (files this run writes, plus any file in the
old folder that specbind did not write), then swapped in with two renames; a leftover backup
from a run killed between them is restored on the next run. The manifest names the files
specbind owns, so stale ones are removed and foreign ones never are.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "specbind-manifest.json"


@dataclass(frozen=True)
class Drift:
    path: str
    status: str  # "changed" | "missing" | "unexpected"
    diff: str


def owned_files(out_dir: Path) -> set[str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return set(data.get("files", {})) | {MANIFEST}
    except (OSError, ValueError, AttributeError):
        return {MANIFEST}


def _backup_of(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.specbind-old")


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that a killed run left half done."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.specbind-new-*"):
        shutil.rmtree(stale, ignore_errors=True)  # staging left by a killed run
    backup = _backup_of(out_dir)
    if backup.exists():
        if out_dir.exists():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(backup, out_dir)


def write_tree(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``out_dir`` atomically; return the paths that changed."""
    out_dir = out_dir.resolve()
    recover(out_dir)
    changed = [p for p in sorted(files) if _read(out_dir / p) != files[p]]
    if not changed and not (owned_files(out_dir) - set(files) - {MANIFEST}) and out_dir.exists():
        return []
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.specbind-new-", dir=out_dir.parent))
    try:
        if out_dir.exists():
            owned = owned_files(out_dir)
            for src in sorted(out_dir.rglob("*")):
                rel = src.relative_to(out_dir).as_posix()
                if src.is_file() and rel not in owned and rel not in files and "__pycache__" not in rel:
                    (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, stage / rel)
        for rel, text in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        backup = _backup_of(out_dir)
        if out_dir.exists():
            os.replace(out_dir, backup)
        os.replace(stage, out_dir)
        shutil.rmtree(backup, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return changed


def _read(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def compare_tree(out_dir: Path, files: dict[str, str]) -> list[Drift]:
    drifts: list[Drift] = []
    for rel in sorted(files):
        old = _read(out_dir / rel)
        if old == files[rel]:
            continue
        status = "missing" if old is None else "changed"
        diff = "".join(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True), files[rel].splitlines(keepends=True),
                f"a/{rel}", f"b/{rel}",
            )
        )  # fmt: skip
        drifts.append(Drift(rel, status, diff))
    for rel in sorted(owned_files(out_dir) - set(files)):
        if (out_dir / rel).exists():
            drifts.append(Drift(rel, "unexpected", f"{rel}: written by an earlier run, no longer generated\n"))
    return drifts


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
