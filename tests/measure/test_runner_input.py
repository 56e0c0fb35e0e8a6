"""The runner gives first_frame its clip's input image and caches by the image's bytes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from probepress.measure.cache import ResultCache
from probepress.measure.runner import Job, run_probes
from probepress.synth import write_mp4


@pytest.fixture
def clip_and_image(tmp_path):
    rng = np.random.default_rng(5)
    # Flat 10 px tiles of random colours: H.264 keeps them nearly as they are.
    tiles = (rng.random((9, 16, 3)) * 255).astype(np.uint8)
    picture = np.repeat(np.repeat(tiles, 10, 0), 10, 1)
    clip = tmp_path / "clip.mp4"
    write_mp4(clip, [picture] * 8, fps=24)
    image = tmp_path / "input.png"
    Image.fromarray(picture).save(image)
    return clip, image, picture


def test_first_frame_is_cached_under_the_input_image_s_hash(tmp_path, clip_and_image):
    clip, image, picture = clip_and_image
    job = Job(clip, ("first_frame", "flicker"), input_image=image)
    with ResultCache(tmp_path / "cache") as cache:
        first = run_probes([job], cache=cache, workers=1)
        again = run_probes([job], cache=cache, workers=1)
        assert (first.run, again.run, again.cached) == (2, 0, 2)
        start = first.clips[0].results["first_frame"].metrics["ssim"]
        assert start > 0.9
        # Another image for the same clip: first_frame runs again (flicker does not).
        Image.fromarray(np.ascontiguousarray(picture[:, ::-1])).save(image)
        mirrored = run_probes([job], cache=cache, workers=1)
        assert (mirrored.run, mirrored.cached) == (1, 1)
        assert mirrored.clips[0].results["first_frame"].metrics["ssim"] < start - 0.3


def test_an_unreadable_input_image_fails_first_frame_only(tmp_path, clip_and_image):
    clip, image, _ = clip_and_image
    image.write_bytes(b"not an image")
    report = run_probes([Job(clip, ("first_frame", "flicker"), input_image=image)], workers=1)
    results = report.clips[0].results
    assert not results["first_frame"] and "input image" in results["first_frame"].error
    assert results["flicker"] and report.clips[0].error is None


def test_a_vanished_input_image_fails_first_frame_only(tmp_path, clip_and_image):
    clip, image, _ = clip_and_image
    image.unlink()
    report = run_probes([Job(clip, ("first_frame", "flicker"), input_image=image)], workers=1)
    results = report.clips[0].results
    assert (
        not results["first_frame"] and "cannot read the input image" in results["first_frame"].error
    )
    assert results["flicker"]
