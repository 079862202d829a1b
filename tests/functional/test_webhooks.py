"""The generated webhooks.py receives what the API sends: 3.1 `webhooks` and operations'
`callbacks` of the webhooks case, the corpus' dcg/webhooks.yaml and oas/callback-example.yaml.
A payload is validated before the handler sees it (422 and problem details with a JSON pointer
when it does not), a required header is checked (400), the answer is what the handler returns,
several handlers can share one path (the payload picks), and a user's handlers type-check
against the Protocols under mypy --strict while a mismatched one does not."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

CASE = REPO / "tests" / "cases" / "webhooks"
CORPUS = REPO.parent / "shared" / "corpus"


def _load(spec: Path, package: str, root: Path) -> dict[str, Any]:
    result = generate(Job(package, spec, root / package, package, (), spec.parent))
    write_tree(root / package, result.files)
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"{package}.{name}") for name in ("models", "webhooks")}
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hooks")


@pytest.fixture(scope="module")
def pkg(root: Path) -> dict[str, Any]:
    return _load(CASE / "spec.yaml", "hooks_case", root)


class Calls:
    """Handlers that record what they were given and answer with what they were told to."""

    def __init__(self, answer: Any = None) -> None:
        self.seen: list[tuple[str, Any, Any]] = []
        self.answer = answer

    def handler(self, label: str) -> Any:
        async def handle(*args: Any) -> Any:
            payload, context = (None, args[0]) if len(args) == 1 else args
            self.seen.append((label, payload, context))
            return self.answer

        return handle


def _client(pkg: dict[str, Any], **handlers: Any) -> TestClient:
    app = FastAPI()
    app.include_router(pkg["webhooks"].create_webhook_router(**handlers))
    return TestClient(app)


def test_a_valid_payload_reaches_its_handler_typed(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(pkg, order_created=calls.handler("created"))
    raw = b'{"id": "o_1", "total": 12, "coupon": "X"}'
    answer = http.post("/order.created", content=raw, headers={"X-Trace": "t1"})
    assert (answer.status_code, answer.content) == (200, b"")
    [(_, payload, context)] = calls.seen
    assert isinstance(payload, pkg["models"].Order)
    assert (payload.id, payload.total, payload.model_extra) == ("o_1", 12, {"coupon": "X"})  # unknown keys kept
    assert (context.name, context.body, context.headers["x-trace"]) == ("order.created", raw, "t1")


def test_an_invalid_payload_is_422_problem_details_with_a_pointer(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(pkg, order_created=calls.handler("created"))
    answer = http.post("/order.created", content=b'{"id": "o_1", "total": "many"}')
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert (problem["status"], problem["errors"][0]["pointer"]) == (422, "/total")
    missing = http.post("/order.created", content=b'{"total": 1}').json()["errors"]
    assert [e["pointer"] for e in missing] == ["/id"]
    empty = http.post("/order.created", content=b"")  # `required: true`
    assert (empty.status_code, empty.json()["detail"]) == (422, "the payload is missing")
    assert calls.seen == []


def test_a_union_payload_and_an_unknown_kind(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(pkg, order_changed=calls.handler("changed"))
    assert (
        http.post("/order.changed", content=b'{"status": "shipped", "id": "o_1", "carrier": "ups"}').status_code == 200
    )
    assert type(calls.seen[-1][1]).__name__ == "OrderShipped"
    # A kind the document does not list is kept, as everywhere in the models.
    assert http.post("/order.changed", content=b'{"status": "lost", "id": "o_1"}').status_code == 200
    kept = calls.seen[-1][1]
    assert kept.model_dump(by_alias=True, exclude_unset=True) == {"status": "lost", "id": "o_1"}


def test_required_header_status_and_answer_of_a_callback(pkg: dict[str, Any]) -> None:
    models = pkg["models"]
    calls = Calls(answer=models.SubscribeOnEventResponse(received=True))
    http = _client(pkg, on_event=calls.handler("event"))
    body = b'{"id": 7, "kind": "renewed"}'
    unsigned = http.post("/events", content=body)
    assert unsigned.status_code == 400
    assert "X-Signature" in unsigned.json()["detail"]
    signed = http.post("/events?attempt=2", content=body, headers={"X-Signature": "sig"})
    assert (signed.status_code, signed.json(), signed.headers["content-type"]) == (
        200,
        {"received": True},
        "application/json",
    )
    assert calls.seen[-1][2].query["attempt"] == "2"
    assert len(calls.seen) == 1


def test_no_body_text_bytes_and_expression_paths(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(
        pkg,
        ping=calls.handler("ping"),
        receivers_=calls.handler("receivers"),
        form_posted=calls.handler("form"),
        on_report=calls.handler("report"),
        create_alert_on_event=calls.handler("alert"),
    )
    assert http.put("/ping").status_code == 202  # the first 2xx declared
    assert http.post("/receivers").status_code == 200  # a name the router uses itself: `receivers_`
    assert http.delete("/ping").status_code == 405  # its other method has a handler of its own
    assert http.post("/form.posted", content=b"a=1").status_code == 200
    reports = http.post("/reports/o_9", content=b'[{"id": "o_1", "total": 1}]')  # `{$request.body#/id}`
    assert reports.status_code == 200
    assert http.post("/", content="héllo".encode()).status_code == 204
    assert http.post("/", content=b"\xff").status_code == 422  # text/plain that is not UTF-8
    got = {label: payload for label, payload, _ in calls.seen}
    assert got["ping"] is None and got["receivers"] is None and got["form"] == b"a=1" and got["alert"] == "héllo"
    assert [type(o).__name__ for o in got["report"]] == ["Order"]


def test_one_path_for_several_webhooks_the_payload_decides(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(pkg, order_created=calls.handler("created"), order_changed=calls.handler("changed"), path="/hooks")
    assert http.post("/hooks", content=b'{"status": "cancelled", "id": "o_2"}').status_code == 200
    assert http.post("/hooks", content=b'{"id": "o_3", "total": 5}').status_code == 200
    assert [label for label, _, _ in calls.seen] == ["changed", "created"]
    assert [context.name for _, _, context in calls.seen] == ["order.changed", "order.created"]
    none = http.post("/hooks", content=b"[1]")
    assert none.status_code == 422
    assert {e["webhook"] for e in none.json()["errors"]} == {"order.created", "order.changed"}
    assert http.post("/order.created", content=b"{}").status_code == 404  # not mounted there


def test_paths_by_keyword_and_a_misspelt_one(pkg: dict[str, Any]) -> None:
    calls = Calls()
    http = _client(pkg, order_created=calls.handler("created"), paths={"order_created": "/in/orders"})
    assert http.post("/in/orders", content=b'{"id": "o", "total": 1}').status_code == 200
    with pytest.raises(TypeError, match="order_craeted"):
        pkg["webhooks"].create_webhook_router(paths={"order_craeted": "/x"})


def test_what_the_receiver_does_not_check_is_a_located_warning() -> None:
    result = generate(Job("hooks", CASE / "spec.yaml", CASE / "unused", "hooks", (), CASE))
    said = [f"{w.pointer}: {w.message}" for w in result.warnings]
    assert any(s.startswith("/webhooks/ping/put/security:") for s in said)
    assert any(s.startswith("/webhooks/ping/put/parameters/0:") and "cookie" in s for s in said)
    assert any("application/x-www-form-urlencoded is not decoded" in s for s in said)
    assert "webhooks.py" in result.files and "webhooks.py" not in _files_without_webhooks()


def _files_without_webhooks() -> dict[str, str]:
    spec = CORPUS / "oas" / "petstore.yaml"
    return generate(Job("pets", spec, spec.parent / "unused", "pets", (), spec.parent)).files


@pytest.mark.parametrize(
    ("spec", "keyword", "path", "status", "model"),
    [
        ("dcg/webhooks.yaml", "pet_new", "/pet.new", 200, "Pet"),
        ("dcg/webhooks.yaml", "pet_updated", "/pet.updated", 200, "PetUpdate"),
        # `{$request.query.callbackUrl}/data`: mounted at the part after the subscriber's URL.
        ("oas/callback-example.yaml", "on_data", "/data", 202, "POSTStreamsOnDataPayload"),
    ],
)
def test_corpus_documents_receive(spec: str, keyword: str, path: str, status: int, model: str, root: Path) -> None:
    package = "corpus_" + Path(spec).stem.replace("-", "_")
    mods = _load(CORPUS / spec, package, root)
    calls = Calls()
    http = _client(mods, **{keyword: calls.handler(keyword)})
    payload = {"id": 1, "name": "rex"} if keyword.startswith("pet") else {"userData": "x"}
    assert http.post(path, json=payload).status_code == status
    [(_, received, _)] = calls.seen
    assert isinstance(received, getattr(mods["models"], model))
    assert received.model_dump(by_alias=True, exclude_unset=True) == payload


USER = """\
    from __future__ import annotations

    from fastapi import FastAPI

    from hooks_case import models
    from hooks_case.webhooks import WebhookContext, create_webhook_router


    async def created(order: models.Order, context: WebhookContext) -> None:
        print(order.total + 1, context.headers.get("x-trace"))


    async def event(
        event: models.SubscribeOnEventPayload, context: WebhookContext
    ) -> models.SubscribeOnEventResponse:
        return models.SubscribeOnEventResponse(received=event.id > 0)


    async def ping(context: WebhookContext) -> None:
        print(context.body)


    app = FastAPI()
    app.include_router(create_webhook_router(order_created=created, on_event=event, ping=ping))
"""

MISMATCHED = """\
    from hooks_case import models
    from hooks_case.webhooks import WebhookContext, create_webhook_router


    async def created(order: models.OrderShipped, context: WebhookContext) -> None:
        print(order)


    create_webhook_router(order_created=created)
"""


def test_handlers_type_check_against_the_protocols(pkg: dict[str, Any], root: Path) -> None:
    (root / "user_hooks.py").write_text(textwrap.dedent(USER))
    (root / "bad_hooks.py").write_text(textwrap.dedent(MISMATCHED))
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(root / ".mypy")]
    good = subprocess.run([*mypy, "hooks_case", "user_hooks.py"], cwd=root, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([*mypy, "bad_hooks.py"], cwd=root, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and 'Argument "order_created"' in bad.stdout, bad.stdout
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "hooks_case/webhooks.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout
