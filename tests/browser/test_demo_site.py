"""The real demo site in headless Chromium: every page clean, palette, search, player."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitebuild import build_site, copy_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "demo-site"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory, demo_clips):
    """The demo site built for, and served on, a free port of 127.0.0.1."""
    root = copy_site(tmp_path_factory.mktemp("browser-demo"), with_clips_from=demo_clips)
    (root / "site").mkdir()
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # Instant navigation only follows links whose host and port match site_url.
    config = re.sub(r"^site_url: .*$", f"site_url: {url}", config, flags=re.MULTILINE)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url, root / "site"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            "browser tests need Debian's chromium at /usr/bin/chromium (make test installs it)"
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield browser
    browser.close()
    playwright.stop()


def _page(browser, url: str, problems: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))

    def outside(request) -> None:
        if not request.url.startswith((url, "data:", "blob:")):
            problems.append(f"request left the site: {request.url}")

    page.on("request", outside)
    return page


def test_every_page_loads_clean_and_stays_on_the_site(browser, served_site):
    url, site = served_site
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    problems: list[str] = []
    page = _page(browser, url, problems)
    for path in pages:
        page.goto(url + ("" if path == "." else path + "/"))
        page.wait_for_load_state("networkidle")
    page.close()
    assert len(pages) > 10
    assert problems == []


def test_palette_toggle_switches_to_dark_and_charts_follow(browser, served_site):
    url, _site = served_site
    problems: list[str] = []
    page = _page(browser, url, problems)
    page.goto(url + "guide/")
    page.wait_for_selector(".pp-chart .main-svg")
    light = page.evaluate(
        "getComputedStyle(document.querySelector('.pp-chart .gtitle, .pp-chart .xtick text')).fill"
    )
    page.click("label[for=__palette_1]")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_timeout(300)
    dark = page.evaluate(
        "getComputedStyle(document.querySelector('.pp-chart .gtitle, .pp-chart .xtick text')).fill"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "guide-dark.png"))
    page.close()
    assert light != dark
    assert problems == []


def test_search_finds_the_probe_pages(browser, served_site):
    url, _site = served_site
    problems: list[str] = []
    page = _page(browser, url, problems)
    page.goto(url + "blog/")
    page.click("input.md-search__input")
    page.keyboard.type("reflection")
    page.wait_for_selector(".md-search-result__item")
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    page.close()
    assert "Reflection" in titles
    assert problems == []


def test_guide_compare_player_plays_in_sync(browser, served_site):
    url, _site = served_site
    problems: list[str] = []
    page = _page(browser, url, problems)
    page.goto(url + "guide/")
    page.wait_for_function("document.querySelector('.pp-compare')?.ppPlayer !== undefined")
    page.evaluate("document.querySelector('.pp-compare').ppPlayer.ready")
    page.evaluate("document.querySelector('.pp-compare').ppPlayer.play()")
    drifts = []
    for _ in range(8):
        page.wait_for_timeout(200)
        drifts.append(page.evaluate("document.querySelector('.pp-compare').ppPlayer.drift()"))
    frame = page.evaluate("document.querySelector('.pp-compare').ppPlayer.currentFrame()")
    page.evaluate("document.querySelector('.pp-compare').ppPlayer.pause()")
    page.screenshot(path=str(ARTIFACTS / "guide-player.png"))
    page.close()
    assert frame > 10
    assert max(drifts) < 1.0
    assert problems == []
