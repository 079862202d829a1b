"""schemathesis against the *generated* servers of real documents (Petstore, Stripe), in process
(its ASGI transport: no port, no subprocess). The service answers each operation with a small
valid value of the type it declares (tests/support/minimal.py); schemathesis sends requests the
document allows and checks every answer against the document: no 5xx, a declared status code
and content type, a body valid against the declared schema.

Bounded: ``EXAMPLES`` per operation, derandomized, no example database; only operations that
specbind generates are driven (the others are named in a generation warning, see
tests/test_corpus_behaviour.py). Failures are collected per operation and reported together.
Measured: the three documents take about 75 s of CPU (single-threaded, so about that on an idle
CI machine) and 190 s wall on the two shared cores with other work running: the Petstores about
7 s each; Stripe (171 generated operations of 468, 3 + 1 examples each) 96 s of schemathesis,
the rest generating and importing its package and loading the document into schemathesis.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from minimal import CannotBuild
from paths import SHARED
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from services import Recorder, answer_for, forget_package, generate_package, import_package

from specbind.config import Job
from specbind.pipeline import load_spec

CORPUS = SHARED / "corpus"
#: document -> examples per operation: (requests the document allows, requests it refuses).
DOCUMENTS = {
    "oas/petstore.yaml": (25, 25),
    "oas/petstore-expanded.yaml": (25, 25),
    "real/stripe-2023-09-12.yaml": (3, 1),
}
#: Requests the document allows, and requests it does not (the server must refuse them with a
#: declared 4xx, never a 5xx).
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared (the corpus) is not present")


@pytest.mark.parametrize("rel", list(DOCUMENTS))
def test_generated_server_conforms(rel: str, tmp_path: Path) -> None:
    spec = CORPUS / rel
    package = "fuzz_" + re.sub(r"\W+", "_", Path(rel).stem).lower()
    api, _ = generate_package(spec, tmp_path, package)
    pkg = import_package(tmp_path, package)
    failures: list[str] = []
    answers: dict[str, Any] = {}
    for op in api.operations:
        try:
            answers[op.name] = answer_for(pkg, api, op)
        except CannotBuild as exc:
            failures.append(f"{op.method} {op.path}: no valid answer could be built: {exc}")
    app = pkg["server"].create_app(Recorder(answers))
    data = load_spec(Job("fuzz", spec, tmp_path / "unused", package, (), spec.parent)).data
    schema = schemathesis.openapi.from_dict(data)
    generated = {(op.path, op.method) for op in api.operations if op.name in answers}
    started, driven = time.perf_counter(), 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.path, operation.method.upper()) not in generated:
            continue
        driven += 1
        for mode, examples in zip(MODES, DOCUMENTS[rel], strict=True):
            failures.extend(_drive(operation, app, examples, mode))
    took = time.perf_counter() - started
    forget_package(package)
    positive, negative = DOCUMENTS[rel]
    print(f"{rel}: {driven} operations, {positive}+{negative} examples each, {took:.0f} s", file=sys.stderr)
    assert driven == len(generated), f"schemathesis saw {driven} of the {len(generated)} generated operations"
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures[:20])


def _drive(operation: Any, app: Any, examples: int, mode: GenerationMode) -> list[str]:
    """Run one operation's examples; the first failure of each kind, with the request that caused it."""
    found: dict[str, str] = {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(app=app, base_url="http://testserver")
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # noqa: BLE001 - every kind of failure is reported, not raised
            key = type(exc).__name__ + str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
            if key not in found:
                found[key] = f"{operation.method.upper()} {operation.path} ({mode.value}): {str(exc)[:1500]}"

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            found["generation"] = f"{operation.method.upper()} {operation.path}: no request the document allows"
        # negative: nothing the document refuses can be sent (any string is a valid `petId`)
    except Exception as exc:  # noqa: BLE001 - schemathesis could not generate a case: said, per operation
        found.setdefault("generation", f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}")
    return list(found.values())
