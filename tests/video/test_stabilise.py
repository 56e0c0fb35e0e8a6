"""Stabilised frames: a panning camera's frames warped back onto frame 0's view."""

from __future__ import annotations

import numpy as np
import pytest
from camera_scenes import FPS, camera_frames

from probepress.video.camera import camera_motion
from probepress.video.decode import clip_from_array
from probepress.video.stabilise import StabilisedFrames, content_transforms


@pytest.fixture(scope="module")
def panned() -> StabilisedFrames:
    frames = camera_frames(pan_px_s=(30.0, -10.0))
    clip = clip_from_array(frames, fps=FPS, name="stabilise-test")
    height, width = clip.gray.shape[1:3]
    transforms = content_transforms(camera_motion(clip), scale=clip.scale, size=(width, height))
    return StabilisedFrames(clip.gray, transforms)


def test_frame_0_maps_onto_itself(panned) -> None:
    assert np.allclose(panned._transforms[0], [[1, 0, 0], [0, 1, 0]], atol=1e-9)


def test_a_panned_frame_lines_up_with_frame_0_where_it_saw(panned) -> None:
    # 3 s at (30, -10) px/s: the picture has moved 90 px right and 30 px up.
    last = len(panned) - 1
    seen = panned.seen(last)
    seen[:5], seen[-5:], seen[:, :5], seen[:, -5:] = False, False, False, False
    difference = np.abs(panned[last].astype(int) - panned[0].astype(int))[seen]
    assert seen.mean() > 0.5
    assert np.median(difference) <= 2  # gray levels: aligned to a fraction of a pixel


def test_what_a_frame_did_not_see_is_marked(panned) -> None:
    # Content moved 67.5 analysis px right and 22.5 up: frame 0's right and top strips
    # have left the last frame's view.
    seen = panned.seen(len(panned) - 1)
    assert not seen[:, -60:].any() and not seen[:20].any()
    assert seen[30:, :400].mean() > 0.95


def test_reads_like_an_array(panned) -> None:
    assert panned[np.array([0, 3])].shape == (2, *panned.shape[1:])
    assert sum(1 for _ in panned) == len(panned)
