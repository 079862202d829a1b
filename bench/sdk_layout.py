"""How close the generated client's layout is to openai-python's own tree, on the whole OpenAI
document: each SDK method is matched to its HTTP method and path (read from its source), and
each operation's Python path (`chat.completions.create`) is compared with the SDK's.

    python bench/sdk_layout.py [auto|path|tags] [--diff]

Needs the `bench` (or `test`) extra: openai 3.54.0. Prints the counts as JSON; `--diff` lists the
operations whose paths differ.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

import openai

from specbind.build import build_api
from specbind.config import Job
from specbind.layout import Options
from specbind.pipeline import load_spec

OPENAI = Path(__file__).resolve().parents[2] / "shared" / "upstream" / "openai-openapi.2026-05-13.yaml"
_CALL = re.compile(
    r"self\._(get|post|delete|patch|put|get_api_list)\(\s*(?:path_template\()?\s*f?([\"'])(/[^\"']*)\2", re.DOTALL
)
_PREFIX = re.compile(r"^(beta|admin)\.")  # namespaces Stainless is configured with, not in the document


def _key(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{[^}]*\}", "{}", path)


def sdk_paths() -> dict[tuple[str, str], set[str]]:
    """(HTTP method, path) -> the SDK's Python paths that call it."""
    out: dict[tuple[str, str], set[str]] = {}
    seen: set[int] = set()

    def walk(obj: Any, prefix: str) -> None:
        for name, member in inspect.getmembers(type(obj)):
            if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
                continue
            if isinstance(member, functools.cached_property):
                child = getattr(obj, name)
                if id(child) not in seen:
                    seen.add(id(child))
                    walk(child, prefix + name + ".")
            elif inspect.isfunction(member) and prefix:
                for verb, _, path in _CALL.findall(inspect.getsource(member)):
                    out.setdefault(_key("GET" if verb == "get_api_list" else verb.upper(), path), set()).add(
                        prefix + name
                    )

    walk(openai.OpenAI(api_key="k", base_url="http://localhost"), "")
    return out


def main() -> None:
    rule = next((a for a in sys.argv[1:] if not a.startswith("--")), "auto")
    api = build_api(
        load_spec(Job("sdk", OPENAI, Path("."), "oai")), package="oai", spec_name=OPENAI.name,
        client_layout=Options(rule=rule),  # type: ignore[arg-type]
    )  # fmt: skip
    sdk = sdk_paths()
    ops = [op for op in api.operations if not op.stream_of]
    known = [op for op in ops if _key(op.method, op.path) in sdk]
    same = [op for op in known if op.python_path in sdk[_key(op.method, op.path)]]
    loose = [op for op in known if any(_PREFIX.sub("", p) == op.python_path for p in sdk[_key(op.method, op.path)])]
    print(json.dumps({"layout": rule, "operations": len(ops), "in the SDK": len(known), "same path": len(same),
                      "same path, beta./admin. aside": len(loose)}))  # fmt: skip
    if "--diff" in sys.argv:
        for op in known:
            if op not in loose:
                print(f"  ours {op.python_path:55} sdk {min(sdk[_key(op.method, op.path)])}")


if __name__ == "__main__":
    main()
