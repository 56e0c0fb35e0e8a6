"""Lucas-Kanade tracks shared by the rotation and motion probes."""

from __future__ import annotations

import numpy as np
import pytest
from _rotation_fixtures import moving_patch, panning_texture

from probepress.probes.tracks import clip_tracks, track_tails
from probepress.video.decode import clip_from_array

FPS = 24.0
SPEED = 48.0  # px/s in the original 640x360 frame


@pytest.fixture(scope="module")
def pan():
    return clip_from_array(panning_texture(SPEED, fps=FPS, seconds=2.0), fps=FPS)


def test_tracks_follow_a_known_pan_to_a_tenth_of_a_pixel(pan):
    tracks = clip_tracks(pan)
    p0, p1, _ = tracks.pair(0, 24)
    assert len(p0) >= 30
    shift = (p1 - p0) / pan.scale  # original px over one second
    assert np.median(shift[:, 0]) == pytest.approx(-SPEED, abs=0.1)
    assert np.median(np.abs(shift[:, 1])) < 0.1


def test_tracks_are_computed_once_per_clip(pan):
    assert clip_tracks(pan) is clip_tracks(pan)


def test_forward_backward_check_ends_most_tracks_at_a_scene_cut():
    first = moving_patch(seconds=0.5, seed=1)
    second = moving_patch(seconds=0.5, seed=2)
    clip = clip_from_array(np.concatenate([first, second]), fps=FPS)
    alive = ~np.isnan(clip_tracks(clip).to_dense()[..., 0])
    cut = len(first)
    before = alive[:, cut - 1].sum()
    assert before >= 30 and alive[:, cut].sum() >= 30
    # A flat patch can match flat texture on the far side of a cut consistently both
    # ways, so a few survive; the probes' RANSAC and medians absorb them.
    assert np.sum(alive[:, cut - 1] & alive[:, cut]) <= 0.2 * before


def test_each_track_is_one_contiguous_run(pan):
    alive = (~np.isnan(clip_tracks(pan).to_dense()[..., 0])).astype(int)
    starts = np.sum(np.diff(alive, axis=1) == 1, axis=1) + alive[:, 0]
    assert np.all(starts == 1)


def test_tails_end_at_the_track_position_in_original_pixels(pan):
    tracks = clip_tracks(pan)
    frames = track_tails(tracks, pan.scale, tail_frames=12, max_tails=5)
    assert len(frames) == tracks.frames
    assert frames[0] == []
    shapes = frames[20]
    assert 1 <= len(shapes) <= 5
    ends = np.array([s["xy"][-1] for s in shapes])
    starts = np.array([s["xy"][0] for s in shapes])
    # Over the 12-frame tail the wall moved 0.5 s * 48 px/s = 24 px to the left.
    assert np.allclose(starts[:, 0] - ends[:, 0], SPEED * 12 / FPS, atol=0.3)
    current = (tracks.at(20)[1] + 0.5) / pan.scale - 0.5
    for end in ends:
        assert np.min(np.linalg.norm(current - end, axis=1)) < 0.1


def test_a_long_clip_gets_fewer_tails_per_frame_within_the_vertex_budget(pan):
    tracks = clip_tracks(pan)
    frames = track_tails(tracks, pan.scale, tail_frames=12, max_tails=5, max_vertices=2 * 48 * 4)
    assert max(len(shapes) for shapes in frames) == 2
    assert sum(len(s["xy"]) for shapes in frames for s in shapes) <= 2 * 48 * 4
