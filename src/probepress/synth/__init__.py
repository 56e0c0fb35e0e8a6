"""Deterministic synthetic scenes with known physics: the demo clips and the probes' ground truth.

Each scene has a ``reference`` clip with correct physics and a few "model" clips
(synthetic stand-ins labelled Model A, B, C) with one controlled, labelled
violation each. Rendering is seeded, so a seed always gives the same pixels.

Examples
--------
>>> from pathlib import Path
>>> from probepress import synth
>>> frames = synth.render_frames("ball-drop", "reference")  # (144, 360, 640, 3) uint8
>>> synth.generate(Path("assets/clips"))  # writes <scene>/<variant>.mp4
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image

from probepress.synth import ball_drop, creature, star_trails, sun_shadows, train_lake
from probepress.synth.encode import write_mp4
from probepress.synth.scene import GROUND_TRUTH_METRICS, Scene, Variant

__all__ = [
    "GROUND_TRUTH_METRICS",
    "SCENES",
    "SYNTH_VERSION",
    "Scene",
    "Variant",
    "INPUT_IMAGE",
    "RENDERED_BY",
    "renderer_fingerprint",
    "generate",
    "manifest_entries",
    "render_frames",
    "write_input_image",
    "write_mp4",
]

#: Bump when any scene's pixels change; it is the clips' ``model_version``.
SYNTH_VERSION = 1
#: The file in each scene's folder that says what rendered its clips.
RENDERED_BY = ".rendered-by"
#: File name of each scene's input image, beside its clips.
INPUT_IMAGE = "input.png"

#: The stand-in models whose versions the demo dates: Model A's clips are its v1, and
#: ball-drop adds three takes of a v2 whose gravity improves.
MODEL_VERSIONS = {"Model A": {"v1": date(2026, 6, 1), "v2": date(2026, 11, 1)}}

#: All scenes by name, in the order the site shows them.
SCENES: dict[str, Scene] = {
    scene.name: scene
    for scene in (
        train_lake.SCENE,
        star_trails.SCENE,
        sun_shadows.SCENE,
        ball_drop.SCENE,
        creature.SCENE,
    )
}


def _lookup(scene: str, variant: str | None = None) -> tuple[Scene, Variant | None]:
    """Return a scene (and variant), with an error listing the valid names."""
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}; valid scenes: {', '.join(SCENES)}")
    found = SCENES[scene]
    if variant is None:
        return found, None
    if variant not in found.variants:
        raise ValueError(
            f"unknown variant {variant!r} of scene {scene!r}; valid variants: "
            f"{', '.join(found.variants)}"
        )
    return found, found.variants[variant]


def render_frames(scene: str, variant: str, *, seed: int = 0) -> np.ndarray:
    """Render one clip in memory.

    Parameters
    ----------
    scene : str
        Scene name, a key of :data:`SCENES`.
    variant : str
        ``"reference"``, ``"model-a"``, ...
    seed : int
        Non-negative seed; the same seed gives bit-identical frames.

    Returns
    -------
    ndarray, shape (T, H, W, 3), uint8
        RGB frames; frame ``k`` is sampled at ``t = k / fps`` s.
    """
    _, found = _lookup(scene, variant)
    return np.stack(list(found.render(seed)))


def generate(
    out_dir: Path,
    *,
    seed: int = 0,
    scenes: list[str] | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Render and encode clips to ``<out_dir>/<scene>/<variant>.mp4``, and input images.

    Each scene also gets ``<out_dir>/<scene>/input.png``, its reference's first frame
    (see :func:`write_input_image`).

    Parameters
    ----------
    out_dir : Path
        Root directory (created if missing), typically ``assets/clips``.
    seed : int
        Non-negative seed for every clip.
    scenes : list of str, optional
        Scene names to generate; default all.
    force : bool
        Re-encode clips that already exist (otherwise they are skipped).
    progress : callable, optional
        Called with a short message (``"train-lake/reference.mp4"``) before each clip
        is written and with ``"... (exists, skipped)"`` for skipped ones.

    Returns
    -------
    list of Path
        The files (clips and input images) written by this call, in order.
    """
    names = list(SCENES) if scenes is None else list(scenes)
    for name in names:
        _lookup(name)  # fail before writing anything
    made_by = renderer_fingerprint(seed)
    written: list[Path] = []
    for name in names:
        scene = SCENES[name]
        folder = Path(out_dir) / name
        folder.mkdir(parents=True, exist_ok=True)
        stamp = folder / RENDERED_BY
        # Rendered by other code (or before the stamp existed): a skipped clip would be
        # stale, and its claims might no longer hold.
        stale = not stamp.is_file() or stamp.read_text(encoding="utf-8") != made_by
        redo = force or stale
        image = folder / INPUT_IMAGE
        if redo or not image.exists():
            if progress:
                progress(f"{name}/{INPUT_IMAGE}")
            written.append(write_input_image(image, name, seed=seed))
        for variant in scene.variants.values():
            path = folder / f"{variant.name}.mp4"
            label = f"{name}/{path.name}"
            if path.exists() and not redo:
                if progress:
                    progress(f"{label} (exists, skipped)")
                continue
            if progress:
                progress(label)
            write_mp4(path, variant.render(seed), fps=scene.fps)
            written.append(path)
        if stale:
            stamp.write_text(made_by, encoding="utf-8")
    return written


def renderer_fingerprint(seed: int) -> str:
    """What the clips on disk were rendered by: the seed and a hash of synth's code.

    ``generate`` re-renders when this changes, so a checkout that rendered the demo
    before a scene changed (and skipped existing clips since) cannot keep stale
    clips whose claims no longer hold.
    """
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return f"probepress-synth {SYNTH_VERSION} seed {seed} code {digest.hexdigest()[:16]}\n"


def write_input_image(path: Path, scene: str, *, seed: int = 0) -> Path:
    """Write the scene's input image: its reference clip's first frame, as PNG.

    The demo's scenes are image-to-video: each model is taken to have been given this
    still, so the ``first_frame`` probe can say how faithfully each clip starts from it.
    Written to a temporary file and moved into place, like the clips.
    """
    found, _ = _lookup(scene)
    first = next(iter(found.variants["reference"].render(seed)))
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    Image.fromarray(first).save(partial, format="PNG")
    os.replace(partial, path)
    return path


def manifest_entries(seed: int = 0) -> dict:
    """Return the synthetic part of ``assets/clips/clips.yml`` as plain data.

    Returns
    -------
    dict
        ``{"models": {model: {"versions": {version: {"released": date}}}},
        "scenes": {name: {title, prompt, input, probes, reference, synthetic}},
        "clips": [{file, scene, model, model_version, [sample], source, license, synthetic,
        violation, notes, ground_truth}, ...]}``; file paths are relative to the clips
        directory (``"train-lake/reference.mp4"``), ground-truth keys are
        ``"probe.metric"`` with the probes' units and signs.
    """
    scenes: dict[str, dict] = {}
    clips: list[dict] = []
    for name, scene in SCENES.items():
        scenes[name] = {
            "title": scene.title,
            "prompt": scene.prompt,
            "input": {"image": f"{name}/{INPUT_IMAGE}"},
            "probes": list(scene.probes),
            "reference": f"{name}/reference.mp4",
            "synthetic": True,
        }
        for variant in scene.variants.values():
            clips.append(
                {
                    "file": f"{name}/{variant.name}.mp4",
                    "scene": name,
                    "model": variant.model,
                    "model_version": _version(variant),
                    **({"sample": variant.sample} if variant.sample > 1 else {}),
                    "source": f"probepress synth --seed {seed}",
                    "license": "CC0-1.0",
                    "synthetic": True,
                    "violation": variant.violation,
                    "notes": "Synthetic stand-in: replace with real model output.",
                    "ground_truth": {
                        key: float(value) for key, value in variant.ground_truth.items()
                    },
                }
            )
    models = {
        model: {"versions": {v: {"released": day} for v, day in versions.items()}}
        for model, versions in MODEL_VERSIONS.items()
    }
    return {"models": models, "scenes": scenes, "clips": clips}


def _version(variant: Variant) -> str:
    """The model version a clip stands for: its own, v1 of a dated model, else the synth's."""
    if variant.version is not None:
        return variant.version
    if variant.model in MODEL_VERSIONS:
        return next(iter(MODEL_VERSIONS[variant.model]))
    return f"probepress-synth {SYNTH_VERSION}"
