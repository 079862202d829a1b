"""Inside `properties` (and other name maps) keys are names: a property called `$ref`, `type`
or `enum` is a property. Literal data (`example`, `default`, `enum`, `const`) is never read as
a reference. Checked through generate (the model keeps the `$ref` key) and extract (the
closure follows real references only)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from paths import REPO

from specbind.cli import main
from specbind.load import load_bytes
from specbind.resolve import closure

HOSTILE = REPO / "tests" / "hostile" / "keyword_property_names" / "input.yaml"

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              example: {$ref: "#/components/schemas/OnlyInAnExample"}
components:
  schemas:
    Thing:
      type: object
      properties:
        $ref: {$ref: "#/components/schemas/Target"}
        properties: {type: string, default: {$ref: "#/components/schemas/OnlyInADefault"}}
    Target: {type: string}
    OnlyInAnExample: {type: string}
    OnlyInADefault: {type: string}
"""


def test_a_property_named_ref_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "kw"
    subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(HOSTILE), "--out", str(out), "--package", "kw"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    payload = {"$ref": "#/x", "type": "t", "properties": {"a": 1}, "allOf": ["s"], "default": True, "enum": {"id": "i"}}
    probe = (
        "import json, sys; from kw.models import Pointer;"
        "p = Pointer.model_validate_json(sys.argv[1]);"
        "print(json.dumps(p.model_dump(mode='json', by_alias=True, exclude_unset=True)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(payload)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == payload


def test_closure_follows_references_not_names_or_data() -> None:
    doc = load_bytes("spec.yaml", SPEC.encode())
    needed = closure(doc.data, doc.data["paths"])
    assert needed == {("components", "schemas", "Thing"), ("components", "schemas", "Target")}


def test_extract_cuts_the_same_closure(tmp_path: Path) -> None:
    src = tmp_path / "spec.yaml"
    src.write_text(SPEC)
    out = tmp_path / "fragment.yaml"
    assert main(["extract", str(src), "--path-prefix", "/things", "-o", str(out)]) == 0
    assert sorted(yaml.safe_load(out.read_text())["components"]["schemas"]) == ["Target", "Thing"]
