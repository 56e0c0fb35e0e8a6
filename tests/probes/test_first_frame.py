"""first_frame on clips whose relation to the input image is known by construction."""

import cv2
import numpy as np
import pytest

from probepress.probes import get_probe
from probepress.probes._ssim import ssim
from probepress.synth import write_mp4
from probepress.video.decode import clip_from_array, open_clip

FPS = 24
PROBE = get_probe("first_frame")
HOLD = PROBE.defaults["hold_ssim"]  # SSIM below which the likeness is lost


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    """A 640x360 RGB picture with texture at several scales (blobs, edges, fine grain)."""
    rng = np.random.default_rng(3)
    coarse = cv2.resize(rng.random((9, 16, 3)), (640, 360), interpolation=cv2.INTER_CUBIC)
    fine = cv2.GaussianBlur(rng.random((360, 640, 3)), (0, 0), 1.2)
    picture = 0.5 * coarse + 0.5 * fine
    picture = (255 * (picture - picture.min()) / np.ptp(picture)).astype(np.uint8)
    for k in range(6):  # hard edges: rectangles of known colours
        x, y = 60 + 90 * k, 40 + 40 * (k % 3)
        cv2.rectangle(picture, (x, y), (x + 50, y + 120), (40 * k, 255 - 40 * k, 128), -1)
    return picture


def _shifted(picture: np.ndarray, dx: int) -> np.ndarray:
    """The picture moved ``dx`` px right, the uncovered strip filled from its edge."""
    matrix = np.float32([[1, 0, dx], [0, 1, 0]])
    return cv2.warpAffine(picture, matrix, picture.shape[1::-1], borderMode=cv2.BORDER_REPLICATE)


def _recoloured(picture: np.ndarray, degrees: float) -> np.ndarray:
    """Hue turned by ``degrees`` in the CbCr plane, luma kept: colour drift, no brightness."""
    ycc = cv2.cvtColor(picture, cv2.COLOR_RGB2YCrCb).astype(np.float64)
    cr, cb = ycc[..., 1] - 128, ycc[..., 2] - 128
    turn = np.radians(degrees)
    ycc[..., 1] = 128 + cr * np.cos(turn) - cb * np.sin(turn)
    ycc[..., 2] = 128 + cr * np.sin(turn) + cb * np.cos(turn)
    return cv2.cvtColor(np.clip(ycc, 0, 255).astype(np.uint8), cv2.COLOR_YCrCb2RGB)


def _run(frames, image):
    result = PROBE.run(clip_from_array(np.stack(frames), fps=FPS), input_image=image)
    assert result, getattr(result, "error", "")
    return result.metrics


def test_a_clip_that_starts_from_the_input_scores_one(image):
    metrics = _run([image] * 12, image)
    assert metrics["ssim"] == pytest.approx(1.0, abs=1e-6)
    assert metrics["psnr_db"] == pytest.approx(100.0)  # the cap: identical pixels
    assert metrics["best_frame"] == 0
    assert metrics["holds_s"] == pytest.approx(12 / FPS)  # never lost: the whole clip


def test_an_h264_clip_of_the_input_stays_close(image, tmp_path):
    path = tmp_path / "start.mp4"
    write_mp4(path, [image] * 12, fps=FPS)
    clip = open_clip(path, colour=True)
    metrics = PROBE.run(clip, input_image=image).metrics
    # Fine grain is what H.264 keeps least of; still far above the hold threshold.
    assert metrics["ssim"] > max(0.85, HOLD)
    assert metrics["psnr_db"] > 30
    assert metrics["holds_s"] == pytest.approx(12 / FPS, abs=1e-6)


@pytest.mark.parametrize("dx", [2, 8, 24])
def test_a_shifted_start_scores_lower_the_further_it_moves(image, dx):
    exact = _run([image] * 3, image)
    moved = _run([_shifted(image, dx)] * 3, image)
    assert moved["ssim"] < exact["ssim"] - 0.1
    assert moved["psnr_db"] < 30
    if dx >= 8:
        assert moved["ssim"] < HOLD and moved["holds_s"] == 0.0


def test_shift_scores_fall_with_distance(image):
    scores = [_run([_shifted(image, dx)] * 3, image)["ssim"] for dx in (1, 2, 4, 8, 16)]
    assert scores == sorted(scores, reverse=True)


def test_a_recoloured_start_is_seen_though_its_brightness_is_the_input_s(image):
    turned = _recoloured(image, 120)
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    # Luma alone hardly changes: SSIM on gray would call it a perfect start.
    assert ssim(cv2.cvtColor(turned, cv2.COLOR_RGB2GRAY), gray) > 0.95
    metrics = _run([turned] * 3, image)
    assert metrics["ssim"] < 0.6
    assert metrics["psnr_db"] < 25


@pytest.mark.parametrize("k", [5, 17])
def test_the_likeness_holds_until_the_clip_drifts_away(image, k):
    # Frames 0..k-1 are the input; from frame k the picture slides away, 8 px and more.
    frames = [image] * k + [_shifted(image, 8 + 3 * n) for n in range(30 - k)]
    metrics = _run(frames, image)
    assert metrics["holds_s"] == pytest.approx(k / FPS, abs=1.0 / FPS + 1e-9)
    assert metrics["ssim"] == pytest.approx(1.0, abs=1e-6)


def test_the_best_frame_of_a_fade_in_is_found(image):
    # Three frames fading up from black, then the input: the best match is frame 3.
    frames = [(image * (n / 4)).astype(np.uint8) for n in range(1, 4)] + [image] * 9
    metrics = _run(frames, image)
    assert metrics["best_frame"] == 3
    assert metrics["best_ssim"] == pytest.approx(1.0, abs=1e-6)
    assert metrics["ssim"] < metrics["best_ssim"]


def test_only_the_first_half_second_is_searched_for_the_best_frame(image):
    # The input appears only at frame 20 (0.83 s): outside the window, not the best.
    frames = [_shifted(image, 30)] * 20 + [image] * 4
    metrics = _run(frames, image)
    assert metrics["best_frame"] <= 0.5 * FPS
    assert metrics["best_ssim"] < HOLD


def test_an_input_of_another_aspect_ratio_is_refused_with_both_ratios(image):
    square = cv2.resize(image, (360, 360))
    result = PROBE.run(clip_from_array(np.stack([image] * 3), fps=FPS), input_image=square)
    assert not result
    assert "360x360 (aspect 1.000)" in result.error and "640x360 (aspect 1.778)" in result.error


def test_an_input_of_the_same_shape_at_another_size_is_compared(image):
    # Half size, same 16:9 shape (within rounding): upscaled to the clip's size.
    small = cv2.resize(image, (320, 180), interpolation=cv2.INTER_AREA)
    metrics = _run([image] * 3, small)
    assert metrics["ssim"] > 0.6


def test_without_an_input_image_the_probe_fails_and_says_why(image):
    result = PROBE.run(clip_from_array(np.stack([image] * 3), fps=FPS))
    assert not result and "input image" in result.error
