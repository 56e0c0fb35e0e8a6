"""Real measurements for the claim tests: the synth ball-drop room, probed for real."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from probepress import synth
from probepress.measure.manifest import load_manifest
from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.results import ResultSet

# Gravity measures the falling ball; reflection finds the room's symmetric picture but
# no reflection of what moves, so it fails: one valid and one invalid result.
MANIFEST = """\
scenes:
  ball-drop:
    title: A ball dropped in a room
    probes: [gravity, reflection]
    reference: ball-drop/reference.mp4
clips:
- file: ball-drop/reference.mp4
  scene: ball-drop
  model: Reference
"""


@pytest.fixture(scope="session")
def ball_results(tmp_path_factory: pytest.TempPathFactory) -> ResultSet:
    """The build's results for one real clip (the synth ball-drop reference)."""
    root = tmp_path_factory.mktemp("ball-results")
    clips = root / "clips"
    synth.generate(clips, scenes=["ball-drop"])
    manifest_path = clips / "clips.yml"
    manifest_path.write_text(MANIFEST, encoding="utf-8")
    manifest = load_manifest(manifest_path, clips)
    settings = SimpleNamespace(
        cache_dir=root / "cache",
        workers=1,
        analysis_long_side=480,
        max_clip_seconds=600.0,
        scheduler=None,
    )
    results, _report = run_probe_phase(manifest, settings)
    return results


@pytest.fixture
def clips_root(ball_results: ResultSet) -> Path:
    """Where the clips of :func:`ball_results` live."""
    return ball_results.manifest.clips_dir
