"""The wire-form cases (form_encoding, parameter_styles, parameter_content, multipart_encoding):
the generated client talks to the generated server in process; each request is checked on the
wire, and what the service receives is what was passed."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import pytest
from case_packages import Recorder, load_case, wire


def _form(content: bytes) -> list[tuple[str, str]]:
    return parse_qsl(content.decode(), keep_blank_values=True)


# -- form bodies ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def billing(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    return load_case("form_encoding", tmp_path_factory.mktemp("billing"))


def test_form_fields_follow_the_encoding_object(billing: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = billing
    m = pkg["models"]
    service = Recorder({"create_customer": m.Customer(id="cus_1")})
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    args: dict[str, Any] = {
        "email": "a@b.c", "balance": 12345678901234567890, "rate": 0.1, "active": False, "note": "2",
        "tags": ["a", "b"], "metadata": {"plan": "pro", "0": "zero"}, "address": {"city": "Paris", "lines": ["1 rue"]},
        "locales": ["fr", "en"], "items": [{"price": "p_1", "quantity": 2}, {"price": "p&2=", "taxed": True}],
        "settings": {"theme": "dark", "size": 3}, "defaults": {"currency": "eur"}, "codes": [1, 2],
        "words": ["x", "y-z"], "path": "a/b:c&d",
    }  # fmt: skip
    assert client.customers.create(**args) == m.Customer(id="cus_1")
    request = seen[-1]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert _form(request.content) == [
        ("email", "a@b.c"), ("balance", "12345678901234567890"), ("rate", "0.1"), ("active", "false"), ("note", "2"),
        ("tags", "a"), ("tags", "b"), ("metadata[plan]", "pro"), ("metadata[0]", "zero"),
        ("address[city]", "Paris"), ("address[lines][0]", "1 rue"), ("locales[0]", "fr"), ("locales[1]", "en"),
        ("items[0][price]", "p_1"), ("items[0][quantity]", "2"), ("items[1][price]", "p&2="), ("items[1][taxed]", "true"),
        ("settings", '{"theme":"dark","size":3}'), ("defaults", '{"currency":"eur"}'), ("codes", "1,2"),
        ("words", "x y-z"), ("path", "a/b:c&d"),
    ]  # fmt: skip
    assert b"path=a/b:c%26d" in request.content  # allowReserved: `/` and `:` as they are; `&` still encoded
    assert b"'" not in request.content and b"%27" not in request.content  # no Python repr anywhere
    _, (body,), _ = service.calls[-1]
    assert body == m.CreateCustomerBody.model_validate(args)
    assert body.balance == 12345678901234567890 and body.note == "2" and body.metadata == {"plan": "pro", "0": "zero"}


def test_the_empty_string_and_null(billing: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = billing
    service = Recorder({"create_customer": pkg["models"].Customer()})
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    client.customers.create(email="e", metadata="", address="", note=None)
    assert seen[-1].content == b"email=e&metadata=&address="  # null left out
    _, (body,), _ = service.calls[-1]
    assert (body.metadata, body.address, body.note) == ("", "", None)


def test_an_empty_optional_body_is_no_argument(billing: tuple[dict[str, Any], list[str]]) -> None:
    pkg, warnings = billing
    service = Recorder({"list_customers": []})
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    assert client.customers.list(expand=["a", "b"], created={"gt": 1, "lte": 9}) == []
    assert seen[-1].content == b"" and "content-type" not in seen[-1].headers
    assert unquote(seen[-1].url.query.decode()) == "expand[0]=a&expand[1]=b&created[gt]=1&created[lte]=9"
    assert service.calls[-1][2]["expand"] == ["a", "b"] and service.calls[-1][2]["created"].gt == 1
    client.customers.list(created=5)
    assert seen[-1].url.query == b"created=5" and service.calls[-1][2]["created"] == 5
    assert any("addNote" in w and "style 'form' cannot carry an object" in w for w in warnings)
    assert not hasattr(client, "add_note")


def test_a_container_never_goes_on_the_wire_as_text(billing: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = billing
    h = pkg["_http"]
    with pytest.raises(TypeError, match="a dict cannot be sent as text"):
        h.pairs("tags", [{"a": 1}])  # form style: one text per element
    with pytest.raises(TypeError, match="a list cannot be sent as text"):
        h.text({"a": [1]}, h.Wire("simple", explode=True))
    with pytest.raises(TypeError, match="a Customer cannot be sent as text"):
        h.leaf(pkg["models"].Customer(id="x"))
    with pytest.raises(TypeError):
        h.pairs("at", object())
    assert h.pairs("n", 12345678901234567890) == [("n", "12345678901234567890")]
    assert h.pairs("b", [True, None, False]) == [("b", "true"), ("b", "null"), ("b", "false")]
    assert h.pairs("m", {"a": None, "b": [None, 1]}, h.DEEP_OBJECT) == [("m[b][0]", "null"), ("m[b][1]", "1")]


# -- parameter styles -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    return load_case("parameter_styles", tmp_path_factory.mktemp("styles"))


def _calls(service: Recorder) -> tuple[tuple[Any, ...], dict[str, Any]]:
    _, args, kwargs = service.calls[-1]
    return args, kwargs


def test_path_styles(styles: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = styles
    m = pkg["models"]
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    point = m.Point(x=1, y=-2)
    client.label.retrieve([1, 2], one=5, many=["a b", "c"], point=point)
    assert seen[-1].url.raw_path == b"/label/.5/.a%20b,c/.x=1.y=-2/.1.2"
    assert _calls(service)[0] == (5, ["a b", "c"], point, [1, 2])
    client.matrix.retrieve(m.Point(x=3, y=4), one="v,w", many=["a", "b"], point=point, ids=[1, 2])
    assert seen[-1].url.raw_path == b"/matrix/;one=v%2Cw/;many=a,b/;x=1;y=-2/;ids=1;ids=2/;flat=x,3,y,4"
    assert _calls(service)[0] == ("v,w", ["a", "b"], point, [1, 2], m.Point(x=3, y=4))
    client.matrix.retrieve(
        m.Point(x=0), one="", many=["a"], point=point, ids=[7]
    )  # the empty string: `;one` (RFC 6570)
    assert seen[-1].url.raw_path == b"/matrix/;one/;many=a/;x=1;y=-2/;ids=7/;flat=x,0"
    assert _calls(service)[0] == ("", ["a"], point, [7], m.Point(x=0))


def test_simple_objects_and_arrays_in_paths_and_headers(styles: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = styles
    m = pkg["models"]
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    point = m.Point(x=1, y=2)
    client.simple.retrieve(
        [True, False], point=point, exploded={"x": 3, "y": 4}, x_point=point, x_exploded=point, x_names=["a", "b"]
    )
    request = seen[-1]
    assert request.url.raw_path == b"/simple/x,1,y,2/x=3,y=4/true,false"
    assert (request.headers["x-point"], request.headers["x-exploded"], request.headers["x-names"]) == (
        "x,1,y,2", "x=1,y=2", "a,b",
    )  # fmt: skip
    args, kwargs = _calls(service)
    assert args == (point, m.Point(x=3, y=4), [True, False])
    assert kwargs == {"x_point": point, "x_exploded": point, "x_names": ["a", "b"]}


def test_query_styles(styles: tuple[dict[str, Any], list[str]]) -> None:
    pkg, warnings = styles
    m = pkg["models"]
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    client.query.retrieve(
        spaced=[1, 2], piped=["a", "b"], piped_point=m.Point(x=1, y=2), spaced_exploded=["c", "d"], expand=["e", "f"],
        filter={"range": {"x": 1}, "tags": ["t"]}, redirect="/a/b?c=d&e", plain="/a&b",
    )  # fmt: skip
    query = seen[-1].url.query
    assert query == (
        b"spaced=1+2&piped=a%7Cb&pipedPoint=x%7C1%7Cy%7C2&spacedExploded=c&spacedExploded=d"
        b"&expand%5B0%5D=e&expand%5B1%5D=f&filter%5Brange%5D%5Bx%5D=1&filter%5Btags%5D%5B0%5D=t"
        b"&redirect=/a/b?c=d%26e&plain=%2Fa%26b"
    )
    assert _calls(service)[1] == {
        "spaced": [1, 2], "piped": ["a", "b"], "piped_point": m.Point(x=1, y=2), "spaced_exploded": ["c", "d"],
        "expand": ["e", "f"], "filter": m.GetQueryFilter(range=m.Point(x=1), tags=["t"]), "redirect": "/a/b?c=d&e",
        "plain": "/a&b",
    }  # fmt: skip
    assert any("getNested" in w and "style 'simple' cannot carry an object" in w for w in warnings)


def test_cookie_styles(styles: tuple[dict[str, Any], list[str]]) -> None:
    pkg, _ = styles
    m = pkg["models"]
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    client.cookies.retrieve(ids=[1, 2], names=["a", "b"], point=m.Point(x=1, y=2), session="s")
    assert seen[-1].headers["cookie"] == "ids=1; ids=2; names=a,b; point=x,1,y,2; session=s"
    assert _calls(service)[1] == {"ids": [1, 2], "names": ["a", "b"], "point": m.Point(x=1, y=2), "session": "s"}


# -- parameters given by `content` ------------------------------------------------------------
def test_parameters_as_json(tmp_path: Path) -> None:
    pkg, warnings = load_case("parameter_content", tmp_path)
    m = pkg["models"]
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    client.search.retrieve(
        {"a": 1}, filter=m.Filter(status="open; now", limit=2), ids=[1, 2], q="a,b c",
        x_context={"trace": "t", "depth": 3}, prefs={"dark": True},
    )  # fmt: skip
    request = seen[-1]
    assert request.url.raw_path.split(b"?")[0] == b"/search/%7B%22a%22%3A1%7D"
    assert parse_qsl(request.url.query.decode()) == [
        ("filter", '{"status":"open; now","limit":2}'), ("ids", "[1,2]"), ("q", "a,b c"),
    ]  # fmt: skip
    assert request.headers["x-context"] == '{"trace":"t","depth":3}'
    assert request.headers["cookie"] == "prefs={%22dark%22:true}"
    args, kwargs = service.calls[-1][1:]
    assert args == ({"a": 1},)
    assert kwargs == {
        "filter": m.Filter(status="open; now", limit=2), "ids": [1, 2], "q": "a,b c",
        "x_context": m.SearchXContext(trace="t", depth=3), "prefs": m.SearchPrefs(dark=True),
    }  # fmt: skip
    assert any("getXml" in w and "'application/xml' is not supported" in w for w in warnings)


# -- multipart --------------------------------------------------------------------------------
def test_multipart_parts_follow_the_encoding_object(tmp_path: Path) -> None:
    pkg, warnings = load_case("multipart_encoding", tmp_path)
    assert warnings == []
    service = Recorder()
    http, seen = wire(pkg["server"].create_app(service))
    client = pkg["client"].Client(base_url="http://testserver", http_client=http)
    client.files.upload(
        image=("cat.png", b"\x89PNG", None, {"X-Checksum": "abc"}), pages=[b"%PDF-1", ("p2.pdf", b"%PDF-2")],
        link={"create": True, "expires_at": 1700000000, "metadata": {"k": "v"}}, expand=["file", "links"],
        options={"quality": 9}, count=3, label="a; b",
    )  # fmt: skip
    content = seen[-1].content
    assert b'name="image"; filename="cat.png"\r\nX-Checksum: abc\r\nContent-Type: image/png\r\n' in content
    assert content.count(b"Content-Type: application/pdf") == 2
    for name, text in (
        (b"link[create]", b"true"), (b"link[expires_at]", b"1700000000"), (b"link[metadata][k]", b"v"),
        (b"expand[0]", b"file"), (b"expand[1]", b"links"),
    ):  # fmt: skip
        assert b'name="' + name + b'"\r\nContent-Type: text/plain\r\n\r\n' + text + b"\r\n" in content
    assert b'name="options"\r\nContent-Type: application/json\r\n\r\n{"quality":9}' in content
    assert b'name="count"\r\nContent-Type: application/json\r\n\r\n3\r\n' in content
    _, (parts,), _ = service.calls[-1]
    assert (parts.image.filename, parts.image.content_type, parts.image.headers) == (
        "cat.png", "image/png", {"x-checksum": "abc"},
    )  # fmt: skip
    assert [(p.filename, p.content) for p in parts.pages] == [("pages", b"%PDF-1"), ("p2.pdf", b"%PDF-2")]
    assert parts.link.model_dump() == {"create": True, "expires_at": 1700000000, "metadata": {"k": "v"}}
    assert (parts.expand, parts.options.quality, parts.count, parts.label) == (["file", "links"], 9, 3, "a; b")
    client.files.upload(image=b"x", pages=[b"only"])
    _, (parts,), _ = service.calls[-1]
    assert parts.image.content_type == "image/png" and len(parts.pages) == 1 and parts.link is None
