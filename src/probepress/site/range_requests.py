"""HTTP Range support for the MkDocs dev server, as a WSGI middleware.

``mkdocs serve`` answers every request with the whole file (``200 OK``). A browser
then cannot seek a ``<video>`` to a part it has not downloaded, and the compare
player cannot keep its panes on one clock. Static hosts (GitHub Pages, S3, nginx)
answer ``Range: bytes=...`` with ``206 Partial Content``; this middleware makes the
dev server do the same, so a page behaves under ``mkdocs serve`` / ``probepress
serve`` as it will when published.

It wraps whatever application the server runs (MkDocs' ``LiveReloadServer`` resolves
the path, waits for a rebuild in progress, and injects its reload script into
HTML), and slices that application's ``200`` answer: nothing about where files are
is repeated here. Only single ranges are honoured; a request for several ranges gets
the whole file, which RFC 9110 allows. HTML is never sliced (its length changes
with the injected script).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

__all__ = ["ByteRange", "enable_range_requests", "parse_range", "with_range_requests"]

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]

# One range of a Range header: "bytes=0-499", "bytes=500-", "bytes=-500" (last 500).
_SINGLE_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
_CHUNK = 64 * 1024
_WRAPPED = "_probepress_range_requests"  # marks an app already wrapped


class ByteRange(NamedTuple):
    """An inclusive byte range of a file: offsets of its ``first`` and ``last`` byte."""

    first: int
    last: int

    @property
    def length(self) -> int:
        """How many bytes the range holds."""
        return self.last - self.first + 1


def parse_range(header: str, size: int) -> ByteRange | None | bool:
    """The byte range a ``Range`` header asks of a file of ``size`` bytes.

    Parameters
    ----------
    header : str
        The header's value, e.g. ``"bytes=0-"``.
    size : int
        The file's length in bytes.

    Returns
    -------
    ByteRange, None or False
        The range clipped to the file; ``None`` when the header is to be ignored
        (malformed, several ranges, another unit: the whole file is sent); ``False``
        when the range is unsatisfiable (``416``).
    """
    match = _SINGLE_RANGE.match(header)
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:  # a suffix: the last N bytes
        suffix = int(match[2])
        if suffix == 0 or size == 0:
            return False
        return ByteRange(max(size - suffix, 0), size - 1)
    first = int(match[1])
    if match[2] and int(match[2]) < first:
        return None  # syntactically invalid: RFC 9110 says ignore the header
    if first >= size:
        return False
    last = int(match[2]) if match[2] else size - 1
    return ByteRange(first, min(last, size - 1))


def enable_range_requests(server: Any) -> None:
    """Make a running ``wsgiref`` server (MkDocs' ``LiveReloadServer``) answer Range requests.

    Its application is wrapped by :func:`with_range_requests`, and its request log
    keeps ``206`` answers at debug level: MkDocs' logs every answer but ``200`` as a
    warning, and a seeking video makes many.
    """
    server.set_app(with_range_requests(server.get_app()))
    handler = server.RequestHandlerClass
    if getattr(handler, _WRAPPED, False):
        return

    class PartialContentQuiet(handler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            if str(code) == "206":
                logging.getLogger("mkdocs.livereload").debug('"%s" code 206', self.requestline)
            else:
                super().log_request(code, size)

    setattr(PartialContentQuiet, _WRAPPED, True)
    server.RequestHandlerClass = PartialContentQuiet


def with_range_requests(app: WsgiApp) -> WsgiApp:
    """``app``, answering Range requests for its whole-file answers with ``206``.

    Idempotent: wrapping an already wrapped application returns it unchanged.
    """
    if getattr(app, _WRAPPED, False):
        return app

    def ranged(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        captured: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info is not None and captured:
                raise exc_info[1].with_traceback(exc_info[2])
            captured[:] = [(status, list(headers))]
            return lambda data: None  # nothing here writes through write()

        body = app(environ, capture)
        status, headers = captured[0] if captured else ("500 Internal Server Error", [])
        size = _content_length(headers)
        if not status.startswith("200") or size is None or _is_html(headers) or _encoded(headers):
            start_response(status, headers)
            return body
        headers = [*headers, ("Accept-Ranges", "bytes")]
        header = environ.get("HTTP_RANGE")
        wanted = parse_range(header, size) if header else None
        if wanted is None or environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            start_response(status, headers)
            return body
        if wanted is False:
            _close(body)
            start_response(
                "416 Range Not Satisfiable",
                [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")],
            )
            return []
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers += [
            ("Content-Length", str(wanted.length)),
            ("Content-Range", f"bytes {wanted.first}-{wanted.last}/{size}"),
        ]
        start_response("206 Partial Content", headers)
        return _slice(body, wanted)

    setattr(ranged, _WRAPPED, True)
    return ranged


def _content_length(headers: list[tuple[str, str]]) -> int | None:
    for key, value in headers:
        if key.lower() == "content-length" and value.isdigit():
            return int(value)
    return None


def _is_html(headers: list[tuple[str, str]]) -> bool:
    return any(k.lower() == "content-type" and "html" in v.lower() for k, v in headers)


def _encoded(headers: list[tuple[str, str]]) -> bool:
    """A compressed answer: its length is not the file's, so it is not sliced."""
    return any(k.lower() == "content-encoding" for k, _v in headers)


def _slice(body: Iterable[bytes], wanted: ByteRange) -> Iterator[bytes]:
    """The bytes ``wanted`` of ``body``, seeking the underlying file when it has one."""
    try:
        filelike = getattr(body, "filelike", None)  # wsgiref.util.FileWrapper
        if filelike is not None and hasattr(filelike, "seek"):
            filelike.seek(wanted.first)
            left = wanted.length
            while left > 0:
                chunk = filelike.read(min(_CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
            return
        offset = 0
        for chunk in body:
            start, end = max(wanted.first - offset, 0), wanted.last + 1 - offset
            offset += len(chunk)
            if end <= 0:
                break
            if start < len(chunk):
                yield chunk[start:end]
    finally:
        _close(body)


def _close(body: Iterable[bytes]) -> None:
    close = getattr(body, "close", None)
    if close is not None:
        close()
