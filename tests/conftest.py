"""Fixtures shared by several test modules."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[dict[str, bytes]], str]]:
    """Start an HTTP server on 127.0.0.1 serving the given files (name -> bytes); yield its base URL.

    Each call starts one more server, in its own folder; all stop when the test ends.
    """
    servers: list[http.server.ThreadingHTTPServer] = []

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    def start(files: dict[str, bytes]) -> str:
        root = tmp_path / f"www{len(servers)}"
        root.mkdir()
        for name, content in files.items():
            (root / name).write_bytes(content)
        handler = functools.partial(Quiet, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
