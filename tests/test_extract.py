"""spec/conversations.yaml is exactly what `specbind extract` cuts from the upstream document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paths import REPO, SHARED

from specbind.cli import main

UPSTREAM = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"


@pytest.mark.skipif(not UPSTREAM.exists(), reason="../shared/upstream is not beside this checkout")
def test_committed_fragment_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "conversations.yaml"
    assert main(["extract", str(UPSTREAM), "--path-prefix", "/conversations", "-o", str(out)]) == 0
    assert out.read_text() == (REPO / "spec" / "conversations.yaml").read_text()


def test_fragment_shape() -> None:
    data = yaml.safe_load((REPO / "spec" / "conversations.yaml").read_text())
    ops = [op["operationId"] for item in data["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(ops) == 8 and len(data["components"]["schemas"]) == 184
    assert data["x-specbind-provenance"]["source"] == "openai-openapi.2026-05-13.yaml"


def test_closure_follows_a_default_response(tmp_path: Path) -> None:
    """`responses: {default: ...}` is a response keyed `default`, not a schema's literal default:
    the schema it refers to belongs to the fragment (Stripe's error answers)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200': {description: ok}\n        default:\n          description: error\n"
        "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/error'}\n"
        "components:\n  schemas:\n    error: {type: object, properties: {message: {type: string}}}\n    unused: {type: string}\n"
    )
    out = tmp_path / "fragment.yaml"
    assert main(["extract", str(spec), "--path-prefix", "/a", "-o", str(out)]) == 0
    assert set(yaml.safe_load(out.read_text())["components"]["schemas"]) == {"error"}


def test_openapi_32_operations_keep_their_security_and_tags(tmp_path: Path) -> None:
    """A `query` operation and an `additionalOperations` entry are operations: the security
    schemes and tags only they use belong to the fragment."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n"
        "tags: [{name: q}, {name: purge}, {name: other}]\npaths:\n  /a:\n"
        "    query: {tags: [q], security: [{key: []}], responses: {'204': {description: ok}}}\n"
        "    additionalOperations:\n"
        "      PURGE: {tags: [purge], security: [{basic: []}], responses: {'204': {description: ok}}}\n"
        "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: k}\n"
        "    basic: {type: http, scheme: basic}\n    unused: {type: http, scheme: bearer}\n"
    )
    out = tmp_path / "fragment.yaml"
    assert main(["extract", str(spec), "--path-prefix", "/a", "-o", str(out)]) == 0
    data = yaml.safe_load(out.read_text())
    assert sorted(data["components"]["securitySchemes"]) == ["basic", "key"]
    assert [t["name"] for t in data["tags"]] == ["q", "purge"]
