"""Link-preview meta: the social card, when Material drew one, is the page's only og:image."""

from __future__ import annotations

import re

from probepress.site.social_meta import add_social_meta, take_card_tags

CARD = "http://example.org/assets/images/social/blog/post.png"
# What Material's social plugin puts before </head>: self-closing, content unescaped.
MATERIAL_TAGS = "\n".join(
    f'<meta property="{key}" content="{value}" />'
    for key, value in [
        ("og:type", "website"),
        ("og:title", 'A "quoted" <drop> - Site'),
        ("og:image", CARD),
        ("og:image:type", "image/png"),
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
        ("twitter:card", "summary_large_image"),
        ("twitter:title", 'A "quoted" <drop> - Site'),
        ("twitter:image", CARD),
    ]
)
BODY = '<body><video poster="../../media/p.jpg"></video><p>Quoting <code>&lt;meta&gt;</code></p></body>'


def _page(head_extra: str) -> str:
    return f"<html><head><title>t</title>\n{head_extra}\n</head>{BODY}</html>"


def _meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)


def _social(html: str) -> str:
    return add_social_meta(
        html,
        title='A "quoted" <drop>',
        description="d",
        page_url="http://example.org/blog/post/",
        site_name="Site",
        is_post=True,
    )


def test_take_card_tags_removes_materials_tags_and_returns_the_cards():
    page, card = take_card_tags(_page(MATERIAL_TAGS))
    assert card == [
        ("og:image", CARD),
        ("og:image:type", "image/png"),
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
    ]
    assert "<meta" not in page and page.endswith(f"</head>{BODY}</html>")


def test_the_card_replaces_the_poster_and_every_tag_appears_once_escaped():
    html = _social(_page(MATERIAL_TAGS))
    assert _meta(html, "og:image") == [CARD]
    assert _meta(html, "og:title") == ["A &quot;quoted&quot; &lt;drop&gt;"]
    assert _meta(html, "twitter:card") == ["summary_large_image"]
    assert _meta(html, "twitter:title") == [] and " />" not in html


def test_without_a_card_a_post_keeps_its_poster():
    html = _social(_page(""))
    assert _meta(html, "og:image") == ["http://example.org/media/p.jpg"]


def test_a_title_that_closes_materials_tag_leaves_nothing_behind():
    # Material writes the title unescaped: this one ends its tag and opens a script.
    title = 'T" /><script>alert(1)</script><i x="'
    tags = MATERIAL_TAGS.replace('A "quoted" <drop>', title)
    page, card = take_card_tags(_page(tags))
    assert "<script>" not in page and "<meta" not in page
    assert card[0] == ("og:image", CARD)
    html = _social(_page(tags))
    assert "<script>" not in html.partition("</head>")[0]


def test_a_tag_quoted_in_the_body_is_left_alone():
    quoted = '<meta property="og:image" content="x" />'
    page = f"<html><head>\n</head><body>{quoted}</body></html>"
    assert take_card_tags(page) == (page, [])
