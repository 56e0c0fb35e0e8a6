"""Material's social cards on a probepress site: the vendored font, no request, one og:image.

Every build here runs the real ``mkdocs`` with every proxy variable pointing at a closed
local port (``NO_PROXY`` unset), so any download the build attempts fails it; the
control case shows that a font the cache lacks is indeed fetched, and fails.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from html import unescape
from pathlib import Path

import pytest
from minimal_site import POST_URL, make_minimal_site
from PIL import Image
from sitebuild import BIN

from probepress.site.social_cards import CARD_FONT_FAMILY, card_font_files

pytestmark = pytest.mark.slow

QUOTED_TITLE = 'A "quoted" <drop> & more'
QUOTED_URL = POST_URL.replace("/28/a-first-measured-clip", "/29/quoted")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("probe-cache")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


def _offline_build(root: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in ``root`` with every HTTP(S) request bound to fail."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = proxy
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _social_site(root: Path, cache: Path, social: str = "  - social\n") -> Path:
    """The ``probepress init`` site with Material's social plugin after search."""
    make_minimal_site(root, cache)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - search\n" in text
    config.write_text(text.replace("  - search\n", "  - search\n" + social, 1), encoding="utf-8")
    return root


def _font_folder(root: Path) -> Path:
    return root / ".cache" / "plugin" / "social" / "fonts" / CARD_FONT_FAMILY


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """The social site with a second, quote-titled post, built offline; returns its root."""
    root = _social_site(tmp_path_factory.mktemp("social"), cache)
    post = next((root / "posts").glob("*.md")).read_text(encoding="utf-8")
    quoted = post.replace(
        "date: 2026-11-28", f"date: 2026-11-29\ntitle: '{QUOTED_TITLE}'\nslug: quoted"
    )
    (root / "posts" / "2026-11-29-quoted.md").write_text(quoted, encoding="utf-8")
    # A file of an earlier font in the folder would be drawn with: it must go.
    _font_folder(root).mkdir(parents=True)
    (_font_folder(root) / "Bold Italic.ttf").write_bytes(b"not a font")
    result = _offline_build(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def _head(root: Path, page: str) -> str:
    html = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    return html.partition("</head>")[0]


def _meta(head: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', head)


def test_the_card_font_folder_holds_exactly_the_vendored_files(built):
    folder = _font_folder(built)
    vendored = {path.name: path.read_bytes() for path in card_font_files()}
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == vendored
    assert set(vendored) == {"Regular.ttf", "Bold.ttf"}


def test_each_post_gets_a_1200_by_630_png_card_as_its_og_image(built):
    for page in (POST_URL, QUOTED_URL):
        (url,) = _meta(_head(built, page), "og:image")
        assert url.startswith("http://127.0.0.1:8000/assets/images/social/"), url
        card = built / "site" / unescape(url).removeprefix("http://127.0.0.1:8000/")
        with Image.open(card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
            # Text drawn on the plain background: more than one colour in the title area.
            assert len(image.crop((62, 160, 894, 470)).getcolors(1 << 16)) > 10


def test_og_and_twitter_tags_appear_once_and_escaped(built):
    head = _head(built, QUOTED_URL)
    # The social plugin writes these self-closing and unescaped; none may remain.
    assert " />" not in "".join(re.findall(r"<meta [^>]*>", head))
    for key in ("og:image", "og:title", "og:description", "og:url", "twitter:card"):
        assert len(_meta(head, key)) == 1, key
    assert _meta(head, "og:title") == ["A &quot;quoted&quot; &lt;drop&gt; &amp; more"]
    assert _meta(head, "og:image:width") == ["1200"]
    assert _meta(head, "twitter:card") == ["summary_large_image"]
    assert _meta(head, "twitter:title") == []


def test_pages_that_are_not_posts_get_their_card_too(built):
    for page in ("leaderboard", "claims"):
        (url,) = _meta(_head(built, page), "og:image")
        assert url.endswith(f"/assets/images/social/{page}.png")


def test_a_build_needing_a_font_the_cache_lacks_fails_offline(tmp_path, cache):
    # The control: with a family the site names and nobody seeded, Material downloads
    # it, which the closed proxy refuses. (The same happens without the seeding.)
    social = "  - social:\n      cards_layout_options:\n        font_family: Roboto\n"
    root = _social_site(tmp_path, cache, social)
    result = _offline_build(root)
    assert result.returncode != 0
    assert "fonts.google.com" in result.stderr
    assert not (root / ".cache" / "plugin" / "social" / "fonts" / CARD_FONT_FAMILY).exists()
