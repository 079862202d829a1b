"""Start `specbind serve` on a free loopback port and wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, db: Path | str, flavor: str, args: tuple[str, ...] = (), log: Path | None = None) -> None:
        self.db, self.flavor, self.port, self.args = db, flavor, free_port(), args
        self.log = log or Path(db).with_suffix(".log")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}" + ("/openai/v1" if self.flavor == "azure" else "/v1")

    def start(self) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "specbind",
            "serve",
            "--port",
            str(self.port),
            "--db",
            str(self.db),
            "--flavor",
            self.flavor,
            *self.args,
        ]
        with open(self.log, "ab") as log:  # a file, not a pipe: a chatty server must never block
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                httpx.get(self.base_url + "/conversations/ping", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
