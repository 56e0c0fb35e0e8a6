"""Published pages load no code from another host: remote script loaders are removed."""

from __future__ import annotations

from probepress.site.offline_pages import strip_remote_scripts

# The loader mkdocs-jupyter's notebook template puts on every notebook page (abridged).
MERMAID_LOADER = """<script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    if (!diagrams.length) { return; }
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
  });
</script>"""


def test_the_notebook_mermaid_loader_is_removed() -> None:
    page = f"<head><script>var local = 1;</script>{MERMAID_LOADER}</head><body>ok</body>"
    html, removed = strip_remote_scripts(page)
    assert removed == 1
    assert "cdnjs" not in html
    assert "<script>var local = 1;</script>" in html
    assert "<body>ok</body>" in html


def test_scripts_with_a_remote_src_or_static_import_are_removed() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script>'
        '<script src="//cdn.example/y.js"></script>'
        '<script type="module">import x from "https://cdn.example/z.mjs";</script>'
    )
    html, removed = strip_remote_scripts(page)
    assert removed == 3
    assert "cdn.example" not in html


def test_local_scripts_stay() -> None:
    page = (
        '<script src="../assets/probepress/probepress.js"></script>'
        '<script type="module">import x from "./local.mjs"; fetch("https://a.b/c")</script>'
    )
    assert strip_remote_scripts(page) == (page, 0)
