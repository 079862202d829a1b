"""`specbind serve`: open the database, bind the socket, say where it listens, serve.

Every failure a user can cause (a port out of range or taken, a host that does not resolve,
a database path that cannot be opened) is a `ServeError` with a one-line message, raised
before anything is served.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
from typing import TextIO

import uvicorn

from .app import BODY_TIMEOUT, FLAVORS, MAX_BODY_BYTES, create_reference_app


class ServeError(Exception):
    pass


def _listen(host: str, port: int) -> socket.socket:
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port}: a port is a number from 0 to 65535")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"--host {host}: cannot resolve it ({exc})") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(host: str, port: int, db: str, flavor: str, *, max_body_bytes: int | None = None,
          body_timeout: float | None = None, out: TextIO = sys.stdout) -> None:  # fmt: skip
    if max_body_bytes is not None and max_body_bytes < 0 or body_timeout is not None and body_timeout <= 0:
        raise ServeError("--max-body-bytes must be 0 or more and --body-timeout more than 0")
    sock = _listen(host, port)
    try:
        app = create_reference_app(
            db, flavor, max_body_bytes=MAX_BODY_BYTES if max_body_bytes is None else max_body_bytes,
            body_timeout=body_timeout or BODY_TIMEOUT,
        )  # fmt: skip
    except sqlite3.Error as exc:
        sock.close()
        raise ServeError(f"--db {db}: cannot open the database ({exc})") from None
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if sock.family == socket.AF_INET6 else bound[0]
    where = "in memory (lost on exit)" if db == ":memory:" else db
    print(
        f"specbind: serving the Conversations API ({flavor} flavor) at http://{shown}:{bound[1]}{FLAVORS[flavor][1]}"
        f" (database {where}; Ctrl-C stops)",
        file=out, flush=True,
    )  # fmt: skip
    config = uvicorn.Config(app, log_level="warning", timeout_keep_alive=5)
    uvicorn.Server(config).run(sockets=[sock])
