"""Fences and inline values are found with their lines; examples inside fences are not."""

from __future__ import annotations

from probepress.authoring.markdown_scan import (
    annotate_fences,
    find_fences,
    find_inline,
    line_offset,
    replace_inline,
)

PAGE = """\
# Title

Symmetry is {{ lake/a : reflection.symmetry | .2f }} here, `{{ not this }}` in code.

```claim
The reflection follows.
check: lake/a : reflection.symmetry >= 0.85
```

````markdown
```claim
An example in the guide, not a claim.
```
{{ not this either }}
````

!!! note
    ```clip
    src: lake/a.mp4
    ```

```python
print("{{ not a value }}")
```
"""


def test_fences_are_found_with_their_header_line():
    fences = find_fences(PAGE)
    assert [(f.name, f.line) for f in fences] == [("claim", 5), ("clip", 18)]
    assert fences[0].body == "The reflection follows.\ncheck: lake/a : reflection.symmetry >= 0.85"
    assert fences[1].body == "src: lake/a.mp4"


def test_annotation_adds_the_line_to_each_probepress_fence_only():
    annotated = annotate_fences(PAGE).split("\n")
    assert annotated[4] == '```claim pp_line="5"'
    assert annotated[17] == '    ```clip pp_line="18"'
    assert annotated[10] == "```claim"
    assert annotated[21] == "```python"


def test_inline_values_skip_code_spans_and_fences():
    values = find_inline(PAGE)
    assert [(v.text, v.line) for v in values] == [("lake/a : reflection.symmetry | .2f", 3)]


def test_replace_inline_substitutes_in_place():
    out = replace_inline("a {{ x.y }} b {{ z.w|.1f }}\n`{{ k.v }}`", lambda v: f"<{v.text}>")
    assert out == "a <x.y> b <z.w|.1f>\n`{{ k.v }}`"


def test_unclosed_fence_runs_to_the_end_of_the_page():
    assert [f.line for f in find_fences("```claim\ncheck: a.b > 1\n")] == [1]


def test_line_offset_counts_the_front_matter_mkdocs_stripped():
    source = "---\ndate: 2026-01-01\n---\n\n# Title\n"
    assert line_offset(source, "# Title\n") == 4
    assert line_offset("# Title\n", "# Title\n") == 0
    annotated = annotate_fences("```claim\ncheck: a.b > 1\n```", "posts/x.md", offset=4)
    assert annotated.split("\n")[0] == '```claim pp_line="5" pp_page="posts/x.md"'
