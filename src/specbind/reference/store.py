"""SQLite storage: one transaction per request.

A file database runs in WAL mode with one connection per thread; SQLite's own locking (and
a 30 s busy timeout) orders concurrent writers. An in-memory database is one connection that
every thread shares behind a lock, so transactions run one at a time: SQLite's shared-cache
mode, which would let several connections see one in-memory database, answers concurrent
writers with "database table is locked" at once instead of waiting.

Every row carries the scope it was written under (the user isolation key, or "" when none
was sent): reads never cross scopes, so another key sees a 404.
"""

from __future__ import annotations

import sqlite3
import threading
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


def _refuse_foreign_file(path: Path) -> None:
    """SQLite would take over a short file that is not a database; someone's file is not ours."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return  # SQLite creates it, or says why it cannot
    if head and head != b"SQLite format 3\x00":
        raise sqlite3.DatabaseError("file is not a database")


class Store:
    def __init__(self, path: str) -> None:
        self.memory = path == ":memory:"
        if not self.memory:
            _refuse_foreign_file(Path(path))
        self.uri = ":memory:" if self.memory else Path(path).resolve().as_uri() + "?mode=rwc"
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared = self._connect()
        if not self.memory:
            self._shared.execute("PRAGMA journal_mode=WAL")
        self._shared.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.uri, uri=not self.memory, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def connection(self) -> sqlite3.Connection:
        if self.memory:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        if self.memory:
            with self._lock:
                yield from self._transaction(self._shared, write)
        else:
            yield from self._transaction(self.connection(), write)

    @staticmethod
    def _transaction(conn: sqlite3.Connection, write: bool) -> Iterator[sqlite3.Connection]:
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
