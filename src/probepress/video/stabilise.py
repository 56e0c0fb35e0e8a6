"""Frames seen from the first frame's viewpoint: the camera's motion taken out.

A probe that follows an object against a still background (gravity) can measure a
panning, zooming or rolling camera once each frame is warped back onto frame 0 with
the camera's motion (:func:`probepress.video.camera.camera_motion`): the background
then stands still and the object moves as it does in the world, seen from where the
camera stood at the start. The warp is the similarity the camera path gives at the
frame centre (shift, magnification, roll); the perspective of a turning camera away
from the centre is left in, which for pans of a few degrees moves the picture's edges
by a fraction of a pixel per degree.

Frames are warped when read, one at a time, so memory stays flat in clip length.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import cv2
import numpy as np

from probepress.video.camera import CameraMotion

__all__ = ["StabilisedFrames", "content_transforms"]


def content_transforms(motion: CameraMotion, *, scale: float, size: tuple[int, int]) -> np.ndarray:
    """Where frame 0's content lies in every frame: ``(T, 2, 3)`` affine maps, analysis px.

    Parameters
    ----------
    motion : CameraMotion
        The clip's camera path (original px, degrees).
    scale : float
        Analysis pixels per original pixel.
    size : tuple of int
        ``(width, height)`` of the analysis frames.

    Returns
    -------
    np.ndarray
        ``(T, 2, 3)``; ``M[t] @ (x, y, 1)`` is where the content at ``(x, y)`` of frame
        0 appears in frame ``t``. NaN where the path is unknown.
    """
    centre = np.array([(size[0] - 1) / 2, (size[1] - 1) / 2])
    out = np.full((len(motion.path_x), 2, 3), np.nan)
    for t, (dx, dy, log_s, roll) in enumerate(
        zip(motion.path_x, motion.path_y, motion.log_scale, motion.roll_deg, strict=True)
    ):
        if not all(math.isfinite(v) for v in (dx, dy, log_s, roll)):
            continue
        # roll is counter-clockwise on screen: a negative angle with y pointing down.
        theta = -math.radians(roll)
        linear = math.exp(log_s) * np.array(
            [[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]]
        )
        shift = centre + scale * np.array([dx, dy]) - linear @ centre
        out[t] = np.hstack([linear, shift[:, None]])
    return out


class StabilisedFrames:
    """A clip's frames warped onto frame 0's view, read lazily like an array.

    Indexing with an int gives one warped frame, with an int array a stacked
    ``(n, h, w[, 3])`` array; iterating yields every frame in order. Pixels frame
    ``t`` did not see are filled with the nearest edge pixel of frame ``t`` (so they do
    not read as a dark object), and :meth:`seen` says which they are.

    Parameters
    ----------
    frames : array-like
        ``(T, h, w[, 3])`` uint8 frames (an ndarray or the clip's frame store).
    transforms : np.ndarray
        ``(T, 2, 3)`` from :func:`content_transforms`, all finite.
    """

    def __init__(self, frames, transforms: np.ndarray) -> None:
        self._frames = frames
        self._transforms = transforms
        self.shape = tuple(frames.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self._warp(int(index))
        return np.stack([self._warp(int(i)) for i in np.asarray(index).ravel()])

    def __iter__(self) -> Iterator[np.ndarray]:
        for t in range(len(self)):
            yield self._warp(t)

    def seen(self, t: int) -> np.ndarray:
        """``(h, w)`` bool: the pixels of the stabilised frame ``t`` that frame ``t`` saw."""
        height, width = self.shape[1:3]
        ones = np.ones((height, width), np.uint8)
        flags = cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP
        return cv2.warpAffine(ones, self._transforms[t], (width, height), flags=flags) == 1

    def _warp(self, t: int) -> np.ndarray:
        height, width = self.shape[1:3]
        # WARP_INVERSE_MAP: each output pixel (frame 0's view) reads frame t at M[t] @ p.
        return cv2.warpAffine(
            np.asarray(self._frames[t]),
            self._transforms[t],
            (width, height),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REPLICATE,
        )
