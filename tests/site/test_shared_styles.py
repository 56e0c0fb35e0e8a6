"""Large inline stylesheets (mkdocs-jupyter's theme) move to shared files; others stay."""

from __future__ import annotations

import posixpath
import re

from probepress.site.shared_styles import MIN_SHARED_BYTES, STYLES_URI, share_large_styles

BIG = ".jp-x{background:url(data:image/png;base64,AAAA)}" + ".a{color:red}" * MIN_SHARED_BYTES
PAGE = "methodology/reproduce/index.html"


def test_a_large_style_becomes_a_link_to_a_file_with_the_same_css(tmp_path):
    html = f"<head><style>p{{margin:0}}</style><style>{BIG}</style><title>t</title></head>"
    out, moved = share_large_styles(html, page_uri=PAGE, site_dir=tmp_path)
    assert moved == 1
    (href,) = re.findall(r'<link rel="stylesheet" href="([^"]+)">', out)
    assert out.index("<style>p{margin:0}</style>") < out.index(href) < out.index("<title>")
    written = tmp_path / posixpath.normpath(posixpath.join(posixpath.dirname(PAGE), href))
    assert written.parent == tmp_path / STYLES_URI
    assert written.read_text(encoding="utf-8") == BIG
    assert len(out) < 200


def test_two_pages_with_the_same_style_share_one_file(tmp_path):
    share_large_styles(f"<style>{BIG}</style>", page_uri=PAGE, site_dir=tmp_path)
    out, _ = share_large_styles(f"<style>{BIG}</style>", page_uri="index.html", site_dir=tmp_path)
    assert len(list((tmp_path / STYLES_URI).iterdir())) == 1
    assert f'href="{STYLES_URI}/' in out


def test_styles_with_relative_urls_or_a_media_query_stay_inline(tmp_path):
    relative = f"<style>{BIG}.b{{background:url('img/b.png')}}</style>"
    print_only = f'<style media="print">{BIG}</style>'
    for html in (relative, print_only):
        assert share_large_styles(html, page_uri=PAGE, site_dir=tmp_path) == (html, 0)
    assert not (tmp_path / STYLES_URI).exists()
