"""Phase 3d, what the API sends: 3.1 `webhooks` and operations' `callbacks` -> ``ir.Webhook``.

Each becomes a receiver in the generated webhooks.py: a Protocol typing the handler (the
validated payload and a context in, the answer's body out) and a route of
``create_webhook_router`` that validates the payload before calling it. Payload and answer
types are built by the schema layer like any operation's (an inline schema becomes a model).

A webhook is mounted at `/<its name>`; a callback at the literal part of its URL expression
(`{$request.query.callbackUrl}/data` -> `/data`: the user's server is at the URL the
expression names). What a receiver does not check is a located warning.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from . import ir, naming, wire
from .bodies import first_of_each_kind, media_kind, offered
from .normalize import Incoming, Normalized
from .resolve import Parts
from .schemas import SchemaBuilder

#: Names webhooks.py defines or imports besides the Protocols, and the router's own keywords.
_MODULE_NAMES = frozenset(
    {"Any", "APIRouter", "Awaitable", "Callable", "Mapping", "Protocol", "Request", "Response", "TypeAdapter",
     "ValidationError", "WebhookContext", "dataclass", "models"}
)  # fmt: skip
#: What `create_webhook_router` itself names (its keywords, locals, and the builtins and
#: module names its body reads): a handler keyword of such a name gets a trailing `_`.
_ROUTER_NAMES = frozenset(
    {"path", "paths", "where", "unknown", "receivers", "receiver", "router", "routes", "route", "method",
     "here", "dict", "sorted", "set", "tuple", "list", "str", "bytes", "models", "date", "datetime", "time"}
)  # fmt: skip
_EXPRESSION = re.compile(r"\{\$[^{}]*\}")
Kind = Literal["json", "text", "bytes", ""]


def route_path(incoming: Incoming) -> str:
    """Where a receiver is mounted by default: `/<webhook name>`; for a callback, its URL
    expression's path with the leading expression (the subscriber's URL) dropped and any
    other expression made a path parameter."""
    if incoming.kind == "webhook":
        return "/" + quote(incoming.name, safe="")
    count = iter(range(1, 100_000))
    text = incoming.expression
    head = _EXPRESSION.match(text)
    text = _EXPRESSION.sub(lambda _: f"{{value{next(count)}}}", text[head.end() :] if head else text)
    path = text.split("?", 1)[0].split("#", 1)[0] if head else urlsplit(text).path
    return "/" + path.lstrip("/")


class ReceiverBuilder:
    def __init__(self, n: Normalized, sb: SchemaBuilder) -> None:
        self.n = n
        self.sb = sb
        self.arguments = naming.NameTable(_ROUTER_NAMES)
        self.classes = naming.NameTable(_MODULE_NAMES)

    def build(self) -> tuple[ir.Webhook, ...]:
        return tuple(self.receiver(i) for i in self.n.incoming)

    def names(self, i: Incoming) -> tuple[str, str, str]:
        """(keyword, Protocol, type name hint). A callback name two operations share is
        prefixed with its operation's id for the second one; a webhook offered with a second
        method, with that method (`ping_put`, `PutPingWebhook`)."""
        owner = ""
        if i.owner is not None:
            owner = str(i.owner.spec.get("operationId") or f"{i.owner.method.upper()}_{i.owner.path}")
        argument = naming.method_name(i.name)
        if argument in _ROUTER_NAMES:
            argument += "_"
        if argument in self.arguments:  # another operation's callback, or another method
            argument = naming.method_name(f"{owner}_{i.name}" if owner else f"{i.name}_{i.operation.method}")
        suffix = "Webhook" if i.kind == "webhook" else "Callback"
        protocol = naming.pascal(i.name) + suffix
        if protocol in self.classes or not naming.pascal(i.name):
            protocol = (naming.pascal(owner) if owner else naming.pascal(i.operation.method)) + protocol
        if not protocol[0].isalpha():
            protocol = suffix + protocol
        hint = naming.pascal(owner) + naming.pascal(i.name) or suffix
        return self.arguments.claim(argument), self.classes.claim(protocol), hint

    def receiver(self, i: Incoming) -> ir.Webhook:
        o = i.operation
        argument, protocol, hint = self.names(i)
        what = f"{i.kind} {i.name!r}"
        method = o.method.upper() if o.at[-2:-1] != ("additionalOperations",) else o.method
        payload, kind, payload_required = self.payload(o.spec, o.at, hint, what)
        status, answer, media = self.answer(o.spec, o.at, hint, what)
        required: list[tuple[str, str]] = []
        for p in o.params:
            if p.location in ("header", "query"):
                if p.spec.get("required") is True:
                    required.append((p.location, p.name))
            else:
                self.sb.warn(
                    p.at,
                    f"{what}: an `in: {p.location}` parameter is not checked by the receiver "
                    "(header and query parameters are)",
                )
        if o.spec.get("security"):
            self.sb.warn(
                o.at + ("security",),
                f"{what}: the receiver does not check `security`: verify the sender in the handler "
                "(`context.headers`, `context.body`)",
            )
        body = o.spec.get("requestBody")
        said = (
            o.spec.get("summary")
            or o.spec.get("description")
            or (body.get("description") if isinstance(body, dict) else "")
        )
        said = str(said or "").strip()
        doc = f"`{i.name}` ({method})" + (
            f", a callback of `{i.owner.method.upper()} {i.owner.path}`" if i.owner else ""
        )
        doc += f": {said}" if said else "."
        return ir.Webhook(
            kind="webhook" if i.kind == "webhook" else "callback",
            name=i.name,
            argument=argument,
            protocol=protocol,
            method=method,
            path=route_path(i),
            doc=doc,
            payload=payload,
            payload_kind=kind,
            payload_required=payload_required,
            answer=answer,
            status=status,
            media=media,
            required=tuple(required),
        )

    def payload(self, op: dict[str, Any], at: Parts, hint: str, what: str) -> tuple[str, Kind, bool]:
        """(annotation, how it is read, required) of the request body; ("", "", False) without one."""
        body = op.get("requestBody")
        media_types = offered(body)
        if not isinstance(body, dict) or not media_types:
            return "", "", False
        required = body.get("required") is True
        by_kind = first_of_each_kind(media_types)
        if "json" in by_kind:
            media, entry = by_kind["json"]
            where = at + ("requestBody", "content", media, "schema")
            return self.sb.type_of(entry.get("schema"), where, hint + "Payload").annotation(), "json", required
        if "text" in by_kind:
            return "str", "text", required
        media = media_types[0][0]
        if media_kind(media) != "bytes":
            self.sb.warn(
                at + ("requestBody", "content", media),
                f"{what}: a payload in {media} is not decoded by the receiver: the handler gets its bytes",
            )
        return "bytes", "bytes", required

    def answer(self, op: dict[str, Any], at: Parts, hint: str, what: str) -> tuple[int, str, str]:
        """(status, annotation, media type) of the success answer: the first 2xx declared (200
        when none is); a JSON body is the handler's to return, any other is not generated."""
        found = op.get("responses")
        responses: dict[Any, Any] = found if isinstance(found, dict) else {}
        codes = sorted(str(k) for k in responses if str(k).isdigit() and str(k)[0] == "2")
        if not codes:
            return 200, "", ""
        status = int(codes[0])
        media_types = offered(responses.get(codes[0], responses.get(status)))
        if not media_types:
            return status, "", ""
        media, entry = first_of_each_kind(media_types).get("json", media_types[0])
        where = at + ("responses", codes[0], "content", media)
        if media_kind(media) != "json":
            self.sb.warn(
                where, f"{what}: an answer in {media} is not generated: the receiver answers with an empty body"
            )
            return status, "", ""
        return status, self.sb.type_of(entry.get("schema"), where + ("schema",), hint + "Response").annotation(), media


def finish(hooks: tuple[ir.Webhook, ...], defined: set[str], none_aliases: frozenset[str]) -> tuple[ir.Webhook, ...]:
    """Payload and answer types qualified (`models.Pet`) once every definition is known."""
    return tuple(
        replace(
            w,
            payload=wire.qualify(w.payload, defined, none_aliases),
            answer=wire.qualify(w.answer, defined, none_aliases),
        )
        for w in hooks
    )


def imports(hooks: tuple[ir.Webhook, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """webhooks.py's `from <stdlib> import` lines (module order) and the names it takes from pydantic."""
    words = re.findall(r"[A-Za-z_]\w*", " ".join(w.payload + " " + w.answer for w in hooks))
    typing = ["Any", "Protocol", *wire.typing_names(words, ("Annotated", "Literal"))]
    lines = [
        "from collections.abc import Awaitable, Callable, Mapping",
        "from dataclasses import dataclass",
        f"from typing import {', '.join(sorted(typing))}",
        *naming.stdlib_imports(words),
    ]
    pydantic = ("Field", "TypeAdapter", "ValidationError") if "Field" in words else ("TypeAdapter", "ValidationError")
    return tuple(sorted(lines, key=lambda line: line.split()[1])), pydantic


__all__ = ["ReceiverBuilder", "finish", "imports", "route_path"]
