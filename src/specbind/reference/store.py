"""SQLite storage: WAL, one connection per thread, one transaction per request.

Every row carries the scope it was written under (the user isolation key, or "" when none
was sent): reads never cross scopes, so another key sees a 404.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    scope TEXT NOT NULL,
    id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    PRIMARY KEY (scope, id)
);
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (scope, conversation_id, id)
);
CREATE INDEX IF NOT EXISTS items_by_conversation ON items (scope, conversation_id, seq);
"""


class Store:
    def __init__(self, path: str) -> None:
        if path == ":memory:":
            # A named shared-cache database, so every thread's connection sees the same data;
            # the first connection keeps it alive.
            self.uri = f"file:specbind-{uuid.uuid4().hex}?mode=memory&cache=shared"
        else:
            self.uri = Path(path).resolve().as_uri() + "?mode=rwc"
        self._local = threading.local()
        self._keepalive = self._connect()
        if path != ":memory:":
            self._keepalive.execute("PRAGMA journal_mode=WAL")
        self._keepalive.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
