"""The leaderboard: each model's physics agreement per probe, and the page that shows it.

A score is a number in 0..1 per (clip, probe): how well the clip agrees with the
reference clip of its scene on a few headline metrics. Each metric gives a factor by
one of four rules (:class:`Factor`); the score is the product of the probe's factors,
so the reference scores 1.0 by construction. A model's score on a probe is the mean
over the scenes that use the probe. ``None`` means undefined (a failed probe, or a
reference with nothing to compare against).
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import re
from dataclasses import dataclass

from probepress.authoring.escaping import markdown_text, plotly_text
from probepress.authoring.input_pane import input_figure
from probepress.measure.manifest import SceneEntry
from probepress.measure.model_versions import take_label
from probepress.measure.results import LookupProblem, ResultSet
from probepress.probes import PROBES
from probepress.site.clip_provenance import provenance_table, synthetic_banner
from probepress.site.media import input_image_uri
from probepress.site.scoreboard import Leaderboard

__all__ = ["RULES", "Factor", "Leaderboard", "build_leaderboard", "clip_score", "page_markdown"]

DASH = "–"


@dataclass(frozen=True)
class Factor:
    """One metric's contribution to a score, in 0..1.

    Rules (``v`` the clip's value, ``r`` the reference clip's value):

    - ``lower``: lower is better; ``(r + floor) / (v + floor)``, capped at 1. The floor
      is the metric's noise level, so differences far below it do not count.
    - ``higher``: higher is better; ``v / r``, capped at 1.
    - ``match``: closeness to the reference; ``1 - |v - r| / scale`` (at least 0), with
      ``scale = floor`` when given, else ``|r|``.
    - ``absolute``: the value itself, clipped to 0..1 (for metrics already measured
      against the reference); the reference scores 1.
    """

    metric: str
    rule: str
    floor: float = 0.0

    def score(self, value: float, reference: float) -> float | None:
        """The factor for ``value`` given the reference clip's ``reference``."""
        if not (math.isfinite(value) and math.isfinite(reference)):
            return None
        if self.rule == "lower":
            denominator = value + self.floor
            if denominator <= 0:
                return 1.0
            return min(1.0, max(0.0, (reference + self.floor) / denominator))
        if self.rule == "higher":
            return None if reference <= 0 else min(1.0, max(0.0, value / reference))
        if self.rule == "match":
            scale = self.floor or abs(reference)
            return None if scale == 0 else max(0.0, 1.0 - abs(value - reference) / scale)
        if self.rule == "absolute":
            return min(1.0, max(0.0, value))
        raise ValueError(f"unknown rule {self.rule!r}; use lower, higher, match or absolute")

    def describe(self, probe: str) -> str:
        """The rule in words, for the page."""
        unit = _shown_unit(probe, self.metric)
        name = f"`{self.metric}`"
        if self.rule == "lower":
            floor = f"{self.floor:g}"
            return (
                f"{name} lower is better: (ref + {floor}) / (value + {floor}), at most 1"
                f" ({floor}{' ' + unit if unit else ''} is the noise floor)"
            )
        if self.rule == "higher":
            return f"{name} higher is better: value / ref, at most 1"
        if self.rule == "match":
            scale = f"{self.floor:g} {unit}" if self.floor else "|ref|"
            return f"{name} should match the reference: 1 − |value − ref| / {scale}, at least 0"
        return f"{name} as measured against the reference, clipped to 0..1"


#: The factors of each probe's score, multiplied together.
RULES: dict[str, tuple[Factor, ...]] = {
    "rotation": (
        Factor("rigidity_residual_px", "lower", 0.1),
        Factor("angular_velocity_cv", "lower", 0.02),
        Factor("pole_drift_px_s", "lower", 0.5),
    ),
    "reflection": (Factor("symmetry", "higher"), Factor("axis_y", "match", 10.0)),
    "shadow": (
        Factor("direction_spread_deg", "lower", 2.0),
        Factor("sweep_rate_deg_s", "match"),
        Factor("monotonic_fraction", "higher"),
    ),
    "gravity": (Factor("acceleration_px_s2", "match"), Factor("fit_rms_px", "lower", 0.5)),
    "motion": (Factor("high_freq_ratio", "lower", 0.02),),
    "flicker": (Factor("flicker_index", "lower", 0.002),),
    "motion_mask": (Factor("spatiotemporal_iou", "absolute"),),
}


def _unit(probe: str, metric: str) -> str:
    return next((m.unit for m in PROBES[probe].metrics if m.name == metric), "")


def _shown_unit(probe: str, metric: str) -> str:
    """The unit as printed next to a number ("1" means dimensionless: nothing)."""
    unit = _unit(probe, metric)
    return "" if unit == "1" else unit


def _metric(results: ResultSet, clip_id: str, probe: str, metric: str) -> float | None:
    try:
        value = float(results.result(clip_id, probe).metrics[metric])
    except (LookupProblem, KeyError):
        return None
    return value if math.isfinite(value) else None


def clip_score(results: ResultSet, clip_id: str, probe: str) -> float | None:
    """The 0..1 score of ``clip_id`` on ``probe`` against its scene's reference clip."""
    entry = results.clip(clip_id)
    scene = results.manifest.scenes.get(entry.scene)
    if scene is None or scene.reference is None or probe not in RULES:
        return None
    is_reference = clip_id == scene.reference
    score = 1.0
    for factor in RULES[probe]:
        if factor.rule == "absolute" and is_reference:
            continue  # measured against itself: agreement is 1 by definition
        value = _metric(results, clip_id, probe, factor.metric)
        reference = _metric(results, scene.reference, probe, factor.metric)
        part = None if value is None or reference is None else factor.score(value, reference)
        if part is None:
            return None
        score *= part
    return score


def build_leaderboard(results: ResultSet) -> Leaderboard:
    """Score every clip of the manifest on its scene's probes (every sample, every version)."""
    manifest = results.manifest
    models = list(dict.fromkeys(clip.model for clip in manifest.clips.values()))
    used = {p for scene in manifest.scenes.values() for p in scene.probes}
    probes = [p for p in PROBES if p in used]
    scenes: dict[str, dict[str, dict[str, float | None]]] = {}
    for name, scene in manifest.scenes.items():
        scenes[name] = {
            clip.id: {p: clip_score(results, clip.id, p) for p in scene.probes}
            for clip in manifest.clips_of(name)
        }
    return Leaderboard(
        models,
        probes,
        scenes,
        clips={c.id: (c.model, c.model_version) for c in manifest.clips.values()},
        versions={model: manifest.versions_of(model) for model in models},
    )


# -----------------------------------------------------------------------------
# The page
# -----------------------------------------------------------------------------

_INTRO = """\
# Leaderboard

Each cell is a model's **physics agreement** on one probe, from 0 to 1: how closely
its clips agree with the reference clip of the same scene on the probe's headline
metrics, averaged over the scenes that use the probe. The reference clip scores 1 by
construction; 1 means "as good as the reference", 0 "nothing like it".

{banner}
Click a score to watch the clips of the scene where the model did worst; hover it for
every scene's score. All measurements are also published as
<a href="../data/results.json">data/results.json</a> and
<a href="../data/results.csv">data/results.csv</a>.
"""


_VERSIONS_INTRO = """\
### Every version

The table above scores each model's latest version in each scene (by release date when
the manifest dates them). Here every version has its own row, scored on its own clips.
"""


def _anchor(scene: str) -> str:
    """The scene section's id: its name if that is a plain slug, else a slug and a hash."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", scene):
        return f"scene-{scene}"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", scene).strip("-")
    return f"scene-{slug}-{hashlib.sha1(scene.encode()).hexdigest()[:8]}"


def _yaml_text(text: str) -> str:
    """``text`` as a YAML string in a fence body (a JSON string is a YAML one).

    Non-ASCII stays raw: PyYAML reads the surrogate-pair escapes JSON writes for an emoji
    as two broken characters.
    """
    return json.dumps(text, ensure_ascii=False)


def _fmt(score: float | None) -> str:
    return DASH if score is None else f"{score:.2f}"


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 4)


def _data_attribute(value: object) -> str:
    """``value`` as JSON in a raw-HTML attribute of the generated Markdown.

    JSON escapes line breaks, and spaces are written as JSON's unicode escape, so
    :func:`markdown_text` (which folds runs of whitespace) keeps every string whole.
    """
    return markdown_text(json.dumps(value, separators=(",", ":")).replace(" ", "\\u0020"))


def _cell(board: Leaderboard, model: str, probe: str, version: str | None = None) -> str:
    cells = board.cells(model, probe, version)
    mean = board.score(model, probe, version)
    # Each scene's score, for the filters (probepress-leaderboard.js) of the main table.
    per_scene = {cell.scene: _rounded(cell.score) for cell in cells}
    scenes = f' data-pp-scenes="{_data_attribute(per_scene)}"' if version is None else ""
    if mean is None:
        return f'<td data-sort="-1"{scenes}>{DASH}</td>'
    several_versions = version is None and len(board.versions[model]) > 1

    def said(cell) -> str:
        # Which version and how many samples stand behind a scene's score, when not obvious.
        detail = [cell.version] if several_versions and cell.version else []
        detail += [f"mean of {cell.samples} samples"] if cell.samples > 1 else []
        return f"{cell.scene}: {_fmt(cell.score)}" + (f" ({', '.join(detail)})" if detail else "")

    hover = " · ".join(said(cell) for cell in cells)
    worst = min((c.score, c.scene) for c in cells if c.score is not None)[1]
    clips = sum(cell.samples for cell in cells)
    # Shown only when a scene holds several samples: then the mean is over more clips
    # than scenes, and the reader should know how many.
    count = (
        f' <small class="pp-samples" title="{clips} clips behind this score">n={clips}</small>'
        if clips > len(cells)
        else ""
    )
    return (
        f'<td data-sort="{mean:.4f}"{scenes}><a href="#{_anchor(worst)}"'
        f' title="{markdown_text(hover)}">{_fmt(mean)}</a>{count}</td>'
    )


def _table(board: Leaderboard, scenes: list[SceneEntry], *, every_version: bool = False) -> str:
    head = "".join(
        f'<th data-sort-type="number" data-pp-probe="{markdown_text(p)}">{markdown_text(p)}</th>'
        for p in board.probes
    )
    # The scenes to filter by: name, title and the id of the section with their clips.
    choices = _data_attribute([[s.name, s.title, _anchor(s.name)] for s in scenes])
    rows = []
    if every_version:
        for model, version in board.rows():
            # A model of one version is named as in the table above; the others by version.
            several = len(board.versions[model]) > 1
            label = f"{model} {version}" if several and version else model
            cells = "".join(_cell(board, model, p, version) for p in board.probes)
            rows.append(f'<tr><th scope="row">{markdown_text(label)}</th>{cells}</tr>')
    for model in [] if every_version else board.models:
        cells = "".join(_cell(board, model, p) for p in board.probes)
        rows.append(f'<tr><th scope="row">{markdown_text(model)}</th>{cells}</tr>')
    # Filters (probepress-leaderboard.js) and their tests take table.pp-leaderboard to be
    # the main table: the versions table is only sortable.
    kind = "pp-leaderboard-versions pp-sortable" if every_version else "pp-leaderboard"
    filters = "" if every_version else f' data-pp-scenes="{choices}"'
    # Material wraps only class-less tables to scroll sideways on phones; this one
    # has a class (for the sort script), so it comes wrapped.
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">\n'
        f'<table class="{kind}"{filters}>\n'
        '<thead><tr><th data-sort-type="text">Model</th>'
        f"{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
        "</div></div>\n"
    )


# plotly's default colour sequence, the one the site's other charts use.
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"]  # fmt: skip


def _radar(board: Leaderboard, models: list[str], reference_models: set[str], title: str) -> str:
    """A ``plotly`` fence: the scores of ``models`` on every probe, as one radar."""
    theta = [*board.probes, board.probes[0]]
    traces = []
    for model in models:
        r = [_rounded(board.score(model, p)) for p in board.probes]
        # A model keeps its colour from tab to tab.
        color = _PALETTE[board.models.index(model) % len(_PALETTE)]
        traces.append(
            {
                "type": "scatterpolar",
                # The reference is the outer ring (all 1): an outline, so it hides no one.
                **(
                    {"fill": "none", "line": {"dash": "dash", "color": color}}
                    if model in reference_models
                    else {"fill": "toself", "line": {"color": color}}
                ),
                "name": plotly_text(model),
                "r": [*r, r[0]],
                "theta": theta,
            }
        )
    figure = {
        "data": traces,
        "layout": {
            "title": {"text": plotly_text(title)},
            "height": 440,
            "polar": {"radialaxis": {"range": [0, 1]}},
        },
    }
    return f"```plotly\n{json.dumps(figure, allow_nan=False)}\n```\n"


def _radars(board: Leaderboard, reference_models: set[str]) -> str:
    """Tabs: every model on one radar, then one radar per model against the reference."""
    tabs = [("All models", board.models, "Physics agreement by probe (1 = as the reference)")]
    references = [m for m in board.models if m in reference_models]
    for model in board.models:
        if model not in reference_models:
            tabs.append((model, [*references, model], f"{model}: agreement by probe"))
    out = []
    for label, models, title in tabs:
        fence = _radar(board, models, reference_models, title)
        tab = f'=== "{markdown_text(label)}"'
        out += [tab, "", *("    " + line for line in fence.splitlines()), ""]
    return "\n".join(out)


def _rules() -> str:
    lines = ["## How scores are computed", ""]
    for probe, factors in RULES.items():
        rules = "; ".join(f.describe(probe) for f in factors)
        joined = " The score is the product of these factors." if len(factors) > 1 else ""
        lines.append(f"- **{probe}**: {rules}.{joined}")
    lines += [
        "",
        "`ref` is the value measured on the scene's reference clip. A failed probe, or a",
        f"reference without a usable value, leaves the score undefined ({DASH}); a model's",
        "score on a probe is the mean of its defined scores over the scenes.",
        "",
    ]
    return "\n".join(lines)


# Longest scene title put in a generated fence, in characters.
_FENCE_TITLE_MAX = 200


def _fence_title(title: str) -> str:
    """A scene title short enough for a fence (the section heading shows it whole).

    Fences refuse titles over 300 characters; a manifest's title may be longer.
    """
    return title if len(title) <= _FENCE_TITLE_MAX else title[: _FENCE_TITLE_MAX - 1] + "…"


def _players(scene: SceneEntry, clips: list) -> list[str]:
    """Compare fences that play every clip of the scene; a clip fence when it has only one.

    A comparison shows at most six clips, so a scene with more gets several, each with
    the reference first: no clip behind a score is left unplayable.
    """
    overlay = [f"overlay: {scene.probes[0]}"] if scene.probes else []
    if len(clips) == 1:
        return ["```clip", f"src: {_yaml_text(clips[0].file)}", "```", ""]
    reference = [c for c in clips if c.id == scene.reference]
    others = [c for c in clips if c.id != scene.reference]
    per_fence = 6 - len(reference)
    groups = [reference + others[i : i + per_fence] for i in range(0, len(others), per_fence)]
    if len(groups[-1]) == 1:  # a lone clip would make a comparison of one
        groups[-1] = [*groups[-2][-1:], *groups[-1]]
    lines: list[str] = []
    for number, shown in enumerate(groups, start=1):
        part = f" ({number}/{len(groups)})" if len(groups) > 1 else ""
        title = _fence_title(scene.title) + part
        lines += ["```compare", f"title: {_yaml_text(title)}", "clips:"]
        # Labels name version and sample where needed: a fence's clips are a mapping,
        # and two clips under one label would keep only the last.
        lines += [
            f"  {_yaml_text(_fence_title(take_label(clip, clips)))}: {_yaml_text(clip.file)}"
            for clip in shown
        ]
        lines += [*overlay, "```", ""]
    return lines


def _input(scene: SceneEntry, clips: list) -> list[str]:
    """The scene's input image, when no comparison shows it (a scene of one clip)."""
    if scene.input_image is None or len(clips) > 1:
        return []
    # The page is leaderboard/index.html: media/ is one folder up.
    return [input_figure(scene, "../" + input_image_uri(scene.input_image.path)), ""]


def _scene(results: ResultSet, board: Leaderboard, scene: SceneEntry) -> str:
    clips = results.manifest.clips_of(scene.name)
    columns = [(p, f.metric) for p in scene.probes if p in RULES for f in RULES[p]]
    if scene.input_image is not None:  # how faithfully each clip starts from the input
        columns += [("first_frame", "ssim"), ("first_frame", "holds_s")]
    # Manifest strings: escaped for Markdown here, for YAML (JSON strings) in the fences.
    out = [f"## Scene: {markdown_text(scene.title)} {{#{_anchor(scene.name)}}}", ""]
    if scene.prompt:
        out += [f"> {markdown_text(scene.prompt)}", ""]
    out += ["Probes: " + ", ".join(f"[{p}](probes/{p}.md)" for p in scene.probes) + ".", ""]
    # The clips behind the scores (each score in the table above links here).
    out += _input(scene, clips)
    out += _players(scene, clips)
    out += [provenance_table(clips, results.manifest.scenes)]
    # Metrics as rows, models as columns: stays narrow however many probes a scene has.
    reference = markdown_text(scene.reference or DASH)
    out += [
        f"Scene <code>{markdown_text(scene.name)}</code>; reference <code>{reference}</code>."
        " Scores as in the table above.",
        "",
        "| Metric | " + " | ".join(markdown_text(take_label(c, clips)) for c in clips) + " |",
        "|---|" + "---:|" * len(clips),
    ]
    for p, m in columns:
        unit = _shown_unit(p, m)
        values = [_metric(results, clip.id, p, m) for clip in clips]
        cells = [DASH if v is None else f"{v:.4g}" for v in values]
        out.append(f"| `{p}.{m}`{f' ({unit})' if unit else ''} | " + " | ".join(cells) + " |")
    for p in scene.probes:
        cells = [_fmt(board.scenes[scene.name][clip.id].get(p)) for clip in clips]
        out.append(f"| **{p} score** | " + " | ".join(f"**{c}**" for c in cells) + " |")
    out.append("")
    charted = next(
        (
            (p, m)
            for p, m in columns
            if all(_metric(results, c.id, p, m) is not None for c in clips)
        ),
        None,
    )
    if charted is not None:
        p, m = charted
        out += [
            "```chart",
            "kind: bars",
            f"metric: {p}.{m}",
            # The scene's own clips, by id (globs escaped): a scene's name need not be
            # the folder its clips are in.
            f"clips: {json.dumps([glob.escape(clip.id) for clip in clips])}",
            f"title: {p}.{m}" + (f" ({_shown_unit(p, m)})" if _shown_unit(p, m) else ""),
            "```",
            "",
        ]
    return "\n".join(out)


def page_markdown(results: ResultSet) -> str:
    """The Markdown of the generated leaderboard page."""
    board = build_leaderboard(results)
    banner = synthetic_banner(list(results.manifest.clips.values()))
    scenes = list(results.manifest.scenes.values())
    parts = [_INTRO.format(banner=banner), "## Scores", "", _table(board, scenes)]
    if any(len(versions) > 1 for versions in board.versions.values()):
        parts += [_VERSIONS_INTRO, _table(board, scenes, every_version=True)]
    if board.probes:
        manifest = results.manifest
        references = {
            manifest.clips[s.reference].model
            for s in manifest.scenes.values()
            if s.reference in manifest.clips
        }
        parts.append(_radars(board, references))
    parts.append(_rules())
    parts += [_scene(results, board, s) for s in results.manifest.scenes.values()]
    return "\n".join(parts)
