"""specbind benchmark: one run, one table of ratios. Not a test: these machines are noisy.

    pip install -e '.[test,bench]' && python bench/run.py [--repeat 5] [--scale-only] [--items-only] [--no-black]

Every row is measured in this run against its baseline (median of --repeat runs; the validation
rows (c) and (d), best of --best runs of each side, interleaved, since on a shared machine the
least disturbed run is the one that measures the code), its target printed beside it.
`--items-only` runs only those. The scale rows run the whole OpenAI document
(../shared/upstream, skipped when absent) once each, cold (no output folder, no format cache,
see `cold_env`):
with the default formatter (ruff) on all cores and on one, and with `formatter = "black"` (the
reference: the bytes must be the same), against datamodel-codegen on the same document; then
the no-op `check` on it, Stripe (../shared/corpus/real) against datamodel-codegen, and a row
per document size (fragments cut from the OpenAI document with `specbind extract`) to show how
time grows with the size of the output. Row (m) generates the whole document and times import,
client construction and a first call against the official SDK's (`--first-call-only` runs it
alone).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
STRIPE = REPO.parent / "shared" / "corpus" / "real" / "stripe-2023-09-12.yaml"
#: Fragments of the OpenAI document, smallest output first (each: its paths plus what they use).
PREFIXES = ("/models", "/files", "/chat", "/conversations", "/responses", "/organization")
sys.path.insert(0, str(REPO / "generated"))
sys.path.insert(0, str(REPO / "tests" / "functional"))


def cold_env(tmp: Path) -> dict[str, str]:
    """Cold, as a user regenerating after an install: no output folder (each command removes
    it) and no format cache (`cold_sh` empties it), but specbind's own code compiled, as pip
    leaves an installed package and as the first run leaves the templates: Python bytecode
    written (these machines set PYTHONDONTWRITEBYTECODE, under which an editable checkout is
    compiled again on every run; datamodel-codegen's was compiled by pip) and the templates'
    bytecode kept in the cache folder. `warm_up` compiles both; row (h) also times a run with
    `SPECBIND_NO_CACHE=1`, templates compiled in the run."""
    return {"SPECBIND_CACHE_DIR": str(tmp / "cache-cold"), "PYTHONDONTWRITEBYTECODE": ""}


def cold_sh(tmp: Path, out: Path) -> list[str]:
    """`sh -c` that removes the output folder and the format cache, then runs its arguments."""
    return ["sh", "-c", f'rm -rf {out} {tmp / "cache-cold" / "specbind" / "fmt"} && exec "$@"', "sh"]


def warm_up(tmp: Path) -> None:
    """Compile specbind's modules and templates once (see `cold_env`)."""
    cmd = [sys.executable, "-m", "specbind", "generate", "--quiet", "--job", "default", "--out", str(tmp / "warm")]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **cold_env(tmp)}, cwd=REPO)


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


def differing_files(a: Path, b: Path) -> tuple[int, int]:
    """(files that differ byte for byte, files compared) between two generated packages."""
    names = sorted(p.name for p in a.iterdir() if p.is_file())
    return sum((a / n).read_bytes() != (b / n).read_bytes() for n in names), len(names)


def one_core() -> tuple[list[str], str]:
    """A command prefix pinning a run to one core, and how it is pinned."""
    if shutil.which("taskset"):
        return ["taskset", "-c", "0"], "taskset -c 0, SPECBIND_WORKERS=1"
    return [], "SPECBIND_WORKERS=1"


def scale(rows: list[tuple[str, str, str, str, str]], tmp: Path, black: bool = True) -> list[str]:
    """The whole OpenAI document, Stripe, and a row per size; returns the size table's lines."""
    specbind = [sys.executable, "-m", "specbind"]
    cold_vars = cold_env(tmp)
    warm_up(tmp)

    def cold(spec: Path, out: Path, formatter: str | None = None, prefix: list[str] | None = None) -> list[str]:
        chosen = ["--formatter", formatter] if formatter else []  # None: the default
        return [*cold_sh(tmp, out), *(prefix or []), *specbind, "generate", "--quiet",
                "--spec", str(spec), "--out", str(out), "--package", "openai_api", *chosen]  # fmt: skip

    def dcg(spec: Path, out: Path) -> list[str]:
        return [sys.executable, "-m", "datamodel_code_generator", "--input", str(spec), "--input-file-type", "openapi",
                "--output-model-type", "pydantic_v2.BaseModel", "--output", str(out)]  # fmt: skip

    t_dcg, m_dcg = measured(dcg(OPENAI, tmp / "dcg_openai.py"))
    t_def, m_def = measured(cold(OPENAI, tmp / "openai_default"), cold_vars)
    pin, how = one_core()
    t_one, m_one = measured(cold(OPENAI, tmp / "openai_one", prefix=pin), {**cold_vars, "SPECBIND_WORKERS": "1"})
    what = f"whole OpenAI document ({py_bytes(tmp / 'openai_default') / 2**20:.1f} MiB of output)"
    base = ("datamodel-codegen, models only", f"{t_dcg:.1f} s")
    rows.append((f"(h) cold generate, {what}, default formatter (ruff)", f"{t_def:.1f} s", *base,
                 f"{t_def / t_dcg:.2f}x (target <= 0.15x)"))  # fmt: skip
    rows.append((f"(h) same, one core ({how})", f"{t_one:.1f} s", *base, f"{t_one / t_dcg:.2f}x (target <= 0.15x)"))
    t_first, _ = measured(cold(OPENAI, tmp / "openai_first"), {**cold_vars, "SPECBIND_NO_CACHE": "1"})
    rows.append(("(h) same, SPECBIND_NO_CACHE=1 (templates compiled in the run, as on the first run)",
                 f"{t_first:.1f} s", *base, f"{t_first / t_dcg:.2f}x (for the record)"))  # fmt: skip
    rows.append(("(i) peak memory, whole document, default formatter", f"{m_def / 1024:.0f} MiB", "datamodel-codegen",
                 f"{m_dcg / 1024:.0f} MiB", f"{m_def / m_dcg:.2f}x (target <= 0.5x)"))  # fmt: skip
    rows.append(("(i) same, one core", f"{m_one / 1024:.0f} MiB", "datamodel-codegen", f"{m_dcg / 1024:.0f} MiB",
                 f"{m_one / m_dcg:.2f}x (target <= 0.5x)"))  # fmt: skip
    t_black = 0.0
    if black:
        t_black, m_black = measured(cold(OPENAI, tmp / "openai_black", "black"), cold_vars)
        rows.append(("(h) cold generate, whole document, formatter = \"black\" (the reference)", f"{t_black:.1f} s",
                     *base, f"{t_black / t_dcg:.2f}x (not the default; was the 0.7x target's)"))  # fmt: skip
        rows.append(("(i) peak memory, whole document, black", f"{m_black / 1024:.0f} MiB", "datamodel-codegen",
                     f"{m_dcg / 1024:.0f} MiB", f"{m_black / m_dcg:.2f}x (target <= 0.5x)"))  # fmt: skip
        differ, files = differing_files(tmp / "openai_default", tmp / "openai_black")
        rows.append(("(j) bytes, default formatter vs black, whole document", f"{differ} of {files} files differ",
                     "-", "-", "target: 0 (one set of bytes, manifest included)"))  # fmt: skip
    differ, files = differing_files(tmp / "openai_default", tmp / "openai_one")
    rows.append(("(j) bytes, all cores vs one core", f"{differ} of {files} files differ", "-", "-", "target: 0"))

    check = [*specbind, "check", "--quiet", "--spec", str(OPENAI), "--out", str(tmp / "openai_default"),
             "--package", "openai_api"]  # fmt: skip
    t_check = wall(check, repeat=3)
    rows.append(("(k) check, nothing changed, whole document", f"{t_check:.2f} s", *base,
                 f"{t_check / t_dcg:.3f}x (target <= 0.15x)"))  # fmt: skip

    if STRIPE.exists():
        s_dcg, sm_dcg = measured(dcg(STRIPE, tmp / "dcg_stripe"))  # a folder: its modular output
        s_ours, sm_ours = measured(cold(STRIPE, tmp / "stripe"), cold_vars)
        size = py_bytes(tmp / "stripe") / 2**20
        rows.append((f"(l) cold generate, Stripe 2023-09-12 ({size:.1f} MiB of output: models, client, server)",
                     f"{s_ours:.1f} s", "datamodel-codegen, models only", f"{s_dcg:.1f} s",
                     f"{s_ours / s_dcg:.2f}x (no target; (h)'s is 0.15x)"))  # fmt: skip
        rows.append(("(l) peak memory, Stripe", f"{sm_ours / 1024:.0f} MiB", "datamodel-codegen",
                     f"{sm_dcg / 1024:.0f} MiB", f"{sm_ours / sm_dcg:.2f}x (no target; (i)'s is 0.5x)"))  # fmt: skip

    head = "| document | output (.py) | cold, default (ruff) | default ms per output KB |"
    table = [
        head + (" cold, black | black ms per output KB |" if black else ""),
        "|---|---|---|---|" + ("---|---|" if black else ""),
    ]
    sizes: list[tuple[int, float, float]] = []
    for prefix in PREFIXES:
        frag = tmp / f"frag{prefix.replace('/', '_')}.yaml"
        subprocess.run([*specbind, "extract", str(OPENAI), "--path-prefix", prefix, "-o", str(frag)], check=True,
                       capture_output=True, cwd=REPO)  # fmt: skip
        tr, _ = measured(cold(frag, tmp / "frag"), cold_vars)
        tb = measured(cold(frag, tmp / "frag_black", "black"), cold_vars)[0] if black else 0.0
        sizes.append((py_bytes(tmp / "frag"), tr, tb))
    sizes.append((py_bytes(tmp / "openai_default"), t_def, t_black))
    names = [f"OpenAI `{p}` paths" for p in PREFIXES] + ["whole OpenAI document"]
    for name, (size, tr, tb) in zip(names, sizes, strict=True):
        line = f"| {name} | {size / 1024:.0f} KB | {tr:.1f} s | {tr * 1e6 / size:.1f} |"
        table.append(line + (f" {tb:.1f} s | {tb * 1e6 / size:.1f} |" if black else ""))
    for i, label in ((1, "default (ruff)"), (2, "black"))[: 2 if black else 1]:  # time = fixed + per_kb * size
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
    """(m) The whole OpenAI package from import to its first call, against the official SDK doing
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
            "(m) whole OpenAI package: import, construct the client, first GET (mock transport)",
            f"{t_ours * 1000:.0f} ms",
            "official SDK, the same",
            f"{t_sdk * 1000:.0f} ms",
            f"{t_ours / t_sdk:.2f}x (target <= 0.3x)",
        )
    )
    rows.append(
        (
            "(m) peak memory of the same (fresh interpreter)",
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
    ap.add_argument("--scale-only", action="store_true", help="only the whole-document, Stripe and size rows")
    ap.add_argument("--items-only", action="store_true", help="only the validation rows (c) and (d)")
    ap.add_argument("--first-call-only", action="store_true", help="only row (m), import to first call")
    ap.add_argument("--no-black", action="store_true", help='skip the formatter = "black" reference runs (minutes)')
    args = ap.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp())
    if args.first_call_only:
        if OPENAI.exists():
            first_call(rows, tmp, max(args.repeat, 7))
        _print(rows, [] if OPENAI.exists() else ["(../shared/upstream is absent: no row (m))"])
        return
    if args.scale_only:
        _print(rows, scale(rows, tmp, not args.no_black) if OPENAI.exists() else [])
        return
    if args.items_only:
        validation(rows, args.best)
        _print(rows, [])
        return
    specbind = [sys.executable, "-m", "specbind"]
    dcg = [sys.executable, "-m", "datamodel_code_generator", "--input", str(SPEC), "--input-file-type", "openapi",
           "--output-model-type", "pydantic_v2.BaseModel", "--output", str(tmp / "dcg_models.py")]  # fmt: skip
    gen = [*specbind, "generate", "--job", "default", "--out", str(tmp / "out")]
    # Cold: no output folder (so no manifest fast path) and no format cache (`cold_env`).
    cold = [*cold_sh(tmp, tmp / "cold"), *specbind, "generate", "--job", "default", "--out", str(tmp / "cold")]
    warm_up(tmp)
    t_dcg = wall(dcg, repeat=3)
    t_gen = wall(cold, cold_env(tmp), repeat=3)
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
    m_gen = peak_kib(cold, cold_env(tmp))
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
    sizes = (
        scale(rows, tmp, not args.no_black)
        if OPENAI.exists()
        else ["(../shared/upstream is absent: no whole-document rows)"]
    )
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
