"""Form bodies as they are on the wire, read back following the document (not specbind's IR).

``decode_form`` reads an `application/x-www-form-urlencoded` body into JSON-like values with
strings at the leaves, as a server that follows the document's Encoding Object would:
`deepObject` and bracketed keys (`a[b]=1`, `a[0][b]=x`, `a[]=x`) nest and repeated keys make
arrays. ``form_of`` turns the values a client was given into that same shape as the Encoding
Object says they are sent (`explode: false` and `spaceDelimited`/`pipeDelimited` join an
array into one value; an exploded form-style object spreads its keys among the body's), and
``differences`` compares the two field by field. ``decode_multipart`` reads a
`multipart/form-data` body into its parts.
"""

from __future__ import annotations

import json
import re
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def scalar(value: Any) -> str:
    """A leaf as form encoding writes it: booleans `true`/`false`, numbers as JSON writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _style(encoding: dict[str, Any], name: str) -> tuple[str, bool]:
    spec = encoding.get(name) or {}
    style = spec.get("style", "form")
    return style, bool(spec.get("explode", style == "form"))


def form_of(values: dict[str, Any], encoding: dict[str, Any], properties: set[str]) -> dict[str, Any]:
    """What ``values`` (JSON-like, by wire name) look like once encoded and decoded: strings at
    the leaves, None, empty arrays and empty objects absent (a form cannot carry them)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        style, explode = _style(encoding, name)
        if style == "form" and explode and isinstance(value, dict) and name not in properties:
            continue  # only a declared property can be an exploded object
        if style == "form" and explode and isinstance(value, dict):
            out.update({k: v for k, v in _leaves(value).items() if v is not None})  # spread among the body's keys
            continue
        if not explode and isinstance(value, list):
            value = _DELIMITERS.get(style, ",").join(scalar(v) for v in value) if value else None
        elif not explode and isinstance(value, dict):
            value = ",".join(f"{k},{scalar(v)}" for k, v in value.items()) if value else None
        value = _leaves(value)
        if value is not None:
            out[name] = value
    return out


def _leaves(value: Any) -> Any:
    if isinstance(value, dict):
        inner = {k: _leaves(v) for k, v in value.items()}
        inner = {k: v for k, v in inner.items() if v is not None}
        return inner or None
    if isinstance(value, list):
        items = [v for v in map(_leaves, value) if v is not None]
        return items or None
    return None if value is None else scalar(value)


def decode_form(body: bytes) -> dict[str, Any]:
    """The body's fields, nested as their keys say (a value sent with `explode: false` stays the
    one string it is on the wire; ``form_of`` joins the expected value the same way)."""
    out: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body)):
        match = _KEY.match(key)
        if match is None:
            raise ValueError(f"form key {key!r} is neither a name nor name[...]")
        name, brackets = match.group(1), match.group(2)
        path = [name, *re.findall(r"\[([^\[\]]*)\]", brackets)]
        _insert(out, path, value)
    return {k: _lists(v) for k, v in out.items()}


def _insert(node: dict[str, Any], path: list[str], value: str) -> None:
    *parents, last = path
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ValueError(f"form key {'['.join(path)!r} goes inside a value that is not an object")  # noqa: TRY004
    if last == "":  # `a[]=x`: one more array item
        node.setdefault("", []).append(value)
    elif last in node:  # a repeated key: an array
        previous = node[last]
        node[last] = [*previous, value] if isinstance(previous, list) else [previous, value]
    else:
        node[last] = value


def _lists(value: Any) -> Any:
    """`{"0": a, "1": b}` and `{"": [a, b]}` (indexed and `[]` arrays) are lists."""
    if isinstance(value, dict):
        if list(value) == [""]:
            return [_lists(v) for v in value[""]]
        if value and all(k.isdigit() for k in value):
            indexes = sorted(value, key=int)
            if [int(i) for i in indexes] == list(range(len(indexes))):
                return [_lists(value[i]) for i in indexes]
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lists(v) for v in value]
    return value


def decode_multipart(body: bytes, content_type: str) -> dict[str, list[tuple[str | None, str, bytes]]]:
    """Part name -> [(filename, content type, content)], in order."""
    message = BytesParser(policy=HTTP).parsebytes(b"content-type: " + content_type.encode() + b"\r\n\r\n" + body)
    out: dict[str, list[tuple[str | None, str, bytes]]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        out.setdefault(str(name), []).append((part.get_filename(), part.get_content_type(), payload or b""))
    return out


def differences(sent: Any, expected: Any, at: str = "") -> list[str]:
    """Where the decoded body ``sent`` differs from ``expected`` (both from ``decode_form`` /
    ``form_of``), one line per field. One value equals a one-item array (`a=x` is `[x]` exploded)."""
    if isinstance(expected, list) and not isinstance(sent, list):
        sent = [sent]
    if isinstance(expected, dict) and isinstance(sent, dict):
        out: list[str] = []
        for key in sorted(expected.keys() | sent.keys()):
            where = f"{at}[{key}]" if at else key
            if key not in sent:
                out.append(f"{where}: not sent (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{where}: sent {sent[key]!r}, not given")
            else:
                out.extend(differences(sent[key], expected[key], where))
        return out
    if isinstance(expected, list) and isinstance(sent, list) and len(expected) == len(sent):
        return [
            line
            for i, (s, e) in enumerate(zip(sent, expected, strict=True))
            for line in differences(s, e, f"{at}[{i}]")
        ]
    return [] if sent == expected else [f"{at or 'body'}: sent {sent!r}, expected {expected!r}"]
