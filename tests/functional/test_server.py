"""The generated FastAPI server, in process: validation, the error envelope, limits, and the
wire quirks of the official SDK (include[]=, DELETE with a JSON content type and no body)."""

from __future__ import annotations

from typing import Any

import conversations as m
import pytest
from conversations import server as s
from fastapi import FastAPI
from fastapi.testclient import TestClient

from specbind.reference.app import create_reference_app


@pytest.fixture
def http() -> TestClient:
    return TestClient(create_reference_app(":memory:"))


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    return dict(body["error"])


def test_limits_and_param_names(http: TestClient) -> None:
    item = {"role": "user", "content": "hi"}
    assert _error(http.post("/v1/conversations", json={"items": [item] * 21}), 400)["param"] == "items"
    assert (
        _error(http.post("/v1/conversations", json={"metadata": {str(i): "v" for i in range(17)}}), 400)["param"]
        == "metadata"
    )
    assert _error(http.post("/v1/conversations", json={"metadata": {"k" * 65: "v"}}), 400)["param"].startswith(
        "metadata"
    )
    assert _error(http.post("/v1/conversations", json={"metadata": {"k": "v" * 513}}), 400)["param"].startswith(
        "metadata"
    )
    bad = _error(http.post("/v1/conversations", json={"items": [item, {"role": "user", "content": 5}]}), 400)
    assert bad["param"].startswith("items[1]") and bad["type"] == "invalid_request_error"
    cid = http.post("/v1/conversations", json={"items": [item], "metadata": {"k" * 64: "v" * 512}}).json()["id"]
    for limit in ("0", "101", "x"):
        assert _error(http.get(f"/v1/conversations/{cid}/items?limit={limit}"), 400)["param"] == "limit"
    assert _error(http.get(f"/v1/conversations/{cid}/items?order=sideways"), 400)["param"] == "order"
    unknown = _error(
        http.post(f"/v1/conversations/{cid}/items", json={"items": [{"type": "hologram_call", "id": "h"}]}), 400
    )
    assert unknown["param"] == "items[0]" and "hologram_call" in unknown["message"]


def test_include_styles_and_sdk_delete(http: TestClient) -> None:
    text = {
        "type": "output_text",
        "text": "hi",
        "annotations": [],
        "logprobs": [{"token": "hi", "logprob": -0.1, "bytes": [104, 105], "top_logprobs": []}],
    }
    out = {"type": "message", "id": "msg_out", "role": "assistant", "status": "completed", "content": [text]}
    cid = http.post("/v1/conversations", json={"items": [out]}).json()["id"]
    plain = http.get(f"/v1/conversations/{cid}/items").json()["data"][0]["content"][0]
    assert "logprobs" not in plain
    for query in ("include=message.output_text.logprobs", "include[]=message.output_text.logprobs"):
        got = http.get(f"/v1/conversations/{cid}/items?{query}").json()["data"][0]["content"][0]
        assert got["logprobs"][0]["token"] == "hi", query
    r = http.request(
        "DELETE", f"/v1/conversations/{cid}/items/msg_out", headers={"content-type": "application/json"}, content=b""
    )
    assert r.status_code == 200 and r.json()["object"] == "conversation"
    r = http.request("DELETE", f"/v1/conversations/{cid}", headers={"content-type": "application/json"}, content=b"")
    assert r.json() == {"id": cid, "object": "conversation.deleted", "deleted": True}
    assert _error(http.get(f"/v1/conversations/{cid}"), 404)["code"] == "not_found"
    assert _error(http.get("/v1/nowhere"), 404)["param"] is None


def test_pagination_semantics(http: TestClient) -> None:
    cid = http.post(
        "/v1/conversations", json={"items": [{"role": "user", "content": f"m{i}"} for i in range(5)]}
    ).json()["id"]
    ids_asc = [d["id"] for d in http.get(f"/v1/conversations/{cid}/items?order=asc&limit=100").json()["data"]]
    desc = http.get(f"/v1/conversations/{cid}/items?limit=2").json()
    assert [d["id"] for d in desc["data"]] == ids_asc[::-1][:2] and desc["has_more"]
    assert desc["first_id"] == ids_asc[-1] and desc["last_id"] == ids_asc[-2]
    rest = http.get(f"/v1/conversations/{cid}/items?limit=10&after={desc['last_id']}").json()
    assert [d["id"] for d in rest["data"]] == ids_asc[::-1][2:] and not rest["has_more"]
    assert all(i.startswith("msg_") for i in ids_asc) and cid.startswith("conv_")


class Minimal:
    """A user's own service: only what the protocol asks for."""

    def __init__(self) -> None:
        self.seen: list[s.RequestContext] = []

    async def get_conversation(self, ctx: s.RequestContext, conversation_id: str) -> m.ConversationResource:
        self.seen.append(ctx)
        if conversation_id == "taken":
            raise s.ServiceConflictError("busy", code="conflict")
        return m.ConversationResource(id=conversation_id, object="conversation", created_at=1, metadata=None)

    def __getattr__(self, name: str) -> Any:
        async def unsupported(*args: Any, **kwargs: Any) -> Any:
            raise s.ServiceInvalidRequestError(f"{name} is not supported here")

        return unsupported


def test_user_service_through_create_router() -> None:
    service = Minimal()
    app = FastAPI()
    app.include_router(s.create_router(service, prefix="/api"))  # type: ignore[arg-type]
    http = TestClient(app)
    assert http.get("/api/conversations/c1", headers={"x-trace": "1"}).json()["id"] == "c1"
    assert service.seen[0].headers["x-trace"] == "1"
    assert _error(http.get("/api/conversations/taken"), 409)["code"] == "conflict"
    assert (
        _error(http.post("/api/conversations", json={}), 400)["message"] == "create_conversation is not supported here"
    )
