"""specbind benchmark: one run, one table of ratios. Not a test: these machines are noisy.

    pip install -e '.[test,bench]' && python bench/run.py [--repeat 5]

Every row is measured in this run against its baseline (median of --repeat runs).
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


def rate(fn: Callable[[], object], n_items: int, repeat: int) -> float:
    fn()
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t)
    return n_items / statistics.median(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: list[tuple[str, str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp())
    specbind = [sys.executable, "-m", "specbind"]
    dcg = [sys.executable, "-m", "datamodel_code_generator", "--input", str(SPEC), "--input-file-type", "openapi",
           "--output-model-type", "pydantic_v2.BaseModel", "--output", str(tmp / "dcg_models.py")]  # fmt: skip
    gen = [*specbind, "generate", "--job", "default", "--out", str(tmp / "out")]
    # Cold: no output folder (so no manifest fast path) and no format cache.
    cold = ["sh", "-c", f"rm -rf {tmp / 'cold'} && exec \"$@\"", "sh", *specbind, "generate", "--job", "default", "--out", str(tmp / "cold")]
    cold_env = {"SPECBIND_CACHE_DIR": str(tmp / "cache-cold"), "SPECBIND_NO_CACHE": "1"}
    t_dcg = wall(dcg, repeat=3)
    t_gen = wall(cold, cold_env, repeat=3)
    rows.append(("(a) cold generate: models, client, server (no format cache)", f"{t_gen:.2f} s", "datamodel-codegen, models only", f"{t_dcg:.2f} s", f"{t_gen / t_dcg:.2f}x (target <= 1.0x)"))
    warm = {"SPECBIND_CACHE_DIR": str(tmp / "cache")}
    subprocess.run(gen, check=True, capture_output=True, env={**os.environ, **warm}, cwd=REPO)
    t_check = wall([*specbind, "check", "--job", "default", "--out", str(tmp / "out")], warm, repeat=args.repeat)
    rows.append(("(b) check, nothing changed", f"{t_check:.2f} s", "datamodel-codegen", f"{t_dcg:.2f} s", f"{t_check / t_dcg:.2f}x (target <= 0.15x)"))
    t_noop = wall(gen, warm, repeat=args.repeat)
    rows.append(("(g) generate, nothing changed", f"{t_noop:.2f} s", "cold generate", f"{t_gen:.2f} s", f"{t_noop / t_gen:.2f}x (target <= 0.15x)"))

    import conversations as c
    from openai._models import construct_type
    from openai.types.conversations import ConversationItemList as SdkList
    from payloads import REQUEST_ITEMS, RESPONSE_ITEMS
    from pydantic import TypeAdapter

    items = [RESPONSE_ITEMS[i % len(RESPONSE_ITEMS)][1] for i in range(1000)]
    page = json.dumps({"object": "list", "data": items, "first_id": "a", "last_id": "b", "has_more": False})
    r_ours = rate(lambda: c.ConversationItemList.model_validate_json(page), 1000, args.repeat)
    r_json = rate(lambda: json.loads(page), 1000, args.repeat)
    r_sdk = rate(lambda: construct_type(type_=SdkList, value=json.loads(page)), 1000, args.repeat)
    rows.append(("(c) 1,000-item page, validate_json", f"{r_ours / 1000:.0f}k items/s", "official SDK parse", f"{r_sdk / 1000:.0f}k items/s", f"{r_ours / r_sdk:.1f}x faster (target >= 9x)"))
    rows.append(("(c) same page", f"{r_ours / 1000:.0f}k items/s", "json.loads", f"{r_json / 1000:.0f}k items/s", f"{r_json / r_ours:.2f}x slower (target <= 2.5x)"))
    req = [REQUEST_ITEMS[i % len(REQUEST_ITEMS)][1] for i in range(1000)]
    inputs = TypeAdapter(list[c.InputItem])
    r_req = rate(lambda: inputs.validate_python(req), 1000, args.repeat)
    rows.append(("(d) 1,000 request items via InputItem", f"{r_req / 1000:.0f}k items/s", "target", "100k items/s", f"{r_req / 100_000:.2f}x of target"))
    req_text = json.dumps(req)
    r_req_json = rate(lambda: inputs.validate_json(req_text), 1000, args.repeat)
    r_req_loads = rate(lambda: json.loads(req_text), 1000, args.repeat)
    rows.append(("(d) same items as JSON text, validate_json", f"{r_req_json / 1000:.0f}k items/s", "json.loads", f"{r_req_loads / 1000:.0f}k items/s", f"{r_req_loads / r_req_json:.2f}x slower (target <= 3x)"))

    first = "import conversations as c; c.ConversationItemList.model_validate({'object':'list','data':[{'type':'message','id':'m','status':'completed','role':'user','content':[]}],'first_id':'m','last_id':'m','has_more':False})"
    env = {"PYTHONPATH": str(REPO / "generated")}
    t_base = wall([sys.executable, "-c", "pass"], repeat=args.repeat)
    t_ours = wall([sys.executable, "-c", first], env, repeat=args.repeat) - t_base
    t_sdk = wall([sys.executable, "-c", "import openai.types.conversations"], repeat=args.repeat) - t_base
    rows.append(("(e) import + first validation", f"{t_ours * 1000:.0f} ms", "import openai.types.conversations", f"{t_sdk * 1000:.0f} ms", f"{t_ours / t_sdk:.2f}x (target <= 0.5x)"))
    m_gen = peak_kib(cold, cold_env)
    m_dcg = peak_kib(dcg)
    rows.append(("(f) peak memory of generate", f"{m_gen / 1024:.0f} MiB", "datamodel-codegen", f"{m_dcg / 1024:.0f} MiB", f"{m_gen / m_dcg:.2f}x (target <= 1.0x)"))

    head = ("measure", "specbind", "baseline", "baseline value", "ratio")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
