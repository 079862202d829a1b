from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live_server import Server


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(flavor: str = "openai", db: Path | str | None = None, *args: str) -> Server:
        server = Server(
            db or tmp_path / f"{flavor}.db", flavor, args, tmp_path / f"{flavor}-{len(servers)}.log"
        ).start()
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.stop()
