"""HTTP Range requests on MkDocs' own dev server (LiveReloadServer), as the plugin sets it up."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from probepress.site.range_requests import ByteRange, enable_range_requests, parse_range

CLIP = bytes(range(256)) * 40  # 10,240 bytes, every offset distinguishable


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A real LiveReloadServer on a free port over a folder with a clip and a page."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "clip.mp4").write_bytes(CLIP)
    (tmp_path / "index.html").write_text("<html><body><p>page</p></body></html>")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))  # as under `mkdocs serve`: HTML gets the reload script
    enable_range_requests(server)
    enable_range_requests(server)  # on_serve may run again: wrapping twice changes nothing
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    while not server.serve_thread.is_alive():
        threading.Event().wait(0.01)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(5)


def get(url: str, range_header: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Range": range_header} if range_header else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_range_of_a_clip_is_answered_206_with_exactly_those_bytes(served):
    status, headers, body = get(served + "media/clip.mp4", "bytes=100-1099")
    assert status == 206
    assert headers["Content-Range"] == f"bytes 100-1099/{len(CLIP)}"
    assert headers["Content-Length"] == "1000"
    assert body == CLIP[100:1100]


def test_an_open_range_runs_to_the_end_of_the_clip(served):
    status, headers, body = get(served + "media/clip.mp4", "bytes=10000-")
    assert (status, body) == (206, CLIP[10000:])
    assert headers["Content-Range"] == f"bytes 10000-{len(CLIP) - 1}/{len(CLIP)}"


def test_a_suffix_range_is_the_last_bytes(served):
    status, _headers, body = get(served + "media/clip.mp4", "bytes=-16")
    assert (status, body) == (206, CLIP[-16:])


def test_without_range_the_whole_clip_comes_with_accept_ranges(served):
    status, headers, body = get(served + "media/clip.mp4")
    assert (status, body) == (200, CLIP)
    assert headers["Accept-Ranges"] == "bytes"


def test_a_range_past_the_end_is_416_with_the_size(served):
    status, headers, _body = get(served + "media/clip.mp4", f"bytes={len(CLIP)}-")
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(CLIP)}"


def test_several_ranges_get_the_whole_clip(served):
    status, _headers, body = get(served + "media/clip.mp4", "bytes=0-1,5-6")
    assert (status, body) == (200, CLIP)


def test_html_is_never_sliced_it_carries_the_reload_script(served):
    status, headers, body = get(served, "bytes=0-9")
    assert status == 200 and "Content-Range" not in headers
    assert b"<p>page</p>" in body and b"livereload" in body


def test_a_missing_file_is_still_404(served):
    status, _headers, _body = get(served + "media/none.mp4", "bytes=0-9")
    assert status == 404


def test_partial_answers_are_not_logged_as_warnings(served):
    # A handler on MkDocs' own logger, enabled: another test's logging set-up may have
    # stopped it propagating, or disabled it (dictConfig disables existing loggers).
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger("mkdocs.livereload")
    logger.addHandler(handler)
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.DEBUG)
    logger.disabled = False
    try:
        get(served + "media/clip.mp4", "bytes=0-9")
        get(served + "media/none.mp4")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.disabled = disabled
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert any("code 404" in message for message in warnings), warnings  # MkDocs' own
    assert not any("code 206" in message for message in warnings), warnings


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-0", 10, ByteRange(0, 0)),
        ("bytes=5-100", 10, ByteRange(5, 9)),  # clipped to the file
        ("bytes=-100", 10, ByteRange(0, 9)),
        ("bytes=10-", 10, False),
        ("bytes=-0", 10, False),
        ("bytes=5-2", 10, None),  # invalid: ignored, the whole file is sent
        ("items=0-5", 10, None),
        ("bytes=0-1, 4-5", 10, None),
        ("bytes=-", 10, None),
    ],
)
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected
