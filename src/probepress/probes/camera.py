"""Camera probe: how the camera itself moves (pan, zoom, roll), a fact of every clip.

Not a physical phenomenon but the context every object-level probe needs: gravity,
shadow and reflection assume a still camera and refuse to measure when it moves
(see :func:`require_still_camera`). The estimate comes from
:func:`probepress.video.camera.camera_motion`, shared with those probes.
"""

from __future__ import annotations

import math

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.video.camera import (
    CameraMotion,
    StillBounds,
    camera_motion,
    first_move,
    motion_words,
)
from probepress.video.decode import Clip

__all__ = ["PROBE", "camera_summary", "moving_camera_error", "require_still_camera"]

#: A camera whose picture shifts by less than this share of the frame diagonal (and
#: zooms under 1 %, rolls under 0.5°) over the whole clip counts as still.
STILL_SHIFT_FRACTION = 0.005
_STILL_SHIFT_MIN_PX = 2.0


def require_still_camera(clip: Clip, probe: str) -> None:
    """Raise :class:`ProbeError` if the camera moves during ``clip``.

    The check stops at the first estimated pose beyond the still-camera bounds, so a
    probe refuses a panning clip after a few frames rather than after the whole path.

    Parameters
    ----------
    clip : Clip
        The decoded clip.
    probe : str
        The probe asking, named in the message.
    """
    diagonal = math.hypot(clip.info.width, clip.info.height)
    bounds = StillBounds(shift_px=max(_STILL_SHIFT_MIN_PX, STILL_SHIFT_FRACTION * diagonal))
    move = first_move(clip, bounds)
    if move is not None:
        raise ProbeError(
            f"{move.describe()} (a still camera stays within {bounds.shift_px:.0f} px, 1 % "
            f"zoom and {bounds.roll_deg}°); {probe} assumes a still camera: stabilise the "
            "clip first, or measure a clip shot from a fixed viewpoint"
        )


def moving_camera_error(motion: CameraMotion, probe: str) -> ProbeError:
    """The refusal of ``probe`` on a clip whose whole camera path is ``motion``."""
    return ProbeError(
        f"{motion.describe()} (the picture shifts up to {motion.max_shift_px:.0f} px); "
        f"{probe} assumes a still camera: stabilise the clip first, or measure "
        "a clip shot from a fixed viewpoint"
    )


def camera_summary(metrics: dict[str, float]) -> str:
    """The camera's motion in a few words (``still camera``, ``camera pans 12.0 px/s``)."""
    parts = motion_words(
        metrics.get("pan_px_s", 0.0), metrics.get("zoom_per_s", 0.0), metrics.get("roll_deg_s", 0.0)
    )
    return "camera " + ", ".join(parts) if parts else "still camera"


def _measure(clip: Clip) -> ProbeResult:
    """Measure the camera's pan, zoom and roll over ``clip``.

    Returns
    -------
    ProbeResult
        Metrics ``pan_px_s``, ``pan_x_px_s``, ``pan_y_px_s`` (original px/s),
        ``zoom_per_s`` (1/s), ``roll_deg_s`` (°/s, + = counter-clockwise),
        ``max_shift_px`` (original px) and ``background_fraction`` (0..1); series
        ``camera_x`` and ``camera_y`` (content displacement since frame 0, px).

    Raises
    ------
    ProbeError
        Fewer than 2 frames, or too little texture to follow in most frames.
    """
    # Luma, not rgb: a clip is opened without colour when no probe of its job reads it.
    if len(clip.gray) < 2:
        raise ProbeError(f"clip has {len(clip.gray)} frame; camera motion needs at least 2")
    motion = camera_motion(clip)
    if motion.estimated_fraction < 0.5:
        raise ProbeError(
            f"too little texture to follow the background in "
            f"{100 * (1 - motion.estimated_fraction):.0f} % of the frames"
        )
    metrics = {
        "pan_px_s": motion.pan_px_s,
        "pan_x_px_s": motion.pan_x_px_s,
        "pan_y_px_s": motion.pan_y_px_s,
        "zoom_per_s": motion.zoom_per_s,
        "roll_deg_s": motion.roll_deg_s,
        "max_shift_px": motion.max_shift_px,
        "background_fraction": motion.background_fraction,
    }
    series = {"camera_x": series_list(motion.path_x), "camera_y": series_list(motion.path_y)}
    return ProbeResult(probe="camera", version="2", metrics=metrics, series=series)


PROBE = Probe(
    name="camera",
    version="2",
    summary="How the camera moves: pan, zoom and roll, from the still background",
    metrics=(
        Metric("pan_px_s", "px/s", "Speed of the pan: length of the mean content velocity"),
        Metric("pan_x_px_s", "px/s", "Horizontal pan of the content (+ = moves right)"),
        Metric("pan_y_px_s", "px/s", "Vertical pan of the content (+ = moves down)"),
        Metric("zoom_per_s", "1/s", "Rate of log magnification (+ = zooming in)"),
        Metric("roll_deg_s", "°/s", "Roll of the content (+ = counter-clockwise on screen)"),
        Metric("max_shift_px", "px", "Largest displacement of the content from frame 0"),
        Metric(
            "background_fraction",
            "",
            "Share of tracked points that agree with the camera motion (confidence)",
        ),
    ),
    measure=_measure,
)
