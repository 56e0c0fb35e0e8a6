/*
 * probepress front end: one clock for the panes of a compare player.
 *
 * `probepress.createClock(videos, {fps, onChange})` keeps several videos on one
 * clock, on a loaded machine too. Each video decodes and presents on its own
 * media clock; a player that only re-seeks the ones that drift makes them drift
 * further under load (a seek during playback takes longer than the frame it
 * aims for). So the panes are steered, never chased:
 *
 * - The clock is the slowest pane that is still playing: the player never shows
 *   a frame some pane cannot show yet.
 * - A pane ahead of it is slowed by a small playbackRate nudge (at most
 *   MAX_NUDGE), which brings it back within a fraction of a second, smoothly.
 * - A pane more than HOLD_FRAMES ahead (panes start some milliseconds apart on
 *   a busy machine) is held: paused, which costs nothing and keeps its frame,
 *   until the clock reaches it.
 * - A pane more than WAIT_FRAMES ahead, or any pane that stalls (a `waiting` or
 *   `stalled` event, readyState below HAVE_FUTURE_DATA, a pause or seek the
 *   clock did not ask for) stops the clock: the player *waits*. Every pane
 *   pauses on the slowest one's time, the ones further than half a frame from
 *   it seek there, and once all have data all start again in one task. A wait
 *   that comes back soon after a start waits longer next time.
 *
 * States: "paused" (the reader paused, or the end), "waiting" (playing, but held
 * for a pane), "running". Times are seconds; a clip shorter than the others
 * stays on its last frame (its centre) once the clock passes its end.
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  if (pp.createClock) return;

  const HAVE_FUTURE_DATA = 3;
  const HOLD_FRAMES = 0.6; // ahead by more than this: pause that pane until the clock is there
  const WAIT_FRAMES = 1; // ahead by more than this: wait and realign every pane
  const ALIGN_FRAMES = 0.5; // while waiting, a pane further than this is seeked
  const DEADBAND_FRAMES = 0.1; // ahead by less than this: no nudge
  const NUDGE_PER_SECOND = 2; // a lead of 20 ms slows a pane by 4 %: closed in ~0.5 s
  const MAX_NUDGE = 0.1; // the most a pane is slowed: 10 %, hardly visible
  const BACKOFF_MS = [0, 100, 250, 500, 1000]; // waits soon after a start wait longer
  const STEADY_MS = 1000; // running this long without a wait resets the back-off
  const EVENTS = ["waiting", "stalled", "pause", "playing", "seeking", "seeked", "canplay",
    "canplaythrough", "ended", "emptied", "error"];

  /**
   * Keep `videos` on one clock.
   *
   * Returns `{state, time(), drift(), play(), pause(), seek(t), setRate(r), check(),
   * destroy()}`; `onChange(state)` is called on every change of state.
   */
  function createClock(videos, { fps, onChange = () => {} }) {
    const frame = 1 / fps;
    const clock = { state: "paused" };
    let held = 0.5 * frame; // the clock's time while it is not running
    let rate = 1; // the reader's speed; nudges are relative to it
    let strikes = 0; // waits that came soon after a start, for the back-off
    let resumeAt = 0; // performance.now() before which a wait does not end
    let startedAt = -Infinity; // performance.now() of the last start
    const holds = new Set(); // panes paused ahead of the clock until it reaches them

    /** A time no later than the centre of the last frame of `video`. */
    function within(video, time) {
      return video.duration ? Math.min(time, video.duration - 0.5 * frame) : time;
    }

    /** True when `video` has nothing more to play at `time` (or cannot play). */
    function done(video, time) {
      return Boolean(video.error) || video.ended
        || (video.duration > 0 && time >= video.duration - 0.5 * frame);
    }

    /** The slowest pane still playing, or the held time. */
    clock.time = () => {
      if (clock.state !== "running") return held;
      let slowest = Infinity;
      for (const video of videos) {
        if (!video.seeking && !done(video, video.currentTime)) {
          slowest = Math.min(slowest, video.currentTime);
        }
      }
      return Number.isFinite(slowest) ? slowest : held;
    };

    /** The worst distance of a pane from the clock, in frames. */
    clock.drift = () => {
      const time = clock.time();
      let worst = 0;
      for (const video of videos) {
        if (video.error) continue;
        worst = Math.max(worst, Math.abs(video.currentTime - within(video, time)));
      }
      return worst * fps;
    };

    function setState(next) {
      if (clock.state === next) return;
      clock.state = next;
      onChange(next);
    }

    /** Seek `video` to `time` (clamped to its last frame). */
    function seekPane(video, time) {
      if (!video.error) video.currentTime = within(video, time);
    }

    /** Pause every pane at the clock's speed (nudges undone). */
    function stopAll() {
      holds.clear();
      for (const video of videos) {
        video.pause();
        video.playbackRate = rate;
      }
    }

    /* -- Waiting ----------------------------------------------------- */

    /** Hold the clock at `time`: every pane paused there, the strays seeked. */
    function wait(time) {
      const now = performance.now();
      strikes = now - startedAt < STEADY_MS ? Math.min(strikes + 1, BACKOFF_MS.length - 1) : 0;
      resumeAt = now + BACKOFF_MS[strikes];
      held = time;
      stopAll();
      for (const video of videos) {
        if (video.seeking || Math.abs(video.currentTime - within(video, time)) > ALIGN_FRAMES * frame) {
          seekPane(video, time);
        }
      }
      setState("waiting");
    }

    /** Start every pane that has something to play, once all of them can. */
    function resume() {
      if (performance.now() < resumeAt) return;
      const live = videos.filter((video) => !done(video, held));
      if (live.length === 0) {
        finish();
        return;
      }
      if (!live.every((video) => !video.seeking && video.readyState >= HAVE_FUTURE_DATA)) return;
      startedAt = performance.now();
      setState("running");
      for (const video of live) {
        video.playbackRate = rate;
        video.play().catch((error) => {
          // Only a policy refusal (no user gesture) stops the player; any
          // other failure shows up as a paused pane and a wait.
          if (error && error.name === "NotAllowedError") clock.pause();
        });
      }
    }

    /** The clock ran past every clip: stop on the last frame. */
    function finish() {
      const ends = videos.filter((video) => video.duration > 0).map((video) => video.duration);
      held = ends.length ? Math.max(...ends) - 0.5 * frame : held;
      stopAll();
      setState("paused");
    }

    /* -- Running ----------------------------------------------------- */

    /** Slow `video`, `lead` seconds ahead of the clock, towards it. */
    function nudge(video, lead) {
      const slower = lead * fps < DEADBAND_FRAMES ? 0 : Math.min(lead * NUDGE_PER_SECOND, MAX_NUDGE);
      const wanted = rate * (1 - slower);
      if (Math.abs(video.playbackRate - wanted) > 0.002 * rate) video.playbackRate = wanted;
    }

    function stalled(video) {
      if (holds.has(video)) return video.seeking;
      return video.seeking || video.paused || video.readyState < HAVE_FUTURE_DATA;
    }

    /** Hold a pane that ran ahead; start a held pane once the clock is there. */
    function hold(video, lead) {
      if (holds.has(video)) {
        if (lead > 0) return;
        holds.delete(video);
        video.playbackRate = rate;
        video.play().catch(() => {}); // a failure shows up as a paused pane: a wait
      } else if (lead * fps > HOLD_FRAMES) {
        holds.add(video);
        video.pause();
      }
    }

    /**
     * Look at every pane and act: nudge, wait, start or finish. Cheap; the player
     * calls it on every animation frame, and media events call it at once.
     */
    clock.check = () => {
      if (clock.state === "paused") return;
      if (clock.state === "waiting") {
        resume();
        return;
      }
      const live = videos.filter((video) => !done(video, video.currentTime));
      if (live.length === 0) {
        finish();
        return;
      }
      const time = clock.time();
      if (live.some(stalled)) {
        wait(time);
        return;
      }
      const leads = live.map((video) => video.currentTime - time);
      if (Math.max(...leads) * fps > WAIT_FRAMES) {
        wait(time);
        return;
      }
      live.forEach((video, index) => {
        hold(video, leads[index]);
        if (!holds.has(video)) nudge(video, leads[index]);
      });
      if (performance.now() - startedAt > STEADY_MS) strikes = 0;
    };

    /* -- Reader's actions -------------------------------------------- */

    clock.play = () => {
      if (clock.state !== "paused") return;
      const ends = videos.filter((video) => video.duration > 0).map((video) => video.duration);
      if (ends.length && held >= Math.max(...ends) - frame) held = 0.5 * frame; // from the start
      strikes = 0;
      resumeAt = 0;
      startedAt = -Infinity;
      for (const video of videos) {
        if (Math.abs(video.currentTime - within(video, held)) > ALIGN_FRAMES * frame) {
          seekPane(video, held);
        }
      }
      setState("waiting");
      clock.check();
    };

    clock.pause = () => {
      held = clock.time();
      stopAll();
      setState("paused");
    };

    /** Every pane to `time` exactly; while playing, all start again once there. */
    clock.seek = (time) => {
      held = time;
      if (clock.state === "running") stopAll();
      for (const video of videos) seekPane(video, time);
      if (clock.state !== "paused") {
        resumeAt = 0;
        setState("waiting");
      }
    };

    clock.setRate = (value) => {
      rate = value;
      for (const video of videos) {
        video.defaultPlaybackRate = value;
        video.playbackRate = value;
      }
    };

    const onMediaEvent = () => clock.check();
    for (const video of videos) {
      for (const type of EVENTS) video.addEventListener(type, onMediaEvent);
    }

    clock.destroy = () => {
      for (const video of videos) {
        for (const type of EVENTS) video.removeEventListener(type, onMediaEvent);
      }
      clock.state = "paused";
    };

    return clock;
  }

  pp.createClock = createClock;
})();
