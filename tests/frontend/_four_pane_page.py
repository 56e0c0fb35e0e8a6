"""The front-end test site's four-pane page: a compare player shaped like the flagship's.

Four 6-second clips at 640x360 (the demo's size and length), each with a textured
background that H.264 has to work for, a ball crossing it and the frame-index code of
_frontend_site.py; per-frame overlays on every pane and a timeline under the player,
so the main thread has the flagship's work to do while the clock keeps the panes in
step.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from _frontend_site import CODE_SIZE, CODE_X, CODE_Y, FPS, chart, pane, timeline_figure

from probepress.synth.encode import write_mp4

FRAMES = 144  # 6 s, as the demo clips
WIDTH, HEIGHT = 640, 360
PLAYER_ID = "four-player"
#: Clip name -> background colour (RGB).
CLIPS = {
    "four-reference": (40, 60, 110),
    "four-model-a": (110, 50, 40),
    "four-model-b": (40, 100, 60),
    "four-model-c": (90, 80, 30),
}
PAGE_MD = """\
# Four clips

{player}
"""


def ball_x(frame: int) -> float:
    """Horizontal centre of the ball at ``frame``, in pixels."""
    return 60 + (WIDTH - 120) * frame / (FRAMES - 1)


def clip_frames(background: tuple[int, int, int], seed: int) -> np.ndarray:
    """Frames ``(FRAMES, HEIGHT, WIDTH, 3)``: a ball over drifting texture, plus the code."""
    texture = np.random.default_rng(seed).integers(0, 48, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    texture += np.asarray(background, np.uint8)  # at most 47 + 110: no overflow
    radius = 30
    rows, cols = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disc = rows**2 + cols**2 <= radius**2
    frames = np.empty((FRAMES, HEIGHT, WIDTH, 3), np.uint8)
    for index in range(FRAMES):
        frame = frames[index]
        # Texture that moves every frame: the encoder cannot skip it, the decoder works.
        frame[:] = np.roll(texture, 3 * index, axis=1)
        left = round(ball_x(index)) - radius
        frame[220 - radius : 220 + radius + 1, left : left + 2 * radius + 1][disc] = 235
        frame[CODE_Y - 4 : CODE_Y + CODE_SIZE + 4, : CODE_X[-1] + CODE_SIZE + 4] = 0
        for bit, x in enumerate(CODE_X):
            if index >> bit & 1:
                frame[CODE_Y : CODE_Y + CODE_SIZE, x : x + CODE_SIZE] = 255
    return frames


def overlay() -> dict:
    """Overlay JSON in clip pixels: a static line, and a circle and trail on every frame."""
    frames = [
        [
            {"kind": "circle", "xy": [ball_x(n), 220], "r": 34, "label": "ball"},
            {"kind": "polyline", "xy": [[ball_x(k), 220] for k in range(max(0, n - 20), n + 1)]},
        ]
        for n in range(FRAMES)
    ]
    static = [{"kind": "line", "xy": [0, 300, WIDTH, 300], "label": "ground"}]
    return {"width": WIDTH, "height": HEIGHT, "fps": FPS, "static": static, "frames": frames}


def player_html() -> str:
    """The four-pane compare player, with overlays and a timeline, per the fences' contract."""
    panes = "".join(
        pane("../media/", clip, clip, overlay_url=f"../data/overlays/{clip}.json") for clip in CLIPS
    )
    figure = timeline_figure({f"test/{clip}": clip for clip in CLIPS})
    seconds = [n / FPS for n in range(FRAMES)]
    figure["layout"]["xaxis"]["range"] = [0, FRAMES / FPS]
    for index, trace in enumerate(figure["data"]):
        trace["x"] = seconds
        trace["y"] = [0.5 + 0.4 * float(np.cos(t * (index + 1) / 2)) for t in seconds]
    timeline = chart(figure, element_id=f"{PLAYER_ID}-timeline", extra_class="pp-timeline")
    return (
        f'<div class="pp-compare" id="{PLAYER_ID}" data-pp-fps="{FPS}" data-pp-frames="{FRAMES}">'
        f'<div class="pp-compare__title">Four clips on one clock</div>'
        f'<div class="pp-compare__grid" data-pp-panes="4">{panes}</div>{timeline}</div>'
    )


def write_four_pane_page(docs: Path) -> None:
    """Write ``four.md``, its clips, posters and overlays into ``docs`` (media/, data/)."""
    for seed, (clip, background) in enumerate(CLIPS.items()):
        frames = clip_frames(background, seed)
        write_mp4(docs / "media" / f"{clip}.mp4", frames, fps=FPS, crf=23)
        poster = cv2.cvtColor(frames[0], cv2.COLOR_RGB2BGR)
        cv2.imwrite(str(docs / "media" / f"{clip}.jpg"), poster)
        (docs / "data" / "overlays" / f"{clip}.json").write_text(json.dumps(overlay()))
    (docs / "four.md").write_text(PAGE_MD.format(player=player_html()))
