"""The plugin's settings: where they live in mkdocs.yml and how a mistake is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import ConfigurationError

from probepress.site.project import find_settings
from probepress.site.settings import PluginNotEnabledError, load_settings, plugin_options

CONFIG = Path("/sites/evals/mkdocs.yml")


@pytest.mark.parametrize(
    "plugins",
    [
        ["search", {"probepress": {"cache_dir": "c"}}],
        {"search": None, "probepress": {"cache_dir": "c"}},
    ],
)
def test_options_are_read_from_a_list_or_a_mapping_of_plugins(plugins):
    assert plugin_options({"plugins": plugins}, CONFIG) == {"cache_dir": "c"}


def test_a_bare_plugin_name_means_every_default():
    settings = load_settings(plugin_options({"plugins": ["blog", "probepress"]}, CONFIG), CONFIG)
    assert settings.root == CONFIG.parent
    assert settings.clips_dir == CONFIG.parent / "assets" / "clips"
    assert settings.cache_dir == CONFIG.parent / ".cache" / "probepress"
    assert (settings.analysis_long_side, settings.workers) == (480, 0)
    assert settings.scheduler is None  # probing in local processes


def test_a_scheduler_address_is_kept_as_written():
    options = {"scheduler": "tcp://10.0.0.5:8786"}
    assert load_settings(options, CONFIG).scheduler == "tcp://10.0.0.5:8786"


def test_a_site_without_the_plugin_is_told_how_to_enable_it():
    with pytest.raises(PluginNotEnabledError, match=r"add `- probepress` under `plugins:`"):
        plugin_options({"plugins": ["search", "blog"]}, CONFIG)


def test_settings_left_under_extra_are_told_where_they_moved():
    with pytest.raises(ConfigurationError, match=r"moved from `extra.probepress` to the plugin"):
        plugin_options(
            {"extra": {"probepress": {"cache_dir": "c"}}, "plugins": ["probepress"]}, CONFIG
        )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"cache_dir": 42},
            "plugins: probepress: cache_dir: expected a path relative to mkdocs.yml, got 42",
        ),
        (
            {"analysis_long_side": 10},
            "analysis_long_side: expected a whole number of pixels, at least 64, got 10",
        ),
        ({"workers": -1}, "workers: expected a whole number of processes, at least 0, got -1"),
        ({"workers": True}, "workers: expected a whole number of processes"),
        ({"max_clip_seconds": 0}, "max_clip_seconds: expected a positive number of seconds, got 0"),
        ({"cache_dri": "x"}, "plugins: probepress: cache_dri: Unrecognised configuration name"),
        ({"scheduler": 8786}, "scheduler: expected a Dask scheduler address such as tcp://"),
        ({"scheduler": "tcp://a b:8786"}, "scheduler: expected a Dask scheduler address"),
    ],
)
def test_a_bad_setting_names_mkdocs_yml_and_the_key(options, message):
    with pytest.raises(ConfigurationError) as error:
        load_settings(options, CONFIG)
    assert str(error.value).startswith(f"{CONFIG}: ")
    assert message in str(error.value)


def test_outside_a_build_a_site_without_the_plugin_reads_the_defaults(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: plain\nplugins:\n  - search\n")
    assert find_settings(tmp_path / "mkdocs.yml").manifest == tmp_path / "assets/clips/clips.yml"
    with pytest.raises(PluginNotEnabledError):
        find_settings(tmp_path / "mkdocs.yml", require_plugin=True)
