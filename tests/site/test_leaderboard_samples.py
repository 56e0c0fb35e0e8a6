"""The leaderboard never drops a clip: samples are averaged and counted, versions shown.

A real site (the ball-drop scene) whose Model A has three samples of v1 (the demo's
Model A, B and C clips, so three different measurements) and a v2 (a copy of the
reference clip). Two clips of one sample are a build error naming both lines.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from _small_site import render_clips, small_site
from sitebuild import build_site
from test_leaderboard import DASH, _FakeResults, _TableParser

from probepress.measure.manifest import load_manifest
from probepress.site.leaderboard import build_leaderboard

MODELS = {
    "Model A": {"versions": {"v1": {"released": "2026-06-01"}, "v2": {"released": "2026-11-01"}}}
}
TAKES = {"model-a": 1, "model-b": 2, "model-c": 3}  # demo clip -> sample of Model A v1


class _Plain(yaml.SafeDumper):
    """Writes a value shared by two entries out twice: the manifest refuses aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _manifest(root: Path, *, samples: bool = True) -> Path:
    """Rewrite the small site's manifest: Model A v1 in three samples, and a v2."""
    clips_dir = root / "assets" / "clips"
    shutil.copy2(clips_dir / "ball-drop/reference.mp4", clips_dir / "ball-drop/model-a-v2.mp4")
    manifest = yaml.safe_load((clips_dir / "clips.yml").read_text(encoding="utf-8"))
    # The demo's own Model A v2 takes are left out: this test makes its own versions.
    kept = ("reference", *TAKES)
    reference, *others = [c for c in manifest["clips"] if Path(c["file"]).stem in kept]
    for clip in others:
        clip.update(model="Model A", model_version="v1")
        if samples:
            clip["sample"] = TAKES[Path(clip["file"]).stem]
    v2 = {
        **reference,
        "file": "ball-drop/model-a-v2.mp4",
        "model": "Model A",
        "model_version": "v2",
    }
    manifest = {"models": MODELS, **manifest, "clips": [reference, *others, v2]}
    (clips_dir / "clips.yml").write_text(yaml.dump(manifest, Dumper=_Plain, sort_keys=False))
    return clips_dir / "clips.yml"


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    return render_clips(tmp_path_factory.mktemp("samples-clips"))


@pytest.fixture(scope="module")
def site(tmp_path_factory, clips: Path) -> Path:
    root = small_site(tmp_path_factory.mktemp("samples-site") / "s", clips)
    _manifest(root)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    return root


def _tables(page: str) -> list[dict[str, dict[str, str]]]:
    """Each leaderboard table's cells by row label, then probe (text of the cell)."""
    tables = []
    for chunk in re.split(r'<table class="(?=pp-leaderboard)', page)[1:]:
        parser = _TableParser()
        # The parser reads a table.pp-leaderboard: the versions table is read as one too.
        body = chunk.split("</table>")[0].replace("pp-leaderboard-versions", "pp-leaderboard", 1)
        parser.feed('<table class="' + body + "</table>")
        header, *rows = parser.rows
        tables.append({row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows})
    return tables


def test_three_samples_are_averaged_counted_and_none_is_dropped(site):
    page = (site / "site" / "leaderboard" / "index.html").read_text(encoding="utf-8")
    latest, every = _tables(page)
    manifest = load_manifest(site / "assets/clips/clips.yml", site / "assets/clips")
    data = json.loads((site / "site" / "data" / "results.json").read_text(encoding="utf-8"))
    metrics = {
        (clip["id"], probe): outcome["metrics"] if outcome["error"] is None else None
        for clip in data["clips"]
        for probe, outcome in clip["probes"].items()
    }
    board = build_leaderboard(_FakeResults(manifest, metrics))
    samples = [board.scenes["ball-drop"][f"ball-drop/{n}"]["gravity"] for n in TAKES]
    assert len({round(s, 2) for s in samples}) == 3, samples  # three different clips
    mean = sum(samples) / 3
    # Every version: v1 is the mean of its three samples, said to be over 3 clips.
    assert list(every) == ["Reference", "Model A v1", "Model A v2"]
    assert every["Model A v1"]["gravity"] == f"{mean:.2f} n=3"
    assert every["Model A v2"]["gravity"] == "1.00"
    # Latest (the default): Model A is its v2, released after v1.
    assert list(latest) == ["Reference", "Model A"]
    assert latest["Model A"]["gravity"] == "1.00"
    assert all(
        text == DASH or re.fullmatch(r"[01]\.\d\d( n=\d+)?", text)
        for text in latest["Model A"].values()
    )


def test_the_scene_section_plays_and_tabulates_every_sample(site):
    page = (site / "site" / "leaderboard" / "index.html").read_text(encoding="utf-8")
    section = page.split('id="scene-ball-drop"', 1)[1]
    panes = re.findall(r'<figure class="pp-pane" data-pp-clip="([^"]+)"', section)
    assert sorted(panes) == sorted(
        ["ball-drop/reference", *(f"ball-drop/{n}" for n in TAKES), "ball-drop/model-a-v2"]
    )
    for label in ("Model A v1 #1", "Model A v1 #2", "Model A v1 #3", "Model A v2"):
        # In the metric table (Markdown escapes "#") and on the players.
        assert f">{label.replace('#', '&#35;')}<" in section, label
        assert f">{label} <" in section, label


def test_two_clips_of_one_sample_fail_the_build_naming_both_lines(tmp_path, clips):
    root = small_site(tmp_path / "s", clips)
    manifest = _manifest(root, samples=False)
    before = manifest.read_bytes()
    result = build_site(root)
    assert result.returncode != 0
    lines = {c["file"]: n for n, c in _clip_lines(manifest)}
    a, b = lines["ball-drop/model-a.mp4"], lines["ball-drop/model-b.mp4"]
    assert (
        f"clips.yml:{b}: clips 'ball-drop/model-b.mp4' (line {b}) and 'ball-drop/model-a.mp4' "
        f"(line {a}) are both sample 1 of Model A v1 in scene 'ball-drop'" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert manifest.read_bytes() == before and not (root / "site").exists()


def _clip_lines(manifest: Path):
    """(line, entry) of each clip entry of the manifest, lines 1-based."""
    text = manifest.read_text(encoding="utf-8").splitlines()
    entries = yaml.safe_load("\n".join(text))["clips"]
    starts = [n for n, line in enumerate(text, start=1) if line.startswith("- file:")]
    return list(zip(starts, entries, strict=True))


def test_open_data_says_which_sample_and_when_its_version_came_out(site):
    data = json.loads((site / "site" / "data" / "results.json").read_text(encoding="utf-8"))
    clips = {clip["id"]: clip for clip in data["clips"]}
    for name, sample in TAKES.items():
        assert clips[f"ball-drop/{name}"]["sample"] == sample
        assert clips[f"ball-drop/{name}"]["released"] == "2026-06-01"
    assert clips["ball-drop/model-a-v2"]["released"] == "2026-11-01"
    assert clips["ball-drop/reference"]["released"] is None  # its model is not dated
