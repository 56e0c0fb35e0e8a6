"""Sampling a compare player's clock in the browser, for tests/frontend and tests/browser.

The rule the player keeps ("one clock"): at every moment while it plays, every pane
is within one frame of the player's clock, or the player is waiting (every pane
paused) for a pane that stalled. ``sample_playback`` plays a player and records, every
25 ms, the clock, each pane's time and state; ``out_of_step`` returns the samples that
break the rule, and ``table`` prints them for a failure message.
"""

from __future__ import annotations

#: The most a pane may be from the clock while playing, in frames.
ONE_FRAME = 1.0

# One sample of player `el`: its clock and waiting state, each pane's time, paused,
# seeking and readyState. Distances are computed here from the panes' own
# currentTime (clamped to a shorter clip's last frame), not taken from the player.
SAMPLE = """(el) => {
  const player = el.ppPlayer;
  const fps = Number(el.dataset.ppFps);
  const clock = player.clock();
  const panes = player.videos.map(v => ({
    frame: v.currentTime * fps, paused: v.paused, seeking: v.seeking, ready: v.readyState,
    off: Math.abs(v.currentTime - Math.min(clock, v.duration - 0.5 / fps)) * fps}));
  return {clock: clock * fps, waiting: player.waiting(), panes,
          spinner: Boolean(el.querySelector('.pp-buffering:not([hidden])')),
          drift: Math.max(...panes.map(p => p.off)), allPaused: panes.every(p => p.paused)};
}"""

# Plays player number `nth` of `selector` from where it is and samples it every 25 ms or more until its
# clock has gone `seconds` further and at least `minimum` samples were taken (a loaded
# machine runs fewer callbacks), for at most `timeoutMs`; then pauses it. Resolves to
# {samples, clockAdvance (s), playing (still, at the end)}.
#
# Samples are taken on animation frames, each right after the player's own check
# (`ppPlayer.check()`, what it does on every animation frame): a six times slower CPU
# on a busy machine freezes the page's main thread for up to a second at any point,
# between two callbacks too, and nothing in the page can act meanwhile, the player
# included; so the rule is judged on what the player does with what it sees.
SAMPLE_PLAYBACK = (
    """async ([selector, nth, seconds, minimum, timeoutMs]) => {
  const el = document.querySelectorAll(selector)[nth];
  const player = el.ppPlayer;
  const sample = """
    + SAMPLE
    + """;
  const from = player.clock();
  player.play();
  const start = performance.now();
  const samples = [];
  await new Promise((resolve) => {
    let last = -Infinity;
    const onFrame = (now) => {
      if ((player.clock() - from >= seconds && samples.length >= minimum)
          || now - start >= timeoutMs) return resolve();
      if (now - last >= 25) {
        last = now;
        player.check();
        samples.push({at: Math.round(performance.now() - start), ...sample(el)});
      }
      requestAnimationFrame(onFrame);
    };
    requestAnimationFrame(onFrame);
  });
  const playing = player.videos.some(v => !v.paused) || player.waiting();
  const clockAdvance = player.clock() - from;
  player.pause();
  return {samples, clockAdvance, playing};
}"""
)


def sample_playback(
    page,
    selector: str,
    *,
    nth: int = 0,
    seconds: float = 2.0,
    minimum: int = 40,
    timeout_ms: int = 20000,
) -> dict:
    """Play player number ``nth`` of ``selector`` and sample its clock (see SAMPLE_PLAYBACK)."""
    return page.evaluate(SAMPLE_PLAYBACK, [selector, nth, seconds, minimum, timeout_ms])


def out_of_step(samples: list[dict]) -> list[dict]:
    """The samples where a pane is over one frame from the clock and the player plays on."""
    return [s for s in samples if s["drift"] > ONE_FRAME and not (s["waiting"] and s["allPaused"])]


def table(samples: list[dict]) -> str:
    """One line per sample: time, clock, state and each pane (frame, P=paused, S=seeking)."""
    lines = ["   ms   clock  state    drift  panes (frame, flags, readyState)"]
    for s in samples:
        state = "waiting" if s["waiting"] else "playing"
        panes = "  ".join(
            f"{p['frame']:7.2f}{'P' if p['paused'] else ' '}{'S' if p['seeking'] else ' '}{p['ready']}"
            for p in s["panes"]
        )
        lines.append(f"{s['at']:5d} {s['clock']:7.2f}  {state}  {s['drift']:5.2f}  {panes}")
    return "\n".join(lines)
