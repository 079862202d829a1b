"""Pagination, through mock servers (httpx.MockTransport): each style, sync and async, an empty
first page, buggy servers (a cursor sent twice, a link to another host, a loop of links), and
real documents (a Stripe list, a Twilio-shaped list, the Conversations list) with no configuration."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Any

import httpx
import pytest
from paths import REPO, SHARED

from specbind.pipeline import generate
from specbind.snapshots import case_job
from specbind.write import write_tree

CASES = REPO / "tests" / "cases"
Handler = Callable[[httpx.Request], httpx.Response]


def load(case: Path, root: Path, package: str) -> dict[str, Any]:
    job = replace(case_job(case), package=package, out=root / package, formatter="ruff")
    write_tree(job.out, generate(job).files)
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"{package}.{name}") for name in ("models", "client", "_http")}
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return load(CASES / "pagination_shapes", tmp_path_factory.mktemp("shapes"), "page_shapes")


@pytest.fixture(scope="module")
def declared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return load(CASES / "pagination_declared", tmp_path_factory.mktemp("declared"), "page_declared")


@pytest.fixture(scope="module")
def twilio(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return load(CASES / "pagination_twilio", tmp_path_factory.mktemp("twilio"), "page_twilio")


class Server:
    """Records requests; answers with `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def params(self, name: str) -> list[str | None]:
        return [r.url.params.get(name) for r in self.requests]


BASE = "https://api.example.test/v1"


def clients(pkg: dict[str, Any], server: Server, base_url: str = BASE, **kw: Any) -> tuple[Any, Any]:
    transport = httpx.MockTransport(server)
    sync = pkg["client"].Client(base_url=base_url, http_client=httpx.Client(transport=transport), **kw)
    asynchronous = pkg["client"].AsyncClient(
        base_url=base_url, http_client=httpx.AsyncClient(transport=transport), **kw
    )
    return sync, asynchronous


def walk(pkg: dict[str, Any], server: Server, method: str, base_url: str = BASE, **args: Any) -> list[list[Any]]:
    """Every item of every page, by iterating the first page: sync, then async (same server)."""
    sync, asynchronous = clients(pkg, server, base_url)
    got = [list(attrgetter(method)(sync)(**args))]

    async def run() -> list[Any]:
        page = await attrgetter(method)(asynchronous)(**args)
        return [item async for item in page]

    got.append(asyncio.run(run()))
    return got


# -- the five styles, by shape ------------------------------------------------------------------
CUSTOMERS = [{"id": f"cus_{i}", "name": f"c{i}"} for i in range(5)]


def stripe_like(items: list[dict[str, Any]]) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params.get("limit", "10"))
        after = request.url.params.get("starting_after")
        start = next(i for i, c in enumerate(items) if c["id"] == after) + 1 if after else 0
        page = items[start : start + limit]
        return httpx.Response(
            200, json={"object": "list", "data": page, "has_more": start + limit < len(items), "url": "/v1/customers"}
        )

    return handle


def test_cursor_from_the_last_items_id(shapes: dict[str, Any]) -> None:
    server = Server(stripe_like(CUSTOMERS))
    sync_items, async_items = walk(shapes, server, "customers.list", limit=2)
    assert [c.id for c in sync_items] == [c.id for c in async_items] == [c["id"] for c in CUSTOMERS]
    assert all(type(c) is shapes["models"].Customer for c in sync_items)  # typed by the document
    assert server.params("starting_after") == [None, "cus_1", "cus_3"] * 2
    assert server.params("limit") == ["2"] * 6  # the caller's arguments stay on every page


def test_page_methods(shapes: dict[str, Any]) -> None:
    server = Server(stripe_like(CUSTOMERS))
    sync, _ = clients(shapes, server)
    first = sync.customers.list(limit=2)
    assert [c.id for c in first.data] == ["cus_0", "cus_1"] and first.has_next_page() and first.has_more
    second = first.get_next_page()
    assert [c.id for c in second.items] == ["cus_2", "cus_3"]
    assert first.next_page().data == second.data  # the old name still works
    pages = list(first.iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1] and not pages[-1].has_next_page()
    assert pages[-1].body.url == "/v1/customers"  # the whole answer, parsed
    with pytest.raises(shapes["_http"].PaginationError, match="no next page"):
        pages[-1].get_next_page()


def test_async_list_is_awaited_or_iterated_directly(shapes: dict[str, Any]) -> None:
    """As the official SDKs' async lists: `await` gives the first page, `async for` over the call
    walks every page; nothing is sent before either, and each starts from the first page."""
    server = Server(stripe_like(CUSTOMERS))
    _, asynchronous = clients(shapes, server)

    async def run() -> tuple[list[str], list[str], int]:
        pager = asynchronous.customers.list(limit=2)
        assert isinstance(pager, shapes["_http"].AsyncPager) and server.requests == []
        first = await pager
        assert isinstance(first, shapes["_http"].AsyncPage)
        walked = [c.id async for c in asynchronous.customers.list(limit=2)]
        return [c.id for c in first.data], walked, len(server.requests)

    first, walked, sent = asyncio.run(run())
    assert first == ["cus_0", "cus_1"] and walked == [c["id"] for c in CUSTOMERS]
    assert sent == 1 + 3 and server.params("starting_after") == [None, None, "cus_1", "cus_3"]


EVENTS = {None: (["e0", "e1"], "t1"), "t1": (["e2"], "t2"), "t2": (["e3"], None)}


def test_next_cursor_field(shapes: dict[str, Any]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        ids, nxt = EVENTS[request.url.params.get("cursor")]
        return httpx.Response(200, json={"events": [{"id": i} for i in ids], "meta": {"next_cursor": nxt}})

    server = Server(handle)
    for got in walk(shapes, server, "events.list", limit=5):
        assert [e.id for e in got] == ["e0", "e1", "e2", "e3"]
    assert server.params("cursor") == [None, "t1", "t2"] * 2


def droplets(next_of: Callable[[int], str | None], per_page: int = 2, total: int = 5) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        ids = list(range((page - 1) * per_page, min(page * per_page, total)))
        links = {"pages": {"next": nxt}} if (nxt := next_of(page)) else {}
        return httpx.Response(
            200, json={"droplets": [{"id": i} for i in ids], "links": links, "meta": {"total": total}}
        )

    return handle


def test_next_url_absolute(shapes: dict[str, Any]) -> None:
    def next_of(page: int) -> str | None:
        return f"{BASE}/droplets?page={page + 1}&per_page=2" if page < 3 else None

    server = Server(droplets(next_of))
    for got in walk(shapes, server, "droplets.list", per_page=2):
        assert [d.id for d in got] == [0, 1, 2, 3, 4]
    assert [str(r.url) for r in server.requests[:3]] == [
        f"{BASE}/droplets?per_page=2",
        f"{BASE}/droplets?page=2&per_page=2",
        f"{BASE}/droplets?page=3&per_page=2",
    ]


def test_next_url_to_another_host_is_not_followed(shapes: dict[str, Any]) -> None:
    server = Server(droplets(lambda page: "https://evil.test/v1/droplets?page=2"))
    sync, _ = clients(shapes, server)
    first = sync.droplets.list()
    assert first.has_next_page()
    with pytest.raises(shapes["_http"].PaginationError) as error:
        list(first)
    assert "https://evil.test" in str(error.value) and "https://api.example.test" in str(error.value)
    assert len(server.requests) == 1  # nothing was sent to the other host


def test_a_loop_of_links_stops(shapes: dict[str, Any]) -> None:
    # page 1 -> 2 -> 1 -> ...: the walk stops when it would fetch a page it already has.
    server = Server(droplets(lambda page: f"{BASE}/droplets?page={2 if page == 1 else 1}"))
    sync, _ = clients(shapes, server)
    with pytest.raises(shapes["_http"].PaginationError, match="already fetched"):
        list(sync.droplets.list(page=1))
    assert len(server.requests) == 2


def test_link_header(shapes: dict[str, Any]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        links = [f'<{BASE}/repos?page=1>; rel="first"']
        if page < 3:
            links.append(f'<{BASE}/repos?page={page + 1}&per_page=1>; rel="next"')
        return httpx.Response(200, json=[{"id": page}], headers={"link": ", ".join(links)})

    server = Server(handle)
    for got in walk(shapes, server, "repos.list", per_page=1):
        assert [r.id for r in got] == [1, 2, 3]
    assert server.params("page") == [None, "2", "3"] * 2


def numbered(total: int, key: str, page_param: str | None = None, total_key: str | None = None) -> Handler:
    """Offset (or page-number, with `page_param`) pages over `total` items."""

    def handle(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        size = int(params.get("limit", params.get("per_page", "25")))
        start = (int(params.get(page_param, "1")) - 1) * size if page_param else int(params.get("offset", "0"))
        body: dict[str, Any] = {key: [{"id": i} for i in range(start, min(start + size, total))]}
        if total_key:
            body[total_key] = total
        return httpx.Response(200, json=body)

    return handle


def test_offset_and_limit_stop_at_the_total(shapes: dict[str, Any]) -> None:
    server = Server(numbered(6, "records", total_key="total"))
    for got in walk(shapes, server, "records.list", limit=3):
        assert [r.id for r in got] == list(range(6))
    assert server.params("offset") == [None, "3"] * 2  # the total says a third page is not needed


def test_page_and_per_page_stop_at_a_short_page(shapes: dict[str, Any]) -> None:
    server = Server(numbered(5, "photos", page_param="page"))
    for got in walk(shapes, server, "photos.list", per_page=2):
        assert [p.id for p in got] == list(range(5))
    assert server.params("page") == [None, "2", "3"] * 2


def test_page_size_from_the_documents_default(shapes: dict[str, Any]) -> None:
    # per_page not given: the spec's default (25) says a page of 25 may have a next one.
    server = Server(numbered(30, "photos", page_param="page"))
    for got in walk(shapes, server, "photos.list"):
        assert len(got) == 30
    assert server.params("page") == [None, "2"] * 2


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("customers.list", {"object": "list", "data": [], "has_more": False, "url": "/v1/customers"}),
        ("events.list", {"events": [], "meta": {"next_cursor": None}}),
        ("droplets.list", {"droplets": [], "links": {}, "meta": {"total": 0}}),
        ("repos.list", []),
        ("records.list", {"records": [], "total": 0}),
        ("photos.list", {"photos": []}),
    ],
)
def test_an_empty_first_page(shapes: dict[str, Any], method: str, body: Any) -> None:
    server = Server(lambda request: httpx.Response(200, json=body))
    assert walk(shapes, server, method) == [[], []]
    assert len(server.requests) == 2  # one request each, sync and async


def test_an_empty_page_with_has_more_stops(shapes: dict[str, Any]) -> None:
    # `has_more: true` with no items gives no cursor to go on with: the walk ends.
    body = {"object": "list", "data": [], "has_more": True, "url": "/v1/customers"}
    server = Server(lambda request: httpx.Response(200, json=body))
    assert walk(shapes, server, "customers.list") == [[], []]


def test_a_cursor_sent_twice_stops_instead_of_looping(shapes: dict[str, Any]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"events": [{"id": "e"}], "meta": {"next_cursor": "same"}})

    server = Server(handle)
    sync, asynchronous = clients(shapes, server)
    with pytest.raises(shapes["_http"].PaginationError, match="cursor='same' twice"):
        list(sync.events.list())
    assert server.params("cursor") == [None, "same"]
    second = sync.events.list(cursor="same")
    with pytest.raises(shapes["_http"].PaginationError, match="twice"):
        second.get_next_page()

    async def run() -> None:
        page = await asynchronous.events.list()
        with pytest.raises(shapes["_http"].PaginationError, match="twice"):
            _ = [e async for e in page]

    asyncio.run(run())


def test_a_server_error_on_a_later_page_is_raised(shapes: dict[str, Any]) -> None:
    answers = iter([httpx.Response(200, json={"events": [{"id": "a"}], "meta": {"next_cursor": "t"}})])

    def handle(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(404, json={"message": "gone"}))

    sync, _ = clients(shapes, Server(handle), max_retries=0)
    page = sync.events.list()
    with pytest.raises(shapes["_http"].NotFoundError):
        page.get_next_page()


SID = "AC" + "0123456789abcdef" * 2  # Twilio's account ids: AC and 32 hex digits


def test_later_pages_carry_the_credentials_and_headers(twilio: dict[str, Any]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("PageToken")
        nxt = f"/2010-04-01/Accounts/{SID}/Calls.json?page_size=1&Page=1&PageToken=PA1" if token is None else None
        return httpx.Response(200, json={"calls": [{"sid": None, "to": token}], "next_page_uri": nxt})

    server = Server(handle)
    transport = httpx.MockTransport(server)
    client = twilio["client"].Client(
        basic_auth=(SID, "secret"), base_url="https://api.twilio.com", http_client=httpx.Client(transport=transport)
    )
    calls = list(client.accounts.calls.list(SID, page_size=1, extra_headers={"X-Trace": "t1"}))
    assert [c.to for c in calls] == [None, "PA1"]
    assert all(
        r.headers["authorization"].startswith("Basic ") and r.headers["x-trace"] == "t1" for r in server.requests
    )


# -- Twilio-shaped: a path under the base URL ------------------------------------------------------
def test_twilio_next_page_uri(twilio: dict[str, Any]) -> None:
    uri = f"/2010-04-01/Accounts/{SID}/Calls.json"

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("Page", "0"))
        nxt = f"{uri}?Status=completed&page_size=2&Page={page + 1}&PageToken=PA{page + 1}" if page < 2 else None
        calls = [{"sid": None, "to": f"+1555000{page}{i}", "status": "completed"} for i in range(2 if page < 2 else 1)]
        return httpx.Response(200, json={"calls": calls, "next_page_uri": nxt, "page": page, "uri": uri})

    server = Server(handle)
    for got in walk(
        twilio, server, "accounts.calls.list", base_url="https://api.twilio.com", account_sid=SID, page_size=2
    ):
        assert [c.to for c in got] == ["+155500000", "+155500001", "+155500010", "+155500011", "+155500020"]
        assert all(type(c) is twilio["models"].ApiV2010AccountCall for c in got)
    assert [r.url.path for r in server.requests] == [uri] * 6
    assert server.params("PageToken") == [None, "PA1", "PA2"] * 2


def test_relative_links_under_a_base_path(shapes: dict[str, Any]) -> None:
    resolve = shapes["_http"].resolve_link
    here = httpx.URL(f"{BASE}/droplets?page=1")
    assert str(resolve(BASE, here, "/droplets?page=2")) == f"{BASE}/droplets?page=2"  # under the base URL
    assert str(resolve(BASE, here, "/v1/droplets?page=2")) == f"{BASE}/droplets?page=2"  # already has its path
    assert str(resolve(BASE, here, "?page=3")) == f"{BASE}/droplets?page=3"  # RFC 3986, from this page
    for other in ("http://api.example.test/v1/x", "https://api.example.test:8443/v1/x", "//evil.test/x"):
        with pytest.raises(shapes["_http"].PaginationError):
            resolve(BASE, here, other)


# -- declared by extensions and configuration -----------------------------------------------------
def test_fern_offset_without_step_counts_pages(declared: dict[str, Any]) -> None:
    pages = {None: ["a", "b"], "2": ["c"], "3": []}
    server = Server(
        lambda r: httpx.Response(200, json={"results": [{"id": i} for i in pages[r.url.params.get("page_number")]]})
    )
    for got in walk(declared, server, "plants.list"):
        assert [t.id for t in got] == ["a", "b", "c"]
    assert server.params("page_number") == [None, "2", "3"] * 2


def test_speakeasy_cursor_from_the_last_results_field(declared: dict[str, Any]) -> None:
    things = [{"id": str(i), "created_at": f"2024-01-0{i + 1}"} for i in range(3)]

    def handle(request: httpx.Request) -> httpx.Response:
        since = request.url.params.get("since")
        rest = [t for t in things if since is None or t["created_at"] > since]
        return httpx.Response(200, json={"resultArray": rest[:2]})

    server = Server(handle)
    for got in walk(declared, server, "trees.list"):
        assert [t.id for t in got] == ["0", "1", "2"]
    assert server.params("since") == [None, "2024-01-02", "2024-01-03"] * 2


def test_speakeasy_nested_results_and_url(declared: dict[str, Any]) -> None:
    sync, _ = clients(declared, Server(lambda r: httpx.Response(200, json={"data": {"resultArray": [{"id": "r"}]}})))
    assert [t.id for t in sync.rocks.list(limit=1).data] == ["r"]
    urls = {None: ("/shells?n=2", ["s1"]), "2": (None, ["s2"])}
    server = Server(
        lambda r: httpx.Response(
            200,
            json={"items": [{"id": i} for i in urls[r.url.params.get("n")][1]], "next": urls[r.url.params.get("n")][0]},
        )
    )
    for got in walk(declared, server, "shells.list", base_url="https://api.example.test"):
        assert [t.id for t in got] == ["s1", "s2"]


def test_config_cursor_rule_and_none(declared: dict[str, Any]) -> None:
    tokens = {None: ("x", ["1"]), "x": (None, ["2"])}
    server = Server(
        lambda r: httpx.Response(
            200,
            json={
                "stones": [{"id": i} for i in tokens[r.url.params.get("token")][1]],
                "continuation": {"token": tokens[r.url.params.get("token")][0]},
            },
        )
    )
    for got in walk(declared, server, "stones.list"):
        assert [t.id for t in got] == ["1", "2"]
    # The rule: skip / take / rows / count (take's default, 100, is the page size).
    server = Server(
        lambda r: httpx.Response(
            200,
            json={"rows": [{"id": str(i)} for i in range(int(r.url.params.get("skip", "0")), 150)][:100], "count": 150},
        )
    )
    for got in walk(declared, server, "logs.list"):
        assert len(got) == 150
    assert server.params("skip") == [None, "100"] * 2
    # `style = "none"`: the answer itself, not a page.
    sync, _ = clients(declared, Server(lambda r: httpx.Response(200, json={"data": [], "last_id": "z"})))
    answer = sync.moss.list()
    assert type(answer).__name__ == "ListMossResponse" and answer.last_id == "z"


# -- real documents, no configuration --------------------------------------------------------------
def test_conversations_list_iterates_across_pages() -> None:
    import conversations

    items = [
        {"id": f"msg_{i}", "type": "message", "role": "user", "status": "completed", "content": []} for i in range(5)
    ]

    def handle(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        start = next(i for i, m in enumerate(items) if m["id"] == after) + 1 if after else 0
        page = items[start : start + 2]
        return httpx.Response(
            200,
            json={"object": "list", "data": page, "first_id": page[0]["id"], "last_id": page[-1]["id"],
                  "has_more": start + 2 < len(items)},
        )  # fmt: skip

    server = Server(handle)
    pkg = {"client": importlib.import_module("conversations.client")}
    sync_items, async_items = walk(pkg, server, "conversations.items.list", conversation_id="conv_1", limit=2)
    assert [i.id for i in sync_items] == [i.id for i in async_items] == [m["id"] for m in items]
    assert server.params("after") == [None, "msg_1", "msg_3"] * 2
    first = conversations.Client(base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(server)))
    page = first.conversations.items.list("conv_1", limit=2)
    assert (page.first_id, page.last_id, page.has_more) == ("msg_0", "msg_1", True)
    assert isinstance(page, conversations.SyncPage)


STRIPE = SHARED / "corpus" / "real" / "stripe-2023-09-12.yaml"
# Stripe's GET operations declare an empty form body (`properties: {}`), which the operation
# layer refuses; the overlay drops those bodies so that the list operations are generated.
GET_BODIES = """overlay: 1.0.0
info: {title: drop the empty form bodies of GET operations, version: 1.0.0}
actions:
  - target: $.paths.*.get.requestBody
    remove: true
"""


@pytest.fixture(scope="module")
def stripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not STRIPE.exists():
        pytest.skip("../shared is not here")
    import yaml

    from specbind.extract import extract
    from specbind.load import load_file

    root = tmp_path_factory.mktemp("stripe")
    spec = {**extract(load_file(STRIPE), "/v1/customers", STRIPE.name)}
    spec["paths"] = {p: v for p, v in spec["paths"].items() if p in ("/v1/customers", "/v1/customers/search")}
    (root / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    (root / "overlay-get-bodies.yaml").write_text(GET_BODIES, encoding="utf-8")
    yield load(root, root / "pkg", "stripe_lists")


def test_stripe_list_and_search_iterate(stripe: dict[str, Any]) -> None:
    people = [{"id": f"cus_{i}", "object": "customer", "created": 1, "livemode": False} for i in range(5)]
    server = Server(stripe_like(people))
    sync_items, async_items = walk(stripe, server, "customers.list", base_url="https://api.stripe.com", limit=2)
    assert [c.id for c in sync_items] == [c.id for c in async_items] == [p["id"] for p in people]
    assert all(type(c).__name__ == "Customer" for c in sync_items)
    assert server.params("starting_after") == [None, "cus_1", "cus_3"] * 2

    pages = {None: ("p2", people[:3]), "p2": (None, people[3:])}

    def search(request: httpx.Request) -> httpx.Response:
        nxt, found = pages[request.url.params.get("page")]
        return httpx.Response(
            200,
            json={"object": "search_result", "data": found, "has_more": nxt is not None, "next_page": nxt,
                  "url": "/v1/customers/search"},
        )  # fmt: skip

    server = Server(search)
    for got in walk(stripe, server, "customers.search", base_url="https://api.stripe.com", query="name:'x'"):
        assert [c.id for c in got] == [p["id"] for p in people]
    assert server.params("page") == [None, "p2"] * 2
