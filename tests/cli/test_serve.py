"""``probepress serve`` on the site ``probepress init`` writes: clips stream and seek (HTTP 206)."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import browser_context as open_context
from browserkit import open_page

pytestmark = pytest.mark.browser

PROBEPRESS = str(Path(sys.executable).parent / "probepress")
VIDEO = "document.querySelector('.pp-clip video')"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"probepress serve exited {process.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"probepress serve did not answer on {url} within {timeout:.0f} s")


def _post_url(served: str) -> str:
    """The URL of the site's one post, from its sitemap."""
    with urllib.request.urlopen(served + "sitemap.xml", timeout=30) as response:
        sitemap = response.read().decode()
    (url,) = re.findall(r"<loc>([^<]*/blog/\d{4}/[^<]+)</loc>", sitemap)
    return url


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh ``probepress init`` site under ``probepress serve``; yields its URL."""
    root = tmp_path_factory.mktemp("serve") / "site"
    subprocess.run([PROBEPRESS, "init", str(root)], check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = root.parent / "serve.log"  # a pipe nobody reads would stall the server
    with log.open("w") as stream:  # the server keeps its own copy of the descriptor
        process = subprocess.Popen(
            [PROBEPRESS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=stream,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_served(url, process, log, timeout=600)
        yield url
    finally:
        process.send_signal(signal.SIGINT)  # MkDocs removes its temporary site on Ctrl-C
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_refuses_a_site_without_the_plugin(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: plain\n")
    result = subprocess.run(
        [PROBEPRESS, "serve"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "probepress" in result.stderr and "plugin" in result.stderr


def test_a_clip_streams_plays_and_seeks_with_range_requests(chromium, served):
    with open_context(chromium, served) as context:
        page, log = open_page(context)
        clips: list[tuple[int, str]] = []
        page.on(
            "response",
            lambda response: response.url.endswith(".mp4")
            and clips.append((response.status, response.url)),
        )
        # (Never "networkidle" here: the live-reload script keeps a request open.)
        page.goto(_post_url(served))
        page.wait_for_selector(".pp-clip video", state="attached")
        assert clips == []  # nothing of the clip before it is played (see test_light_pages)

        page.evaluate(f"() => {VIDEO}.play()")
        page.wait_for_function(f"() => {VIDEO}.currentTime > 0.2", timeout=60_000)
        duration = page.evaluate(f"() => {VIDEO}.duration")
        page.evaluate(f"() => {{ {VIDEO}.pause(); {VIDEO}.currentTime = {duration * 0.8}; }}")
        page.wait_for_function(
            f"() => !{VIDEO}.seeking && Math.abs({VIDEO}.currentTime - {duration * 0.8}) < 0.1",
            timeout=60_000,
        )
        streamed = page.evaluate(f"() => !{VIDEO}.src.startsWith('blob:')")
        seekable = page.evaluate(f"() => {VIDEO}.seekable.length && {VIDEO}.seekable.end(0)")
        page.close()
        log.assert_clean()
    assert clips and all(status == 206 for status, _url in clips), clips
    assert streamed, "the clip played from its own URL, not a Blob"
    assert seekable == pytest.approx(duration, abs=0.1)
