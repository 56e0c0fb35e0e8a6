"""A minimal probepress site for tests: what ``probepress init`` writes, built for real.

One scene, one clip, no probe pages in docs/: the case the demo site never shows. The
probe cache is shared by every site made in one test session, so only the first build
measures.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from probepress.cli.init_site import init_site

#: The date init puts on the site's first post, fixed so that its URL is known.
POST_DATE = dt.date(2026, 11, 28)
POST_URL = "blog/2026/11/28/a-first-measured-clip"


def make_minimal_site(root: Path, cache: Path) -> Path:
    """Write the ``probepress init`` site into ``root``, its cache pointed at ``cache``."""
    init_site(root, title="Test evaluations", today=POST_DATE)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "cache_dir: .cache/probepress" in text
    config.write_text(text.replace("cache_dir: .cache/probepress", f"cache_dir: {cache}"))
    return root
