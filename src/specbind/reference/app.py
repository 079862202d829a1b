"""Build the reference app for a flavor: `openai` (mounted at /v1) or `azure` (/openai/v1,
reads x-ms-user-isolation-key), with the limits `specbind serve` promises (README,
"Reliability")."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .service import ConversationsStore
from .store import Store

FLAVORS = {"openai": ("conversations", "/v1"), "azure": ("conversations_azure", "/openai/v1")}
# 20 items with inline images (base64 `image_url`s) fit; anything larger is answered 413.
MAX_BODY_BYTES = 50 * 1024 * 1024
# A request body must arrive within this many seconds of the request's headers, else 408.
BODY_TIMEOUT = 30.0


class RequestLimits:
    """Bounds every request body: at most `max_bytes` (413), arriving within `seconds` of the
    request's headers (408), so a huge or stalled upload cannot hold memory, a connection and
    a worker. Both answers use the API's error envelope."""

    def __init__(self, app: ASGIApp, max_bytes: int, seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:  # refused before reading a byte
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline, received, complete = loop.time() + self.seconds, 0, False

        async def receive_bounded() -> Message:
            nonlocal received, complete
            if complete:  # the body is in; later receives wait for a disconnect, untimed
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                late = f"The request body did not arrive within {self.seconds:g} s."
                raise HTTPException(408, late, headers={"Connection": "close"}) from None
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, _too_large_message(self.max_bytes))
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, receive_bounded, send)


def _too_large_message(limit: int) -> str:
    return f"The request body is larger than this server accepts ({limit} bytes)."


def _too_large(limit: int) -> Response:
    error = {"message": _too_large_message(limit), "type": "invalid_request_error", "param": None, "code": None}
    return JSONResponse({"error": error}, status_code=413, headers={"Connection": "close"})


def create_reference_app(
    db: str = ":memory:",
    flavor: str = "openai",
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    body_timeout: float = BODY_TIMEOUT,
) -> Any:
    package, prefix = FLAVORS[flavor]
    models = importlib.import_module(f"specbind._vendor.{package}.models")
    server = importlib.import_module(f"specbind._vendor.{package}.server")
    service = ConversationsStore(Store(db), models, server)
    app = server.create_app(service, prefix=prefix)
    app.add_middleware(RequestLimits, max_bytes=max_body_bytes, seconds=body_timeout)
    return app
