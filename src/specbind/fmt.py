"""Phase 5, format: black (the default) or ruff, each pinned, cached by content hash.

The cache key is (formatter, version, mode, text); a hit skips the formatter entirely. With
black, large modules are cut at top-level definitions and the pieces that miss the cache are
formatted in parallel (fork; `SPECBIND_WORKERS=1` turns it off). ruff (`formatter = "ruff"`,
the `ruff` extra) formats whole modules in its own process, an order of magnitude faster. Its
output is the same code as black's and the same bytes but for two constructs no ruff setting
changes (tests/test_formatters.py pins them): an annotation too long for its line with a
default (`x: VeryLong | None = None`), parenthesized by black and left bare by ruff, and a
docstring whose last line is full, where black puts the closing quotes on a line of their own.
The cache (`$SPECBIND_CACHE_DIR`, else `$XDG_CACHE_HOME/specbind`, `~/.cache/specbind`;
`SPECBIND_NO_CACHE=1` disables it) is an optimisation only: a missing or unwritable cache
directory changes nothing but speed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BLACK_VERSION = "26.10.1"
RUFF_VERSION = "0.17.6"
LINE_LENGTH = 88
TARGET = "py311"
FORMATTERS = ("black", "ruff")
DEFAULT = "black"


def description(formatter: str = DEFAULT) -> str:
    """Name, version and mode: printed in every header and recorded in the manifest."""
    if formatter == "ruff":
        return f"ruff format {RUFF_VERSION} (line-length {LINE_LENGTH}, target {TARGET}, isolated, no preview)"
    return f"black {BLACK_VERSION} (line-length {LINE_LENGTH}, target {TARGET}, no preview)"


def cache_dir() -> Path | None:
    if os.environ.get("SPECBIND_NO_CACHE"):
        return None
    base = os.environ.get("SPECBIND_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specbind" / "fmt"


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


def _ruff(text: str) -> str:
    try:
        installed = version("ruff")
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except (PackageNotFoundError, ImportError):
        raise FormatterUnavailable(
            f"formatter = \"ruff\" needs ruff=={RUFF_VERSION}: pip install 'specbind[ruff]'"
        ) from None
    if installed != RUFF_VERSION:
        raise FormatterUnavailable(f"specbind needs ruff=={RUFF_VERSION} for byte-stable output, found {installed}")
    # --isolated: no ruff.toml/pyproject of the user's project may change the output.
    cmd = [find_ruff_bin(), "format", "--isolated", "--line-length", str(LINE_LENGTH), "--target-version", TARGET, "-"]
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode != 0:
        first = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise FormatError(f"rendered code is not valid Python ({first}); please report this")
    return proc.stdout


def _cached(text: str, formatter: str = DEFAULT) -> tuple[Path | None, str | None]:
    key = hashlib.sha256(f"{description(formatter)}\0{text}".encode()).hexdigest()
    root = cache_dir()
    hit = root / key[:2] / f"{key}.py" if root else None
    if hit is not None:
        try:
            return hit, hit.read_text(encoding="utf-8")
        except OSError:
            pass
    return hit, None


def _store(hit: Path | None, out: str) -> None:
    if hit is None:
        return
    try:
        hit.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=hit.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(out)
        os.replace(tmp, hit)
    except OSError:
        pass


def format_python(text: str, formatter: str = DEFAULT) -> str:
    hit, cached = _cached(text, formatter)
    if cached is not None:
        return cached
    out = _ruff(text) if formatter == "ruff" else _black(text)
    _store(hit, out)
    return out


# A top-level definition that the generator always precedes with two blank lines.
_BOUNDARY = re.compile(r"\n\n\n(?=(?:class |[A-Za-z_][A-Za-z0-9_]*(?:: TypeAlias)? = ))")
CHUNK_CHARS = 40_000


def split_top_level(text: str) -> list[str]:
    """Cut a module at top-level definitions into pieces of about CHUNK_CHARS.

    black formats top-level definitions independently and puts two blank lines between them,
    so formatting the pieces and joining them with two blank lines gives black's output for
    the whole module (tests/test_generated_quality.py checks exactly that)."""
    pieces, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.start() - start >= CHUNK_CHARS:
            pieces.append(text[start : m.start()] + "\n")
            start = m.end()
    pieces.append(text[start:])
    return pieces


class FormatError(Exception):
    """The formatter could not parse rendered output: a bug in specbind or its templates, not the spec."""


class FormatterUnavailable(FormatError):
    """The chosen formatter is missing or not the pinned version: the user's environment, exit 2."""


def _format_piece(piece: str) -> str:
    try:
        return format_python(piece)
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - black raises InvalidInput and assorted internal errors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FormatError(f"rendered code is not valid Python ({first}); please report this") from None


def format_files(files: dict[str, str], formatter: str = DEFAULT) -> dict[str, str]:
    """Format every .py file; with black, pieces that miss the cache are formatted in parallel (fork)."""
    if formatter == "ruff":  # fast enough whole: no pieces, no workers
        return {path: format_python(text, "ruff") if path.endswith(".py") else text for path, text in files.items()}
    pieces = {path: split_top_level(text) for path, text in files.items() if path.endswith(".py")}
    todo = sorted({p for ps in pieces.values() for p in ps if _cached(p)[1] is None}, key=len, reverse=True)
    done: dict[str, str] = {}
    import multiprocessing as mp  # only a cold run needs it

    workers = min(len(todo), int(os.environ.get("SPECBIND_WORKERS") or os.cpu_count() or 1))
    if workers > 1 and sum(map(len, todo)) > CHUNK_CHARS and "fork" in mp.get_all_start_methods():
        _black("")  # import black once, before forking, so the workers inherit it
        with mp.get_context("fork").Pool(workers) as pool:
            done = dict(zip(todo, pool.map(_format_piece, todo, chunksize=1), strict=True))
    out = {}
    for path, text in files.items():
        if path not in pieces:
            out[path] = text
            continue
        formatted = [done[p] if p in done else _format_piece(p) for p in pieces[path]]
        out[path] = "\n\n".join(formatted)
    return out
