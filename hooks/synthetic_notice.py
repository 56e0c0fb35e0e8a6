"""The demo's own behaviour: say under every post that its clips are synthetic.

Everything probepress does comes from the plugin (``plugins: - probepress``); this
hook is what this site adds on top, and shows how a site extends it: the plugin
attaches each build's state to the config, where ``current(config)`` reads the
manifest and the probe results back. Hooks are listed under ``hooks:`` in mkdocs.yml
and run after the plugins of the same event priority.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from probepress.site.build import current

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    if not page.file.src_uri.startswith("blog/posts/"):
        return None
    manifest = current(config).renderer.manifest
    if manifest is None or not all(clip.synthetic for clip in manifest.clips.values()):
        return None
    return markdown + NOTICE


# -----------------------------------------------------------------------------
# Data
# -----------------------------------------------------------------------------

NOTICE = """

!!! info "Synthetic clips"
    Every clip on this site is a synthetic scene rendered by `probepress synth`, with
    known physics: the Reference is correct and Models A to C are stand-ins with one
    deliberate violation each, not real models.
"""
