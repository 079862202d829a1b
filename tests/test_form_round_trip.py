"""Every application/x-www-form-urlencoded operation of the corpus (Stripe's included): a
value of the body model, drawn by hypothesis, is encoded by the generated client method and
decoded by the generated server's form reader, as its handler calls it; the same model must
come back, and nothing on the wire may be the text of a Python container or model
(`{'plan': 'pro'}`). The handlers themselves are exercised by tests/test_corpus_behaviour.py.

The values are what a form body carries exactly (see `values`); what it cannot (null, empty
containers, a delimiter inside a delimited value) is documented, not drawn.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import typing
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from minimal import minimal
from paths import SHARED
from values import strategy

from specbind.build import build_api
from specbind.config import Job
from specbind.errors import Diagnostics
from specbind.pipeline import load_spec
from specbind.render import GeneratorInfo, render_package

CORPUS = SHARED / "corpus"
OPENAI = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"
FORM = "application/x-www-form-urlencoded"
DOCS = sorted(
    p
    for p in ([*CORPUS.rglob("*"), OPENAI] if CORPUS.is_dir() else [])
    if p.suffix in (".yaml", ".yml", ".json") and "documents_with_errors" not in p.parts and p.parent.name != "schemas"
    and p.is_file() and FORM in p.read_text(encoding="utf-8")
)  # fmt: skip
EXAMPLES = {"stripe-2023-09-12.yaml": 6}  # per operation (Stripe has 228 form bodies); the others get 25
#: The text of a Python container or model: a quote, a call, or repr's separators. Drawn
#: strings hold none of these, and JSON text is sent compact (`[1,2]`, `{"a":1}`).
REPR = re.compile(r"'|\(|, |: ")

pytestmark = pytest.mark.skipif(not DOCS, reason="../shared (the corpus) is not present")


def _package(spec: Path, root: Path) -> tuple[Any, dict[str, Any]]:
    package = "rt_" + re.sub(r"\W+", "_", spec.stem).lower()
    job = Job("round-trip", spec, root / package, package, (), spec.parent)
    api = build_api(load_spec(job), package=package, spec_name=spec.name, diagnostics=Diagnostics())
    (root / package).mkdir()
    for rel, text in render_package(api, GeneratorInfo("test", "none")).items():
        (root / package / rel).parent.mkdir(parents=True, exist_ok=True)  # models/...
        (root / package / rel).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        mods = {name: importlib.import_module(f"{package}.{name}") for name in ("models", "client", "server")}
    finally:
        sys.path.remove(str(root))
    return api, mods


class Sent(Exception):
    """Raised by the transport once the client has put the request together."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__("sent")
        self.request = request


def _capture(request: httpx.Request) -> httpx.Response:
    raise Sent(request)


def _round_trip(pkg: dict[str, Any], op: Any, examples: int) -> list[str]:
    """The client method encodes (over a transport that keeps the request), the server's own
    form reader decodes with the fields the handler passes it (`op.form_fields`)."""
    client = pkg["client"].Client(
        base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(_capture))
    )
    method = attrgetter(op.python_path)(client)
    body_model = getattr(pkg["models"], op.body_model.removeprefix("models."))
    schema = body_model.model_json_schema()
    fields = {b.wire: b.name for b in op.body_fields}
    hints = typing.get_type_hints(method)
    fixed = {
        name: minimal(hints[name], parameter=True)
        for name, param in inspect.signature(method).parameters.items()
        if param.default is inspect.Parameter.empty and name not in fields.values()
    }
    values = strategy(schema, schema.get("$defs", {}))
    problems: list[str] = []

    @settings(max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        value = data.draw(values)
        expected = body_model.model_validate(value)  # drawn from its schema: must be valid
        with pytest.raises(Sent) as sent:
            method(**fixed, **{fields[k]: v for k, v in value.items()})
        content = sent.value.request.content
        reprs = [f"{k}={v}" for k, v in parse_qsl(content.decode(), keep_blank_values=True) if REPR.search(v)]
        assert not reprs, f"container text on the wire: {reprs[:3]}"
        got = body_model.model_validate(pkg["server"]._form(content, op.form_fields))
        assert got == expected, f"sent {value!r}\nas {content[:400]!r}\ngot {got!r}"

    try:
        check()
    except Exception as exc:  # noqa: BLE001 - reported with the operation
        for each in exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]:
            notes = "\n".join(getattr(each, "__notes__", []))  # hypothesis: the falsifying example
            problems.append(f"{op.name}: {type(each).__name__}: {str(each)[:1000]}\n{notes[:1500]}")
    return problems


@pytest.mark.parametrize("spec", DOCS, ids=lambda p: p.relative_to(SHARED).as_posix())
def test_every_form_body_round_trips(spec: Path, tmp_path: Path) -> None:
    api, pkg = _package(spec, tmp_path)
    ops = [op for op in api.operations if op.body_kind == "form" and op.body_fields]
    if not ops:
        pytest.skip("every form body is also offered as JSON, which the client sends")
    failures = [line for op in ops for line in _round_trip(pkg, op, EXAMPLES.get(spec.name, 25))]
    for name in [m for m in list(sys.modules) if m.startswith("rt_")]:
        del sys.modules[name]
    assert not failures, f"{len(failures)} of {len(ops)} form operations:\n" + "\n\n".join(failures[:15])
