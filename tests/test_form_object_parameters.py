"""A required query object with `style: form, explode: true` spreads its properties among the
query parameters (`a=1&b=x`): its own name is never on the wire, and with no property set
nothing is. The server reads that as the empty object, not as a missing parameter; the
properties it does get arrive as sent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters:
        - name: filter
          in: query
          required: true
          schema: {$ref: "#/components/schemas/Filter"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
components:
  schemas:
    Filter:
      type: object
      additionalProperties: false
      properties:
        size: {type: integer}
        colour: {type: string}
"""

PROBE = """
import asyncio, json
import httpx
from fo.client import Client
from fo.models import Filter
from fo.server import create_app

got = []

class Service:
    async def search(self, ctx, *, filter):
        got.append(filter.model_dump(mode="json", exclude_unset=True))
        return {}

app = create_app(Service())
sent = []
statuses = []

async def main() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as http:
        for value in (Filter(), Filter(size=3, colour="red"), {"size": 0}):
            # The generated client builds the URL; the ASGI app answers it.
            def answer(req: httpx.Request) -> httpx.Response:
                sent.append(str(req.url).removeprefix("http://x"))
                return httpx.Response(200, json={})
            Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer))).search.retrieve(filter=value)
            statuses.append((await http.get(sent[-1])).status_code)

asyncio.run(main())
print(json.dumps({"sent": sent, "statuses": statuses, "got": got}))
"""


def test_a_required_exploded_object_with_no_properties_is_the_empty_object(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    made = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", str(tmp_path / "fo"), "--package", "fo"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["sent"] == ["/search", "/search?size=3&colour=red", "/search?size=0"]
    assert result["statuses"] == [200, 200, 200]
    assert result["got"] == [{}, {"size": 3, "colour": "red"}, {"size": 0}]
