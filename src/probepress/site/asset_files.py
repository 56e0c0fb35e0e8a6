"""The front end's files: plotly.js (once per site, from the plotly package) and ours.

Nothing is loaded from another host: plotly.min.js ships inside the plotly Python
package and is served from the site itself, shared by every chart of every page. It is
not listed in the pages: at 4.8 MB it would hold up every page, so probepress-charts.js
fetches it, from beside itself, on pages that have a chart.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import plotly
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

__all__ = ["ASSET_DIR", "add_asset_files", "register_asset_urls"]

ASSET_DIR = "assets/probepress"
_PLOTLY = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _our_files() -> list[Path]:
    folder = resources.files("probepress") / "assets"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".js", ".css")))


def register_asset_urls(config: MkDocsConfig) -> None:
    """Add our scripts and styles to every page (plotly.js comes only with charts)."""
    scripts = [f"{ASSET_DIR}/{p.name}" for p in _our_files() if p.suffix == ".js"]
    styles = [f"{ASSET_DIR}/{p.name}" for p in _our_files() if p.suffix == ".css"]
    present = {str(s) for s in config.extra_javascript}
    config.extra_javascript.extend(s for s in scripts if s not in present)
    config.extra_css.extend(s for s in styles if s not in config.extra_css)


def add_asset_files(files: Files, config: MkDocsConfig) -> None:
    """Serve plotly.min.js and the probepress scripts and styles from the site."""
    for path in [_PLOTLY, *_our_files()]:
        uri = f"{ASSET_DIR}/{path.name}"
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
