"""specbind benchmark: one run, one table of ratios. Not a test: these machines are noisy.

    pip install -e '.[test,bench]' && python bench/run.py [--repeat 5] [--scale-only] [--items-only]

Every row is measured in this run against its baseline (median of --repeat runs; the validation
rows (c) and (d), best of --best runs of each side, interleaved, since on a shared machine the
least disturbed run is the one that measures the code). `--items-only` runs only those. The scale
rows run the whole OpenAI document (../shared/upstream, skipped when absent) once each, cold
(no output folder, no format cache), with black and with ruff, against datamodel-codegen on
the same document, then a row per document size (fragments cut from it with `specbind
extract`) to show how time grows with the size of the output. Row (k) generates the whole
document and times import, client construction and a first call against the official SDK's
(`--first-call-only` runs it alone).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "spec" / "conversations.yaml"
OPENAI = REPO.parent / "shared" / "upstream" / "openai-openapi.2026-05-13.yaml"
#: Fragments of the OpenAI document, smallest output first (each: its paths plus what they use).
PREFIXES = ("/models", "/files", "/chat", "/conversations", "/responses", "/organization")
sys.path.insert(0, str(REPO / "generated"))
sys.path.insert(0, str(REPO / "tests" / "functional"))


def wall(cmd: list[str], env: dict[str, str] | None = None, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})}, cwd=REPO)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def peak_kib(cmd: list[str], env: dict[str, str] | None = None) -> int:
    probe = (
        "import resource, subprocess, sys, json;"
        "subprocess.run(json.loads(sys.argv[1]), check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, json.dumps(cmd)], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, cwd=REPO)  # fmt: skip
    return int(out.stdout.strip())


def measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds, peak KiB of the largest process) of one run, measured from a probe parent."""
    probe = (
        "import resource, subprocess, sys, json, time;"
        "t = time.perf_counter();"
        "subprocess.run(json.loads(sys.argv[1]), check=True, capture_output=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, json.dumps(cmd)], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, cwd=REPO)  # fmt: skip
    seconds, kib = out.stdout.split()
    return float(seconds), int(kib)


def py_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.py"))


def differing_lines(a: Path, b: Path) -> tuple[int, int]:
    """(modules that differ, lines that differ) between two packages, header lines left out."""
    import difflib

    modules = lines = 0
    for left in sorted(a.glob("*.py")):
        x, y = left.read_text().splitlines()[3:], (b / left.name).read_text().splitlines()[3:]
        if x != y:
            modules += 1
            lines += sum(
                1 for d in difflib.unified_diff(x, y, n=0, lineterm="") if d[:1] in "+-" and d[:3] not in ("+++", "---")
            )
    return modules, lines


def scale(rows: list[tuple[str, str, str, str, str]], tmp: Path) -> list[str]:
    """The whole OpenAI document and a row per size; returns the size table's lines."""
    specbind = [sys.executable, "-m", "specbind"]
    no_cache = {"SPECBIND_NO_CACHE": "1"}

    def cold(spec: Path, out: Path, formatter: str) -> list[str]:
        return ["sh", "-c", f"rm -rf {out} && exec \"$@\"", "sh", *specbind, "generate", "--quiet", "--spec", str(spec),
                "--out", str(out), "--package", "openai_api", "--formatter", formatter]  # fmt: skip

    dcg = [sys.executable, "-m", "datamodel_code_generator", "--input", str(OPENAI), "--input-file-type", "openapi",
           "--output-model-type", "pydantic_v2.BaseModel", "--output", str(tmp / "dcg_openai.py")]  # fmt: skip
    t_dcg, m_dcg = measured(dcg)
    t_black, m_black = measured(cold(OPENAI, tmp / "openai_black", "black"), no_cache)
    t_ruff, m_ruff = measured(cold(OPENAI, tmp / "openai_ruff", "ruff"), no_cache)
    what = f"whole OpenAI document ({py_bytes(tmp / 'openai_ruff') / 2**20:.1f} MiB of output)"
    rows.append(
        (
            f"(h) cold generate, {what}, black",
            f"{t_black:.1f} s",
            "datamodel-codegen, models only",
            f"{t_dcg:.1f} s",
            f"{t_black / t_dcg:.2f}x (target <= 0.7x)",
        )
    )
    rows.append(
        (
            f"(h) cold generate, {what}, ruff",
            f"{t_ruff:.1f} s",
            "datamodel-codegen, models only",
            f"{t_dcg:.1f} s",
            f"{t_ruff / t_dcg:.2f}x (target <= 0.15x)",
        )
    )
    rows.append(
        (
            "(i) peak memory, whole document, black",
            f"{m_black / 1024:.0f} MiB",
            "datamodel-codegen",
            f"{m_dcg / 1024:.0f} MiB",
            f"{m_black / m_dcg:.2f}x (target <= 0.5x)",
        )
    )
    rows.append(
        (
            "(i) peak memory, whole document, ruff",
            f"{m_ruff / 1024:.0f} MiB",
            "datamodel-codegen",
            f"{m_dcg / 1024:.0f} MiB",
            f"{m_ruff / m_dcg:.2f}x (target <= 0.5x)",
        )
    )
    modules, lines = differing_lines(tmp / "openai_black", tmp / "openai_ruff")
    rows.append(
        (
            "(j) ruff output vs black's, whole document",
            f"{modules} modules, {lines} lines differ",
            "black",
            "-",
            "long annotations with a default, full last docstring lines (see tests/test_formatters.py)",
        )
    )

    table = [
        "| document | output (.py) | cold, black | cold, ruff | black ms per output KB | ruff ms per output KB |",
        "|---|---|---|---|---|---|",
    ]
    sizes: list[tuple[int, float, float]] = []
    for prefix in PREFIXES:
        frag = tmp / f"frag{prefix.replace('/', '_')}.yaml"
        subprocess.run(
            [*specbind, "extract", str(OPENAI), "--path-prefix", prefix, "-o", str(frag)],
            check=True,
            capture_output=True,
            cwd=REPO,
        )
        tb, _ = measured(cold(frag, tmp / "frag_black", "black"), no_cache)
        tr, _ = measured(cold(frag, tmp / "frag_ruff", "ruff"), no_cache)
        sizes.append((py_bytes(tmp / "frag_ruff"), tb, tr))
        table.append(
            f"| OpenAI `{prefix}` paths | {sizes[-1][0] / 1024:.0f} KB | {tb:.1f} s | {tr:.1f} s | {tb * 1e6 / sizes[-1][0]:.1f} | {tr * 1e6 / sizes[-1][0]:.1f} |"
        )
    sizes.append((py_bytes(tmp / "openai_ruff"), t_black, t_ruff))
    table.append(
        f"| whole OpenAI document | {sizes[-1][0] / 1024:.0f} KB | {t_black:.1f} s | {t_ruff:.1f} s | {t_black * 1e6 / sizes[-1][0]:.1f} | {t_ruff * 1e6 / sizes[-1][0]:.1f} |"
    )
    for i, label in ((1, "black"), (2, "ruff")):  # least squares: time = fixed + per_kb * size
        xs, ys = [s[0] / 1024 for s in sizes], [s[i] for s in sizes]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        r2 = statistics.correlation(xs, ys) ** 2
        table.append(
            f"\nfit, {label}: time = {my - slope * mx:.2f} s + {slope * 1000:.2f} ms per output KB (r^2 = {r2:.3f})"
        )
    return table


#: One fresh interpreter: httpx first (the harness's mock transport; both sides import it anyway),
#: then the timed part: import the client as a user would, construct it, one GET answered in
#: process. Prints the seconds and the interpreter's peak memory (KiB).
FIRST_CALL = """
import resource, sys, time
import httpx
body = {{"id": "m", "object": "model", "created": 1, "owned_by": "openai"}}
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)))
t = time.perf_counter()
{call}
took = time.perf_counter() - t
assert model.id == "m", model
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
OURS_FIRST_CALL = """
from specbind_openai import Client
client = Client(base_url="http://mock/v1", http_client=http)
resource_ = getattr(client, "models", None)  # the resource layout (client.models.retrieve), else flat
model = resource_.retrieve("m") if resource_ is not None else client.retrieve_model("m")
"""
SDK_FIRST_CALL = """
import openai
model = openai.OpenAI(base_url="http://mock/v1", api_key="k", http_client=http).models.retrieve("m")
"""


def first_call(rows: list[tuple[str, str, str, str, str]], tmp: Path, repeat: int) -> None:
    """(k) The whole OpenAI package from import to its first call, against the official SDK doing
    the same, alternating the two in fresh interpreters (medians of `repeat` rounds)."""
    out = tmp / "first_call" / "specbind_openai"
    subprocess.run([sys.executable, "-m", "specbind", "generate", "--quiet", "--spec", str(OPENAI), "--out", str(out),
                    "--package", "specbind_openai", "--formatter", "ruff"], check=True, capture_output=True, cwd=REPO)  # fmt: skip
    # Installed packages have their bytecode (pip compiles it; the SDK's is in site-packages): so has ours.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(out)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(out.parent)}
    runs: dict[str, list[tuple[float, int]]] = {"ours": [], "sdk": []}
    for _ in range(repeat):
        for side, call in (("ours", OURS_FIRST_CALL), ("sdk", SDK_FIRST_CALL)):
            probe = FIRST_CALL.format(call=call.strip())
            done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=env)
            seconds, kib = done.stdout.split()
            runs[side].append((float(seconds), int(kib)))
    t_ours, t_sdk = (statistics.median(t for t, _ in runs[side]) for side in ("ours", "sdk"))
    m_ours, m_sdk = (statistics.median(m for _, m in runs[side]) for side in ("ours", "sdk"))
    rows.append(
        (
            "(k) whole OpenAI package: import, construct the client, first GET (mock transport)",
            f"{t_ours * 1000:.0f} ms",
            "official SDK, the same",
            f"{t_sdk * 1000:.0f} ms",
            f"{t_ours / t_sdk:.2f}x (target <= 0.3x)",
        )
    )
    rows.append(
        (
            "(k) peak memory of the same (fresh interpreter)",
            f"{m_ours / 1024:.0f} MiB",
            "official SDK",
            f"{m_sdk / 1024:.0f} MiB",
            f"{m_ours / m_sdk:.2f}x",
        )
    )


def rate(fn: Callable[[], object], n_items: int, repeat: int) -> float:
    """Items per second of the best of `repeat` runs, in CPU time of this process: on a shared
    machine, wall time also counts the time other processes held the core."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return n_items / best


def rates(fns: dict[str, Callable[[], object]], n_items: int, repeat: int, rounds: int = 5) -> dict[str, float]:
    """`rate` of each, in `rounds` interleaved rounds (best kept), so all sides share the noise."""
    out: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in fns.items():
            out[name] = max(out.get(name, 0.0), rate(fn, n_items, max(1, repeat // rounds)))
    return out


def validation(rows: list[tuple[str, str, str, str, str]], best: int) -> None:
    """Rows (c) and (d): a 1,000-item response page and 1,000 request items, against the
    official SDK's parse and `json.loads` of the same text."""
    import conversations as c
    from openai._models import construct_type
    from openai.types.conversations import ConversationItemList as SdkList
    from payloads import REQUEST_ITEMS, RESPONSE_ITEMS
    from pydantic import TypeAdapter

    items = [RESPONSE_ITEMS[i % len(RESPONSE_ITEMS)][1] for i in range(1000)]
    page = json.dumps({"object": "list", "data": items, "first_id": "a", "last_id": "b", "has_more": False})
    req = [REQUEST_ITEMS[i % len(REQUEST_ITEMS)][1] for i in range(1000)]
    req_text = json.dumps(req)
    inputs = TypeAdapter(list[c.InputItem])
    r = rates(
        {
            "page": lambda: c.ConversationItemList.model_validate_json(page),
            "page_loads": lambda: json.loads(page),
            "req": lambda: inputs.validate_python(req),
            "req_json": lambda: inputs.validate_json(req_text),
            "req_loads": lambda: json.loads(req_text),
        },
        1000,
        best,
    )
    r_sdk = rate(lambda: construct_type(type_=SdkList, value=json.loads(page)), 1000, max(3, best // 5))
    rows.append(
        (
            "(c) 1,000-item page, validate_json",
            f"{r['page'] / 1000:.0f}k items/s",
            "official SDK parse",
            f"{r_sdk / 1000:.0f}k items/s",
            f"{r['page'] / r_sdk:.1f}x faster (target >= 9x)",
        )
    )
    rows.append(
        (
            "(c) same page",
            f"{r['page'] / 1000:.0f}k items/s",
            "json.loads",
            f"{r['page_loads'] / 1000:.0f}k items/s",
            f"{r['page_loads'] / r['page']:.2f}x slower (target <= 2.5x)",
        )
    )
    rows.append(
        (
            "(d) 1,000 request items via InputItem",
            f"{r['req'] / 1000:.0f}k items/s",
            "target",
            "100k items/s",
            f"{r['req'] / 100_000:.2f}x of target",
        )
    )
    rows.append(
        (
            "(d) same items as JSON text, validate_json",
            f"{r['req_json'] / 1000:.0f}k items/s",
            "json.loads",
            f"{r['req_loads'] / 1000:.0f}k items/s",
            f"{r['req_loads'] / r['req_json']:.2f}x slower (target <= 3x)",
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--best", type=int, default=40, help="runs of each validation measure (best kept)")
    ap.add_argument("--scale-only", action="store_true", help="only the whole-document and size rows")
    ap.add_argument("--items-only", action="store_true", help="only the validation rows (c) and (d)")
    ap.add_argument("--first-call-only", action="store_true", help="only row (k), import to first call")
    args = ap.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp())
    if args.first_call_only:
        if OPENAI.exists():
            first_call(rows, tmp, max(args.repeat, 7))
        _print(rows, [] if OPENAI.exists() else ["(../shared/upstream is absent: no row (k))"])
        return
    if args.scale_only:
        _print(rows, scale(rows, tmp) if OPENAI.exists() else [])
        return
    if args.items_only:
        validation(rows, args.best)
        _print(rows, [])
        return
    specbind = [sys.executable, "-m", "specbind"]
    dcg = [sys.executable, "-m", "datamodel_code_generator", "--input", str(SPEC), "--input-file-type", "openapi",
           "--output-model-type", "pydantic_v2.BaseModel", "--output", str(tmp / "dcg_models.py")]  # fmt: skip
    gen = [*specbind, "generate", "--job", "default", "--out", str(tmp / "out")]
    # Cold: no output folder (so no manifest fast path) and no format cache.
    cold = [
        "sh",
        "-c",
        f'rm -rf {tmp / "cold"} && exec "$@"',
        "sh",
        *specbind,
        "generate",
        "--job",
        "default",
        "--out",
        str(tmp / "cold"),
    ]
    cold_env = {"SPECBIND_CACHE_DIR": str(tmp / "cache-cold"), "SPECBIND_NO_CACHE": "1"}
    t_dcg = wall(dcg, repeat=3)
    t_gen = wall(cold, cold_env, repeat=3)
    rows.append(
        (
            "(a) cold generate: models, client, server (no format cache)",
            f"{t_gen:.2f} s",
            "datamodel-codegen, models only",
            f"{t_dcg:.2f} s",
            f"{t_gen / t_dcg:.2f}x (target <= 1.0x)",
        )
    )
    warm = {"SPECBIND_CACHE_DIR": str(tmp / "cache")}
    subprocess.run(gen, check=True, capture_output=True, env={**os.environ, **warm}, cwd=REPO)
    t_check = wall([*specbind, "check", "--job", "default", "--out", str(tmp / "out")], warm, repeat=args.repeat)
    rows.append(
        (
            "(b) check, nothing changed",
            f"{t_check:.2f} s",
            "datamodel-codegen",
            f"{t_dcg:.2f} s",
            f"{t_check / t_dcg:.2f}x (target <= 0.15x)",
        )
    )
    t_noop = wall(gen, warm, repeat=args.repeat)
    rows.append(
        (
            "(g) generate, nothing changed",
            f"{t_noop:.2f} s",
            "cold generate",
            f"{t_gen:.2f} s",
            f"{t_noop / t_gen:.2f}x (target <= 0.15x)",
        )
    )

    validation(rows, args.best)

    first = "import conversations as c; c.ConversationItemList.model_validate({'object':'list','data':[{'type':'message','id':'m','status':'completed','role':'user','content':[]}],'first_id':'m','last_id':'m','has_more':False})"
    env = {"PYTHONPATH": str(REPO / "generated")}
    t_base = wall([sys.executable, "-c", "pass"], repeat=args.repeat)
    t_ours = wall([sys.executable, "-c", first], env, repeat=args.repeat) - t_base
    t_sdk = wall([sys.executable, "-c", "import openai.types.conversations"], repeat=args.repeat) - t_base
    rows.append(
        (
            "(e) import + first validation",
            f"{t_ours * 1000:.0f} ms",
            "import openai.types.conversations",
            f"{t_sdk * 1000:.0f} ms",
            f"{t_ours / t_sdk:.2f}x (target <= 0.5x)",
        )
    )
    m_gen = peak_kib(cold, cold_env)
    m_dcg = peak_kib(dcg)
    rows.append(
        (
            "(f) peak memory of generate",
            f"{m_gen / 1024:.0f} MiB",
            "datamodel-codegen",
            f"{m_dcg / 1024:.0f} MiB",
            f"{m_gen / m_dcg:.2f}x (target <= 1.0x)",
        )
    )

    if OPENAI.exists():
        first_call(rows, tmp, max(args.repeat, 7))
    sizes = scale(rows, tmp) if OPENAI.exists() else ["(../shared/upstream is absent: no whole-document rows)"]
    _print(rows, sizes)


def _print(rows: list[tuple[str, str, str, str, str]], sizes: list[str]) -> None:
    head = ("measure", "specbind", "baseline", "baseline value", "ratio")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("\n".join(sizes))


if __name__ == "__main__":
    main()
