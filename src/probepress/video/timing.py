"""When each frame is shown: the frame rate to trust and whether it varies.

Containers can claim any frame rate, and phones and screen recorders write variable
frame rate (VFR) video whose frames are not evenly spaced. Probes that differentiate
in time (gravity, motion, rotation) read :attr:`Clip.times`, which comes from here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["frame_times", "is_variable_rate", "trusted_fps"]

# A container can claim any frame rate; outside this range we trust the timestamps.
_SANE_FPS = (1.0, 240.0)
#: An interval further than this share from the median interval makes a clip VFR
#: (well above the rounding of millisecond time bases: 41/42 ms at 24 fps is 2.4 %).
VFR_TOLERANCE = 0.1


def trusted_fps(claimed: float, count: int, last_msec: float) -> float:
    """The container's frame rate, unless the timestamps show it to be wrong.

    Parameters
    ----------
    claimed : float
        Frame rate the container states (0 when it states none).
    count : int
        Frames decoded.
    last_msec : float
        Time of the last frame after the first, in milliseconds.

    Returns
    -------
    float
        Frames per second; 0.0 when neither source is usable.
    """
    from_timestamps = (count - 1) / (last_msec / 1000.0) if last_msec > 0 and count > 1 else 0.0
    low, high = _SANE_FPS
    if low <= claimed <= high:
        if from_timestamps and abs(from_timestamps - claimed) / claimed > 0.05:
            return round(from_timestamps, 3)
        return float(claimed)
    if low <= from_timestamps <= high:
        return round(from_timestamps, 3)
    return 0.0


def is_variable_rate(stamps: np.ndarray) -> bool:
    """Whether presentation times ``stamps`` (s, in display order) are unevenly spaced."""
    if len(stamps) < 3:
        return False
    intervals = np.diff(stamps)
    typical = float(np.median(intervals))
    if typical <= 0:
        return True
    return bool(np.max(np.abs(intervals - typical)) > VFR_TOLERANCE * typical)


def frame_times(stamps: np.ndarray, fps: float, vfr: bool) -> np.ndarray:
    """Time of each frame in seconds from the first.

    A constant-rate clip gets the exact grid ``i / fps`` (its stored timestamps are
    the same times rounded to the container's time base); a VFR clip gets its
    presentation timestamps.
    """
    if vfr:
        return np.asarray(stamps, np.float64) - float(stamps[0])
    return np.arange(len(stamps)) / fps
