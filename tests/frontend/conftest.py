"""Fixtures for the browser tests: the built test site, a local server, headless Chromium.

One browser context serves the session (its HTTP and code caches spare each test
the ~1-2 s of compiling plotly.min.js again); every test still gets a page of its
own with an empty localStorage (default palette). Each page records console errors,
uncaught exceptions and requests to any host but 127.0.0.1, and a test fails if
there were any.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _frontend_browser import DESKTOP, open_page
from _frontend_site import build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "frontend"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like ``mkdocs serve``: no HTTP Range support, no log lines."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the test site, built for (and served from) a local port."""
    root = tmp_path_factory.mktemp("frontend-site")
    site = root / "site"
    site.mkdir()
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(root, site_url=url)  # instant navigation needs site_url with this port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_context(base_url: str):
    """Headless Debian Chromium (never a downloaded browser) and one context."""
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    context = browser.new_context(viewport=DESKTOP, base_url=base_url)
    yield context
    context.close()
    browser.close()
    playwright.stop()


@pytest.fixture
def viewport() -> dict[str, int]:
    """The page's size; parametrize ``viewport`` in a test for another one."""
    return DESKTOP


@pytest.fixture
def page(browser_context, viewport: dict[str, int]):
    """A fresh page; the test fails on any console error or request off the site."""
    page, log = open_page(browser_context, viewport)
    yield page
    page.close()
    log.assert_clean()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
