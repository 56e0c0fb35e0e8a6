"""axe-core in the real browser: run it on a page, keep what probepress owns.

``make test`` installs axe-core from npm (pinned in the Makefile) into .cache/axe; the
test injects its axe.min.js into each page. Violations inside markup that Material,
mkdocs-jupyter or Pygments make, and that probepress cannot change, are listed in
``NOT_OURS`` by rule and precise selector, each with why; a violation inside an element
of probepress's own (a ``pp-`` class) is never excluded, whatever the list says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@dataclass(frozen=True)
class NotOurs:
    """A rule's violations inside markup that probepress does not make."""

    rule: str
    selector: str
    why: str


NOT_OURS = (
    NotOurs("aria-dialog-name", ".md-search",
            "Material's search overlay is role=dialog with no name"),
    NotOurs("aria-progressbar-name", ".md-progress",
            "Material's instant-navigation progress bar has no name"),
    NotOurs("region", ".md-progress",
            "Material puts its progress bar outside every landmark"),
    NotOurs("color-contrast", ".md-tabs__link",
            "Material's navigation tabs: #c6cbe9 on the indigo header, 4.28:1"),
    NotOurs("color-contrast", ".md-copyright",
            "Material's footer text at its lighter foreground, under 4.5:1"),
    NotOurs("color-contrast", ".highlight .c1, .highlight .nv",
            "Material's code highlighting: comments #717171 on #f5f5f5 (4.47:1), "
            "YAML keys in its variable colour"),
    NotOurs("color-contrast", ".jp-Notebook .highlight-ipynb, .jp-Notebook .jp-OutputPrompt",
            "mkdocs-jupyter's notebook theme: Pygments colours and grey prompts"),
    NotOurs("link-in-text-block", ".md-content .md-typeset a",
            "Material tells links in prose from text by colour only (its link colour)"),
    NotOurs("landmark-unique", ".md-post > .md-nav--primary, .md-post__authors",
            "Material's blog post sidebar: navigation and author asides with no names"),
    NotOurs("landmark-unique", ".md-code__nav",
            "Material's code-copy navigation, one unnamed nav per code block"),
    NotOurs("scrollable-region-focusable", ".md-typeset__scrollwrap",
            "Material wraps a wide Markdown table in a scrolling div it makes unfocusable"),
    NotOurs("scrollable-region-focusable", ".jp-Notebook .highlight-ipynb",
            "mkdocs-jupyter's code cells scroll sideways without focus"),
)  # fmt: skip

# Runs axe on the page; returns the violations outside NOT_OURS, or inside pp- markup.
_RUN = """async (notOurs) => {
  const ours = (el) => !!el.closest('[class^="pp-"], [class*=" pp-"]');
  const excused = (rule, el) => !ours(el)
      && notOurs.some(([r, selector]) => r === rule && el.closest(selector));
  const result = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
  return result.violations.flatMap((violation) => violation.nodes
      .filter((node) => !(node.element && excused(violation.id, node.element)))
      .map((node) => ({rule: violation.id, impact: violation.impact, help: violation.help,
                       target: node.target.join(' '), html: node.html.slice(0, 160)})));
}"""


def axe_violations(page) -> list[dict[str, str]]:
    """The page's axe violations that probepress owns (axe injected first)."""
    if not AXE_JS.exists():
        pytest.fail(f"the accessibility test needs axe-core at {AXE_JS}: run `make axe`")
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, [[n.rule, n.selector] for n in NOT_OURS])


def described(path: str, violations: list[dict[str, str]]) -> str:
    """One line per violation: page, rule, impact, target and the element's start."""
    return "\n".join(
        f"{path or '/'}: {v['rule']} ({v['impact']}) at {v['target']}: {v['help']}\n    {v['html']}"
        for v in violations
    )
