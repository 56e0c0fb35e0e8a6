"""Browser-test helpers shared by every suite: a local server, Debian's Chromium, clean pages.

Each page records console errors, uncaught exceptions and requests to any host but
127.0.0.1; ``PageLog.assert_clean`` fails the test if there were any.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# True once every chart of the page is drawn by plotly (vacuously on a page without).
# Charts are drawn as they near the viewport, so while one is not, it is scrolled to
# (as a reader would), and the page goes back to its top once all are drawn.
CHARTS_DRAWN = """() => {
  const undrawn = [...document.querySelectorAll('.pp-chart')]
    .filter(el => !el.querySelector('.main-svg'));
  const shown = undrawn.find(el => el.getClientRects().length) || undrawn[0];
  if (shown) {
    (shown.getClientRects().length ? shown : shown.closest('.tabbed-set') || shown)
      .scrollIntoView({block: 'center'});
    window.ppScrolledToCharts = true;
  } else if (window.ppScrolledToCharts) {
    window.ppScrolledToCharts = false;
    window.scrollTo(0, 0);
  }
  return undrawn.length === 0;
}"""

# Loads every compare player of the page (what a reader's first play or seek does;
# until then no clip is downloaded) and resolves once all have their metadata.
LOAD_PLAYERS = """() => Promise.all([...document.querySelectorAll('.pp-compare')]
    .map(el => el.ppPlayer.load()))"""

# True when plotly's global stylesheet is in place and a chart's modebar uses it. Wait
# for it: plotly adds a chart's modebar after its .main-svg, a while later when loaded.
MODEBAR_STYLED = """() => {
  const style = document.getElementById('plotly.js-style-global');
  const modebar = document.querySelector('.pp-chart .modebar');
  return !!style && style.sheet.cssRules.length > 0 && !!modebar
    && getComputedStyle(modebar).position === 'absolute';
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like plain ``mkdocs serve``: no HTTP Range support, no log lines.

    The front end then loads a clip whole, as a Blob, when it is played or seeked.
    """

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def local_server(directory: Path) -> Iterator[tuple[str, Path]]:
    """Serve ``directory`` (made if missing) on a free port; yields its URL and the folder.

    The port is known before anything is served, so a site can be built for it:
    Material's instant navigation only follows links under ``site_url``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", directory
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium, never a downloaded browser.

    One per test process: playwright's sync API runs one event loop per thread, so
    a second ``sync_playwright()`` while the first is open fails. Suites share it
    through the session fixture ``chromium`` and each open a context of their own.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@contextmanager
def browser_context(browser, base_url: str) -> Iterator[object]:
    """One context of ``browser`` on ``base_url``, for a whole suite.

    Its HTTP and code caches spare each test the second or two of compiling
    plotly.min.js again.
    """
    context = browser.new_context(viewport=DESKTOP, base_url=base_url)
    try:
        yield context
    finally:
        context.close()


@dataclass
class PageLog:
    """What a page did that no test wants: errors and requests off the site."""

    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """Fail on anything recorded since the last call, and start afresh."""
        errors, foreign = list(self.errors), list(self.foreign_requests)
        self.errors.clear()
        self.foreign_requests.clear()
        assert not errors, errors
        assert not foreign, f"requests off the site: {foreign}"


def open_page(context, viewport: dict[str, int] = DESKTOP):
    """A new page of ``context`` with a fresh localStorage, and its :class:`PageLog`."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.add_init_script("localStorage.clear()")  # Material keeps the palette there
    log = PageLog()
    page.on(
        "console",
        lambda message: message.type == "error"
        and log.errors.append(f"console: {message.text} @ {message.location.get('url')}"),
    )
    page.on("pageerror", lambda error: log.errors.append(f"exception: {error}"))

    def check_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            log.foreign_requests.append(request.url)

    page.on("request", check_request)
    return page, log


def wait_for_instant_navigation(page) -> None:
    """Wait until Material has its sitemap, without which links do full reloads."""
    page.wait_for_function("""() => performance.getEntriesByType('resource')
        .some(entry => entry.name.endsWith('/sitemap.xml'))""")
    page.wait_for_timeout(50)  # parsed in the task after the response


def follow_instantly(page, go: Callable[[], object]) -> None:
    """Run ``go`` (a click on a link, ``page.go_back``) and wait until Material put the page in.

    Instant navigation changes the URL at once (pushState, or popstate going back) and
    swaps the page's container in only once it is fetched. Until then the old page is
    still there, and a check such as ``CHARTS_DRAWN`` passes on it: the old container
    is marked, and the wait ends when a container without the mark has replaced it.
    """
    page.evaluate(
        "() => { document.querySelector('[data-md-component=container]').ppLeaving = true }"
    )
    go()
    page.wait_for_function("""() => {
        const container = document.querySelector('[data-md-component=container]');
        return !!container && !container.ppLeaving;
    }""")


def horizontal_overflow(page) -> list[str]:
    """What sticks out past the viewport's right edge; empty when nothing does.

    Names the elements where the overflow starts (their parent fits) and that no
    ancestor clips or scrolls: a wide table in a scrolling wrapper is fine, and
    Material's off-screen drawer is too.
    """
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        const clipped = (el) => {
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                if (getComputedStyle(up).overflowX !== 'visible'
                    && up.getBoundingClientRect().right <= width + 1) return true;
            }
            return false;
        };
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            const parent = el.parentElement.getBoundingClientRect();
            if (box.width && box.right > width + 1 && parent.right <= width + 1 && !clipped(el)) {
                const name = [el.tagName.toLowerCase(), ...el.classList].join('.');
                out.push(`${name} reaches ${Math.round(box.right)} px`);
            }
        }
        return out.length ? out : [`page is ${document.documentElement.scrollWidth} px wide`];
    }""")
