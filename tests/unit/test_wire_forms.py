"""The behaviour test's reading of form bodies (tests/support/wire_forms.py)."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from wire_forms import decode_form, decode_multipart, differences, form_of

DEEP = {"metadata": {"style": "deepObject", "explode": True}, "items": {"style": "deepObject", "explode": True}}


def test_bracketed_keys_nest_and_indexed_arrays_are_lists() -> None:
    body = urlencode(
        [("items[0][price]", "p1"), ("items[0][quantity]", "2"), ("items[1][price]", "p2"), ("metadata[k]", "v")]
        + [("expand[]", "a"), ("expand[]", "b"), ("tag", "x"), ("tag", "y"), ("empty", "")]
    ).encode()
    assert decode_form(body) == {
        "items": [{"price": "p1", "quantity": "2"}, {"price": "p2"}],
        "metadata": {"k": "v"},
        "expand": ["a", "b"],
        "tag": ["x", "y"],
        "empty": "",
    }


def test_what_the_client_was_given_in_the_same_shape() -> None:
    given = {"items": [{"price": "p1", "quantity": 2, "on": True}], "metadata": {}, "note": None, "ids": [1, 2]}
    assert form_of(given, DEEP, {"items", "metadata", "note", "ids"}) == {
        "items": [{"price": "p1", "quantity": "2", "on": "true"}],
        "ids": ["1", "2"],
    }
    unexploded = {"ids": {"explode": False}, "pipes": {"style": "pipeDelimited", "explode": False}}
    assert form_of({"ids": [1, 2], "pipes": ["a", "b"]}, unexploded, {"ids", "pipes"}) == {"ids": "1,2", "pipes": "a|b"}
    assert form_of({"filter": {"a": 1, "b": "x"}}, {}, {"filter"}) == {"a": "1", "b": "x"}  # form, exploded


def test_differences_are_named_field_by_field() -> None:
    sent = decode_form(b"items[0][price]=p1&tag=x")
    expected = form_of({"items": [{"price": "p2"}], "tag": ["x"], "n": 3}, DEEP, set())
    assert differences(sent, expected) == [
        "items[0][price]: sent 'p1', expected 'p2'",
        "n: not sent (expected '3')",
    ]


def test_multipart_parts_are_read_back() -> None:
    request = httpx.Request(
        "POST",
        "http://x",
        files=[
            ("file", ("a.bin", b"\x00\x01", "application/octet-stream")),
            ("purpose", (None, b"share", "text/plain")),
        ],
    )
    parts = decode_multipart(request.read(), request.headers["content-type"])
    assert parts == {
        "file": [("a.bin", "application/octet-stream", b"\x00\x01")],
        "purpose": [(None, "text/plain", b"share")],
    }
