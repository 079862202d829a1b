"""Phase 5, format: one set of bytes, black 26.10.1's, written by ruff format 0.17.6 (the
default) or by black itself (`formatter = "black"`, the reference); both pinned, cached by
content hash.

The bytes do not depend on which formatter ran: ruff's output is brought back to black's where
ruff departs from it (`fmt_compat.py`; tests/test_formatters.py formats every corpus document
and the whole OpenAI document both ways and requires identical bytes). So headers and the
manifest say what the bytes are (`description()`), not which tool made them, and switching
formatter changes no byte and makes no package stale.

ruff formats all the modules of a package in one process, in parallel (one thread per core,
`SPECBIND_WORKERS` caps it). With black, large modules are cut at top-level definitions and the
pieces that miss the cache are formatted in parallel (fork; `SPECBIND_WORKERS=1` turns it off).
The cache (`fmt/` in the cache folder, see caches.py; `SPECBIND_NO_CACHE=1` disables it) is
an optimisation only: a missing or unwritable cache directory changes nothing but speed. Its
key holds the formatter, the versions and the code of ruff's path (fmt.py, fmt_compat.py), so
a change to either never reuses an old answer.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import threading
from functools import cache, partial
from pathlib import Path

from . import fmt_compat
from .caches import cache_folder
from .format_spec import (
    BLACK_VERSION,
    DEFAULT,
    LINE_LENGTH,
    RUFF_VERSION,
    TARGET,
    FormatError,
    FormatterUnavailable,
    description,
)

PREFETCH_BLACK_FROM = 500_000  # characters of modules


def version(distribution: str) -> str:
    """The installed version of a distribution (importlib.metadata is imported here, when
    formatting: `check` and the no-op generate never pay for it)."""
    from importlib.metadata import version as installed

    return installed(distribution)


def cache_dir() -> Path | None:
    return cache_folder("fmt")


def workers() -> int:
    return max(1, int(os.environ.get("SPECBIND_WORKERS") or os.cpu_count() or 1))


@cache
def _black_mode() -> object:
    import black  # imported lazily: a cache hit, or ruff, never pays for it
    from black.mode import TargetVersion

    installed = version("black")
    if installed != BLACK_VERSION:
        raise FormatterUnavailable(f"specbind needs black=={BLACK_VERSION} for byte-stable output, found {installed}")
    return black.Mode(
        target_versions={TargetVersion.PY311},
        line_length=LINE_LENGTH,
        string_normalization=True,
        magic_trailing_comma=True,
        preview=False,
    )


def _black(text: str) -> str:
    import black

    return black.format_str(text, mode=_black_mode())  # type: ignore[arg-type]


_CUT = "# specbind: cut\n"


def _black_statements(statements: list[tuple[str, str, int]]) -> list[str]:
    """black's formatting of (module, source, depth) statements (fmt_compat's case 2), each
    inside `class _:` wrappers as deep as it is, all in one call (a call costs more than a
    statement), cut apart at marker comments; one call each if a marker was not unique."""
    if not statements:
        return []

    def one(source: str, depth: int) -> str:
        return _CUT + "".join("    " * i + "class _:\n" for i in range(depth)) + "    " * depth + source + "\n"

    def cut(chunk: str, depth: int) -> str:
        return "".join(chunk.rstrip("\n").splitlines(keepends=True)[depth:]) + "\n"

    try:
        chunks = _black("".join(one(source, depth) for _, source, depth in statements)).split(_CUT)[1:]
        if len(chunks) == len(statements):
            return [cut(c, depth) for c, (_, _, depth) in zip(chunks, statements, strict=True)]
        return [cut(_black(one(source, depth)).split(_CUT)[1], depth) for _, source, depth in statements]
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - black raises InvalidInput and assorted internal errors
        raise _internal(", ".join(sorted({path for path, _, _ in statements})) + ": ", exc) from None


@cache
def _ruff_bin() -> str:
    from importlib.metadata import PackageNotFoundError

    try:
        installed = version("ruff")
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except (PackageNotFoundError, ImportError):
        raise FormatterUnavailable(f"specbind needs ruff=={RUFF_VERSION}: pip install 'ruff=={RUFF_VERSION}'") from None
    if installed != RUFF_VERSION:
        raise FormatterUnavailable(f"specbind needs ruff=={RUFF_VERSION} for byte-stable output, found {installed}")
    return str(find_ruff_bin())


def _ruff_many(texts: list[tuple[str, str]]) -> list[str]:
    """ruff's output for several (module name, text), formatted in one process (ruff formats
    the files it is given in parallel; one text goes through stdin, no file at all). Raises
    FormatError naming the module ruff could not parse."""
    if not texts:
        return []
    # --isolated: no ruff.toml/pyproject of the user's project may change the output;
    # --no-cache: no .ruff_cache in the user's folder.
    cmd = [
        _ruff_bin(),
        "format",
        "--isolated",
        "--no-cache",
        "--line-length",
        str(LINE_LENGTH),
        "--target-version",
        TARGET,
    ]
    if len(texts) == 1:
        name, text = texts[0]
        proc = _run_ruff([*cmd, "--stdin-filename", name, "-"], text, 1)
        if proc.returncode != 0:
            raise _ruff_error(proc, {}, name)
        return [proc.stdout]
    with tempfile.TemporaryDirectory(prefix="specbind-fmt-") as tmp:
        files = [Path(tmp) / f"m{i}.py" for i in range(len(texts))]
        for file, (_, text) in zip(files, texts, strict=True):
            file.write_bytes(text.encode("utf-8"))
        proc = _run_ruff([*cmd, *map(str, files)], None, len(files))
        if proc.returncode != 0:
            raise _ruff_error(proc, {str(file): name for file, (name, _) in zip(files, texts, strict=True)}, None)
        return [file.read_bytes().decode("utf-8") for file in files]


def _run_ruff(cmd: list[str], stdin: str | None, files: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAYON_NUM_THREADS": str(min(workers(), files))}
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, encoding="utf-8", env=env, check=False)


def _ruff_error(proc: subprocess.CompletedProcess[str], names: dict[str, str], name: str | None) -> FormatError:
    """The module ruff could not parse (``name``, or found in its message by file) and why."""
    message = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else f"exit {proc.returncode}"
    for file, module in names.items():
        if f"{file}:" in message:
            message, name = message.replace(f"{file}:", f"{module}:"), module
    where = name or ", ".join(sorted(set(names.values())))
    return FormatError(
        f"{where}: rendered code is not valid Python ({message.removeprefix('error: ')}); please report this"
    )


def _ruff_as_black(texts: dict[str, str]) -> dict[str, str]:
    """ruff's output for each module, with fmt_compat's three cases made black's."""
    prefetch = None
    if workers() > 1 and sum(map(len, texts.values())) > PREFETCH_BLACK_FROM:
        # Big documents nearly always have a case-2 statement: import black while ruff runs.
        prefetch = threading.Thread(target=_black_mode, daemon=True)
        prefetch.start()
    first = _ruff_many(list(texts.items()))
    parts = {path: fmt_compat.parts(texts[path], out) for path, out in zip(texts, first, strict=True)}
    shaped = [
        (path, part, text)
        for path, ps in parts.items()
        for part in ps
        if (text := fmt_compat.parenthesize_parameters(part)) is not None
    ]
    _ruff_again(shaped)
    plans = [(path, f) for path, ps in parts.items() for part in ps if (f := fmt_compat.plan(part)) is not None]
    statements = [(path, source, depth) for path, f in plans for _, _, source, depth in f.statements]
    if prefetch is not None:
        prefetch.join()
    formatted = iter(_black_statements(statements))
    for _, f in plans:
        f.apply([next(formatted) for _ in f.statements])
    return {path: fmt_compat.join(ps) for path, ps in parts.items()}


def _ruff_again(shaped: list[tuple[str, fmt_compat.Part, str]]) -> None:
    """Format the parenthesized parts again: a module's top-level parts in one file and its
    class members in another (files are not free: one per part would cost more than ruff)."""
    groups: dict[tuple[str, bool], list[tuple[fmt_compat.Part, str]]] = {}
    for path, part, text in shaped:
        groups.setdefault((path, part.member), []).append((part, fmt_compat.unwrap(text, part.member)))
    jobs = [(path, fmt_compat.together([t for _, t in items], member)) for (path, member), items in groups.items()]
    for ((path, member), items), out in zip(groups.items(), _ruff_many(jobs), strict=True):
        texts = [t for _, t in items]
        outs = fmt_compat.recut(texts, out, member)
        if outs is None:  # the cuts did not line up: one file per part
            outs = [
                fmt_compat.unwrap(o, member) for o in _ruff_many([(path, fmt_compat.wrap(t, member)) for t in texts])
            ]
        for (part, _), formatted in zip(items, outs, strict=True):
            part.out = formatted


@cache
def _phase_sha256() -> str:
    """The code of this phase: part of every cache key."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in ("fmt.py", "fmt_compat.py"))).hexdigest()


def _cache_path(text: str, formatter: str) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    # ruff's answer also depends on fmt_compat's code; black's only on black and its mode.
    code = _phase_sha256() if formatter == "ruff" else ""
    key = hashlib.sha256(f"{formatter}\0{description()}\0{code}\0{text}".encode()).hexdigest()
    return root / key[:2] / f"{key}.py"


def _cached(text: str, formatter: str) -> tuple[Path | None, str | None]:
    hit = _cache_path(text, formatter)
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


def format_python(text: str, formatter: str = DEFAULT, use_cache: bool = True) -> str:
    """One module (or, with black, one piece of one)."""
    hit, cached = _cached(text, formatter) if use_cache else (None, None)
    if cached is not None:
        return cached
    out = _ruff_as_black({"module": text})["module"] if formatter == "ruff" else _black(text)
    _store(hit, out)
    return out


CHUNK_CHARS = 40_000


def split_top_level(text: str) -> list[str]:
    """Cut a module at top-level definitions into pieces of about CHUNK_CHARS.

    black formats top-level definitions independently and puts two blank lines between them,
    so formatting the pieces and joining them with two blank lines gives black's output for
    the whole module (tests/test_generated_quality.py checks exactly that)."""
    pieces, start = [], 0
    for m in fmt_compat.BOUNDARY.finditer(text):
        if m.start() - start >= CHUNK_CHARS:
            pieces.append(text[start : m.start()] + "\n")
            start = m.end()
    pieces.append(text[start:])
    return pieces


def _internal(where: str, exc: Exception) -> FormatError:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return FormatError(f"{where}rendered code is not valid Python ({first}); please report this")


def _format_piece(piece: str, use_cache: bool = True) -> str | FormatError:
    """black's output for one piece, or the error (returned, so that a worker's failure is
    reported with the module it belongs to)."""
    try:
        return format_python(piece, "black", use_cache)
    except FormatError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - black raises InvalidInput and assorted internal errors
        return _internal("", exc)


def format_files(files: dict[str, str], formatter: str = DEFAULT, use_cache: bool = True) -> dict[str, str]:
    """Format every .py file of a package; the other files are returned as they are. A
    FormatError names the module the formatter could not read (nothing is written then)."""
    modules = {path: text for path, text in files.items() if path.endswith(".py")}
    if formatter == "ruff":
        done, hits = {}, {}
        for path, text in modules.items():
            hits[path], cached = _cached(text, "ruff") if use_cache else (None, None)
            if cached is not None:
                done[path] = cached
        todo = {path: text for path, text in modules.items() if path not in done}
        for path, out in _ruff_as_black(todo).items():
            _store(hits[path], out)
            done[path] = out
    else:
        done = _format_black(modules, use_cache)
    return {path: done.get(path, text) for path, text in files.items()}


def _format_black(modules: dict[str, str], use_cache: bool) -> dict[str, str]:
    pieces = {path: split_top_level(text) for path, text in modules.items()}
    todo = sorted({p for ps in pieces.values() for p in ps}, key=len, reverse=True)
    if use_cache:
        todo = [p for p in todo if _cached(p, "black")[1] is None]
    done: dict[str, str | FormatError] = {}
    import multiprocessing as mp  # only a cold run needs it

    n = min(len(todo), workers())
    if n > 1 and sum(map(len, todo)) > CHUNK_CHARS and "fork" in mp.get_all_start_methods():
        _black_mode()  # import black once, before forking, so the workers inherit it
        with mp.get_context("fork").Pool(n) as pool:
            results = pool.map(partial(_format_piece, use_cache=use_cache), todo, chunksize=1)
            done = dict(zip(todo, results, strict=True))
    out = {}
    for path, parts in pieces.items():
        formatted = []
        for piece in parts:
            result = done[piece] if piece in done else _format_piece(piece, use_cache)
            if isinstance(result, FormatterUnavailable):
                raise result
            if isinstance(result, FormatError):
                raise FormatError(f"{path}: {result}") from None
            formatted.append(result)
        out[path] = "\n\n".join(formatted)
    return out
