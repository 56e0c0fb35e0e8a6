"""A small real MkDocs Material site using every element of the probepress front end.

The pages hold hand-written HTML that follows the contract the fences emit: charts,
a chart in an inactive tab, a single clip, claim callouts, a two-clip compare player
(wipe, overlays, timeline), a three-clip one, and a four-clip one shaped like the
flagship's (_four_pane_page.py). The clips are synthetic: each frame
carries its own index as an 8-bit code of black/white blocks, which a test reads
back by drawing the video into a canvas.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import plotly
import plotly.graph_objects as go

from probepress.synth.encode import write_mp4

ASSETS = Path(__file__).resolve().parents[2] / "src" / "probepress" / "assets"
SCRIPTS = (
    "probepress.js",
    "probepress-charts.js",
    "probepress-clock.js",
    "probepress-overlays.js",
    "probepress-player.js",
)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

FPS = 24
FRAMES = 60  # 2.5 s
WIDTH, HEIGHT = 320, 180
#: The overlays are in the pixels of a 640x360 "original", twice the web copy.
ORIGINAL_WIDTH, ORIGINAL_HEIGHT = 640, 360

#: Frame-index code: bit i is a white (1) or black (0) square at CODE_X[i], CODE_Y.
CODE_BITS = 8
CODE_SIZE = 14
CODE_X = [8 + 18 * bit for bit in range(CODE_BITS)]
CODE_Y = 8

#: Clip name -> background colour (RGB).
CLIPS = {"reference": (40, 60, 110), "model-a": (110, 50, 40), "model-b": (40, 100, 60)}


# ---------------------------------------------------------------------------
# Media
# ---------------------------------------------------------------------------


def ball_x(frame: int) -> float:
    """Horizontal centre of the ball at ``frame``, in web-copy pixels."""
    return 40 + 240 * frame / (FRAMES - 1)


def clip_frames(background: tuple[int, int, int]) -> np.ndarray:
    """Frames ``(FRAMES, HEIGHT, WIDTH, 3)``: a ball crossing a plain field, plus the code."""
    frames = np.empty((FRAMES, HEIGHT, WIDTH, 3), np.uint8)
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    for index in range(FRAMES):
        frame = frames[index]
        frame[:] = background
        frame[(cols - ball_x(index)) ** 2 + (rows - 110) ** 2 <= 15**2] = (235, 235, 235)
        frame[CODE_Y - 4 : CODE_Y + CODE_SIZE + 4, : CODE_X[-1] + CODE_SIZE + 4] = 0
        for bit, x in enumerate(CODE_X):
            if index >> bit & 1:
                frame[CODE_Y : CODE_Y + CODE_SIZE, x : x + CODE_SIZE] = 255
    return frames


def overlay(frames_with_shapes: int) -> dict:
    """Overlay JSON in original pixels: a static axis, a circle and point per frame."""
    scale = ORIGINAL_WIDTH / WIDTH
    per_frame = [
        [
            {
                "kind": "circle",
                "xy": [ball_x(n) * scale, 110 * scale],
                "r": 20 * scale,
                "label": "ball",
            },
            {"kind": "point", "xy": [ball_x(n) * scale, 110 * scale]},
            {
                "kind": "polyline",
                "xy": [[ball_x(n) * scale, 110 * scale], [ball_x(n) * scale, 150 * scale]],
            },
        ]
        for n in range(frames_with_shapes)
    ]
    return {
        "probe": "reflection",
        "width": ORIGINAL_WIDTH,
        "height": ORIGINAL_HEIGHT,
        "fps": FPS,
        "static": [{"kind": "line", "xy": [0, 300, ORIGINAL_WIDTH, 300], "label": "axis"}],
        "frames": per_frame,
    }


# ---------------------------------------------------------------------------
# HTML per the contract
# ---------------------------------------------------------------------------


def figure_attr(figure: dict) -> str:
    """The figure JSON as an HTML attribute value (single-quoted, escaped)."""
    return html.escape(json.dumps(figure), quote=True)


def chart(figure: dict, *, element_id: str, extra_class: str = "") -> str:
    classes = f"pp-chart {extra_class}".strip()
    return (
        f'<div class="{classes}" id="{element_id}" data-pp-figure=\'{figure_attr(figure)}\'></div>'
    )


def bar_figure() -> dict:
    """A figure made by plotly.py, as the chart builders make them (default template)."""
    figure = go.Figure(
        go.Bar(x=["Reference", "Model A", "Model B"], y=[0.95, 0.61, 0.83], name="symmetry")
    )
    figure.update_layout(
        title="Reflection symmetry",
        yaxis_range=[0, 1],
        height=300,
        meta={"pp": {"metric": "reflection.symmetry"}},
    )
    return json.loads(figure.to_json())


def line_figure() -> dict:
    t = [n / FPS for n in range(FRAMES)]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": t,
                "y": [float(np.sin(x * 3)) for x in t],
                "name": "gain",
            }
        ],
        "layout": {"height": 260, "xaxis": {"title": {"text": "time (s)"}}},
    }


def timeline_figure(labels: dict[str, str]) -> dict:
    t = [n / FPS for n in range(FRAMES)]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": t,
            "name": label,
            "meta": clip_id,
            "y": [0.5 + 0.4 * float(np.cos(x * (index + 1))) for x in t],
        }
        for index, (clip_id, label) in enumerate(labels.items())
    ]
    layout = {
        "height": 220,
        "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
        "xaxis": {"title": {"text": "time (s)"}, "range": [0, FRAMES / FPS]},
        "yaxis": {"range": [0, 1]},
        # An author's own shape: the cursor must be added after it, not replace it.
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0.5,
                "y1": 0.5,
                "line": {"dash": "dot", "width": 1},
            }
        ],
    }
    return {"data": data, "layout": layout}


def provenance(label: str) -> str:
    title = f"{label} · probepress-synth 1 · source: test fixture · license CC0-1.0"
    return f'<span class="pp-provenance" title="{html.escape(title)}">{html.escape(label)}</span>'


def pane(media: str, clip: str, label: str, *, overlay_url: str | None) -> str:
    canvas = (
        f'<canvas class="pp-overlay" data-pp-overlay="{overlay_url}"></canvas>'
        if overlay_url
        else ""
    )
    return (
        f'<figure class="pp-pane" data-pp-clip="test/{clip}">'
        f'<div class="pp-media">'
        f'<video class="pp-video" controls muted playsinline preload="none" '
        f'poster="{media}{clip}.jpg" src="{media}{clip}.mp4"></video>{canvas}</div>'
        f"<figcaption>{label} {provenance(label)}</figcaption></figure>"
    )


def compare(element_id: str, clips: dict[str, str], *, prefix: str, overlays: bool) -> str:
    """A compare player; ``clips`` maps clip name -> label; ``prefix`` leads to the root."""
    wipe = " data-pp-wipe" if len(clips) == 2 else ""
    panes = "".join(
        pane(
            f"{prefix}media/",
            clip,
            label,
            overlay_url=f"{prefix}data/overlays/{clip}.json" if overlays else None,
        )
        for clip, label in clips.items()
    )
    timeline = chart(
        timeline_figure({f"test/{c}": label for c, label in clips.items()}),
        element_id=f"{element_id}-timeline",
        extra_class="pp-timeline",
    )
    return (
        f'<div class="pp-compare" id="{element_id}" data-pp-fps="{FPS}" '
        f'data-pp-frames="{FRAMES}"{wipe}>'
        f'<div class="pp-compare__title">Does the ball keep its speed?</div>'
        f'<div class="pp-compare__grid">{panes}</div>{timeline}'
        f'<p class="pp-compare__fallback"><a href="{prefix}media/reference.mp4" download>'
        f"Download the side-by-side video</a></p></div>"
    )


def claim(status: str, statement: str) -> str:
    title = "Holds" if status == "holds" else "Fails"
    return (
        f'<div class="admonition pp-claim pp-claim--{status}">'
        f'<p class="admonition-title">{title}</p><p>{statement}</p>'
        f'<table class="pp-claim__values"><tr><th>value</th><th>measured</th><th>needed</th></tr>'
        f"<tr><td>reflection.symmetry</td><td>0.93</td><td>&ge; 0.85</td></tr></table>"
        f'<p class="pp-claim__provenance">reflection v3 · clip 1a2b3c4d</p></div>'
    )


INDEX_MD = """\
# Charts

Model A keeps its reflection: symmetry <span class="pp-value" title="reflection v3">0.93</span>.

{bars}

=== "Summary"

    The second tab holds a chart that is drawn while hidden.

=== "Series"

    {tabbed}

<figure class="pp-clip"><div class="pp-media"><video class="pp-video" controls muted playsinline \
preload="none" poster="media/reference.jpg" src="media/reference.mp4"></video></div>\
<figcaption>A ball crosses the field {provenance}</figcaption></figure>

{holds}

{fails}

Go to the [compare page](compare.md).
"""

COMPARE_MD = """\
# Compare

{wipe_player}

{grid_player}

Back to the [charts](index.md).
"""

# A page outside Material (no document$): the scripts start on DOMContentLoaded.
PLAIN_HTML = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plain</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="css/probepress.css"></head>
<body><div class="md-typeset">{chart}</div>
{scripts}
</body></html>
"""

MKDOCS_YML = """\
site_name: probepress front-end test
site_url: SITE_URL
theme:
  name: material
  font: false
  features: [navigation.instant]
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
nav:
  - Charts: index.md
  - Compare: compare.md
  - Four clips: four.md
extra_javascript: [js/plotly.min.js, js/probepress.js, js/probepress-charts.js,
                   js/probepress-clock.js, js/probepress-overlays.js, js/probepress-player.js]
extra_css: [css/probepress.css]
markdown_extensions:
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.tabbed: {alternate_style: true}
"""


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def write_sources(root: Path, site_url: str) -> None:
    """Write mkdocs.yml, pages, clips, posters, overlays and scripts under ``root``."""
    docs = root / "docs"
    for folder in ("media", "data/overlays", "js", "css"):
        (docs / folder).mkdir(parents=True, exist_ok=True)
    for name, background in CLIPS.items():
        frames = clip_frames(background)
        write_mp4(docs / "media" / f"{name}.mp4", frames, fps=FPS, crf=23)
        cv2.imwrite(str(docs / "media" / f"{name}.jpg"), cv2.cvtColor(frames[0], cv2.COLOR_RGB2BGR))
    # The reference's overlay stops at frame 40 (shorter than the clip), Model A's is static.
    (docs / "data/overlays/reference.json").write_text(json.dumps(overlay(40)))
    (docs / "data/overlays/model-a.json").write_text(json.dumps(overlay(0)))
    shutil.copy2(PLOTLY_JS, docs / "js" / "plotly.min.js")
    for script in SCRIPTS:
        shutil.copy2(ASSETS / script, docs / "js" / script)
    shutil.copy2(ASSETS / "probepress.css", docs / "css" / "probepress.css")

    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace("SITE_URL", site_url))
    (docs / "index.md").write_text(
        INDEX_MD.format(
            bars=chart(bar_figure(), element_id="bars"),
            tabbed=chart(line_figure(), element_id="tabbed"),
            provenance=provenance("Reference"),
            holds=claim("holds", "The reflection follows the train."),
            fails=claim("fails", "The ball falls at 9.8 m/s²."),
        )
    )
    (docs / "plain.html").write_text(
        PLAIN_HTML.format(
            chart=chart(bar_figure(), element_id="plain-chart"),
            scripts="\n".join(
                f'<script src="js/{name}"></script>' for name in ("plotly.min.js", *SCRIPTS)
            ),
        )
    )
    (docs / "compare.md").write_text(
        COMPARE_MD.format(
            wipe_player=compare(
                "wipe-player",
                {"reference": "Reference", "model-a": "Model A"},
                prefix="../",
                overlays=True,
            ),
            grid_player=compare(
                "grid-player",
                {"reference": "Reference", "model-a": "Model A", "model-b": "Model B"},
                prefix="../",
                overlays=False,
            ),
        )
    )
    # Imported here: the four-pane page builds on this module's helpers.
    from _four_pane_page import write_four_pane_page

    write_four_pane_page(docs)


def build(root: Path, site_url: str) -> Path:
    """Write the sources and run ``mkdocs build --strict``; returns the site directory.

    ``site_url`` must be where the site is served, port included: Material's instant
    navigation only intercepts links found in sitemap.xml, and it matches them with
    the page's protocol and host name but keeps the sitemap's port.
    """
    write_sources(root, site_url)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return root / "site"
