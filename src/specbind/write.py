"""Phase 6, write or compare. The only module that touches the output folder.

A package is staged in a temporary sibling folder (files this run writes, plus any file in the
old folder that specbind did not write), then swapped in with two renames; a leftover backup
from a run killed between them is restored on the next run. The manifest names the files
specbind owns, so stale ones are removed and foreign ones never are; a folder that holds
files but no manifest is refused unless the caller forces it. Folders and files are created
with the process umask (no mkdtemp/mkstemp: those are private, 0700/0600).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import SpecError

MANIFEST = "specbind-manifest.json"


@dataclass(frozen=True)
class Drift:
    path: str
    status: str  # "changed" | "missing" | "unexpected"
    diff: str


def _manifest_files(out_dir: Path) -> dict[str, str] | None:
    """{path: sha256} of the files the last run wrote; None when there is no manifest."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None


def owned_files(out_dir: Path) -> set[str]:
    return set(_manifest_files(out_dir) or {}) | {MANIFEST}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _untouched(out_dir: Path) -> set[str]:
    """Files specbind wrote that are still as it wrote them: the only ones it may delete."""
    recorded = _manifest_files(out_dir) or {}
    return {rel for rel, sha in recorded.items() if _sha256(out_dir / rel) == sha} | {MANIFEST}


def check_target(out_dir: Path, shown: str, force: bool = False) -> None:
    """Refuse an output path that is not ours to write: a file, or a folder holding files
    but no manifest (someone else's code). ``force`` allows the folder (never the file)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SpecError.one(shown, "", "exists and is not a folder; choose another --out")
    if force or not out_dir.is_dir() or (out_dir / MANIFEST).is_file():
        return
    if any(p.is_file() for p in out_dir.rglob("*") if "__pycache__" not in p.parts):
        raise SpecError.one(
            shown, "", "holds files specbind did not write (no specbind-manifest.json); choose another "
            "--out, or pass --force to write specbind's files into it (nothing else is deleted)",
        )  # fmt: skip


#: What `overwrites` found, as said to the user.
OVERWRITE_NOTES = {
    "foreign": "not written by specbind; overwritten (--force)",
    "edited": "edited by hand since the last generation; overwritten",
    "kept": "edited by hand and no longer generated; kept",
}


def overwrites(out_dir: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    """(path, kind) for each existing file that writing ``files`` touches although specbind
    did not write it as it is now: "foreign" (never specbind's: replaced only with --force),
    "edited" (edited by hand: replaced) or "kept" (edited, no longer generated: left alone)."""
    recorded = _manifest_files(out_dir)
    out: list[tuple[str, str]] = []
    for rel in sorted(files):
        if rel == MANIFEST:
            continue
        current = _sha256(out_dir / rel)
        if current is None or current == hashlib.sha256(files[rel].encode()).hexdigest():
            continue
        if recorded is None or rel not in recorded:
            out.append((rel, "foreign"))
        elif recorded[rel] != current:
            out.append((rel, "edited"))
    for rel in sorted(set(recorded or {}) - set(files)):
        current = _sha256(out_dir / rel)
        if current is not None and current != (recorded or {})[rel]:
            out.append((rel, "kept"))
    return out


def check_overwrites(out_dir: Path, shown: str, files: dict[str, str], force: bool = False) -> list[tuple[str, str]]:
    """Refuse (unless ``force``) to replace a file specbind never wrote, e.g. the user's own
    `client.py` in a package whose spec now has operations; else (path, note) to print."""
    found = overwrites(out_dir, files)
    foreign = [rel for rel, kind in found if kind == "foreign"]
    if foreign and not force:
        raise SpecError.one(
            f"{shown}/{foreign[0]}", "", f"specbind did not write this file and would replace it ({len(foreign)} such "
            "files); move it, choose another --out, or pass --force to replace it",
        )  # fmt: skip
    return [(rel, OVERWRITE_NOTES[kind]) for rel, kind in found]


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


def _fresh(parent: Path, prefix: str, make: Callable[[Path], None]) -> Path:
    """A new, unused path under ``parent`` created by ``make`` (which must fail if it exists)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            make(path)
        except FileExistsError:
            continue
        return path


def _on_disk(out_dir: Path) -> set[str]:
    return {
        p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def write_tree(out_dir: Path, files: dict[str, str], force: bool = False, exact: bool = False) -> list[str]:
    """Write ``files`` under ``out_dir`` atomically; return the paths that changed. ``exact``
    (a golden folder of the test cases, which has no manifest): nothing else is kept."""
    check_target(out_dir, str(out_dir), force)
    out_dir = out_dir.resolve()
    recover(out_dir)
    changed = [p for p in sorted(files) if _read(out_dir / p) != files[p]]
    stale = (
        _on_disk(out_dir) - set(files) if exact and out_dir.exists() else owned_files(out_dir) - set(files) - {MANIFEST}
    )
    if not changed and not stale and out_dir.exists():
        return []
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # os.mkdir honours the umask (mkdtemp would make the package folder 0700).
    stage = _fresh(out_dir.parent, f".{out_dir.name}.specbind-new-", lambda p: p.mkdir())
    try:
        if out_dir.exists() and not exact:
            owned = _untouched(out_dir)  # a hand-edited file that is no longer generated stays
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


def compare_tree(out_dir: Path, files: dict[str, str], exact: bool = False) -> list[Drift]:
    """What differs between ``files`` and ``out_dir``; ``exact``: any other file there too."""
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
    extra = _on_disk(out_dir) if exact and out_dir.is_dir() else owned_files(out_dir)
    for rel in sorted(extra - set(files)):
        if (out_dir / rel).exists():
            drifts.append(Drift(rel, "unexpected", f"{rel}: written by an earlier run, no longer generated\n"))
    return drifts


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fds: list[int] = []
    # O_EXCL with mode 0o666 honours the umask (mkstemp would make the file 0600).
    tmp = _fresh(
        path.parent, f".{path.name}.", lambda p: fds.append(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    )
    try:
        with os.fdopen(fds[0], "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
