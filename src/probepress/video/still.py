"""Still images: a scene's conditioning input (image-to-video), read as RGB.

A scene may name the image a model was given (``input: {image: ...}`` in the manifest).
The manifest checks that it reads and what shape it has (:func:`still_size`); the
``first_frame`` probe compares clips with its pixels (:func:`read_still`). Both read
with Pillow, which knows PNG, JPEG, WebP, TIFF and more, and refuses images so large
that decoding them would be an attack (a "decompression bomb").
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

__all__ = ["IMAGE_SUFFIXES", "StillError", "read_still", "still_size"]

#: File names accepted as input images (the manifest says so when another is given).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})


class StillError(Exception):
    """An image that cannot be read; ``reason`` says why in a few words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def still_size(path: Path | str) -> tuple[int, int]:
    """``(width, height)`` of an image in pixels, once the whole file is known to be sound.

    Reading only the header would take a truncated or corrupt file for a good one. A
    PNG is checked chunk by chunk against its CRCs up to its end chunk (Pillow's
    ``verify``), which finds both at a hundredth of the cost of decoding it; the
    manifest checks every input image at every build. Other formats carry no
    checksums and are decoded whole.

    Raises
    ------
    StillError
        Missing, not an image, truncated or corrupt, or too large to decode safely.
    """
    with _opened(path, verify_png=True) as image:
        return image.size


def read_still(path: Path | str) -> np.ndarray:
    """The image as ``(H, W, 3)`` uint8 RGB (alpha dropped, gray and palettes expanded).

    Raises
    ------
    StillError
        As :func:`still_size`.
    """
    with _opened(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


class _opened:
    """Context manager: the Pillow image, decoded (or a PNG verified), or :class:`StillError`."""

    def __init__(self, path: Path | str, *, verify_png: bool = False) -> None:
        self.path = Path(path)
        self.verify_png = verify_png  # check a PNG's chunks instead of decoding it
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                # Pillow warns before it refuses; over its limit it raises, below it
                # the warning is noise.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(self.path)
                if self.verify_png and self.image.format == "PNG":
                    self.image.verify()  # leaves the size readable, the pixels unread
                else:
                    self.image.load()
        except FileNotFoundError:
            raise StillError(self.path, "file not found") from None
        except IsADirectoryError:
            raise StillError(self.path, "is a folder, not an image") from None
        except UnidentifiedImageError:
            raise StillError(self.path, "not an image Pillow can read (PNG, JPEG, WebP)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise StillError(
                self.path, "too many pixels to decode safely; scale the image down"
            ) from None
        except (OSError, SyntaxError, ValueError) as error:
            # Truncated or corrupt data: Pillow says "image file is truncated" and such.
            raise StillError(self.path, f"cannot be decoded ({error})") from None
        return self.image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()
