"""A scene's conditioning input: the image and/or text prompt its clips were made from.

.. code-block:: yaml

    scenes:
      ball-drop:
        title: A ball dropped in a room
        input:
          image: ball-drop/input.png      # relative to the clips folder
          prompt: The ball falls and bounces.
        probes: [gravity]

``input:`` takes ``image``, ``prompt`` or both. The scene's plain ``prompt:`` is the
same text written the short way (text-to-video); a scene gives its prompt in one place
only. The image must read as an image and have the clips' aspect ratio: the first is
checked when the manifest loads, the second once the clips' sizes are known
(:func:`aspect_problems`), each reported at the ``image:`` line with what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from probepress.probes.first_frame import aspect_mismatch
from probepress.video.still import IMAGE_SUFFIXES, StillError, still_size

__all__ = ["INPUT_KEYS", "InputImage", "aspect_problems", "read_scene_input"]

INPUT_KEYS = ("image", "prompt")


@dataclass(frozen=True)
class InputImage:
    """The still a scene's clips were generated from."""

    file: str  # relative to the clips folder, POSIX separators
    path: Path
    width: int
    height: int
    line: int  # of ``image:`` in the manifest


def read_scene_input(
    entry: Mapping[str, Any], shown: str, clips_dir: Path, label: str, problems: list[str]
) -> tuple[InputImage | None, str]:
    """The scene's input image (checked) and its prompt, from ``input:`` and ``prompt:``.

    Parameters
    ----------
    entry : mapping
        The scene's entry as read (a ``LineDict`` that knows its lines).
    shown : str
        The manifest as named in messages.
    clips_dir : Path
        Folder the image path is relative to (resolved).
    label : str
        ``scene 'name'``, for messages.
    problems : list of str
        Where each problem is appended, as ``file:line: label: what to do``.

    Returns
    -------
    (InputImage or None, str)
        The image when one is given and usable, and the prompt (``""`` when none).
    """
    raw = entry.get("input")
    prompt = entry.get("prompt")
    if raw is None:
        return None, "" if prompt is None else str(prompt)
    at = _line_of(entry, "input")
    if not isinstance(raw, dict):
        problems.append(f"{shown}:{at}: {label}: `input` must be a mapping such as {_EXAMPLE}")
        return None, "" if prompt is None else str(prompt)
    for key in sorted(set(raw) - set(INPUT_KEYS), key=str):
        problems.append(
            f"{shown}:{_line_of(raw, key)}: {label}: unknown key {key!r} under `input` "
            f"(allowed: {', '.join(INPUT_KEYS)})"
        )
    image, inner_prompt = raw.get("image"), raw.get("prompt")
    if image is None and inner_prompt is None:
        problems.append(
            f"{shown}:{at}: {label}: `input` names neither an image nor a prompt; "
            f"give one or both, e.g. {_EXAMPLE}"
        )
    if inner_prompt is not None:
        if prompt is not None:
            problems.append(
                f"{shown}:{_line_of(raw, 'prompt')}: {label}: the prompt is given twice, "
                f"under `input` and as `prompt:` (line {_line_of(entry, 'prompt')}); keep one"
            )
        if not isinstance(inner_prompt, str | int | float):
            problems.append(
                f"{shown}:{_line_of(raw, 'prompt')}: {label}: `input.prompt` must be text"
            )
        else:
            prompt = inner_prompt
    found = None
    if image is not None:
        found = _image(image, _line_of(raw, "image"), shown, clips_dir, label, problems)
    return found, "" if prompt is None else str(prompt)


def aspect_problems(
    images: Mapping[str, InputImage],
    clip_sizes: Mapping[str, Sequence[tuple[str, int, int]]],
    shown: str,
) -> list[str]:
    """One problem per scene whose input image has another shape than its clips.

    Parameters
    ----------
    images : mapping
        Scene name to its input image.
    clip_sizes : mapping
        Scene name to ``(clip file, width, height)`` of each of its clips that could
        be read.
    shown : str
        The manifest as named in messages.
    """
    problems = []
    for scene, image in images.items():
        for file, width, height in clip_sizes.get(scene, ()):
            mismatch = aspect_mismatch(image.width, image.height, width, height)
            if mismatch:
                problems.append(
                    f"{shown}:{image.line}: scene {scene!r}: input image {image.file!r} does not "
                    f"fit clip {file!r}: {mismatch}, or give this scene an image of the "
                    "clips' shape"
                )
                break  # one clip says it; the scene's other clips are the same size or not
    return problems


_EXAMPLE = "{image: scene/input.png, prompt: ...}"


def _image(
    value: Any, line: int, shown: str, clips_dir: Path, label: str, problems: list[str]
) -> InputImage | None:
    where = f"{shown}:{line}: {label}"
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: `input.image` must be an image path such as scene/input.png")
        return None
    relative = PurePosixPath(value)
    path = (clips_dir / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(clips_dir):
        problems.append(
            f"{where}: input image {value!r} escapes the clips folder; put it inside {clips_dir}"
        )
        return None
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        problems.append(
            f"{where}: input image {value!r} is not an image file name "
            f"(expected one of {', '.join(sorted(IMAGE_SUFFIXES))})"
        )
        return None
    if not path.is_file():
        problems.append(
            f"{where}: input image {value!r} not found at {path}; add the file or fix the path "
            "(for the demo scenes run `probepress synth`)"
        )
        return None
    try:
        width, height = still_size(path)
    except StillError as error:
        problems.append(
            f"{where}: input image {value!r} {error.reason}; save it again as PNG or JPEG"
        )
        return None
    return InputImage(file=value, path=path, width=width, height=height, line=line)


def _line_of(mapping: Any, key: str) -> int:
    return getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))
