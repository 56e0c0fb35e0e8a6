"""A local stand-in for a static host (GitHub Pages), for auditing a built site.

Like such hosts it answers HTTP Range requests (``206``, through the same middleware
as ``probepress serve``) and compresses text (HTML, scripts, styles, JSON, SVG) with
gzip when the browser accepts it; media go as stored. Audits then see the transfer
sizes and the seekable clips a reader of the published site gets.
"""

from __future__ import annotations

import gzip
import mimetypes
import posixpath
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from probepress.site.range_requests import with_range_requests

__all__ = ["static_host"]

_COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _static_files(root: Path) -> Any:
    """A WSGI app serving the files under ``root`` (``index.html`` for folders)."""
    gzipped: dict[Path, bytes] = {}  # compressed once per file and run
    lock = threading.Lock()

    def app(environ: dict, start_response: Any) -> Iterable[bytes]:
        path = posixpath.normpath(unquote(environ.get("PATH_INFO", "/"))).lstrip("/")
        file = (root / path).resolve()
        if file.is_dir():
            if not environ.get("PATH_INFO", "/").endswith("/"):
                start_response("301 Moved Permanently", [("Location", "/" + path + "/")])
                return []
            file = file / "index.html"
        if root not in file.parents or not file.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            kind = "text/html; charset=utf-8"
        accepts = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        if accepts and kind.startswith(_COMPRESSED):
            with lock:
                if file not in gzipped:
                    gzipped[file] = gzip.compress(file.read_bytes(), compresslevel=6)
                body = gzipped[file]
            start_response(
                "200 OK",
                [
                    ("Content-Type", kind),
                    ("Content-Encoding", "gzip"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        start_response(
            "200 OK", [("Content-Type", kind), ("Content-Length", str(file.stat().st_size))]
        )
        return _file_chunks(file)

    return app


def _file_chunks(file: Path) -> Iterator[bytes]:
    with open(file, "rb") as stream:
        while chunk := stream.read(64 * 1024):
            yield chunk


@contextmanager
def static_host(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yields the base URL."""
    app = with_range_requests(_static_files(root.resolve()))
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
