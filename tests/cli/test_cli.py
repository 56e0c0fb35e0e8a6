"""``probepress probe`` and ``probepress synth`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from probepress.probes import PROBES
from probepress.synth.encode import write_mp4

PROBEPRESS = str(Path(sys.executable).parent / "probepress")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PROBEPRESS, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(3)
    base = np.kron(rng.integers(0, 255, (45, 80, 3), dtype=np.uint8), np.ones((4, 4, 1), np.uint8))
    frames = np.stack([np.roll(base, 3 * i, axis=1) for i in range(48)])
    write_mp4(folder / "pan.mp4", frames, fps=24, crf=23)
    return folder / "pan.mp4"


def test_probe_json_has_the_documented_shape(clip):
    result = _run("probe", clip.name, "--probe", "flicker", "--json", "--no-cache", cwd=clip.parent)
    data = json.loads(result.stdout)
    (entry,) = data["clips"]
    assert set(entry) == {"path", "sha256", "fps", "frames", "width", "height", "vfr", "probes"}
    assert entry["vfr"] is False
    assert (entry["width"], entry["height"], entry["frames"]) == (320, 180, 48)
    flicker = entry["probes"]["flicker"]
    assert set(flicker) == {"version", "metrics", "error"}
    assert set(flicker["metrics"]) == set(PROBES["flicker"].metric_names)
    assert flicker["error"] is None
    assert result.returncode == 0


def test_probing_outside_a_site_does_not_import_mkdocs(clip):
    # MkDocs costs about 0.1 s of every command's start; `probe` on a folder of clips
    # reads no site config, so it must not pay it (a site's config still does).
    script = (
        "import sys\n"
        "from probepress.cli.main import main\n"
        f"status = main(['probe', {str(clip)!r}, '--probe', 'flicker', '--no-cache'])\n"
        "print('mkdocs' in sys.modules, status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=clip.parent, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False 0", result.stderr


def test_probe_table_lists_metrics_with_units(clip):
    result = _run("probe", clip.name, "--probe", "flicker", "--no-cache", cwd=clip.parent)
    assert result.returncode == 0
    assert "flicker_index" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("probes: 1 run, 0 cached, 0 failed")


def test_truncated_clip_is_one_line_naming_it_and_exit_1(clip, tmp_path):
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(clip.read_bytes()[:3000])
    result = _run("probe", "truncated.mp4", "--json", "--no-cache", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "truncated.mp4" in line]
    assert len(errors) == 1
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["clips"][0]["sha256"] is None


def test_unknown_probe_is_usage_error_with_suggestion(clip):
    result = _run("probe", clip.name, "--probe", "reflexion", cwd=clip.parent)
    assert result.returncode == 2
    assert "Did you mean 'reflection'" in result.stderr


def test_missing_file_is_usage_error(tmp_path):
    result = _run("probe", "nope.mp4", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.mp4: no such file" in result.stderr


def test_comparative_probe_without_reference_says_what_to_pass(clip):
    result = _run("probe", clip.name, "--probe", "motion_mask", cwd=clip.parent)
    assert result.returncode == 2
    assert "--reference" in result.stderr


def test_first_frame_without_an_input_image_says_what_to_pass(clip):
    result = _run("probe", clip.name, "--probe", "first_frame", cwd=clip.parent)
    assert result.returncode == 2
    assert "pass --input IMAGE" in result.stderr


def test_first_frame_measures_a_clip_against_the_input_given(clip, tmp_path):
    from PIL import Image

    from probepress.video.decode import open_clip

    start = open_clip(clip, long_side=10_000).rgb[0]  # the clip's own first frame
    Image.fromarray(start).save(tmp_path / "start.png")
    result = _run(
        "probe", str(clip), "--probe", "first_frame", "--input", "start.png", "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)["clips"][0]["probes"]["first_frame"]["metrics"]
    assert metrics["ssim"] > 0.99 and metrics["best_frame"] == 0
    # The clip pans 3 px a frame: the likeness is soon lost.
    assert 0 < metrics["holds_s"] < 1.0


def test_synth_writes_clips_and_a_manifest_that_loads(tmp_path):
    result = _run("synth", "--out", "clips", "--scene", "ball-drop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "clips" / "ball-drop").glob("*.mp4"))
    takes = ["model-a-v2-2.mp4", "model-a-v2-3.mp4", "model-a-v2.mp4"]  # Model A's v2
    assert written == [*takes, "model-a.mp4", "model-b.mp4", "model-c.mp4", "reference.mp4"]
    manifest = yaml.safe_load((tmp_path / "clips" / "clips.yml").read_text())
    assert "ball-drop" in manifest["scenes"]
    ball_clips = [c for c in manifest["clips"] if c["scene"] == "ball-drop"]
    assert len(ball_clips) == 7
    assert list(manifest["models"]["Model A"]["versions"]) == ["v1", "v2"]


def test_synth_unknown_scene_is_usage_error(tmp_path):
    result = _run("synth", "--out", "clips", "--scene", "volcano", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown scene volcano" in result.stderr


def test_probe_defaults_to_the_scene_probes_of_a_manifest_clip(tmp_path, demo_clips):
    from sitebuild import copy_site

    root = copy_site(tmp_path, with_clips_from=demo_clips)
    result = _run("probe", "assets/clips/ball-drop/reference.mp4", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    probes = json.loads(result.stdout)["clips"][0]["probes"]
    # The scene's probes, then the camera (a fact of every clip), then first_frame: the
    # demo's scenes are image-to-video, their input image named in the manifest.
    assert list(probes) == ["gravity", "motion", "flicker", "camera", "first_frame"]
    assert probes["first_frame"]["metrics"]["ssim"] > 0.95
    assert all(entry["error"] is None for entry in probes.values())


def test_probe_refuses_a_clip_over_max_seconds_by_name(clip):
    result = _run(
        "probe",
        clip.name,
        "--probe",
        "flicker",
        "--no-cache",
        "--max-seconds",
        "1",
        cwd=clip.parent,
    )
    assert result.returncode == 1
    assert "pan.mp4" in result.stderr
    assert "2.0 s long, over the budget of 1 s per clip" in result.stderr


def test_scale_bench_sizes_are_whole_numbers_of_clips(tmp_path):
    result = _run("bench", "--scale", "--scale-n", "40,0", cwd=tmp_path)
    assert result.returncode == 2
    assert "argument --scale-n: 0 is out of range: use 1 to 100000 clips" in result.stderr


def test_max_seconds_must_be_a_positive_number(clip):
    result = _run("probe", clip.name, "--max-seconds", "0", cwd=clip.parent)
    assert result.returncode == 2
    assert "positive number of seconds" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--long-side", "-5"), "argument --long-side: -5 is out of range: use 64 to 4096 pixels"),
        (("--long-side", "0"), "argument --long-side: 0 is out of range"),
        (("--long-side", "1e9"), "argument --long-side: '1e9' is not a whole number"),
        (("--workers", "-1"), "argument --workers: -1 is out of range: use 0 to 256"),
    ],
)
def test_impossible_parameters_are_usage_errors_that_measure_nothing(clip, args, message):
    result = _run("probe", clip.name, "--probe", "flicker", "--no-cache", *args, cwd=clip.parent)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
