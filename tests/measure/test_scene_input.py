"""A scene's input image and prompt: loaded when valid, each fault named at its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from probepress.measure.manifest import ManifestError, load_manifest
from probepress.measure.scene_input import InputImage, aspect_problems

SCENE = """\
    scenes:
      lake:
        title: A train crosses a lake
        probes: [flicker]
    {extra}
    clips:
      - file: lake/a.mp4
        scene: lake
        model: Model A
"""


def _write(tmp_path: Path, extra: str, image: tuple[int, int] | None = (64, 36)) -> Path:
    (tmp_path / "lake").mkdir(exist_ok=True)
    (tmp_path / "lake" / "a.mp4").write_bytes(b"not decoded by the manifest")
    if image is not None:
        pixels = np.zeros((image[1], image[0], 3), np.uint8)
        Image.fromarray(pixels).save(tmp_path / "lake" / "input.png")
    body = textwrap.dedent(SCENE).replace("{extra}", textwrap.indent(extra, "    "))
    path = tmp_path / "clips.yml"
    path.write_text(body, encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return str(caught.value)


def test_an_image_and_a_prompt_load_with_the_image_size(tmp_path):
    path = _write(tmp_path, "input: {image: lake/input.png, prompt: A train at dusk.}")
    scene = load_manifest(path).scenes["lake"]
    assert scene.prompt == "A train at dusk."
    image = scene.input_image
    assert image is not None and (image.width, image.height) == (64, 36)
    assert image.path == (tmp_path / "lake" / "input.png").resolve() and image.line == 5


def test_the_plain_prompt_key_still_gives_a_text_only_scene(tmp_path):
    scene = load_manifest(_write(tmp_path, "prompt: A train at dusk.")).scenes["lake"]
    assert scene.prompt == "A train at dusk." and scene.input_image is None


def test_an_image_with_the_plain_prompt_is_image_and_text(tmp_path):
    path = _write(tmp_path, "prompt: A train at dusk.\ninput:\n  image: lake/input.png")
    scene = load_manifest(path).scenes["lake"]
    assert scene.prompt == "A train at dusk." and scene.input_image is not None


def test_a_prompt_given_twice_is_refused_naming_both_lines(tmp_path):
    path = _write(tmp_path, "prompt: One.\ninput:\n  prompt: Two.")
    message = _problems(path)
    assert "clips.yml:7: scene 'lake': the prompt is given twice" in message
    assert "as `prompt:` (line 5); keep one" in message


def test_a_missing_image_names_the_image_line_and_what_to_do(tmp_path):
    path = _write(tmp_path, "input:\n  prompt: Dusk.\n  image: lake/missing.png", image=None)
    message = _problems(path)
    assert "clips.yml:7: scene 'lake': input image 'lake/missing.png' not found" in message
    assert "add the file or fix the path" in message


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    path = _write(tmp_path, "input: {image: lake/input.png}", image=None)
    (tmp_path / "lake" / "input.png").write_bytes(b"\x89PNG but not really an image")
    message = _problems(path)
    assert "clips.yml:5: scene 'lake': input image 'lake/input.png' not an image" in message
    assert "save it again as PNG or JPEG" in message


def test_a_truncated_image_is_refused(tmp_path):
    path = _write(tmp_path, "input: {image: lake/input.png}", image=(640, 360))
    image = tmp_path / "lake" / "input.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (360, 640, 3), np.uint8)).save(image)
    image.write_bytes(image.read_bytes()[:4000])
    assert "cannot be decoded" in _problems(path)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("input: lake/input.png", "`input` must be a mapping such as {image:"),
        ("input: {}", "`input` names neither an image nor a prompt"),
        ("input: {image: lake/input.png, seed: 3}", "unknown key 'seed' under `input`"),
        ("input: {image: ../input.png}", "escapes the clips folder"),
        ("input: {image: lake/input.gif}", "is not an image file name"),
        ("input: {image: [a, b]}", "`input.image` must be an image path"),
    ],
)
def test_malformed_inputs_are_named_at_their_line(tmp_path, extra, expected):
    message = _problems(_write(tmp_path, extra))
    assert "clips.yml:5: scene 'lake'" in message and expected in message


def _image(width: int, height: int) -> InputImage:
    return InputImage("lake/input.png", Path("input.png"), width, height, line=9)


def test_an_image_of_another_aspect_ratio_is_named_with_both_ratios():
    problems = aspect_problems(
        {"lake": _image(640, 480)}, {"lake": [("lake/a.mp4", 1280, 720)]}, "clips.yml"
    )
    assert len(problems) == 1
    assert problems[0].startswith("clips.yml:9: scene 'lake': input image 'lake/input.png'")
    assert "640x480 (aspect 1.333)" in problems[0] and "1280x720 (aspect 1.778)" in problems[0]
    assert "crop it to 640x360" in problems[0]


def test_an_aspect_ratio_off_by_rounding_is_accepted():
    # 854x480 is 16:9 rounded to whole pixels (0.06 % off); 1 % is tolerated.
    assert (
        aspect_problems({"lake": _image(854, 480)}, {"lake": [("lake/a.mp4", 1280, 720)]}, "m")
        == []
    )
    assert aspect_problems({"lake": _image(880, 480)}, {"lake": [("lake/a.mp4", 1280, 720)]}, "m")
