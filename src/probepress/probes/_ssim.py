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

__all__ = ["PSNR_CAP_DB", "SsimTarget", "psnr", "ssim"]

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
    return SsimTarget(b).score(a)


class SsimTarget:
    """One image that many others are compared with: its window statistics kept.

    A clip's frames are all compared with the same input image, so the image's local
    means and variances are computed once, and each frame costs three Gaussian blurs
    (its mean, its square, its product with the image) instead of five.

    Arithmetic is float32 (OpenCV's blur is about 8x faster than in float64) on
    values centred on 128, which keeps the variances' cancellation error near 1e-3
    gray levels², far below ``C2`` = 58.5: scores agree with a float64 computation to
    about 1e-6.
    """

    def __init__(self, target: np.ndarray) -> None:
        if min(target.shape[:2]) < _WINDOW:
            raise ValueError(
                f"images of {target.shape[1]}x{target.shape[0]} px are smaller than the window"
            )
        self.shape = target.shape
        self._y = _centred(target)
        self._mu_y = _blur(self._y)
        self._var_y = _blur(self._y * self._y) - self._mu_y * self._mu_y

    def score(self, image: np.ndarray) -> float:
        """Mean SSIM of ``image`` against the target (the mean over channels for colour)."""
        if image.shape != self.shape:
            raise ValueError(f"images differ in shape: {image.shape} and {self.shape}")
        x = _centred(image)
        mu_x = _blur(x)
        var_x = _blur(x * x) - mu_x * mu_x
        cov = _blur(x * self._y) - mu_x * self._mu_y
        # The luminance term needs the true means: add the centring back.
        mean_x, mean_y = mu_x + _CENTRE, self._mu_y + _CENTRE
        numerator = (2 * mean_x * mean_y + _C1) * (2 * cov + _C2)
        denominator = (mean_x**2 + mean_y**2 + _C1) * (var_x + self._var_y + _C2)
        pad = _WINDOW // 2
        # Only windows wholly inside the image, as the paper's 'valid' filtering; every
        # channel has as many, so the mean over all is the mean of the channels' means.
        inside = (numerator / denominator)[pad:-pad, pad:-pad]
        return float(inside.mean(dtype=np.float64))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB (peak 255), capped at :data:`PSNR_CAP_DB`."""
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} and {b.shape}")
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    if mse <= 0:
        return PSNR_CAP_DB
    return min(PSNR_CAP_DB, 10.0 * math.log10(_RANGE**2 / mse))


_CENTRE = 128.0


def _centred(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float32) - np.float32(_CENTRE)


def _blur(plane: np.ndarray) -> np.ndarray:
    # Border handling does not matter: the border's windows are cropped away.
    return cv2.GaussianBlur(plane, (_WINDOW, _WINDOW), _SIGMA, borderType=cv2.BORDER_REFLECT)
