"""``probepress init`` and ``probepress new`` as a user runs them (the real command)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitebuild import build_site

from probepress.authoring.markdown_scan import FENCE_NAMES, find_fences, find_inline
from probepress.cli.new_post import slugify

PROBEPRESS = str(Path(sys.executable).parent / "probepress")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PROBEPRESS, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "my-evals"
    result = _run("init", str(root), "--title", "My evals", cwd=root.parent)
    assert result.returncode == 0, result.stderr
    return root


def test_init_writes_a_complete_site(site):
    for name in (
        "mkdocs.yml", "README.md", "requirements.txt", ".gitignore",
        ".github/workflows/publish.yml", "docs/index.md", "assets/clips/clips.yml",
        "assets/clips/ball-drop/reference.mp4",
    ):  # fmt: skip
        assert (site / name).is_file(), name
    (post,) = (site / "posts").glob("*.md")
    assert post.name == f"{dt.date.today().isoformat()}-a-first-measured-clip.md"
    names = {fence.name for fence in find_fences(post.read_text(encoding="utf-8"))}
    assert {"clip", "chart", "claim"} <= names
    config = yaml.load((site / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "probepress" in str(config["plugins"]) and config["site_name"] == "My evals"


def test_init_readme_gives_the_commands_to_serve_and_test(site):
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert "mkdocs serve" in readme and "mkdocs build --strict" in readme


def test_init_pins_what_is_installed(site):
    from importlib.metadata import version

    pins = (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"mkdocs-material=={version('mkdocs-material')}" in pins
    assert any(line.startswith("probepress==") for line in pins)


def test_init_workflow_builds_strict_caches_probes_and_deploys(site):
    workflow = yaml.safe_load((site / ".github/workflows/publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("run", "").startswith("mkdocs build"))
    assert build["run"] == "mkdocs build --strict"
    assert build["env"]["PROBEPRESS_PUBLISH"] == "1"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache/probepress"
    assert "hashFiles('assets/clips/**')" in cache["with"]["key"]
    deploy = workflow["jobs"]["deploy"]["steps"]
    assert deploy[0]["uses"].startswith("actions/deploy-pages")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = _run("init", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_writes_into_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = _run("init", str(tmp_path), "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / "notes.txt").read_text() == "mine"


def test_new_writes_a_dated_post_with_an_example_of_every_fence(site):
    result = _run("new", "Does Veo get gravity right?", "--date", "2026-12-01", cwd=site / "docs")
    assert result.returncode == 0, result.stderr
    post = site / "posts" / "2026-12-01-does-veo-get-gravity-right.md"
    text = post.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["date"] == dt.date(2026, 12, 1) and front["description"]
    assert "# Does Veo get gravity right?" in text
    for name in FENCE_NAMES:
        assert f"```{name}" in text, name
    # The examples are commented out: nothing in them is measured or checked.
    assert find_fences(text) == [] and find_inline(text) == []
    # They name the site's own clip.
    assert "src: ball-drop/reference.mp4" in text


def test_new_refuses_to_overwrite_a_post(site):
    args = ("new", "Twice", "--date", "2026-12-02")
    assert _run(*args, cwd=site).returncode == 0
    post = site / "posts" / "2026-12-02-twice.md"
    mine = "---\ndate: 2026-12-02\n---\n\n# Twice\n\nMy own words.\n"
    post.write_text(mine, encoding="utf-8")
    result = _run(*args, cwd=site)
    assert result.returncode == 2
    assert "exists" in result.stderr
    assert post.read_text(encoding="utf-8") == mine


def test_new_outside_a_site_says_where_to_run_it(tmp_path):
    result = _run("new", "Lost", cwd=tmp_path)
    assert result.returncode == 2
    assert "no mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Does Veo 3 get gravity right?", "does-veo-3-get-gravity-right"),
        ("Überraschung!", "uberraschung"),
    ],
)
def test_slugs_are_lowercase_ascii_words(title, slug):
    assert slugify(title) == slug


@pytest.mark.slow
def test_the_new_site_with_a_new_post_builds_strict(site):
    assert _run("new", "Built too", "--date", "2026-12-03", cwd=site).returncode == 0
    result = build_site(site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (site / "site" / "blog" / "2026" / "12" / "03" / "built-too" / "index.html").is_file()


def test_check_in_a_site_without_the_plugin_says_how_to_enable_it(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: plain\nplugins:\n  - search\n")
    result = _run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "add `- probepress` under `plugins:`" in result.stderr
    assert "Traceback" not in result.stderr
