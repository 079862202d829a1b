"""specbind and its peers on the same real documents: generate / import / mypy --strict / ruff.

    pip install -e '.[test,bench]' && python bench/peers.py [--only SUBSTRING] [--markdown]

For every document of ../shared/corpus/ (see its SOURCES.md) and the whole OpenAI document,
each generator writes a package into a scratch folder; then, per tool, one fresh interpreter
per package imports every module it wrote, and `mypy --strict` and `ruff check --isolated`
run once over all of that tool's packages, findings counted per package. Measured, not
assumed: a cell says what happened in this run.

Peers: datamodel-code-generator (models only: `--output-model-type pydantic_v2.BaseModel`)
and openapi-python-client (a client; `--meta none`). Neither writes a server.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
UPSTREAM = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"
BIN = Path(sys.executable).parent
# Files that are only ever reached through another document's $ref.
REFERENCED_ONLY = {"dcg/external_ref_with_transitive_local_ref/schemas/feedback.yaml"}


def documents() -> list[tuple[str, Path]]:
    found = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    docs = [(p.relative_to(CORPUS).as_posix(), p) for p in found]
    docs = [(name, p) for name, p in docs if name not in REFERENCED_ONLY]
    return [*docs, ("openai (whole, 2026-05-13)", UPSTREAM)]


def package_name(doc: str) -> str:
    return "p_" + re.sub(r"[^a-z0-9]+", "_", doc.lower()).strip("_")


@dataclass
class Cell:
    generated: str = "-"  # ok / warnings / error / crash / n/a
    seconds: float = 0.0
    imported: str = "-"
    mypy: int | None = None
    ruff: int | None = None
    note: str = ""

    def text(self) -> str:
        if self.generated in ("error", "crash", "refused", "n/a"):
            return self.generated + (f" ({self.note})" if self.note else "")
        parts = [self.generated, self.imported]
        parts.append("-" if self.mypy is None else f"mypy {self.mypy}")
        parts.append("-" if self.ruff is None else f"ruff {self.ruff}")
        return " · ".join(parts)


@dataclass
class Tool:
    name: str
    generate: Callable[[Path, Path, str], subprocess.CompletedProcess[str]]
    roots: Callable[[Path, str], list[Path]]  # what to import / type-check, given out dir
    cells: dict[str, Cell] = field(default_factory=dict)


def _run(*cmd: str | Path, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def gen_specbind(doc: Path, out: Path, pkg: str) -> subprocess.CompletedProcess[str]:
    return _run(BIN / "specbind", "generate", "--spec", doc, "--out", out / pkg, "--package", pkg, cwd=out)


def gen_dcg(doc: Path, out: Path, pkg: str) -> subprocess.CompletedProcess[str]:
    (out / pkg).mkdir(parents=True, exist_ok=True)
    (out / pkg / "__init__.py").write_text("")
    cmd = (
        BIN / "datamodel-codegen",
        "--input",
        doc,
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
    )
    proc = _run(*cmd, "--output", out / pkg / "models.py", cwd=out)
    if "require an output directory" in proc.stderr:  # documents with modular references
        proc = _run(*cmd, "--output", out / pkg / "models", cwd=out)
    return proc


def _warned(text: str) -> bool:
    """A warning about the document, not the tool's notice about its own future defaults."""
    return any(
        re.search(r"warning", line, re.IGNORECASE) and "FutureWarning" not in line and "warn_deprecated" not in line
        for line in text.splitlines()
    )


def _first_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"error|fail|refus|not ", line, re.IGNORECASE) and "FutureWarning" not in line:
            return line[:70]
    return (lines or [""])[-1][:70]


def _opc_bin() -> Path:
    return Path(os.environ.get("OPC_BIN", BIN / "openapi-python-client"))


def gen_opc(doc: Path, out: Path, pkg: str) -> subprocess.CompletedProcess[str]:
    config = out / f"{pkg}.opc.yaml"
    config.write_text(f"package_name_override: {pkg}\nproject_name_override: {pkg}\n")
    return _run(
        _opc_bin(), "generate", "--path", doc, "--meta", "none", "--output-path", out / pkg, "--config", config, cwd=out
    )


def modules_of(root: Path, pkg: str) -> list[str]:
    mods = []
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods.append(".".join(parts))
    return mods


def import_check(out: Path, pkg: str) -> tuple[str, str]:
    mods = modules_of(out / pkg, pkg)
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    proc = _run(sys.executable, "-c", code, *mods, cwd=out, timeout=300)
    if proc.returncode == 0:
        return "imports", ""
    last = (proc.stderr.strip().splitlines() or ["?"])[-1]
    return "import fails", last[:80]


def count_findings(tool_out: Path, pkgs: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    mypy_counts = dict.fromkeys(pkgs, 0)
    ruff_counts = dict.fromkeys(pkgs, 0)
    if not pkgs:
        return mypy_counts, ruff_counts
    proc = _run(
        sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent",
        "--cache-dir", tool_out / ".mypy_cache", *pkgs, cwd=tool_out, timeout=1800,
    )  # fmt: skip
    for line in proc.stdout.splitlines():
        m = re.match(r"^([^/:]+)/.*?:\d+: error:", line)
        if m and m.group(1) in mypy_counts:
            mypy_counts[m.group(1)] += 1
    proc = _run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--output-format",
        "concise",
        *pkgs,
        cwd=tool_out,
    )
    for line in proc.stdout.splitlines():
        m = re.match(r"^([^/:]+)/", line)
        if m and m.group(1) in ruff_counts:
            ruff_counts[m.group(1)] += 1
    return mypy_counts, ruff_counts


def measure(tool: Tool, docs: list[tuple[str, Path]], scratch: Path) -> None:
    out = scratch / tool.name
    out.mkdir()
    imported: list[str] = []
    for name, path in docs:
        pkg = package_name(name)
        cell = tool.cells.setdefault(name, Cell())
        started = time.perf_counter()
        try:
            proc = tool.generate(path, out, pkg)
        except subprocess.TimeoutExpired:
            cell.generated, cell.note = "crash", "timed out"
            continue
        cell.seconds = time.perf_counter() - started
        text = proc.stdout + proc.stderr
        if proc.returncode != 0 or not (out / pkg).is_dir() or not any((out / pkg).rglob("*.py")):
            tb = "Traceback" in text
            cell.generated = "crash" if tb or proc.returncode not in (0, 1, 2) else "refused"
            cell.note = _first_error(text)
            continue
        cell.generated = "warns" if _warned(text) else "ok"
        cell.imported, note = import_check(out, pkg)
        cell.note = note
        if cell.imported == "imports":
            imported.append(pkg)
    mypy_counts, ruff_counts = count_findings(out, imported)
    for name, _ in docs:
        pkg = package_name(name)
        cell = tool.cells[name]
        if pkg in mypy_counts:
            cell.mypy, cell.ruff = mypy_counts[pkg], ruff_counts[pkg]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="documents whose name contains this")
    ap.add_argument("--tools", default="specbind,datamodel-codegen,openapi-python-client")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    docs = [d for d in documents() if not args.only or args.only in d[0]]
    available = {
        "specbind": Tool("specbind", gen_specbind, lambda o, p: [o / p]),
        "datamodel-codegen": Tool("datamodel-codegen", gen_dcg, lambda o, p: [o / p]),
        "openapi-python-client": Tool("openapi-python-client", gen_opc, lambda o, p: [o / p]),
    }
    tools = [available[t] for t in args.tools.split(",")]
    with tempfile.TemporaryDirectory(prefix="specbind-peers-") as tmp:
        for tool in tools:
            started = time.perf_counter()
            measure(tool, docs, Path(tmp))
            print(f"# {tool.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    header = "| document | " + " | ".join(t.name for t in tools) + " |"
    print(header)
    print("|" + "---|" * (len(tools) + 1))
    for name, _ in docs:
        print(f"| `{name}` | " + " | ".join(t.cells[name].text() for t in tools) + " |")
    for tool in tools:
        clean = sum(1 for c in tool.cells.values() if c.imported == "imports" and c.mypy == 0 and c.ruff == 0)
        print(
            f"\n{tool.name}: {clean} of {len(docs)} documents generate, import and pass mypy --strict and ruff with zero findings"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
