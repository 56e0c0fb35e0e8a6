"""Whether the dark regions the shadow probe found are shadows cast by one light.

Used by :mod:`.shadow`. A shadow that turns shows what it is: it stays attached to its
object at one end while the other end sweeps over the ground. A dark region that does
not turn could be a frozen shadow, or just something dark that stays put: a dark
patch of ground, a building's edge, a kerb. Frozen shadows of one sun are told from
those by their geometry: on flat ground seen from above they are parallel, and each
shows both its ends (its object's base and its tip) inside the frame. Where no such
evidence exists the probe refuses rather than print a rate of 0 for dark ground.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MIN_TURN_DEG", "frozen_spread_deg", "not_cast_reason"]

# The median shadow must turn this much over the clip to count as turning: far above
# the noise of a still shadow's direction (~0.01 deg/s), far below any sweep a
# time-lapse shows (1 deg/s over 2.5 s is 2.5 deg).
MIN_TURN_DEG = 1.0
# Frozen shadows of one sun are parallel; the circular spread of their axes stays under
# this (0 for the rendered posts, 7 deg for the synth plaza's trees and posts; dark
# patches of real ground point anywhere, 24 deg in the vtest surveillance clip).
_MAX_FROZEN_SPREAD_DEG = 12.0
_MIN_FROZEN = 2  # one still dark region is no evidence of a light casting it


def frozen_spread_deg(axis_angles_deg: np.ndarray) -> float:
    """Circular standard deviation of undirected axes, deg.

    Parameters
    ----------
    axis_angles_deg : np.ndarray
        ``(n,)`` axis angles in degrees; an axis and its reverse (180 deg apart) are
        the same axis.

    Returns
    -------
    float
        ``sqrt(-2 ln R) / 2`` in degrees, with ``R`` the mean resultant length of the
        doubled angles: 0 for parallel axes, growing without bound as they scatter.
    """
    doubled = np.radians(2.0 * np.asarray(axis_angles_deg, float))
    resultant = float(np.hypot(np.mean(np.cos(doubled)), np.mean(np.sin(doubled))))
    if resultant <= 0.0:
        return float("inf")
    return float(np.degrees(np.sqrt(-2.0 * np.log(min(resultant, 1.0))) / 2.0))


def not_cast_reason(
    rates: np.ndarray, axis_angles_deg: np.ndarray, inside: np.ndarray, duration: float
) -> str | None:
    """Why the measured dark regions are not evidence of cast shadows, or ``None``.

    Parameters
    ----------
    rates : np.ndarray
        ``(n,)`` each region's turning rate, deg/s.
    axis_angles_deg : np.ndarray
        ``(n,)`` each region's median direction, deg (its axis, for a still region).
    inside : np.ndarray
        ``(n,)`` bool, whether the region lies wholly inside the frame.
    duration : float
        The clip's duration, s.

    Returns
    -------
    str or None
        ``None`` when the shadows turn, or when at least two frozen ones lie inside the
        frame and are parallel; otherwise the reason, for a ``ProbeError``.
    """
    turn = abs(float(np.median(rates))) * duration
    if turn >= MIN_TURN_DEG:
        return None
    whole = np.asarray(axis_angles_deg, float)[np.asarray(inside, bool)]
    spread = frozen_spread_deg(whole) if len(whole) else float("inf")
    if len(whole) >= _MIN_FROZEN and spread <= _MAX_FROZEN_SPREAD_DEG:
        return None
    if len(whole) < _MIN_FROZEN:
        why = f"{len(whole)} of them lie wholly inside the frame"
    else:
        why = f"the {len(whole)} inside the frame point {spread:.0f} deg apart (circular spread)"
    return (
        f"no cast shadow found: {len(rates)} dark regions stay put (the median turns "
        f"{turn:.2f} deg over the clip, under {MIN_TURN_DEG:g}) and {why}; still shadows "
        f"are measured only when at least {_MIN_FROZEN} lie inside the frame and are "
        f"parallel within {_MAX_FROZEN_SPREAD_DEG:g} deg, as one sun casts them"
    )
