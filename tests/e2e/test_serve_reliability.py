"""What `specbind serve` promises over a real socket (README, "Reliability"): concurrent writers
on an in-memory database, bounded request bodies, stalled uploads cut off, quiet client
disconnects, a line saying where it listens, and one-line errors for bad options."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

WRITERS, CREATES = 8, 25


def test_memory_database_takes_concurrent_writers(serve: Callable[..., Any]) -> None:
    server = serve("openai", ":memory:")

    def writer(w: int) -> list[tuple[int, str]]:
        with httpx.Client(base_url=server.base_url, timeout=60) as http:
            out = []
            for i in range(CREATES):
                items = [
                    {"role": "user", "content": f"w{w}-{i}-{k}"} for k in range(20)
                ]  # long transactions: contention
                r = http.post("/conversations", json={"items": items, "metadata": {"w": str(w)}})
                out.append((r.status_code, r.text if r.status_code != 200 else r.json()["id"]))
            return out

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [r for rs in pool.map(writer, range(WRITERS)) for r in rs]
    failed = [text for status, text in results if status != 200]
    assert not failed, f"{len(failed)} of {len(results)} creates failed, e.g. {failed[0]}"
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for _, cid in results:
            texts = [
                d["content"][0]["text"]
                for d in http.get(f"/conversations/{cid}/items", params={"order": "asc"}).json()["data"]
            ]
            assert len(texts) == 20 and texts[0].endswith("-0") and texts[-1].endswith("-19")
    assert "Traceback" not in server.log.read_text()


def _raw(port: int, request: bytes, wait: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_declared_body_over_the_default_limit_is_refused_unread(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    head = f"POST /v1/conversations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {60 * 1024 * 1024}\r\n\r\n"
    answer = _raw(server.port, head.encode() + b'{"items": [', wait=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"type":"invalid_request_error"' in answer and b"52428800 bytes" in answer


def test_stalled_upload_is_cut_off(serve: Callable[..., Any]) -> None:
    server = serve("openai", None, "--body-timeout", "1")
    head = (
        b"POST /v1/conversations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    started = time.monotonic()
    answer = _raw(server.port, head + b'{"metadata"', wait=15)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"did not arrive within 1 s" in answer
    assert time.monotonic() - started < 4, (
        "answered, and the connection closed, without waiting for keep-alive to expire"
    )
    assert httpx.post(server.base_url + "/conversations", json={}, timeout=10).status_code == 200


def test_client_disconnect_is_not_a_server_error(serve: Callable[..., Any]) -> None:
    server = serve("openai")
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b'POST /v1/conversations HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"meta')
            time.sleep(0.2)
    assert httpx.post(server.base_url + "/conversations", json={}, timeout=10).status_code == 200
    time.sleep(0.5)
    log = server.log.read_text()
    assert "Traceback" not in log and "ERROR" not in log and "unhandled error" not in log, log


def test_serve_says_where_it_listens(serve: Callable[..., Any]) -> None:
    server = serve("azure")
    assert f"at http://127.0.0.1:{server.port}/openai/v1 (database {server.db};" in server.log.read_text()


def _serve_fails(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "specbind", "serve", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("specbind: error: ") and done.stdout == "", done.stderr
    return lines[0]


def test_bad_options_are_one_line(tmp_path: Path) -> None:
    assert "--port 99999" in _serve_fails("--port", "99999", "--db", ":memory:", cwd=tmp_path)
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    assert f"--db {not_a_folder}/x.db" in _serve_fails("--port", "0", "--db", str(not_a_folder / "x.db"), cwd=tmp_path)
    assert "not a database" in _serve_fails("--port", "0", "--db", str(not_a_folder), cwd=tmp_path)
    assert not_a_folder.read_text() == "x"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert f"cannot listen on 127.0.0.1:{port}" in _serve_fails("--port", port, "--db", ":memory:", cwd=tmp_path)
