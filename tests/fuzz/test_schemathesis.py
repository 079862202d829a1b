"""schemathesis against the running reference server, driven by the fragment (overlays applied):
no 5xx, every response conforms to the spec. Bounded: a few examples per operation."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings
from live_server import Server
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from specbind.config import load_jobs
from specbind.pipeline import load_spec


def _spec() -> dict:  # type: ignore[type-arg]
    job = next(j for j in load_jobs(Path(__file__).resolve().parents[2]) if j.name == "default")
    return copy.deepcopy(load_spec(job).data)


schema = schemathesis.openapi.from_dict(_spec())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(tmp_path_factory.mktemp("fuzz") / "fuzz.db", "openai").start()
    yield s
    s.stop()


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms(case, server):  # type: ignore[no-untyped-def]
    response = case.call(base_url=server.base_url, timeout=30)
    case.validate_response(
        response,
        checks=(not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance),
    )
