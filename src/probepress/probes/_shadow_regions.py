"""Where the shadow probe looks: lit ground, the fans shadows sweep, and what changes.

Used by :mod:`.shadow`. Frames are analysis-resolution luma, ``(h, w)`` uint8; regions
are ``(h, w)`` bool.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["LIT", "background", "changing_part", "shadow_fans"]

_SHRINK = 8  # the background is median-blurred at 1/8 size (cheap, and smooth anyway)
_KERNEL_FRACTION = 0.2  # median window, as a fraction of the frame width
_MIN_PRESENCE = 0.5  # share of the samples in which an object's shadow must show
# A dark region sweeping more than this share of the frame is texture or camera motion,
# not one object's cast shadow; measuring it would also cost seconds per clip.
_MAX_FAN_FRACTION = 0.2
LIT = 0.85  # luma / background from which a pixel is lit ground in that sample
_MIN_CHANGING = 0.3  # share of a shadow on ground seen lit for the rest to be left out
_MAX_OBJECTS = 16  # the largest fans are measured; more add time, not information


def changing_part(region: np.ndarray, masks: np.ndarray, lit: np.ndarray) -> np.ndarray:
    """An object's fan without the object: what its shadow covers and uncovers.

    A turning shadow covers ground that is lit before or after; a dark object (a
    pole's body, a wall's shaded face, seen obliquely) is never lit. The object's fan
    is cut to the convex hull of its pixels that change from lit to shadow: the
    shadow's root at the object's base, dark throughout, lies inside that hull (the
    shadow fans out from it), the object's body stands outside it. A frozen shadow
    uncovers nothing: when too little of the fan changes, the whole fan is kept.
    """
    changing = region & lit & masks.any(axis=0)
    points = cv2.findNonZero(changing.view(np.uint8))
    if points is None or len(points) < 3:
        return region
    hull = np.zeros(region.shape, np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
    part = region & hull.astype(bool)
    seen = masks[:, changing].sum(axis=1)
    whole = masks[:, region].sum(axis=1)
    if np.median(seen) < _MIN_CHANGING * np.median(whole):
        return region
    return part


def background(frame: np.ndarray) -> np.ndarray:
    """The lit ground around each pixel: a wide median blur at 1/8 size, ``(h, w)`` float32."""
    height, width = frame.shape
    small = cv2.resize(
        frame, (max(1, width // _SHRINK), max(1, height // _SHRINK)), interpolation=cv2.INTER_AREA
    )
    kernel = max(3, int(_KERNEL_FRACTION * small.shape[1]) | 1)
    # medianBlur needs the kernel to fit; a tiny frame gets the largest odd one that does.
    kernel = min(kernel, (min(small.shape) - 1) | 1) if min(small.shape) > 3 else 1
    blurred = cv2.medianBlur(small, kernel) if kernel >= 3 else small
    background = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.maximum(background.astype(np.float32), 1.0)


def shadow_fans(masks: np.ndarray, min_pixels: float) -> list[np.ndarray]:
    """Fans swept by shadows over the samples: one ``(h, w)`` bool region per object."""
    kernel = np.ones((3, 3), np.uint8)
    # Opening drops speckle (texture darker than its surroundings by chance).
    cleaned = np.stack([cv2.morphologyEx(m.view(np.uint8), cv2.MORPH_OPEN, kernel) for m in masks])
    fan = cv2.dilate(cleaned.max(axis=0), kernel, iterations=2)
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(fan, connectivity=8)
    largest = fan.size * _MAX_FAN_FRACTION
    sizes = stats[1:, cv2.CC_STAT_AREA]
    candidates = [label + 1 for label in np.argsort(-sizes) if sizes[label] <= largest]
    regions = []
    for label in candidates:
        region = labels == label
        areas = cleaned[:, region].sum(axis=1)
        if np.mean(areas >= min_pixels) >= _MIN_PRESENCE:
            regions.append(region)
            if len(regions) == _MAX_OBJECTS:
                break
    return regions
