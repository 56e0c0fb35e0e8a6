"""first_move: a probe that needs a still camera learns it moves from the first frames."""

from __future__ import annotations

import math

import numpy as np
import pytest
from camera_scenes import FPS, FRAMES, camera_frames

from probepress.probes import get_probe
from probepress.video.camera import CameraMotion, StillBounds, camera_motion, first_move
from probepress.video.decode import clip_from_array

BOUNDS = StillBounds(shift_px=4.0)


def _clip(frames: np.ndarray):
    return clip_from_array(frames, fps=FPS, name="first-move-test")


def test_a_pan_is_caught_at_its_first_pose_beyond_the_bounds() -> None:
    # 30 px/s leaves a 4 px bound after about 0.13 s of a clip several seconds long.
    clip = _clip(camera_frames(pan_px_s=(30.0, 0.0)))
    move = first_move(clip, BOUNDS)
    assert move is not None
    assert not [v for v in clip._cache.values() if isinstance(v, CameraMotion)], (
        "the whole camera path was estimated to find the first move"
    )
    assert move.seconds < 0.5 < FRAMES / FPS
    assert 4.0 < move.shift_px < 30.0 * move.seconds + 3.0
    assert "within the first" in move.describe()


def test_the_answer_does_not_depend_on_whether_the_whole_path_came_first() -> None:
    frames = camera_frames(pan_px_s=(-12.0, 8.0), roll_deg_s=1.0)
    early = first_move(_clip(frames), BOUNDS)
    clip = _clip(frames)
    camera_motion(clip)  # another probe estimated the whole path before
    late = first_move(clip, BOUNDS)
    assert early == late


def test_the_whole_path_after_a_first_move_goes_on_from_it_and_equals_a_fresh_one() -> None:
    frames = camera_frames(pan_px_s=(30.0, 0.0), zoom_per_s=0.02)
    clip = _clip(frames)
    early = first_move(clip, BOUNDS)
    (estimate,) = clip._cache.values()  # the estimate so far, kept to go on from
    estimated_early = estimate.done
    later = first_move(clip, StillBounds(shift_px=math.inf))  # a zoom past 1 %: later
    assert early is not None and later is not None and later.seconds > early.seconds
    assert estimated_early < estimate.done < len(estimate.sampled)
    resumed = camera_motion(clip)
    fresh = camera_motion(_clip(frames))
    np.testing.assert_array_equal(resumed.sampled_poses, fresh.sampled_poses)
    assert resumed.background_fraction == fresh.background_fraction
    assert first_move(clip, BOUNDS) == early  # and the answers read from the whole path


def test_a_still_camera_gives_none_and_the_whole_path_for_the_others() -> None:
    clip = _clip(camera_frames())
    assert first_move(clip, BOUNDS) is None
    cached = camera_motion(clip)  # estimated by first_move, not again
    fresh = camera_motion(_clip(camera_frames()))
    np.testing.assert_array_equal(cached.path_x, fresh.path_x)
    assert cached.max_shift_px < 1.0


@pytest.mark.parametrize(
    ("motion", "words"),
    [({"zoom_per_s": 0.05}, "zooms"), ({"roll_deg_s": 3.0}, "rolls")],
)
def test_a_zoom_or_a_roll_is_a_move_too(motion: dict, words: str) -> None:
    move = first_move(_clip(camera_frames(**motion)), StillBounds(shift_px=math.inf))
    assert move is not None and words in move.describe()


def test_shadow_refuses_a_pan_saying_when_the_camera_first_moved() -> None:
    result = get_probe("shadow").run(_clip(camera_frames(pan_px_s=(30.0, 0.0))))
    assert not result
    assert result.error.startswith("the camera moves: it shifts the picture")
    assert "the shadow probe assumes a still camera" in result.error
