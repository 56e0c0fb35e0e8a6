"""Refuse to publish a site whose ``site_url`` still points at this machine.

``mkdocs serve`` needs ``site_url`` to be the local address (instant navigation
follows it), so a site keeps ``http://127.0.0.1:8000/`` while it is written. A build
*for publishing* must not: its canonical links, sitemap, feed and social cards would
all point at the author's laptop. A build is for publishing when it runs under
``mkdocs gh-deploy`` or with ``PROBEPRESS_PUBLISH=1`` in the environment (the
workflow ``probepress init`` writes sets it); plain ``mkdocs build`` and ``serve`` are
local and keep any address.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

__all__ = ["PUBLISH_ENV", "check_publish_url", "is_publish_build"]

#: Set to 1 to mark a build as the one that gets published.
PUBLISH_ENV = "PROBEPRESS_PUBLISH"

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}


def is_publish_build(command: str | None, environ: Mapping[str, str]) -> bool:
    """Whether this build's output is going to be published."""
    flag = environ.get(PUBLISH_ENV, "").strip().lower()
    return command == "gh-deploy" or flag in {"1", "true", "yes"}


def check_publish_url(site_url: str | None, config_file: str) -> None:
    """Stop a publish build whose ``site_url`` is missing or a local address.

    Raises
    ------
    PluginError
        Naming mkdocs.yml, the address and how to set it.
    """
    host = (urlsplit(site_url or "").hostname or "").lower()
    if site_url and host not in _LOCAL_HOSTS and not host.endswith(".localhost"):
        return
    shown = f"the local address {site_url}" if site_url else "not set"
    raise PluginError(
        f"{config_file}: site_url is {shown}, but this build is for publishing "
        f"({PUBLISH_ENV}=1 or gh-deploy). Set site_url to the address readers will use "
        "(for GitHub Pages: https://USER.github.io/REPO/), or give it as "
        "`site_url: !ENV [SITE_URL, http://127.0.0.1:8000/]` and set SITE_URL when "
        "publishing."
    )
