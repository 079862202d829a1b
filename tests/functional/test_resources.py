"""The client's resources and call shape (tests/cases/resources), and the `[tool.specbind]`
options that change them: `names`, `path_parameters`, `layout` and the `resources` table."""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from paths import REPO

from specbind.config import Job
from specbind.pipeline import generate
from specbind.write import write_tree

SPEC = REPO / "tests" / "cases" / "resources" / "spec.yaml"
CUSTOMER = {"id": "cus_1", "photoUrls": ["a"], "photo_urls": "b", "extra": 1}


def _load(root: Path, package: str, **options: Any) -> Any:
    result = generate(Job("resources", SPEC, root / package, package, (), SPEC.parent, **options))
    write_tree(root / package, result.files)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"{package}.client"), importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _load(tmp_path_factory.mktemp("resources"), "res_case")


def _answer(request: httpx.Request) -> httpx.Response:
    if request.method == "DELETE" or request.url.path.endswith(("/pay", "/cancel")):
        return httpx.Response(204)
    if request.url.path.endswith(("/customers", "/search", "/runs", "/jobs")) and request.method == "GET":
        return httpx.Response(200, json={"data": [CUSTOMER], "has_more": False})
    return httpx.Response(200, json=CUSTOMER)


def _client(pkg: Any, seen: list[httpx.Request], is_async: bool = False) -> Any:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _answer(request)

    transport = httpx.MockTransport(record)
    if is_async:
        return pkg[0].AsyncClient(base_url="http://t", http_client=httpx.AsyncClient(transport=transport))
    return pkg[0].Client(base_url="http://t", http_client=httpx.Client(transport=transport))


def test_resources_are_made_once_and_hold_the_client(pkg: Any) -> None:
    seen: list[httpx.Request] = []
    client = _client(pkg, seen)
    assert client.customers is client.customers and client.customers.sources is client.customers.sources
    assert type(client.customers).__name__ == "CustomersResource"
    assert type(client.customers.sources).__name__ == "CustomersSourcesResource"
    assert client.customers.sources._client is client and not seen  # nothing is sent to build them


def test_calls_go_where_the_document_says(pkg: Any) -> None:
    seen: list[httpx.Request] = []
    client = _client(pkg, seen)
    client.customers.sources.delete("src 1", customer="cus_1")
    assert (seen[-1].method, seen[-1].url.raw_path) == ("DELETE", b"/v1/customers/cus_1/sources/src%201")
    assert [c.id for c in client.customers.search(query="ann").data] == ["cus_1"]
    assert (seen[-1].method, seen[-1].url.path, seen[-1].url.params["query"]) == ("GET", "/v1/customers/search", "ann")
    client.invoices.pay("in_1")
    assert (seen[-1].method, seen[-1].url.path) == ("POST", "/v1/invoices/in_1/pay")
    client.threads.runs.create("th_1", assistant_id="as_1", from_="me", include=["x"])
    assert seen[-1].url.path == "/threads/th_1/runs" and seen[-1].url.params["include"] == "x"
    assert json.loads(seen[-1].content) == {"assistantId": "as_1", "from": "me"}  # wire names on the wire
    client.threads.runs.cancel("run_1", thread_id="th_1")
    assert seen[-1].url.path == "/threads/th_1/runs/run_1/cancel"
    assert client.batch.jobs.all().data[0].id == "cus_1" and seen[-1].url.path == "/jobs"
    client.close2()
    assert (seen[-1].method, seen[-1].url.path) == ("GET", "/")
    with pytest.raises(TypeError):
        client.customers.sources.delete("src_1", "cus_1")  # the other path parameters are keyword-only


def test_the_async_client_has_the_same_tree(pkg: Any) -> None:
    seen: list[httpx.Request] = []
    client = _client(pkg, seen, is_async=True)
    sync = _client(pkg, [])

    def tree(obj: Any, prefix: str = "") -> set[str]:
        out = set()
        for name, member in inspect.getmembers(type(obj)):
            if isinstance(member, functools.cached_property):
                out |= {prefix + name} | tree(getattr(obj, name), prefix + name + ".")
            elif inspect.isfunction(member) and not name.startswith("_") and prefix:
                out.add(prefix + name)
        return out

    assert tree(client) == tree(sync) and "customers.sources.delete" in tree(client)
    assert inspect.iscoroutinefunction(client.customers.sources.delete)

    async def run() -> None:
        await client.customers.sources.delete("src_1", customer="cus_1")
        runs = await client.threads.runs.list("th_1", order="asc")
        assert [c.id for c in runs.data] == ["cus_1"]

    asyncio.run(run())
    assert [r.url.path for r in seen] == ["/v1/customers/cus_1/sources/src_1", "/threads/th_1/runs"]


def test_python_names_accept_both_and_dump_the_wire_names(pkg: Any) -> None:
    models = pkg[1]
    customer = models.Customer.model_validate(CUSTOMER)
    assert (customer.photo_urls2, customer.photo_urls) == (["a"], "b")  # `photo_urls` needed no conversion
    assert customer.model_dump(mode="json") == CUSTOMER  # by alias, unknown keys kept: exactly as it came
    built = models.Customer(id="c", photo_urls2=["x"])
    assert built.model_dump(exclude_unset=True) == {"id": "c", "photoUrls": ["x"]}
    assert models.CustomerIn(emailAddress="e").email_address == "e"  # the wire name is accepted too


def test_names_wire_keeps_the_documents_spelling(tmp_path: Path) -> None:
    client, models = _load(tmp_path, "res_wire", names="wire")
    assert set(models.Customer.model_fields) == {"id", "photoUrls", "photo_urls"}
    create = inspect.signature(client.ThreadsRunsResource.create).parameters
    assert ["thread_id", "assistantId", "include", "additionalInstructions", "from_"] == list(create)[1:6]


def test_path_parameters_positional(tmp_path: Path) -> None:
    client, _ = _load(tmp_path, "res_positional", path_parameters="positional")
    params = inspect.signature(client.CustomersSourcesResource.delete).parameters.values()
    assert [(p.name, p.kind.name) for p in params][1:3] == [
        ("customer", "POSITIONAL_OR_KEYWORD"),
        ("id", "POSITIONAL_OR_KEYWORD"),
    ]


def _project(tmp_path: Path, table: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "spec.yaml").write_text(SPEC.read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specbind]\nspec = "spec.yaml"\nout = "out/pkg"\nformatter = "ruff"\n' + table
    )
    return subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--explain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_resources_table_places_operations(tmp_path: Path) -> None:
    proc = _project(
        tmp_path,
        '\n[tool.specbind.resources]\nGetBalance = "account.balance.get"\nclose = "ping"\nlistReports = "reports.all"\n',
    )
    assert proc.returncode == 0, proc.stderr
    assert "  .get()\n      GetBalance (GET /v1/balance): configured (/tool/specbind/resources)" in proc.stdout
    assert "client.get_balance                          -> client.account.balance.get" in proc.stdout
    assert "client.close                                -> client.ping" in proc.stdout
    assert "client.list_reports                         -> client.reports.all" in proc.stdout
    manifest = json.loads((tmp_path / "out" / "pkg" / "specbind-manifest.json").read_text())
    assert manifest["surface"]["operations"]["GetBalance"]["python"] == "account.balance.get"
    assert manifest["inputs"]["options"]["resources"]["close"] == "ping"


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        ('nope = "a.b"', 7, "/tool/specbind/resources/nope: no operation has operationId 'nope'"),
        ('GetBalance = "a.b"\nclose = "a.b"', 8, "/tool/specbind/resources/close: 'a.b' is already the place of 'GetBalance'"),
        ('GetBalance = "a..b"', 7, "/tool/specbind/resources/GetBalance: GetBalance = 'a..b': a place is dotted Python names"),
        ('GetBalance = "customers.sources"', 7, "/tool/specbind/resources/GetBalance: `sources` is taken on this resource"),
    ],
)  # fmt: skip
def test_a_bad_resources_table_is_one_located_error(tmp_path: Path, table: str, line: int, message: str) -> None:
    proc = _project(tmp_path, "\n[tool.specbind.resources]\n" + table + "\n")
    assert proc.returncode == 2
    errors = [e for e in proc.stderr.splitlines() if ": error: " in e]
    assert len(errors) == 1 and errors[0].startswith(f"specbind: error: {tmp_path / 'pyproject.toml'}:{line}: "), errors
    assert message in errors[0]
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_bad_option_is_one_located_error(tmp_path: Path) -> None:
    proc = _project(tmp_path, 'names = "camel"\n')
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith('/tool/specbind/names: `names` must be "python" or "wire"'), proc.stderr


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # one resource per tag, methods named from the operationId (Speakeasy's and Fern's default)
        ("tags", {"conversations.create", "conversations.retrieve", "conversations.list_items", "conversations.get_item"}),
        # the path alone: the same tree as the default for this document, whose tag is its path
        ("path", {"conversations.create", "conversations.retrieve", "conversations.items.list", "conversations.items.retrieve"}),
    ],
)  # fmt: skip
def test_layout_rules(rule: str, expected: set[str]) -> None:
    from specbind.build import build_api
    from specbind.layout import Options
    from specbind.pipeline import load_spec

    spec = REPO / "spec" / "conversations.yaml"
    api = build_api(
        load_spec(Job("c", spec, Path("."), "c")), package="c", spec_name=spec.name, client_layout=Options(rule=rule)
    )  # type: ignore[arg-type]
    assert expected <= {op.python_path for op in api.operations}
