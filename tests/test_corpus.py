"""The generality corpus: real OpenAPI documents other generators test with (``../shared``).

Every document is generated into a temporary folder (two at a time); each package is then
imported in a fresh interpreter (models, client, server), every model and alias is built and
given a JSON schema (one TypeAdapter over all of them, so each definition is built once), and
``mypy --strict`` and ``ruff check --isolated`` run once over all the packages together (one
mypy process, one cache: the packages share nothing, but one run pays mypy's start-up and the
standard library's and pydantic's stubs once). Findings are attributed to their document, so
each document is one test. The fixture surveys every document whatever ``-k`` selects.

Cost (``python tests/test_corpus.py`` prints it per phase), measured on the two shared cores:
39 documents in about 350 s wall (generate 125 s, import + build 160 s, mypy 62 s, ruff 1 s) with
other work on the machine; the whole OpenAI document and Stripe (3,270 definitions; importing
its models, client and server alone takes 35 s) are most of it.

``python tests/test_corpus.py`` prints the same results as a table (for the README).
Skips cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
OPENAI = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"

# `specbind: warning: FILE:LINE: POINTER: message` (and the same for errors).
WARNING = re.compile(r"^specbind: warning: \S+:\d+: /\S*: .+$")
ERROR = re.compile(r"^specbind: error: \S+:\d+: /\S*: .+$")


@dataclass(frozen=True)
class Expect:
    """What a document deserves: ``generates`` (exit 0, located warnings allowed), ``warns``
    (exit 0 and a located warning containing ``fragment``) or ``error`` (exit 2, one located
    line per problem, one containing ``fragment``, nothing written)."""

    kind: str
    fragment: str = ""
    why: str = ""


GENERATES = Expect("generates")

#: Documents whose answer is not simply "generates". Each says why.
EXPECTATIONS: dict[str, Expect] = {
    "opc/documents_with_errors/circular-body-ref.yaml": Expect(
        "error", "$ref cycle", "the request body is a $ref to itself: there is no body to generate"
    ),
    "opc/documents_with_errors/missing-body-ref.yaml": Expect(
        "error", "dangling $ref", "the request body points at a location that does not exist"
    ),
    "opc/documents_with_errors/invalid-uuid-defaults.yaml": Expect(
        "warns",
        "default 3",
        "`default: 3` on a string parameter cannot be sent as declared: a warning, the default left "
        "out; `default: notauuid` is a string, and formats are annotations (README, typing policy)",
    ),
    "opc/documents_with_errors/bad-status-code.yaml": Expect(
        "generates", "", "a response keyed `abcdef` is not a status code; the operation still generates"
    ),
    "opc/documents_with_errors/optional-path-param.yaml": Expect(
        "warns",
        "path parameter",
        "a path parameter not marked required is still needed to build the URL: a warning, treated as required",
    ),
}

# Known failures: (document, stage) -> why. strict: each must fail today, so its mark goes the
# day it is fixed.
XFAIL: dict[tuple[str, str], str] = {}
#: The modules of a generated package this issue (models) answers for; the rest is issue 10's.
MODELS_SIDE = ("__init__.py", "_base.py", "_dispatch.py", "models/")


def on_models_side(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in MODELS_SIDE)


def package_name(rel: str) -> str:
    return "corpus_" + re.sub(r"[^a-z0-9]+", "_", rel.lower().rsplit(".", 1)[0]).strip("_")


def referenced_only(docs: list[Path]) -> set[Path]:
    """Files another document `$ref`s into (parts of a multi-file document, not documents)."""
    out: set[Path] = set()
    for doc in docs:
        for target in re.findall(
            r"""\$ref["']?\s*:\s*["']?([^"'#\s]+\.(?:ya?ml|json))""", doc.read_text(encoding="utf-8")
        ):
            out.add((doc.parent / target).resolve())
    return out


def documents() -> list[str]:
    if not CORPUS.is_dir():
        return []
    docs = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    parts = referenced_only(docs)
    rels = [p.relative_to(CORPUS).as_posix() for p in docs if p.resolve() not in parts]
    return rels + (["upstream/" + OPENAI.name] if OPENAI.is_file() else [])


def source(rel: str) -> Path:
    return SHARED / rel if rel.startswith("upstream/") else CORPUS / rel


# The package and its models package import no model; the client imports only what its
# argument checks name; every model then loads on first use (the server imports what it uses).
IMPORT_CHECK = """
import importlib, pathlib, sys
import pydantic
pkg = sys.argv[1]
models = importlib.import_module(pkg + ".models")
loaded = [m for m in sys.modules if m.startswith(pkg + ".models.")]
assert not loaded, f"importing the package loaded {loaded}"
if (pathlib.Path(pkg) / "client.py").exists():
    importlib.import_module(pkg + ".client")
# Every model and alias, built and given a JSON schema in one pass: each definition once. (One
# schema per model regenerates its whole closure each time: hours on Stripe's 3,270 definitions.)
definitions = tuple(getattr(models, name) for name in models.__all__)
pydantic.TypeAdapter(tuple[definitions]).json_schema()
if (pathlib.Path(pkg) / "server.py").exists():
    importlib.import_module(pkg + ".server")
print(len(definitions))
"""


@dataclass
class Result:
    rel: str
    package: str
    code: int = -1
    stderr: str = ""
    imported: str = ""  # "" when not tried; "ok N" or the last line of the failure
    mypy: list[str] = field(default_factory=list)
    ruff: list[str] = field(default_factory=list)


def _run(cmd: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPECBIND_WORKERS": "1", "PYTHONHASHSEED": "0"}
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:  # that document's failure, not the whole survey's
        return subprocess.CompletedProcess(cmd, -9, "", f"timed out after {timeout} s")


def survey(out: Path) -> dict[str, Result]:
    """Generate, import, type-check and lint every document into ``out``."""
    rels = sorted(documents(), key=lambda r: not r.startswith("upstream/"))  # the big one first
    results = {r: Result(r, package_name(r)) for r in rels}

    def generate(r: Result) -> None:
        cmd = [
            sys.executable,
            "-m",
            "specbind",
            "generate",
            "--spec",
            str(source(r.rel)),
            "--out",
            r.package,
            "--package",
            r.package,
        ]
        proc = _run(cmd, out, 600)
        r.code, r.stderr = proc.returncode, proc.stderr

    def import_check(r: Result) -> None:
        if r.code != 0:
            return
        proc = _run([sys.executable, "-c", IMPORT_CHECK, r.package], out, 300)
        lines = (proc.stdout + proc.stderr).strip().splitlines()
        r.imported = f"ok {lines[-1]}" if proc.returncode == 0 else (lines[-1] if lines else f"exit {proc.returncode}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(generate, results.values()))
        TIMINGS["generate"] = time.perf_counter() - started
        list(pool.map(import_check, results.values()))
    TIMINGS["import + build"] = time.perf_counter() - started - TIMINGS["generate"]
    built = [r.package for r in results.values() if r.code == 0]
    by_package = {r.package: r for r in results.values()}
    if built:
        started = time.perf_counter()
        mypy = _run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-color-output",
                "--cache-dir",
                str(out / ".mypy_cache"),
                *built,
            ],
            out,
            1800,
        )
        TIMINGS["mypy"] = time.perf_counter() - started
        for line in mypy.stdout.splitlines():
            pkg = line.split("/", 1)[0]
            if pkg in by_package and ": error:" in line:
                by_package[pkg].mypy.append(line)
        if mypy.returncode not in (0, 1):  # 2: mypy itself failed (a crash, a bad flag), not findings
            raise RuntimeError(f"mypy exited {mypy.returncode}: {(mypy.stderr or mypy.stdout)[-2000:]}")
        started = time.perf_counter()
        ruff = _run(
            [sys.executable, "-m", "ruff", "check", "--isolated", "--output-format", "concise", "--no-cache", *built],
            out,
            600,
        )
        TIMINGS["ruff"] = time.perf_counter() - started
        if ruff.returncode not in (0, 1):
            raise RuntimeError(f"ruff exited {ruff.returncode}: {(ruff.stderr or ruff.stdout)[-2000:]}")
        for line in ruff.stdout.splitlines():
            pkg = line.split("/", 1)[0]
            if pkg in by_package:
                by_package[pkg].ruff.append(line)
    return results


#: Seconds per phase of the last ``survey`` (printed by ``python tests/test_corpus.py``).
TIMINGS: dict[str, float] = {}


DOCS = documents()
pytestmark = pytest.mark.skipif(not DOCS, reason="../shared/corpus is absent")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    yield survey(tmp_path_factory.mktemp("corpus"))


def _mark(rel: str, stage: str) -> list[pytest.MarkDecorator]:
    reason = XFAIL.get((rel, stage))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def _params(stage: str) -> list[object]:
    return [pytest.param(rel, id=rel, marks=_mark(rel, stage)) for rel in DOCS]


@pytest.mark.parametrize("rel", _params("generate"))
def test_document_gets_the_answer_it_deserves(corpus: dict[str, Result], rel: str) -> None:
    r = corpus[rel]
    expect = EXPECTATIONS.get(rel, GENERATES)
    lines = [line for line in r.stderr.splitlines() if line.startswith("specbind: ")]
    assert "Traceback" not in r.stderr, r.stderr
    if expect.kind == "error":
        assert r.code == 2, r.stderr
        errors = [line for line in lines if line.startswith("specbind: error:")]
        assert errors and all(ERROR.match(line) for line in errors), r.stderr
        assert any(expect.fragment in line for line in errors), r.stderr
        return
    assert r.code == 0, r.stderr
    warnings = [line for line in lines if line.startswith("specbind: warning:")]
    assert all(WARNING.match(line) for line in warnings), warnings
    if expect.kind == "warns":
        assert any(expect.fragment in line for line in warnings), r.stderr
    assert r.imported.startswith("ok"), r.imported


def _findings(r: Result, models_side: bool) -> list[str]:
    def file_of(line: str) -> str:
        return line.split("/", 1)[1].split(":", 1)[0]

    return [line for line in r.mypy + r.ruff if on_models_side(file_of(line)) == models_side]


@pytest.mark.parametrize("rel", _params("models"))
def test_models_pass_mypy_strict_and_ruff(corpus: dict[str, Result], rel: str) -> None:
    r = corpus[rel]
    if r.code != 0:
        pytest.skip("not generated (see the document's own test)")
    found = _findings(r, models_side=True)
    assert found == [], "\n".join(found[:40])


@pytest.mark.parametrize("rel", _params("client_server"))
def test_client_and_server_pass_mypy_strict_and_ruff(corpus: dict[str, Result], rel: str) -> None:
    r = corpus[rel]
    if r.code != 0:
        pytest.skip("not generated (see the document's own test)")
    found = _findings(r, models_side=False)
    assert found == [], "\n".join(found[:40])


def _cell(ok: bool, text: str) -> str:
    return "ok" if ok else text.replace("|", "\\|")[:90]


def _split(lines: list[str]) -> str:
    ours = sum(on_models_side(line.split("/", 1)[1].split(":", 1)[0]) for line in lines)
    return f"models {ours or 'ok'}, client/server {len(lines) - ours or 'ok'}"


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        results = survey(Path(tmp))
        took = time.perf_counter() - start
    print("| document | generate | import + build | mypy --strict | ruff check |")
    print("|---|---|---|---|---|")
    for r in results.values():
        warnings = sum(line.startswith("specbind: warning:") for line in r.stderr.splitlines())
        gen = f"exit {r.code}" + (f", {warnings} warnings" if warnings else "")
        if r.code != 0:
            first = next((line for line in r.stderr.splitlines() if "error" in line), "")
            gen += ": " + first.split(": ", 3)[-1][:80]
        imp = (
            r.imported.replace("ok ", "ok (") + " definitions)" if r.imported.startswith("ok") else (r.imported or "-")
        )
        mypy, ruff = ("-", "-") if r.code else (_split(r.mypy), _split(r.ruff))
        print(f"| `{r.rel}` | {_cell(False, gen)} | {_cell(False, imp)} | {mypy} | {ruff} |")
    print(
        f"\n{len(results)} documents in {took:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in TIMINGS.items()) + ")"
    )


if __name__ == "__main__":
    main()
