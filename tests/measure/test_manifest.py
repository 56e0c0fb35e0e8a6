"""The clip manifest loads valid files and rejects bad ones, naming file, line and entry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from probepress.measure.manifest import ManifestError, load_manifest


def _write(
    tmp_path: Path, body: str, files: tuple[str, ...] = ("lake/a.mp4", "lake/b.mp4")
) -> Path:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"not decoded by the manifest")
    path = tmp_path / "clips.yml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


VALID = """\
    scenes:
      lake:
        title: A train crosses a lake
        probes: [reflection, flicker]
        reference: lake/a.mp4
    clips:
      - file: lake/a.mp4
        scene: lake
        model: Reference
        license: CC0-1.0
      - file: lake/b.mp4
        scene: lake
        model: Model B
        model_version: "2026-11"
"""


def _problems(path: Path) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return str(caught.value)


def test_valid_manifest_loads_scenes_and_clips(tmp_path):
    manifest = load_manifest(_write(tmp_path, VALID))
    assert list(manifest.scenes) == ["lake"]
    assert list(manifest.clips) == ["lake/a", "lake/b"]
    assert manifest.scenes["lake"].reference == "lake/a"
    assert manifest.clips["lake/b"].model_version == "2026-11"
    assert manifest.clips["lake/b"].path == (tmp_path / "lake/b.mp4").resolve()
    assert [c.id for c in manifest.clips_of("lake")] == ["lake/a", "lake/b"]


def test_missing_clip_file_is_named_with_its_line(tmp_path):
    path = _write(tmp_path, VALID, files=("lake/a.mp4",))
    message = _problems(path)
    assert "clips.yml:11: clip 'lake/b.mp4': file not found" in message
    assert "probepress synth" in message


def test_duplicate_clip_id_is_rejected(tmp_path):
    body = VALID + "      - file: lake/b.mp4\n        scene: lake\n        model: Model C\n"
    message = _problems(_write(tmp_path, body))
    assert (
        "clips.yml:15: clip 'lake/b.mp4': duplicate clip id 'lake/b' (also at line 11)" in message
    )


def test_unknown_probe_is_rejected_with_a_suggestion(tmp_path):
    message = _problems(_write(tmp_path, VALID.replace("[reflection, flicker]", "[reflecton]")))
    assert (
        "clips.yml:2: scene 'lake': unknown probe 'reflecton'; did you mean 'reflection'?"
        in message
    )


def test_path_escaping_the_clips_folder_is_rejected(tmp_path):
    body = VALID.replace("file: lake/b.mp4", "file: ../../etc/passwd.mp4")
    assert "path escapes the clips folder" in _problems(_write(tmp_path, body))


def test_unknown_key_and_missing_key_are_both_reported(tmp_path):
    body = VALID.replace("model: Model B", "modle: Model B")
    message = _problems(_write(tmp_path, body))
    assert "unknown key 'modle'" in message
    assert "missing 'model'" in message


def test_unknown_scene_and_reference_are_reported(tmp_path):
    body = VALID.replace(
        "scene: lake\n        model: Model B", "scene: sea\n        model: Model B"
    )
    body = body.replace("reference: lake/a.mp4", "reference: lake/z.mp4")
    message = _problems(_write(tmp_path, body))
    assert "unknown scene 'sea'" in message
    assert "reference 'lake/z' is not one of the clips" in message


def test_yaml_syntax_error_names_the_line(tmp_path):
    message = _problems(_write(tmp_path, VALID + "  - file: [unclosed\n"))
    assert message.startswith(str(tmp_path / "clips.yml").lstrip("/")) or "clips.yml:" in message
    assert "not valid YAML" in message


def test_missing_manifest_says_what_to_do(tmp_path):
    assert "manifest not found" in _problems(tmp_path / "clips.yml")


# -----------------------------------------------------------------------------
# Links and the synthetic flag
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"]
)
def test_a_source_url_other_than_http_is_an_error_at_its_line(tmp_path, value):
    body = VALID.replace(
        "        license: CC0-1.0\n", f"        license: CC0-1.0\n        source: '{value}'\n"
    )
    message = _problems(_write(tmp_path, body))
    scheme = value.partition(":")[0]
    assert f"clips.yml:11: clip 'lake/a.mp4': `source` is a {scheme}: URL" in message
    assert "http:// or https://" in message


@pytest.mark.parametrize(
    "value", ["https://example.org/model-card", "http://example.org", "CC-BY-4.0", "Note: by hand"]
)
def test_http_links_and_plain_text_are_accepted_as_license(tmp_path, value):
    body = VALID.replace("license: CC0-1.0", f"license: '{value}'")
    assert load_manifest(_write(tmp_path, body)).clips["lake/a"].license == value


def test_clips_are_not_synthetic_unless_the_manifest_says_so(tmp_path):
    body = VALID.replace(
        "        license: CC0-1.0\n", "        license: CC0-1.0\n        synthetic: true\n"
    )
    clips = load_manifest(_write(tmp_path, body)).clips
    assert clips["lake/a"].synthetic is True
    assert clips["lake/b"].synthetic is False
