"""Browser-side helpers for the front-end tests: pages that log what must not happen."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

DESKTOP = {"width": 1280, "height": 900}


@dataclass
class PageLog:
    """What a page did that no test wants: errors and requests off the site."""

    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
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
