"""Input images: a sound file gives its size; a damaged one is refused, whatever its format."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from probepress.video.still import StillError, read_still, still_size


def _noise_image(path, size=(160, 90)):
    pixels = np.random.default_rng(0).integers(0, 255, (size[1], size[0], 3), np.uint8)
    Image.fromarray(pixels).save(path)
    return pixels


@pytest.mark.parametrize("name", ["input.png", "input.jpg", "input.webp"])
def test_a_sound_image_gives_its_width_and_height(tmp_path, name):
    _noise_image(tmp_path / name)
    assert still_size(tmp_path / name) == (160, 90)


@pytest.mark.parametrize("name", ["input.png", "input.jpg"])
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -5])
def test_a_truncated_image_is_refused(tmp_path, name, keep):
    path = tmp_path / name
    _noise_image(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)] if keep > 0 else data[:keep])
    with pytest.raises(StillError, match="cannot be decoded"):
        still_size(path)


def test_a_png_with_one_damaged_byte_in_its_pixels_is_refused(tmp_path):
    # Every chunk of a PNG carries a CRC: checking them finds a flipped byte in the
    # compressed pixels without decoding them.
    path = tmp_path / "input.png"
    _noise_image(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT") + 4
    data[start + 100] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(StillError, match="cannot be decoded"):
        still_size(path)
    with pytest.raises(StillError, match="cannot be decoded"):
        read_still(path)


def test_read_still_gives_the_pixels_of_a_sound_png(tmp_path):
    pixels = _noise_image(tmp_path / "input.png")
    assert np.array_equal(read_still(tmp_path / "input.png"), pixels)
