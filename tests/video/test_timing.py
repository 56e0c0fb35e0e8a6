"""Frame times: even grids stay exact, uneven timestamps are variable frame rate."""

from __future__ import annotations

import numpy as np
import pytest

from probepress.video.timing import frame_times, is_variable_rate


def test_millisecond_rounding_of_a_constant_rate_is_not_variable():
    # A Matroska time base stores 24 fps as 0, 42, 83, 125, ... ms.
    stamps = np.round(np.arange(100) / 24 * 1000) / 1000
    assert not is_variable_rate(stamps)


def test_dropped_frames_make_a_clip_variable_rate():
    stamps = np.delete(np.arange(100) / 24, [5, 17, 40])
    assert is_variable_rate(stamps)


def test_constant_rate_times_are_the_exact_grid():
    stamps = np.round(np.arange(10) / 24 * 1000) / 1000 + 3.0  # a stream starting at 3 s
    assert np.array_equal(frame_times(stamps, 24.0, False), np.arange(10) / 24)


def test_variable_rate_times_are_the_timestamps_from_the_first_frame():
    stamps = np.array([3.0, 3.04, 3.12, 3.13])
    assert frame_times(stamps, 24.0, True) == pytest.approx([0.0, 0.04, 0.12, 0.13])
