"""SSIM and PSNR, as the image-quality literature defines them.

SSIM is the structural similarity index of Wang, Bovik, Sheikh and Simoncelli (2004)
with the paper's settings: an 11x11 Gaussian window of standard deviation 1.5 px,
``K1 = 0.01``, ``K2 = 0.03``, dynamic range ``L = 255``, population (not sample)
statistics, and the mean taken over the windows that lie wholly inside the image (the
paper's MATLAB code filters with ``'valid'``). For colour images it is computed per RGB
channel and averaged, as scikit-image does with ``channel_axis``; this sees a change of
hue that leaves brightness alone, which SSIM on luma alone would miss.

References
----------
Z. Wang, A. C. Bovik, H. R. Sheikh and E. P. Simoncelli, "Image quality assessment:
from error visibility to structural similarity", IEEE Transactions on Image Processing
13(4), 600-612, 2004. doi:10.1109/TIP.2003.819861
"""

from __future__ import annotations

import math

import cv2
import numpy as np

__all__ = ["PSNR_CAP_DB", "psnr", "ssim"]

_WINDOW = 11  # px; 2 * ceil(3.5 * sigma) + 1, the truncation scikit-image uses too
_SIGMA = 1.5
_K1, _K2 = 0.01, 0.03
_RANGE = 255.0
_C1 = (_K1 * _RANGE) ** 2
_C2 = (_K2 * _RANGE) ** 2
#: PSNR of identical images: a number a claim can compare, where the formula gives
#: infinity. 100 dB is a mean squared error of 2.6e-6 gray levels², far below the
#: rounding to whole gray levels any stored image has.
PSNR_CAP_DB = 100.0


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of two images of the same shape.

    Parameters
    ----------
    a, b : np.ndarray
        ``(H, W)`` or ``(H, W, 3)`` uint8 (or float in 0..255) images, at least 11 px
        on each side.

    Returns
    -------
    float
        In -1..1; 1 only for identical images.
    """
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} and {b.shape}")
    if min(a.shape[:2]) < _WINDOW:
        raise ValueError(f"images of {a.shape[1]}x{a.shape[0]} px are smaller than the window")
    if a.ndim == 3:
        return float(np.mean([_ssim_plane(a[..., c], b[..., c]) for c in range(a.shape[2])]))
    return _ssim_plane(a, b)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB (peak 255), capped at :data:`PSNR_CAP_DB`."""
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} and {b.shape}")
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    if mse <= 0:
        return PSNR_CAP_DB
    return min(PSNR_CAP_DB, 10.0 * math.log10(_RANGE**2 / mse))


def _ssim_plane(a: np.ndarray, b: np.ndarray) -> float:
    x = a.astype(np.float64)
    y = b.astype(np.float64)
    mu_x, mu_y = _blur(x), _blur(y)
    # Population statistics: E[x^2] - E[x]^2 under the window's weights.
    var_x = _blur(x * x) - mu_x * mu_x
    var_y = _blur(y * y) - mu_y * mu_y
    cov = _blur(x * y) - mu_x * mu_y
    numerator = (2 * mu_x * mu_y + _C1) * (2 * cov + _C2)
    denominator = (mu_x**2 + mu_y**2 + _C1) * (var_x + var_y + _C2)
    pad = _WINDOW // 2
    # Only windows wholly inside the image, as the paper's 'valid' filtering.
    return float((numerator / denominator)[pad:-pad, pad:-pad].mean())


def _blur(plane: np.ndarray) -> np.ndarray:
    # Border handling does not matter: the border's windows are cropped away.
    return cv2.GaussianBlur(plane, (_WINDOW, _WINDOW), _SIGMA, borderType=cv2.BORDER_REFLECT)
