"""HTML for the parsed fences, following the front end's contract (see assets/).

Everything an author or a manifest wrote (captions, titles, labels, provenance) is
escaped; figures travel as JSON in a ``data-pp-figure`` attribute, never in a
``<script>``, with their labels made plain text for plotly (see ``charts``). URLs are
made relative to the page, so the site works from any sub-path of any static host.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from probepress.authoring import charts
from probepress.authoring.chart_text import chart_label, chart_summary
from probepress.authoring.input_pane import input_figure, shared_input_scene
from probepress.authoring.parse import (
    ChartFence,
    ClipFence,
    CompareFence,
    MontageFence,
    PlotlyFence,
)
from probepress.measure.results import ResultSet
from probepress.media.encoding import web_size
from probepress.probes.camera import camera_summary

__all__ = ["MediaUrls", "PageRender", "figure_div"]


class MediaUrls(Protocol):
    """Where the media of a clip or a fence lives in the built site (site-root URIs)."""

    def video(self, clip_id: str) -> str:
        """The web copy of a clip."""

    def poster(self, clip_id: str) -> str:
        """The poster image of a clip."""

    def composite(self, fence: CompareFence) -> str | None:
        """The side-by-side video of a comparison, if one was made."""

    def montage(self, fence: MontageFence) -> tuple[str, str]:
        """The montage video and its poster."""

    def overlay(self, clip_id: str, probe: str) -> str | None:
        """The overlay geometry (JSON) of a probe on a clip, if it has any."""

    def input_image(self, scene: str) -> str | None:
        """The input image of a scene (image-to-video), if it has one."""


def figure_div(
    figure: dict[str, Any], *, extra_class: str = "", data_url: str | None = None
) -> str:
    """A chart placeholder the front end renders with plotly, in a figure that says it in words.

    The figure is named by the chart's kind and title (``aria-label``); its caption is a
    one-line summary computed from the data (:mod:`~probepress.authoring.chart_text`)
    and, given ``data_url``, a link to the chart's numbers.
    """
    head, tail = _figure_parts(figure, extra_class)
    return head + _data_link(data_url) + tail


def _figure_parts(figure: dict[str, Any], extra_class: str) -> tuple[str, str]:
    """:func:`figure_div` before and after its data link, which alone depends on the page."""
    data = escape(json.dumps(figure, separators=(",", ":"), allow_nan=False), quote=True)
    classes = f"pp-chart {extra_class}".strip()
    label = escape(chart_label(figure), quote=True)
    head = (
        f'<figure class="pp-figure" aria-label="{label}">'
        f'<div class="{classes}" data-pp-figure="{data}"></div>'
        f'<figcaption class="pp-figure__summary">{escape(chart_summary(figure))}'
    )
    return head, "</figcaption></figure>"


def _data_link(data_url: str | None) -> str:
    return f' <a href="{escape(data_url)}" download>Data (CSV)</a>' if data_url else ""


#: A fence's chart as made once in a build: the HTML before its data link, the data
#: file's site URI (``None`` when the site keeps none), and the HTML after it.
FigureParts = tuple[str, str | None, str]


@dataclass
class PageRender:
    """Renders fences for one page (URLs relative to ``page_url``)."""

    results: ResultSet
    media: MediaUrls
    page_url: str
    # Keeps a figure's numbers as a file of the site and gives its site URI.
    chart_data: Callable[[dict[str, Any]], str] | None = None
    # The build's charts by fence, made once: a post's fences render again in the
    # blog's index, archive and category pages, where only the data link differs.
    figures: dict[tuple[object, str], FigureParts] | None = None
    fence_key: object = None  # the fence being rendered (its name and body)

    def _url(self, uri: str) -> str:
        return relative_url(uri, self.page_url)

    def figure_html(self, figure: dict[str, Any], *, extra_class: str = "") -> str:
        """A chart of this page: :func:`figure_div` linking its data when the site keeps it."""
        data_url = self._url(self.chart_data(figure)) if self.chart_data else None
        return figure_div(figure, extra_class=extra_class, data_url=data_url)

    def fence_figure(self, make: Callable[[], dict[str, Any]], *, extra_class: str = "") -> str:
        """The chart of the fence being rendered, made by ``make`` once per build."""
        key = (self.fence_key, extra_class)
        memo = self.figures if self.fence_key is not None else None
        parts = memo.get(key) if memo is not None else None
        if parts is None:
            figure = make()
            data_uri = self.chart_data(figure) if self.chart_data else None
            head, tail = _figure_parts(figure, extra_class)
            parts = (head, data_uri, tail)
            if memo is not None:
                memo[key] = parts
        head, data_uri, tail = parts
        return head + _data_link(self._url(data_uri) if data_uri else None) + tail

    def _provenance(self, clip_id: str) -> tuple[str, str]:
        """(short label, full hover text) of a clip's origin."""
        entry = self.results.clip(clip_id)
        parts = [entry.model]
        if entry.model_version:
            parts.append(entry.model_version)
        if entry.source:
            parts.append(f"source: {entry.source}")
        if entry.license:
            parts.append(f"license {entry.license}")
        if entry.synthetic:
            parts.append("synthetic stand-in")
        report = self.results.reports.get(entry.id)
        scene = self.results.manifest.scenes.get(entry.scene)
        if scene is not None and scene.input_image is not None:
            start = report.results.get("first_frame") if report is not None else None
            likeness = f" (first frame SSIM {start.metrics['ssim']:.2f})" if start else ""
            parts.append(f"made from input image {scene.input_image.file}{likeness}")
        outcome = report.results.get("camera") if report is not None else None
        if outcome:
            parts.append(camera_summary(outcome.metrics))
        return entry.model, " · ".join(parts)

    def _video(self, clip_id: str, *, controls: bool = True) -> str:
        # preload="none": no clip is downloaded before the reader plays it; the web
        # copy's size reserves the box (and the layout) before the poster arrives.
        info = self.results.info(clip_id)
        width, height = web_size(info.width, info.height)
        attributes = (
            f'class="pp-video" muted playsinline preload="none" width="{width}" height="{height}"'
        )
        if controls:
            attributes += " controls"
        poster = self._url(self.media.poster(clip_id))
        src = self._url(self.media.video(clip_id))
        return f'<video {attributes} poster="{escape(poster)}" src="{escape(src)}"></video>'

    def _caption(self, clip_id: str, text: str) -> str:
        label, hover = self._provenance(clip_id)
        # Said on the clip itself, from the manifest's per-clip flag: a page may mix
        # synthetic stand-ins with real model output.
        synthetic = (
            ' <span class="pp-provenance__synthetic">synthetic</span>'
            if self.results.clip(clip_id).synthetic
            else ""
        )
        badge = (
            f'<span class="pp-provenance" title="{escape(hover)}">{escape(label)}{synthetic}</span>'
        )
        if text == label:  # a pane labelled with its model: the badge alone says it
            return f"<figcaption>{badge}</figcaption>"
        return (
            f"<figcaption>{escape(text)} {badge}</figcaption>"
            if text
            else f"<figcaption>{badge}</figcaption>"
        )

    def clip(self, fence: ClipFence) -> str:
        """A single clip with caption and provenance on hover."""
        return (
            '<figure class="pp-clip"><div class="pp-media">'
            f"{self._video(fence.clip)}</div>{self._caption(fence.clip, fence.caption)}</figure>"
        )

    def compare(self, fence: CompareFence) -> str:
        """The synchronized player: panes, optional overlay canvases and timeline."""
        info = self.results.info(fence.items[0][1])
        wipe = " data-pp-wipe" if len(fence.items) == 2 else ""
        timing = f'data-pp-fps="{info.fps:g}" data-pp-frames="{info.frames}"'
        parts = [f'<div class="pp-compare" {timing}{wipe}>']
        if fence.title:
            parts.append(f'<div class="pp-compare__title">{escape(fence.title)}</div>')
        still = self._input_pane(fence)
        panes = len(fence.items) + bool(still)
        parts.append(f'<div class="pp-compare__grid" data-pp-panes="{panes}">{still}')
        for label, clip_id in fence.items:
            canvas = ""
            if fence.overlay:
                overlay = self.media.overlay(clip_id, fence.overlay)
                if overlay:
                    url = escape(self._url(overlay))
                    canvas = f'<canvas class="pp-overlay" data-pp-overlay="{url}"></canvas>'
            parts.append(
                f'<figure class="pp-pane" data-pp-clip="{escape(clip_id)}"><div class="pp-media">'
                f"{self._video(clip_id)}{canvas}</div>{self._caption(clip_id, label)}</figure>"
            )
        parts.append("</div>")
        if fence.timeline:
            clips = [c for _l, c in fence.items]
            parts.append(
                self.fence_figure(
                    lambda: charts.timeline(self.results, fence.timeline, clips),
                    extra_class="pp-timeline",
                )
            )
        composite = self.media.composite(fence)
        if composite:
            parts.append(
                '<p class="pp-compare__fallback">'
                f'<a href="{escape(self._url(composite))}" download>'
                "Download the side-by-side video</a></p>"
            )
        parts.append("</div>")
        return "".join(parts)

    def _input_pane(self, fence: CompareFence) -> str:
        """The scene's input image as a first, still pane; ``""`` when there is none."""
        if not fence.show_input:
            return ""
        scene = shared_input_scene(self.results.manifest, (c for _l, c in fence.items))
        url = self.media.input_image(scene.name) if scene is not None else None
        return input_figure(scene, self._url(url)) if scene is not None and url else ""

    def montage(self, fence: MontageFence) -> str:
        """Several clips combined in sequence, as one video."""
        video, poster = self.media.montage(fence)
        caption = escape(
            fence.caption or fence.title or " · ".join(label for label, _c in fence.items)
        )
        return (
            '<figure class="pp-clip pp-montage"><div class="pp-media">'
            f'<video class="pp-video" controls muted playsinline preload="none" '
            f'poster="{escape(self._url(poster))}" src="{escape(self._url(video))}"></video></div>'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def chart(self, fence: ChartFence) -> str:
        """A plotly chart built from the probe results."""

        def make() -> dict[str, Any]:
            clips = charts.expand_clips(self.results, fence.clips)
            builder = getattr(charts, fence.kind)
            if fence.kind in ("bars", "series", "history"):  # one metric each
                return builder(self.results, fence.metrics[0], clips, title=fence.title)
            return builder(self.results, list(fence.metrics), clips, title=fence.title)

        return self.fence_figure(make)

    def plotly(self, fence: PlotlyFence) -> str:
        """An author's own plotly figure."""
        return self.fence_figure(lambda: fence.figure)


def relative_url(url: str, page_url: str) -> str:
    """``url`` (site-relative) as seen from the page at ``page_url``, as MkDocs links it."""
    if page_url != ".":
        # A page URL that ends in a file name (``a/b.html``) links from its folder.
        head, tail = posixpath.split(page_url)
        page_url = head if "." in tail else page_url
    relative = _relative_path(url, page_url)
    return relative + "/" if url.endswith("/") else relative


def _relative_path(target: str, start: str) -> str:
    """``posixpath.relpath("/" + target, "/" + start)``, at a fraction of its cost.

    A site has thousands of links (every clip, poster and data file of every page);
    ``relpath`` normalises both paths through ``abspath`` each time.
    """
    target_parts = [part for part in target.split("/") if part and part != "."]
    start_parts = [part for part in start.split("/") if part and part != "."]
    if ".." in target_parts or ".." in start_parts:
        return posixpath.relpath("/" + target, "/" + start)
    common = 0
    for ours, theirs in zip(target_parts, start_parts, strict=False):
        if ours != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."
