"""A site whose settings name a Dask scheduler: built on its workers, or refused by name.

The small site (tests/site/_small_site.py) is built with the real mkdocs, its clips
probed on a real two-worker ``distributed.LocalCluster``.
"""

from __future__ import annotations

import re

import pytest
from _small_site import SCENE, render_clips, site_digest, small_site
from daskcluster import XDIST_GROUP, local_cluster
from sitebuild import build_site

pytestmark = pytest.mark.slow


def _with_scheduler(root, address: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      workers: 2\n", f"      scheduler: {address}\n"))


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return render_clips(tmp_path_factory.mktemp("cluster-site-clips"))


@pytest.mark.xdist_group(XDIST_GROUP)
def test_a_site_probed_on_a_cluster_builds_what_a_local_build_would(tmp_path, clips):
    root = small_site(tmp_path, clips)
    local_config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    with local_cluster() as cluster:
        _with_scheduler(root, cluster.scheduler_address)
        on_cluster = build_site(root)
        # LocalCluster's scheduler runs in this process: it counts what its workers did.
        measured = cluster.scheduler.task_prefixes["probepress-clip"].state_counts["memory"]
    assert on_cluster.returncode == 0, on_cluster.stderr
    assert _probes_run(on_cluster.stderr) > 0
    # Each of the scene's clips (samples and versions too) is one task on the workers.
    assert measured == len(list((root / "assets" / "clips" / SCENE).glob("*.mp4"))) > 1
    built = site_digest(root / "site")
    # The client cached what the workers measured: a local build finds all of it.
    (root / "mkdocs.yml").write_text(local_config, encoding="utf-8")
    local = build_site(root)
    assert local.returncode == 0, local.stderr
    assert _probes_run(local.stderr) == 0
    assert site_digest(root / "site") == built


def _probes_run(log: str) -> int:
    match = re.search(r"probes: (\d+) run, \d+ cached, 0 failed", log)
    assert match, log
    return int(match.group(1))


def test_a_scheduler_nobody_answers_fails_the_build_by_name_without_a_traceback(tmp_path, clips):
    root = small_site(tmp_path, clips)
    _with_scheduler(root, "tcp://127.0.0.1:9")
    result = build_site(root)
    assert result.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "`scheduler` setting under `plugins: - probepress:` in mkdocs.yml" in result.stderr
    assert "Traceback" not in result.stderr
