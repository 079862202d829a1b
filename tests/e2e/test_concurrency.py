"""Concurrent writers on one conversation: nothing lost, listed order = creation order."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

WRITERS, BATCHES, PER_BATCH = 6, 5, 4


def test_concurrent_writers(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        cid = http.post("/conversations", json={}).json()["id"]

    def writer(w: int) -> list[list[str]]:
        batches = []
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            for b in range(BATCHES):
                items = [{"role": "user", "content": f"w{w}-b{b}-{i}"} for i in range(PER_BATCH)]
                r = http.post(f"/conversations/{cid}/items", json={"items": items})
                assert r.status_code == 200, r.text
                batches.append([d["id"] for d in r.json()["data"]])
        return batches

    with ThreadPoolExecutor(WRITERS) as pool:
        created = [b for batches in pool.map(writer, range(WRITERS)) for b in batches]

    listed: list[str] = []
    texts: list[str] = []
    after = None
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        while True:
            params: dict[str, Any] = {"order": "asc", "limit": 7, **({"after": after} if after else {})}
            page = http.get(f"/conversations/{cid}/items", params=params).json()
            listed += [d["id"] for d in page["data"]]
            texts += [d["content"][0]["text"] for d in page["data"]]
            if not page["has_more"]:
                break
            after = page["last_id"]
    assert len(listed) == WRITERS * BATCHES * PER_BATCH == len(set(listed))
    # Each request is one transaction: its items are contiguous and in request order.
    for batch in created:
        start = listed.index(batch[0])
        assert listed[start : start + PER_BATCH] == batch
    # Each writer's batches appear in the order it sent them.
    for w in range(WRITERS):
        mine = [t for t in texts if t.startswith(f"w{w}-")]
        assert mine == [f"w{w}-b{b}-{i}" for b in range(BATCHES) for i in range(PER_BATCH)]


def test_duplicate_item_ids_conflict(serve: Callable[..., Any]) -> None:
    """Found by schemathesis: two items with one id used to be a 500."""
    server = serve("openai")
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        item = {"type": "function_call", "id": "fc_same", "call_id": "c", "name": "f", "arguments": "{}"}
        r = http.post("/conversations", json={"items": [item, item]})
        assert r.status_code == 409 and r.json()["error"]["param"] == "items[1].id"
        cid = http.post("/conversations", json={"items": [item]}).json()["id"]
        again = http.post(f"/conversations/{cid}/items", json={"items": [item]})
        assert again.status_code == 409
        assert len(http.get(f"/conversations/{cid}/items").json()["data"]) == 1, "the failed request changed nothing"
