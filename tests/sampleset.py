"""Real measurements of several samples and two versions of one model, for reference and chart tests.

The synth ball-drop clips, probed for real (gravity only): Model A v1 has three samples
(the demo's Model A, B and C clips: three different falls) and v2 one (a copy of the
reference clip).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

from probepress import synth
from probepress.measure.manifest import load_manifest
from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.results import ResultSet

MANIFEST = """\
models:
  Model A:
    versions:
      v1: {released: 2026-06-01}
      v2: {released: 2026-11-01}
scenes:
  ball-drop:
    title: A ball dropped in a room
    probes: [gravity]
    reference: ball-drop/reference.mp4
clips:
- {file: ball-drop/reference.mp4, scene: ball-drop, model: Reference}
- {file: ball-drop/model-a.mp4, scene: ball-drop, model: Model A, model_version: v1}
- {file: ball-drop/model-b.mp4, scene: ball-drop, model: Model A, model_version: v1, sample: 2}
- {file: ball-drop/model-c.mp4, scene: ball-drop, model: Model A, model_version: v1, sample: 3}
- {file: ball-drop/a-v2.mp4, scene: ball-drop, model: Model A, model_version: v2}
"""


def sample_results(root: Path) -> ResultSet:
    """Render, list and probe the clips above under ``root``; the build's results."""
    clips = root / "clips"
    synth.generate(clips, scenes=["ball-drop"])
    shutil.copy2(clips / "ball-drop/reference.mp4", clips / "ball-drop/a-v2.mp4")
    (clips / "clips.yml").write_text(MANIFEST, encoding="utf-8")
    manifest = load_manifest(clips / "clips.yml", clips)
    settings = SimpleNamespace(
        cache_dir=root / "cache",
        workers=1,
        analysis_long_side=480,
        max_clip_seconds=600.0,
        scheduler=None,  # local processes, not a Dask cluster
    )
    return run_probe_phase(manifest, settings)[0]
