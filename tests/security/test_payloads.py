"""Nothing from a manifest or a post runs, requests another host or becomes a link.

The payload site (conftest.py) puts script tags, event handlers, ``javascript:`` URLs,
SVG with onload, plotly label markup, ``</script>`` and quote-breaking strings in every
field a page shows. Every generated page is opened in Chromium: the test fails on any
dialog, any payload that ran, any element or link made from a payload, any request
off the site, any console error; and it checks that the payloads are still shown, as text.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from _payload_site import BROKEN_URL, EVIL_HOST, PWNED, fence_payload, payload
from browserkit import CHARTS_DRAWN, open_page
from sitebuild import build_site, copy_site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("payload-site")]

# Fences whose fields carry the shorter payload (fence texts are bounded).
FENCE_FIELDS = {"bars", "clip", "compare", "montage", "heatmap", "radar"}

# Everything on the page that a payload could have made, as a list of problems.
DOM_PROBLEMS = f"""() => {{
  const problems = [];
  if (window.{PWNED}) problems.push(`payload ran: ${{window.{PWNED}}}`);
  for (const el of document.querySelectorAll('*')) {{
    for (const attr of el.attributes) {{
      if (/^on/i.test(attr.name)) problems.push(`<${{el.localName}}> has ${{attr.name}}`);
      if (/href$|^src$|action$/i.test(attr.name)) {{
        const url = new URL(attr.value, location.href);
        // What loads an image or a video may be a blob or data URL (plotly draws
        // heatmaps as a data: <image>); a link or a form only goes over http(s).
        const loads = attr.name === 'src' || el.localName === 'image';
        const allowed = loads ? ['http:', 'https:', 'blob:', 'data:'] : ['http:', 'https:'];
        if (!allowed.includes(url.protocol))
          problems.push(`<${{el.localName}} ${{attr.name}}="${{attr.value}}">`);
      }}
    }}
  }}
  const made = 'img[src="x"], img[src*="{EVIL_HOST}"], circle[r="1"], '
    + '[style*="{EVIL_HOST}"], iframe, object, embed, svg a, .pp-chart a';
  for (const el of document.querySelectorAll(made))
    problems.push(`element made from a payload: ${{el.outerHTML.slice(0, 120)}}`);
  for (const el of document.querySelectorAll('a, b'))
    if (/^(js link|md link|quote)$/.test(el.textContent.trim()))
      problems.push(`<${{el.localName}}> made from a payload: ${{el.textContent}}`);
  for (const el of document.querySelectorAll('script'))
    if (el.textContent.includes('{PWNED}')) problems.push('a payload <script> is in the page');
  return problems;
}}"""

# Text as a reader sees it (one space for any run of whitespace).
PAGE_TEXT = "() => document.body.textContent.replace(/\\s+/g, ' ')"


def _visit(context, url: str) -> tuple[list[str], str]:
    """Open ``url``, draw and hover its charts; the problems found and the page's text."""
    page, log = open_page(context)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(url)
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        # plotly draws hover labels (label markup included) only under the pointer.
        for chart in page.locator(".pp-chart").all():
            if chart.is_visible():
                chart.hover()
                page.wait_for_timeout(50)
        problems = page.evaluate(DOM_PROBLEMS) + [f"dialog: {m}" for m in dialogs]
        text = page.evaluate(PAGE_TEXT)
    finally:
        page.close()
    # Chromium asks for /favicon.ico beside a document that is not HTML (the JSON files);
    # the site's pages name their own icon, and the site has none at its root.
    log.errors[:] = [e for e in log.errors if not e.endswith("/favicon.ico")]
    try:
        log.assert_clean()
    except AssertionError as error:
        problems.append(str(error))
    return problems, text


def _shown(field: str) -> str:
    text = fence_payload(field) if field.split(".")[0] in FENCE_FIELDS else payload(field)
    return re.sub(r"\s+", " ", text)


def test_the_site_has_the_pages_to_attack(payload_site):
    pages = payload_site.pages
    for expected in ("", "blog/", "leaderboard/", "claims/"):
        assert expected in pages
    assert any(p.startswith("blog/2026/11/28/") for p in pages)


def test_no_page_runs_links_or_loads_a_payload(payload_site, browser_context):
    failures = {}
    for path in payload_site.pages:
        problems, _text = _visit(browser_context, payload_site.url + path)
        if problems:
            failures[path or "/"] = problems
    assert not failures, failures


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (
            "leaderboard/",
            ["ball-drop.title", "ball-drop.prompt", "ball-drop/model-a.model", "creature.name"],
        ),
        ("claims/", ["claim.statement"]),
    ],
)
def test_payloads_are_shown_as_text(payload_site, browser_context, path, fields):
    problems, text = _visit(browser_context, payload_site.url + path)
    assert not problems
    for field in fields:
        assert _shown(field) in text, field


def test_post_shows_its_payloads_as_text(payload_site, browser_context):
    post = next(p for p in payload_site.pages if p.startswith("blog/2026/11/28/"))
    problems, text = _visit(browser_context, payload_site.url + post)
    assert not problems
    for field in ("clip.caption", "compare.title", "compare.label", "montage.caption"):
        assert _shown(field) in text, field
    assert _shown("claim.statement") in text


@pytest.mark.parametrize("name", ["results.json", "claims.json"])
def test_open_data_json_runs_nothing(payload_site, browser_context, name):
    problems, text = _visit(browser_context, f"{payload_site.url}data/{name}")
    assert not problems
    assert PWNED in text  # the payloads are there, as data


def test_open_data_csv_has_no_formula_and_numbers_stay_numbers(payload_site):
    text = (payload_site.folder / "data" / "results.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    versions = {row["model_version"] for row in rows if row["clip"] == "creature/model-b"}
    assert versions == {f'\'=HYPERLINK("http://{EVIL_HOST}/x","open")'}
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for key, cell in
                       row.items() if key != "value"), row  # fmt: skip
        if row["value"]:
            float(row["value"])  # a number, not text with a quote


def test_sources_link_only_over_http_and_safely(payload_site, browser_context):
    page, log = open_page(browser_context)
    page.goto(payload_site.url + "leaderboard/")
    links = page.evaluate("""() => [...document.querySelectorAll('.pp-clip-provenance a')]
        .map(a => ({href: a.href, rel: a.rel, text: a.textContent}))""")
    cells = page.locator(".pp-clip-provenance td").all_text_contents()
    page.close()
    log.assert_clean()
    assert len(links) == 7  # every clip's source but the one that breaks its quotes
    for link in links:
        assert re.fullmatch(r"https://example\.org/[\w/-]+", link["href"]), link
        assert link["text"] == link["href"]
        assert "noopener" in link["rel"] and "nofollow" in link["rel"]
    assert BROKEN_URL in cells


def test_stand_in_banner_names_only_the_synthetic_clips(payload_site, browser_context, artifacts):
    page, log = open_page(browser_context)
    page.goto(payload_site.url + "leaderboard/")
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    page.screenshot(path=artifacts / "payload-leaderboard.png", full_page=True)
    banners = page.locator(".admonition.warning").all_text_contents()
    footer = page.locator(".md-copyright").text_content()
    page.close()
    log.assert_clean()
    assert len(banners) == 1
    banner = re.sub(r"\s+", " ", banners[0])
    assert "4 of the 8 clips" in banner
    for model in ("ball-drop/model-a.model", "ball-drop/model-b.model"):
        assert _shown(model) in banner
    assert "creature/model-a.model" not in banner
    assert "Reference: " + _shown("ball-drop.name") in banner  # its creature clip is real
    assert "synthetic" not in footer.lower()


def test_a_javascript_source_fails_the_build_at_its_manifest_line(tmp_path, demo_clips):
    root = copy_site(tmp_path, with_clips_from=demo_clips)
    manifest = root / "assets" / "clips" / "clips.yml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("source: probepress synth --seed 0", "source: javascript:alert(1)", 1)
    manifest.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  source: javascript:alert(1)") + 1
    result = build_site(root)
    assert result.returncode != 0
    assert f"clips.yml:{line}: clip 'train-lake/reference.mp4': `source` is a javascript: URL" in (
        result.stderr
    )
    assert not (root / "site" / "leaderboard" / "index.html").exists()
