"""SSIM and PSNR against values known by hand and from an independent implementation."""

import math

import numpy as np
import pytest

from probepress.probes._ssim import PSNR_CAP_DB, psnr, ssim

# Wang et al.'s constants for 8-bit images: C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2.
C1 = (0.01 * 255) ** 2
# SSIM runs in float32 (8x faster blurs); scores agree with float64 to a few 1e-6.
FLOAT32 = 1e-5


def _noisy_pair() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 256, (64, 80, 3), dtype=np.uint8)
    b = np.clip(a.astype(int) + rng.normal(0, 20, a.shape), 0, 255).astype(np.uint8)
    return a, b


def test_identical_images_score_one():
    a, _ = _noisy_pair()
    assert ssim(a, a) == pytest.approx(1.0, abs=FLOAT32)
    assert psnr(a, a) == PSNR_CAP_DB


def test_constant_images_score_the_luminance_term_by_hand():
    # Flat images: no variance, so SSIM is (2ab + C1) / (a^2 + b^2 + C1) in every window.
    a = np.full((32, 32), 100, np.uint8)
    b = np.full((32, 32), 150, np.uint8)
    expected = (2 * 100 * 150 + C1) / (100**2 + 150**2 + C1)
    assert ssim(a, b) == pytest.approx(expected, abs=FLOAT32)  # 0.92309...


def test_psnr_of_a_known_error():
    a = np.full((16, 16, 3), 100, np.uint8)
    # Every sample off by 10: MSE 100, PSNR = 10 log10(255^2 / 100).
    assert psnr(a, a + 10) == pytest.approx(10 * math.log10(255**2 / 100), rel=1e-12)


def test_matches_scikit_image_with_the_papers_settings():
    # Values from scikit-image 0.26.0, structural_similarity(a, b, gaussian_weights=True,
    # sigma=1.5, use_sample_covariance=False, data_range=255[, channel_axis=-1]) and
    # peak_signal_noise_ratio(a, b, data_range=255), on the same seeded images.
    a, b = _noisy_pair()
    assert ssim(a, b) == pytest.approx(0.9658219148296953, abs=FLOAT32)
    assert ssim(a[..., 0], b[..., 0]) == pytest.approx(0.9656527922062196, abs=FLOAT32)
    assert ssim(a, 255 - a) == pytest.approx(-0.9668699975647804, abs=FLOAT32)
    assert psnr(a, b) == pytest.approx(22.544658401693326, abs=1e-9)


def test_refuses_images_of_different_shapes_or_smaller_than_the_window():
    a, _ = _noisy_pair()
    with pytest.raises(ValueError, match="differ in shape"):
        ssim(a, a[:-1])
    with pytest.raises(ValueError, match="smaller than the window"):
        ssim(a[:10], a[:10])
