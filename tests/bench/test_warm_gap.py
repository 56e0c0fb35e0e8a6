"""The site bench names where a warm build's time over the plain build goes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from probepress.bench.site import _mkdocs, _plain_copy
from probepress.bench.warm_gap import _PARTS, warm_gap_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))
from _small_site import render_clips, small_site  # noqa: E402


@pytest.mark.slow
def test_the_gap_is_split_into_probepress_parts_read_from_a_profiled_warm_build(tmp_path):
    root = small_site(tmp_path / "site", render_clips(tmp_path / "clips"))
    _mkdocs(root)  # cold: measures and caches
    plain_root = _plain_copy(root, tmp_path / "plain")
    plain = _mkdocs(plain_root)[0]
    warm = _mkdocs(root)[0]
    lines = warm_gap_lines(root, plain_root, warm, plain)

    rows = {
        cells[0]: (float(cells[1].rstrip("%")), float(cells[2]))
        for line in lines
        if line.startswith("| ") and not line.startswith("| part")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    assert set(rows) == {label for label, _module, _functions in _PARTS} | {"probepress, all parts"}
    # The review and the fences ran in the profiled build: they took time in it.
    review = next(label for label in rows if label.startswith("review"))
    fences = next(label for label in rows if label.startswith("fences"))
    assert rows[review][0] > 0 and rows[fences][0] > 0
    parts = [share for label, (share, _s) in rows.items() if label != "probepress, all parts"]
    assert rows["probepress, all parts"][0] == pytest.approx(sum(parts), abs=0.1 * len(parts))
    assert 0 < rows["probepress, all parts"][0] < 100
    gap = lines[-1]
    assert gap.startswith("- the gap: probepress's own work is about")
    weighed = re.search(
        r"the ([\d.]+) MB of HTML the warm build writes, against the plain build's ([\d.]+) MB", gap
    )
    html = sum(page.stat().st_size for page in (root / "site").rglob("*.html"))
    assert float(weighed.group(1)) == pytest.approx(html / 1e6, abs=0.06)
    # Videos and charts where the plain build has code blocks: more HTML.
    assert float(weighed.group(1)) > float(weighed.group(2))
