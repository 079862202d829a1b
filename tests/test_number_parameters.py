"""A JSON `number` parameter is `float` in the client's and the service's signatures (PEP 484:
an int is accepted where float is declared; ruff PYI041), yet an int still goes on the wire as
`1`, not `1.0`, and reaches the service as the int it was; a float stays a float. A parameter's
default that its schema refuses is a located warning and is left out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /scores/{score}:
    get:
      operationId: get_score
      parameters:
        - {name: score, in: path, required: true, schema: {type: number}}
        - {name: limit, in: query, required: true, schema: {type: number, minimum: 0}}
        - {name: scale, in: query, schema: {type: [number, "null"]}}
        - {name: label, in: query, schema: {type: string, default: 3}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
"""

PROBE = """
import asyncio, inspect, json, sys
import httpx
from num.client import Client, ScoresResource
from num.server import create_app

sent = []

def answer(request: httpx.Request) -> httpx.Response:
    sent.append(str(request.url))
    return httpx.Response(200, json={})

client = Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.scores.retrieve(2, limit=1, scale=1)
client.scores.retrieve(2.5, limit=0.5, scale=None)

got = []

class Service:
    async def get_score(self, ctx, score, *, limit, scale=None, label=None):
        got.append([score, limit, scale, label, type(score).__name__, type(limit).__name__, type(scale).__name__])
        return {}

app = create_app(Service())
transport = httpx.ASGITransport(app=app)

async def serve() -> None:
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        for url in sent:
            answer = await http.get(url.removeprefix("http://x"))
            assert answer.status_code == 200, answer.text

asyncio.run(serve())
signature = str(inspect.signature(ScoresResource.retrieve))
print(json.dumps({"sent": sent, "got": got, "signature": signature}))
"""


def test_numbers_are_float_in_signatures_and_exact_on_the_wire(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    made = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", str(tmp_path / "num"), "--package", "num"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # The string parameter's `default: 3` is refused, located, and left out.
    warnings = [line for line in made.stderr.splitlines() if line.startswith("specbind: warning:")]
    assert any(
        "/parameters/3/schema/default: default 3 does not match the parameter's schema" in w for w in warnings
    ), made.stderr
    client = (tmp_path / "num" / "client.py").read_text()
    server = (tmp_path / "num" / "server.py").read_text()
    assert "score: float," in client and "limit: float," in client and "scale: float | None = None," in client
    assert "int | float" not in client.split("class ScoresResource")[1].split("def retrieve")[1].split(") ->")[0]
    assert "limit: float," in server and "scale: float | None = None," in server
    assert " = 3" not in server
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["sent"] == [
        "http://x/scores/2?limit=1&scale=1",
        "http://x/scores/2.5?limit=0.5",
    ]
    assert result["got"] == [
        [2, 1, 1, None, "int", "int", "int"],
        [2.5, 0.5, None, None, "float", "float", "NoneType"],
    ]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "num"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
