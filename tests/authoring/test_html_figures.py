"""A fence's chart is made once per build; each page gets it with its own data link."""

from __future__ import annotations

import itertools
import posixpath
from typing import Any

from probepress.authoring.html import PageRender, figure_div, relative_url

FIGURE: dict[str, Any] = {
    "data": [{"type": "bar", "name": "speed", "x": ["a", "b"], "y": [1.5, 2.5]}],
    "layout": {"title": {"text": "Speeds"}},
}


def _render(page_url: str, figures: dict, kept: list) -> PageRender:
    def chart_data(figure: dict) -> str:
        kept.append(figure)
        return "data/charts/0123.csv"

    return PageRender(
        results=None,  # type: ignore[arg-type]  # a made figure needs no results
        media=None,  # type: ignore[arg-type]
        page_url=page_url,
        chart_data=chart_data,
        figures=figures,
        fence_key=("chart", "kind: bars"),
    )


def test_a_fence_chart_is_made_once_and_linked_from_each_page() -> None:
    made: list[int] = []
    kept: list[dict] = []
    figures: dict = {}

    def make() -> dict:
        made.append(1)
        return FIGURE

    post = _render("blog/2026/11/28/a-post/", figures, kept).fence_figure(make)
    index = _render("blog/", figures, kept).fence_figure(make)
    assert len(made) == 1 and len(kept) == 1
    assert post == figure_div(FIGURE, data_url="../../../../../data/charts/0123.csv")
    assert index == figure_div(FIGURE, data_url="../data/charts/0123.csv")


def test_each_fence_and_class_has_its_own_chart() -> None:
    made: list[str] = []
    figures: dict = {}
    render = _render("blog/", figures, [])
    render.fence_figure(lambda: made.append("a") or FIGURE)
    render.fence_figure(lambda: made.append("b") or FIGURE, extra_class="pp-timeline")
    render.fence_key = ("chart", "kind: radar")
    render.fence_figure(lambda: made.append("c") or FIGURE)
    assert made == ["a", "b", "c"]
    assert 'class="pp-chart pp-timeline"' in figures[(("chart", "kind: bars"), "pp-timeline")][0]


def test_without_a_memo_every_render_makes_its_chart() -> None:
    made: list[int] = []
    render = PageRender(results=None, media=None, page_url="x/")  # type: ignore[arg-type]
    for _ in range(2):
        html = render.fence_figure(lambda: made.append(1) or FIGURE)
    assert len(made) == 2 and html == figure_div(FIGURE)


def test_relative_urls_are_those_of_posixpath_relpath():
    # The fast path must link exactly as relpath does, for every shape of site path.
    parts = ["", "media", "blog", "2026", "a.mp4", "data", "./", "x/../", "index.html", "b/"]
    paths = {"/".join(p) for n in range(3) for p in itertools.product(parts, repeat=n)}
    paths |= {"blog/2026/11/25/slug/", "media/a/b.mp4", "data/charts/f.csv", "."}
    checked = 0
    for url, page_url in itertools.product(sorted(paths), repeat=2):
        if not url or not page_url:
            continue
        base = page_url
        if page_url != ".":
            head, tail = posixpath.split(page_url)
            base = head if "." in tail else page_url
        expected = posixpath.relpath("/" + url, "/" + base)
        expected = expected + "/" if url.endswith("/") else expected
        assert relative_url(url, page_url) == expected, (url, page_url)
        checked += 1
    assert checked > 10_000
