"""Probes that differentiate in time use the frames' timestamps, not a nominal rate.

A variable-frame-rate (VFR) clip is made the way phones and encoders make one: frames
of a constant-rate clip are dropped in an irregular pattern and the survivors keep
their presentation timestamps (``select`` with ``-fps_mode vfr``), so the physics in
the pictures stays exact while the gaps between frames vary from 1/24 to 3/24 s.
"""

from __future__ import annotations

import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from _rotation_fixtures import star_field

from probepress.probes import gravity, rotation
from probepress.synth import SCENES, render_frames
from probepress.synth.encode import write_mp4
from probepress.video.decode import open_clip

FPS = 24.0
# Drops frames 1, 6, 11, ... and 3, 10, 17, ...: gaps of one and two frame intervals.
DROP = r"select='not(eq(mod(n\,5)\,1))*not(eq(mod(n\,7)\,3))'"


def _variable_rate(frames: np.ndarray, folder, name: str):
    constant = folder / f"{name}-cfr.mp4"
    write_mp4(constant, frames, fps=FPS, crf=20)
    variable = folder / f"{name}-vfr.mp4"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(constant)]
    command += ["-vf", DROP, "-fps_mode", "vfr", "-c:v", "libx264", "-crf", "20", str(variable)]
    subprocess.run(command, check=True)
    return open_clip(constant), open_clip(variable)


@pytest.fixture(scope="module")
def ball(tmp_path_factory):
    return _variable_rate(
        render_frames("ball-drop", "reference"), tmp_path_factory.mktemp("vfr"), "ball"
    )


def test_uneven_timestamps_are_reported_as_variable_frame_rate(ball):
    constant, variable = ball
    assert constant.info.vfr is False
    assert variable.info.vfr is True
    assert variable.info.frames < constant.info.frames
    gaps = np.round(np.diff(variable.times) * FPS, 3)
    assert set(gaps) == {1.0, 2.0, 3.0}  # one, two or (where both patterns drop) three
    # The survivors keep their times: the last frame is shown when it always was.
    assert variable.times[-1] == pytest.approx(constant.times[-1], abs=1.5 / FPS)


def test_gravity_measures_the_same_fall_from_a_variable_rate_clip(ball):
    truth = SCENES["ball-drop"].variants["reference"].ground_truth["gravity.acceleration_px_s2"]
    constant, variable = (gravity.PROBE.run(clip) for clip in ball)
    assert variable, variable
    assert variable.metrics["acceleration_px_s2"] == pytest.approx(truth, rel=0.02)
    assert variable.metrics["acceleration_px_s2"] == pytest.approx(
        constant.metrics["acceleration_px_s2"], rel=0.02
    )
    # Constant gravity stays constant: the local acceleration does not swing with the gaps.
    assert variable.metrics["acceleration_cv"] < 0.15


def test_rotation_rate_is_measured_over_real_elapsed_time(tmp_path):
    omega = 12.0
    frames = star_field(omega, (330.0, 170.0), fps=FPS, seconds=3.0)
    _, variable = _variable_rate(frames, tmp_path, "stars")
    assert variable.info.vfr
    result = rotation.PROBE.run(variable)
    assert result, result
    assert result.metrics["angular_velocity_deg_s"] == pytest.approx(omega, rel=0.03)
