"""Phase 5, format: black with a pinned version and mode, cached by content hash.

The cache key is (formatter version, mode, text); a hit skips black entirely, which is what
makes `specbind check` and no-op regenerations cheap. The cache is an optimisation only:
a missing or unwritable cache directory changes nothing but speed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

BLACK_VERSION = "26.10.1"
LINE_LENGTH = 88
TARGET = "py311"


def description() -> str:
    return f"black {BLACK_VERSION} (line-length {LINE_LENGTH}, target {TARGET}, no preview)"


def cache_dir() -> Path | None:
    if os.environ.get("SPECBIND_NO_CACHE"):
        return None
    base = os.environ.get("SPECBIND_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specbind" / "fmt"


class FormatError(Exception):
    """black could not parse rendered output: a bug in specbind or its templates, not the spec."""


def _black(text: str) -> str:
    import black  # imported lazily: a cache hit never pays for it
    from black.mode import TargetVersion

    installed = version("black")
    if installed != BLACK_VERSION:
        raise FormatError(f"specbind needs black=={BLACK_VERSION} for byte-stable output, found {installed}")
    mode = black.Mode(
        target_versions={TargetVersion.PY311},
        line_length=LINE_LENGTH,
        string_normalization=True,
        magic_trailing_comma=True,
        preview=False,
    )
    return black.format_str(text, mode=mode)


def format_python(text: str) -> str:
    key = hashlib.sha256(f"{description()}\0{text}".encode()).hexdigest()
    root = cache_dir()
    hit = root / key[:2] / f"{key}.py" if root else None
    if hit is not None:
        try:
            return hit.read_text(encoding="utf-8")
        except OSError:
            pass
    out = _black(text)
    if hit is not None:
        try:
            hit.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=hit.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(out)
            os.replace(tmp, hit)
        except OSError:
            pass
    return out


def format_files(files: dict[str, str]) -> dict[str, str]:
    out = {}
    for path, text in files.items():
        try:
            out[path] = format_python(text) if path.endswith(".py") else text
        except FormatError:
            raise
        except Exception as exc:  # noqa: BLE001 - black raises InvalidInput and assorted internal errors
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise FormatError(f"rendered {path} is not valid Python ({first}); please report this") from None
    return out
