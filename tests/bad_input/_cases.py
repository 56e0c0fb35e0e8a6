"""The bad-input corpus: one change to the minimal site each, and what both tools must say.

To add a case, append a ``Case`` to ``CASES``: a name, a change (a function of the site
root and the session's media) and the message fragment with the ``file:line`` it must
name; ``works=True`` for input that must build. The change helpers below cover the
manifest, the post and the clip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _minimal_site import CLAIM_LINE, CLIP, CLIP_LINE, CLIPS_YML, MANIFEST, POST, POST_TEXT, Media

Change = Callable[[Path, Media], None]


@dataclass(frozen=True)
class Case:
    """One bad (or tricky but valid) input and what it must produce."""

    name: str
    change: Change
    fragment: str = ""  # part of the message both tools print
    where: str = ""  # the file:line the message names
    works: bool = False  # valid input: both tools must succeed
    also: str = ""  # more that both tools must print, anywhere
    check_says: str = ""  # what check's summary line must say


# -- changes ------------------------------------------------------------------


def manifest(text: str) -> Change:
    """Replace the manifest's text."""
    return lambda root, media: (root / MANIFEST).write_text(text, "utf-8")


def manifest_bytes(data: bytes) -> Change:
    """Replace the manifest's bytes."""
    return lambda root, media: (root / MANIFEST).write_bytes(data)


def edit_manifest(old: str, new: str) -> Change:
    """Replace ``old`` (which must occur) with ``new`` in the manifest."""
    assert old in CLIPS_YML, old
    return manifest(CLIPS_YML.replace(old, new, 1))


def edit_post(old: str, new: str) -> Change:
    """Replace ``old`` (which must occur) with ``new`` in the post."""
    assert old in POST_TEXT, old

    def change(root: Path, media: Media) -> None:
        (root / POST).write_text(POST_TEXT.replace(old, new, 1), "utf-8")

    return change


def post_bytes(data: bytes) -> Change:
    """Replace the post's bytes."""
    return lambda root, media: (root / POST).write_bytes(data)


def clip_bytes(make: Callable[[bytes], bytes]) -> Change:
    """Replace the clip's bytes with ``make(original bytes)``."""

    def change(root: Path, media: Media) -> None:
        path = root / "assets" / "clips" / CLIP
        path.write_bytes(make(path.read_bytes()))

    return change


def clip_from(pick: Callable[[Media], Path]) -> Change:
    """Replace the clip with one of the session's media files."""
    return lambda root, media: shutil.copy2(pick(media), root / "assets" / "clips" / CLIP)


def encoded_clip(*ffmpeg_args: str, size: str = "64x48", frames: int = 12) -> Change:
    """Replace the clip with a test pattern encoded with ``ffmpeg_args`` (output options)."""

    def change(root: Path, media: Media) -> None:
        import imageio_ffmpeg

        source = f"testsrc=size={size}:rate=12"
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi"]
        command += ["-i", source, "-frames:v", str(frames), *ffmpeg_args]
        subprocess.run([*command, str(root / "assets" / "clips" / CLIP)], check=True, timeout=120)

    return change


def rotated_clip(degrees: int) -> Change:
    """Replace the clip with the session's clip carrying rotation (display matrix) metadata."""

    def change(root: Path, media: Media) -> None:
        import imageio_ffmpeg

        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y"]
        command += ["-display_rotation", str(degrees), "-i", str(media.clip), "-c", "copy"]
        subprocess.run([*command, str(root / "assets" / "clips" / CLIP)], check=True, timeout=60)

    return change


def rename_clip(new_name: str) -> Change:
    """Move the clip to ``new_name`` (under assets/clips/) and point every use at it."""

    def change(root: Path, media: Media) -> None:
        clips = root / "assets" / "clips"
        (clips / new_name).parent.mkdir(parents=True, exist_ok=True)
        (clips / CLIP).rename(clips / new_name)
        (root / MANIFEST).write_text(CLIPS_YML.replace(CLIP, new_name), "utf-8")
        # Claims and inline values quote a clip name (needed when it holds spaces).
        new_id = new_name.removesuffix(".mp4")
        old_ref = CLIP.removesuffix(".mp4") + " :"
        text = POST_TEXT.replace(CLIP, new_name).replace(old_ref, f'"{new_id}" :')
        (root / POST).write_text(text, "utf-8")

    return change


def symlink_outside(root: Path, media: Media) -> None:
    """Point a manifest entry at a symlink that leads out of the clips folder."""
    outside = root / "elsewhere.mp4"
    shutil.copy2(media.clip, outside)
    os.symlink(outside, root / "assets" / "clips" / "glow" / "link.mp4")
    text = CLIPS_YML + "  - file: glow/link.mp4\n    scene: glow\n    model: Linked\n"
    (root / MANIFEST).write_text(text, "utf-8")


def input_image(write: Callable[[Path, Media], None] | None) -> Change:
    """Give the scene an input image (line 4 of the manifest), written by ``write``."""

    def change(root: Path, media: Media) -> None:
        text = CLIPS_YML.replace(
            "    title: A pulsing glow\n",
            "    title: A pulsing glow\n    input: {image: glow/input.png}\n",
            1,
        )
        (root / MANIFEST).write_text(text, "utf-8")
        if write is not None:
            write(root / "assets" / "clips" / "glow" / "input.png", media)

    return change


def second_take(extra: str) -> Change:
    """Copy the clip to glow/take-2.mp4 and list it with ``extra`` manifest lines."""

    def change(root: Path, media: Media) -> None:
        clips = root / "assets" / "clips"
        shutil.copy2(clips / CLIP, clips / "glow" / "take-2.mp4")
        entry = "  - file: glow/take-2.mp4\n    scene: glow\n    model: Reference\n" + extra
        (root / MANIFEST).write_text(CLIPS_YML + entry, "utf-8")

    return change


def square_png(path: Path, media: Media) -> None:
    """A 48x48 image: not the clip's 4:3."""
    from PIL import Image

    Image.new("RGB", (48, 48), (90, 120, 30)).save(path)


# A model whose one version has no release date (models: goes before scenes:).
UNDATED = "models:\n  Reference:\n    versions:\n      v1: {notes: first}\n" + CLIPS_YML


# -- the corpus ---------------------------------------------------------------

M = "assets/clips/clips.yml"
BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 12))
EXTRA_CLIP = "  - file: glow/reference.mp4\n    scene: glow\n    model: Again\n"
BOMB_MANIFEST = CLIPS_YML.replace(
    "    license: CC0-1.0\n", "    license: CC0-1.0\n    notes: *l11\n"
).replace("scenes:\n", "l0: &l0 [lol]\n" + BOMB + "scenes:\n")

CASES = [
    # Clip files that are no video (or not enough of one).
    Case("zero-byte clip", clip_bytes(lambda _: b""), "cannot be read", f"{M}:{CLIP_LINE}"),
    Case(
        "truncated clip",
        clip_bytes(lambda data: data[: len(data) // 3]),
        "cannot be read",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "text as mp4",
        clip_bytes(lambda _: b"this is not a video\n" * 50),
        "cannot be read",
        f"{M}:{CLIP_LINE}",
    ),
    # A still image or a clip too short to measure is refused when it is decoded: named
    # at its manifest line, saying how many frames a clip needs.
    Case(
        "image as clip",
        clip_from(lambda m: m.png),
        "is a still image (PNG), not a video: probes need at least 3 frames",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "audio-only file",
        clip_from(lambda m: m.audio_only),
        "cannot be read",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "one-frame clip",
        clip_from(lambda m: m.one_frame),
        "has 1 frame; probepress measures videos of at least 3 frames",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "two-frame clip",
        clip_from(lambda m: m.two_frames),
        "has 2 frames; probepress measures videos of at least 3 frames",
        f"{M}:{CLIP_LINE}",
    ),
    # A scene's input image (image-to-video): named at its manifest line, with what to do.
    Case(
        "input image missing",
        input_image(None),
        "input image 'glow/input.png' not found",
        f"{M}:4",
        also="add the file or fix the path",
    ),
    Case(
        "input image not an image",
        input_image(lambda path, media: path.write_bytes(b"not a picture at all")),
        "input image 'glow/input.png' not an image Pillow can read",
        f"{M}:4",
    ),
    Case(
        "input image cut short",
        input_image(lambda path, media: path.write_bytes(media.png.read_bytes()[:-20])),
        "input image 'glow/input.png' cannot be decoded",
        f"{M}:4",
        also="save it again as PNG or JPEG",
    ),
    Case(
        "input image of another aspect ratio",
        input_image(square_png),
        "input image 'glow/input.png' does not fit clip 'glow/reference.mp4'",
        f"{M}:4",
        also="48x48 (aspect 1.000) but the clip is 64x48 (aspect 1.333); crop or pad",
    ),
    Case(
        "input image of the clip's shape",
        input_image(lambda path, media: shutil.copy2(media.png, path)),
        works=True,
    ),
    # Clips that are unusual but valid: each must build and hold its claim.
    Case(
        "vertical clip",
        encoded_clip("-c:v", "libx264", "-pix_fmt", "yuv420p", size="48x64"),
        works=True,
    ),
    Case(
        "odd size (not a multiple of 16)",
        encoded_clip("-c:v", "libx264", "-pix_fmt", "yuv420p", size="66x50"),
        works=True,
    ),
    Case(
        "4K clip",
        encoded_clip(
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", size="3840x2160"
        ),
        works=True,
    ),
    Case("rotation metadata", rotated_clip(90), works=True),
    Case(
        "variable frame rate",
        encoded_clip(
            "-vf",
            "select='not(eq(n,3)+eq(n,4)+eq(n,8))'",
            "-fps_mode",
            "vfr",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
        ),
        works=True,
    ),
    Case(
        "HEVC",
        encoded_clip("-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=0"),
        works=True,
    ),
    Case("VP9", encoded_clip("-c:v", "libvpx-vp9", "-deadline", "realtime"), works=True),
    Case(
        "AV1",
        encoded_clip("-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p"),
        works=True,
    ),
    Case("10-bit H.264", encoded_clip("-c:v", "libx264", "-pix_fmt", "yuv420p10le"), works=True),
    # File names that must work.
    Case("unicode file name", rename_clip("glow/référence lumière.mp4"), works=True),
    Case("space in folder name", rename_clip("soft glow/take 1.mp4"), works=True),
    # Paths that leave the clips folder.
    Case("symlink out of the clips folder", symlink_outside, "escapes the clips folder", f"{M}:11"),
    Case(
        "absolute path",
        edit_manifest("- file: glow/reference.mp4", "- file: /etc/hostname.mp4"),
        "escapes the clips folder",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "dot-dot path",
        edit_manifest("- file: glow/reference.mp4", "- file: ../../outside.mp4"),
        "escapes the clips folder",
        f"{M}:{CLIP_LINE}",
    ),
    # YAML that must neither hang nor crash.
    Case("anchor bomb", manifest(BOMB_MANIFEST), "YAML alias *l0 is not allowed", f"{M}:2"),
    Case(
        "deep nesting",
        manifest("scenes: " + "[" * 20000 + "]" * 20000 + "\n"),
        "nested deeper",
        f"{M}:1",
    ),
    Case(
        "non-UTF-8 manifest",
        manifest_bytes(CLIPS_YML.encode() + b"    notes: caf\xe9\n"),
        "not UTF-8 text",
        f"{M}:11",
    ),
    Case(
        "duplicate key",
        edit_manifest("    model: Reference\n", "    model: Reference\n    model: Other\n"),
        "key 'model' given twice (first at line 9)",
        f"{M}:10",
    ),
    Case(
        "many duplicate entries",
        manifest(CLIPS_YML + EXTRA_CLIP * 120),
        "duplicate clip id 'glow/reference' (also at line 7)",
        f"{M}:11",
        also="... and 70 more (120 problems in all)",
    ),
    # Fields of the wrong type.
    Case(
        "reference is a number",
        edit_manifest("reference: glow/reference.mp4", "reference: 42"),
        "`reference` must be a clip path",
        f"{M}:5",
    ),
    Case(
        "scene is a list",
        edit_manifest("    scene: glow\n", "    scene: [x]\n"),
        "`scene` must be a name (text), not a list",
        f"{M}:8",
    ),
    Case(
        "numeric scene name",
        edit_manifest("  glow:\n", "  42:\n"),
        "scene 42: a scene name must be text",
        f"{M}:2",
    ),
    Case(
        "model is null",
        edit_manifest("model: Reference", "model: null"),
        "missing 'model'",
        f"{M}:{CLIP_LINE}",
    ),
    Case(
        "synthetic is quoted text",
        edit_manifest("    license: CC0-1.0\n", "    license: CC0-1.0\n    synthetic: 'no'\n"),
        "`synthetic` must be true or false, not the text 'no'",
        f"{M}:11",
    ),
    Case(
        "title is a mapping",
        edit_manifest("title: A pulsing glow", "title: {a: 1}"),
        "`title` must be text, not a mapping",
        f"{M}:3",
    ),
    # Samples and model versions.
    Case(
        "two clips of one sample",
        second_take(""),
        "clips 'glow/take-2.mp4' (line 11) and 'glow/reference.mp4' (line 7) are both sample 1",
        f"{M}:11",
    ),
    Case("a second sample", second_take("    sample: 2\n"), works=True),
    Case(
        "version without a release date",
        manifest(UNDATED),
        "model 'Reference' version 'v1': no `released:` date",
        f"{M}:4",
    ),
    Case(
        "version not listed for its model",
        manifest(
            UNDATED.replace("{notes: first}", "{released: 2026-06-01}").replace(
                "    model: Reference\n", "    model: Reference\n    model_version: v2\n"
            )
        ),
        "model_version 'v2' is not listed under `models: Reference: versions:`; did you mean 'v1'?",
        f"{M}:11",
    ),
    Case(
        "sample that does not exist",
        edit_post("check: glow/reference :", "check: glow/reference#2 :"),
        "'glow/reference' has no sample #2; its samples are #1",
        f"{POST}:{CLAIM_LINE + 2}",
        check_says="0 of 1 claims hold, 1 fail",
    ),
    Case(
        "aggregate over a misspelt model",
        edit_post("{{ glow/reference :", "{{ mean(glow/referenc) :"),
        "scene 'glow' has no model 'referenc'; did you mean 'reference'?",
        f"{POST}:11",
    ),
    # Posts.
    Case(
        "unknown author",
        edit_post("  - tester\n", "  - nobody\n"),
        "unknown author 'nobody'",
        f"{POST}:4",
    ),
    Case(
        "unknown category",
        edit_post("  - Physics\n", "  - Gossip\n"),
        "unknown category 'Gossip'",
        f"{POST}:6",
    ),
    Case(
        "post without front matter",
        post_bytes(POST_TEXT.split("---\n", 2)[2].encode()),
        "a blog post needs YAML front matter",
        f"{POST}:1",
    ),
    Case(
        "non-UTF-8 post",
        post_bytes(POST_TEXT.encode().replace(b"steady glow", b"steady gl\xf6w")),
        "not UTF-8 text",
        f"{POST}:9",
    ),
    Case(
        "unparseable claim",
        edit_post("temporal_flickering >= 0.5", "temporal_flickering >> 0.5"),
        "claim check does not parse",
        f"{POST}:{CLAIM_LINE + 2}",
        check_says="0 of 1 claims hold, 1 fail",
    ),
    Case(
        "failing claim",
        edit_post("temporal_flickering >= 0.5", "temporal_flickering >= 2"),
        "claim does not hold: 'The glow is steady.'",
        f"{POST}:{CLAIM_LINE}",
        check_says="0 of 1 claims hold, 1 fail",
    ),
]
