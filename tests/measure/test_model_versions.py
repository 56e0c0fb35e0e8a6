"""Samples and dated model versions in the manifest: loaded, ordered, and checked by line."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from probepress.measure.manifest import ManifestError, load_manifest

FILES = ("drop/ref.mp4", "drop/a1.mp4", "drop/a2.mp4", "drop/a3.mp4", "drop/a-v2.mp4")

MANIFEST = """\
    models:
      Model A:
        versions:
          v2: {released: 2026-11-01}
          v1: {released: 2026-06-01}
    scenes:
      drop:
        title: A dropped ball
        probes: [gravity]
        reference: drop/ref.mp4
    clips:
      - file: drop/ref.mp4
        scene: drop
        model: Reference
      - file: drop/a1.mp4
        scene: drop
        model: Model A
        model_version: v1
      - file: drop/a2.mp4
        scene: drop
        model: Model A
        model_version: v1
        sample: 2
      - file: drop/a3.mp4
        scene: drop
        model: Model A
        model_version: v1
        sample: 3
      - file: drop/a-v2.mp4
        scene: drop
        model: Model A
        model_version: v2
"""


def _write(tmp_path: Path, body: str) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"not decoded by the manifest")
    path = tmp_path / "clips.yml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return str(caught.value)


def test_samples_default_to_1_and_versions_come_in_release_order(tmp_path):
    manifest = load_manifest(_write(tmp_path, MANIFEST))
    assert [c.sample for c in manifest.clips.values()] == [1, 1, 2, 3, 1]
    assert manifest.models["Model A"].versions["v1"].released == datetime.date(2026, 6, 1)
    assert list(manifest.models["Model A"].versions) == ["v1", "v2"]
    assert manifest.versions_of("Model A") == ["v1", "v2"]


def test_without_models_versions_come_in_manifest_order(tmp_path):
    body = MANIFEST.split("    scenes:")[1]
    body = body.replace("version: v1", "version: early").replace("version: v2", "version: later")
    manifest = load_manifest(_write(tmp_path, "    scenes:" + body))
    assert manifest.models == {}
    assert manifest.versions_of("Model A") == ["early", "later"]


def test_two_clips_of_one_sample_are_rejected_naming_both_lines(tmp_path):
    message = _problems(_write(tmp_path, MANIFEST.replace("        sample: 3\n", "")))
    assert (
        "clips.yml:24: clips 'drop/a3.mp4' (line 24) and 'drop/a1.mp4' (line 15) are both "
        "sample 1 of Model A v1 in scene 'drop'; number the takes" in message
    )


def test_a_version_the_model_does_not_list_is_rejected_with_a_suggestion(tmp_path):
    body = MANIFEST.replace("model_version: v2", "model_version: v-2")
    message = _problems(_write(tmp_path, body))
    assert "clips.yml:29: clip 'drop/a-v2.mp4': model_version 'v-2' is not listed" in message
    assert "did you mean 'v2'?" in message


def test_a_version_without_a_release_date_is_rejected_at_its_line(tmp_path):
    message = _problems(_write(tmp_path, MANIFEST.replace("{released: 2026-11-01}", "{}")))
    assert "clips.yml:4: model 'Model A' version 'v2': no `released:` date" in message


def test_a_release_date_that_is_not_a_date_is_rejected(tmp_path):
    message = _problems(_write(tmp_path, MANIFEST.replace("2026-11-01", "November")))
    assert "clips.yml:4: model 'Model A' version 'v2': `released: November`" in message


def test_a_sample_below_1_or_not_a_number_is_rejected(tmp_path):
    assert "`sample` must be 1 or more" in _problems(
        _write(tmp_path, MANIFEST.replace("sample: 2", "sample: 0"))
    )
    assert "`sample` must be a whole number" in _problems(
        _write(tmp_path, MANIFEST.replace("sample: 2", "sample: two"))
    )


def test_a_clip_of_a_listed_model_must_name_its_version(tmp_path):
    message = _problems(_write(tmp_path, MANIFEST.replace("        model_version: v2\n", "")))
    assert "clip 'drop/a-v2.mp4': `models:` lists the versions of 'Model A'" in message
