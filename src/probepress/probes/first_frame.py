"""First-frame probe: how faithfully an image-to-video clip starts from its input image.

Such a model is given a still (the scene's ``input`` image in the manifest)
and should open on it. This probe resizes the input image to the clip's analysis size
(area averaging, as the decoder scales frames) and compares every frame with it by
SSIM (Wang et al. 2004, the mean over the RGB channels) and PSNR:

- ``ssim``, ``psnr_db``: the clip's first frame against the input.
- ``best_ssim``, ``best_frame``: the closest frame within the first ``window_s``
  seconds (0.5 s) and its 0-based number; a clip that fades in, or whose encoder
  spends its first frame on a blurry key frame, still shows how close it comes.
- ``holds_s``: how long the likeness holds, the time of the first frame whose SSIM
  falls below ``hold_ssim`` (0.75), in seconds from the start; the clip's whole length
  when none does, 0 when the first frame is already below it.

Why 0.75: it lies midway between a frame decoded from the input itself and a picture
that is plainly another. On the demo's scenes (640x360, H.264 at CRF 18, analysed at
480x270) an encoded copy of the input scores 0.97 to 0.99, while another scene of the
demo scores 0.30 to 0.53 against it: SSIM of pictures with large flat areas stays high
even when their content differs, because flat windows agree (the constants ``C1`` and
``C2``), so halfway from 0 to 1 would still call an unrelated scene a likeness. The
same frame moved by 4 px scores 0.69 to 0.91 there. The threshold is a parameter and
enters the cache key.

The input must have the clips' aspect ratio (within 1 %): resizing a 4:3 image to a
16:9 frame would distort it and score the model for the distortion. The manifest
reports a mismatch by file and line; the probe refuses it too.

References
----------
Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality assessment:
from error visibility to structural similarity", IEEE Transactions on Image Processing
13(4), 600-612, 2004. doi:10.1109/TIP.2003.819861
"""

from __future__ import annotations

import cv2
import numpy as np

from probepress.probes._ssim import SsimTarget, psnr
from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.video.decode import Clip

__all__ = ["ASPECT_TOLERANCE", "PROBE", "aspect_mismatch", "fit_image"]

#: Largest relative difference of aspect ratios taken as the same shape: rounding a
#: size to even pixels (yuv420p) moves a ratio by well under 1 %.
ASPECT_TOLERANCE = 0.01


def _measure(
    clip: Clip, *, image: np.ndarray, window_s: float = 0.5, hold_ssim: float = 0.75
) -> ProbeResult:
    """Compare the frames of ``clip`` with the input ``image``.

    Parameters
    ----------
    clip : Clip
        The clip, decoded with colour.
    image : np.ndarray
        ``(H, W, 3)`` uint8 RGB input image at its own size.
    window_s : float
        Seconds from the start searched for the best-matching frame.
    hold_ssim : float
        SSIM below which the likeness to the input counts as lost.

    Returns
    -------
    ProbeResult
        Metrics ``ssim`` (-1..1), ``psnr_db`` (dB, capped at 100), ``best_ssim``,
        ``best_frame`` (0-based frame number), ``holds_s`` (s); per-frame series
        ``ssim`` and ``psnr_db``.

    Raises
    ------
    ProbeError
        If the image's aspect ratio differs from the clip's by more than 1 %.
    """
    params = {"window_s": window_s, "hold_ssim": hold_ssim}
    problem = aspect_mismatch(image.shape[1], image.shape[0], clip.info.width, clip.info.height)
    if problem:
        raise ProbeError(problem)
    frames = clip.rgb
    height, width = frames.shape[1:3]
    target = fit_image(image, (width, height))
    likeness = SsimTarget(target)  # the image's window statistics, computed once
    scores = np.empty(len(frames))
    decibels = np.empty(len(frames))
    for index, frame in enumerate(frames):
        scores[index] = likeness.score(frame)
        decibels[index] = psnr(frame, target)
    times = np.asarray(clip.times, dtype=float)
    early = max(1, int(np.count_nonzero(times <= window_s + 1e-9)))
    best = int(np.argmax(scores[:early]))
    below = np.flatnonzero(scores < hold_ssim)
    # Never lost: the likeness holds for the clip's whole length (last frame shown for 1/fps).
    holds = float(times[below[0]]) if below.size else float(times[-1] + 1.0 / clip.fps)
    metrics = {
        "ssim": float(scores[0]),
        "psnr_db": float(decibels[0]),
        "best_ssim": float(scores[best]),
        "best_frame": float(best),
        "holds_s": holds,
    }
    series = {"ssim": series_list(scores), "psnr_db": series_list(decibels)}
    return ProbeResult(PROBE.name, PROBE.version, metrics, series, {}, params)


def aspect_mismatch(image_w: int, image_h: int, clip_w: int, clip_h: int) -> str:
    """Why an image of ``image_w x image_h`` cannot stand for a ``clip_w x clip_h`` frame.

    Returns ``""`` when the aspect ratios agree within :data:`ASPECT_TOLERANCE`.
    """
    image_ratio, clip_ratio = image_w / image_h, clip_w / clip_h
    if abs(image_ratio / clip_ratio - 1.0) <= ASPECT_TOLERANCE:
        return ""
    return (
        f"the input image is {image_w}x{image_h} (aspect {image_ratio:.3f}) but the clip is "
        f"{clip_w}x{clip_h} (aspect {clip_ratio:.3f}); crop or pad the image to the clip's "
        f"aspect ratio (e.g. {_example_size(image_w, image_h, clip_ratio)})"
    )


def fit_image(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` resized to ``size`` (w, h) by area averaging, halving first while 2x too big.

    The decoder scales frames with an area filter; the same filter here keeps a clip
    that is the input image itself at an SSIM near 1.
    """
    width, height = size
    while image.shape[1] >= 2 * width and image.shape[0] >= 2 * height:
        image = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    smaller = image.shape[1] > width
    interpolation = cv2.INTER_AREA if smaller else cv2.INTER_CUBIC
    return cv2.resize(image, (width, height), interpolation=interpolation)


def _example_size(width: int, height: int, ratio: float) -> str:
    """A crop of ``width x height`` to ``ratio``, as an example the author can use."""
    if width / height > ratio:
        return f"crop it to {round(height * ratio)}x{height}"
    return f"crop it to {width}x{round(width / ratio)}"


PROBE = Probe(
    name="first_frame",
    version="1",
    summary="How faithfully a clip starts from its scene's input image (SSIM, PSNR)",
    metrics=(
        Metric(
            "ssim",
            "1",
            "SSIM of the first frame against the input image (mean over RGB; 1 = identical).",
        ),
        Metric(
            "psnr_db",
            "dB",
            "PSNR of the first frame against the input image (peak 255; 100 = identical).",
        ),
        Metric("best_ssim", "1", "Highest SSIM against the input within the first 0.5 s."),
        Metric("best_frame", "frame", "0-based number of the frame with the highest SSIM."),
        Metric(
            "holds_s",
            "s",
            "Time of the first frame whose SSIM falls below 0.75; the clip's length if none does.",
        ),
    ),
    measure=_measure,
    needs_colour=True,
    needs_input=True,
    defaults={"window_s": 0.5, "hold_ssim": 0.75},
)
