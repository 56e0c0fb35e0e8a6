/*
 * probepress front end: compare player.
 *
 * For every `<div class="pp-compare" data-pp-fps data-pp-frames [data-pp-wipe]>`
 * the per-video controls are replaced by one control bar driving all panes
 * from one clock (probepress-clock.js: the slowest pane sets the pace, the
 * others are nudged to it, and the player waits, with a small spinner in the
 * bar, while any pane stalls). The optional timeline chart
 * (`.pp-chart.pp-timeline`, x in seconds) shows a cursor at the current time
 * and seeks on click. A pane's `canvas.pp-overlay` is drawn by
 * probepress-overlays.js; the player adds the toggle. A still `.pp-input` figure
 * (the scene's input image) may open the grid: it is no `.pp-pane`, so the clock,
 * the wipe and the click-to-play never see it.
 *
 * Frames are 0-based in code and in `ppPlayer`, 1-based in the readout.
 * Seeking to frame n goes to its centre time, (n + 0.5) / fps.
 *
 * No clip is downloaded before the reader asks: the panes are `preload="none"`
 * with posters, the bar counts frames from `data-pp-frames`, and the first
 * play, seek or frame step loads every pane (`probepress.loadVideo`: streamed
 * on a host with HTTP Range support, else whole as a Blob) and then does what
 * was asked.
 *
 * Tests drive `playerElement.ppPlayer = {play(), pause(), seekFrame(n),
 * currentFrame(), clock(), waiting(), drift(), check(), videos, load()}`:
 * `clock()` is the clock's time in seconds, `waiting()` is true while the
 * player holds every pane for a stalled one, `drift()` is the worst distance of
 * a pane from the clock in frames, `check()` does what the player does on every
 * animation frame (look at the panes and act); `load()` loads the panes as a
 * first play would and resolves, and the element gets `data-pp-ready`, once
 * every video has its metadata.
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  pp.modules = pp.modules || [];
  if (pp.modules.some((module) => module.name === "player")) return;

  const SPEEDS = [0.25, 0.5, 1, 2];
  const CURSOR_INTERVAL_MS = 66; // timeline cursor: at most ~15 updates a second ...
  const CURSOR_SHARE = 5; // ... and at most a fifth of the time (plotly redraws are slow)
  const ICONS = {
    play: "M8 5v14l11-7z",
    pause: "M6 19h4V5H6v14zm8-14v14h4V5h-4z",
    previous: "M6 6h2v12H6zm3.5 6 8.5 6V6z",
    next: "M6 18l8.5-6L6 6v12zM16 6v12h2V6h-2z",
  };

  const players = new Set(); // live player controllers, for clean-up

  /* ---------------------------------------------------------------------
   * DOM helpers
   * ------------------------------------------------------------------- */

  function h(tag, attributes = {}, children = []) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) el.append(child);
    return el;
  }

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** Resolves when `video` is not seeking (at the latest after a second). */
  function seeked(video) {
    return video.seeking ? new Promise((resolve) => {
      video.addEventListener("seeked", resolve, { once: true });
      setTimeout(resolve, 1000);
    }) : Promise.resolve();
  }

  function metadataLoaded(video) {
    return video.readyState >= 1 ? Promise.resolve() : new Promise((resolve) => {
      video.addEventListener("loadedmetadata", resolve, { once: true });
      video.addEventListener("error", resolve, { once: true });
    });
  }

  /* ---------------------------------------------------------------------
   * Compare player
   * ------------------------------------------------------------------- */

  function createPlayer(root) {
    const panes = Array.from(root.querySelectorAll(".pp-pane"));
    const videos = panes.map((pane) => pane.querySelector("video.pp-video")).filter(Boolean);
    if (videos.length === 0) return null;
    const [leader] = videos;
    const fps = parseFloat(root.dataset.ppFps) || 24;
    let frameCount = parseInt(root.dataset.ppFrames, 10) || 0;
    const wipeable = root.hasAttribute("data-pp-wipe") && videos.length === 2;
    const timeline = root.querySelector(".pp-timeline");
    const paneOverlays = [];
    const state = { playing: false, pausing: false, raf: 0, lastCursor: 0, frame: -1,
      loading: null, loaded: false };
    const player = { root, videos, overlays: paneOverlays };

    for (const video of videos) {
      video.controls = false; // one control bar for all panes
      video.removeAttribute("controls");
    }
    for (const pane of panes) {
      const canvas = pane.querySelector("canvas.pp-overlay[data-pp-overlay]");
      const video = pane.querySelector("video.pp-video");
      if (canvas && video && pp.createOverlay) paneOverlays.push(pp.createOverlay(canvas, video));
    }

    /* -- Controls ---------------------------------------------------- */

    const button = (label, content, attributes = {}) => h("button",
      { type: "button", class: "pp-button", "aria-label": label, ...attributes }, [content]);
    const playButton = button("Play", icon("play"));
    const previousButton = button("Previous frame", icon("previous"),
      { title: "Previous frame (←)" });
    const nextButton = button("Next frame", icon("next"), { title: "Next frame (→)" });
    const scrub = h("input", { type: "range", class: "pp-scrub", min: 0,
      max: Math.max(frameCount - 1, 0), step: 1, value: 0, "aria-label": "Frame" });
    const readout = h("output", { class: "pp-readout", "aria-live": "off" });
    const speed = h("select", { class: "pp-speed", "aria-label": "Playback speed" },
      SPEEDS.map((value) => h("option", { value, selected: value === 1 }, [`${value}×`])));
    const buffering = h("span", { class: "pp-buffering", role: "status", hidden: true },
      [h("span", { class: "pp-buffering__spinner", "aria-hidden": "true" }),
        h("span", { class: "pp-buffering__text" }, ["Waiting for every clip"])]);
    const bar = h("div", { class: "pp-controls", role: "group", "aria-label": "Player controls" },
      [playButton, previousButton, nextButton, scrub, readout, buffering, speed]);

    let overlayButton = null;
    if (paneOverlays.length) {
      overlayButton = button("Show probe overlay", "Overlay",
        { class: "pp-button pp-toggle", "aria-pressed": "true" });
      bar.append(overlayButton);
    }
    let wipeButton = null;
    let wipeSlider = null;
    if (wipeable) {
      wipeButton = button("Wipe between the two clips", "Wipe",
        { class: "pp-button pp-toggle", "aria-pressed": "false" });
      wipeSlider = h("input", { type: "range", class: "pp-wipe", min: 0, max: 100, step: 1,
        value: 50, hidden: true, "aria-label": "Wipe position" });
      bar.append(wipeButton, wipeSlider);
      root.style.setProperty("--pp-wipe", "50%");
    }
    const grid = root.querySelector(".pp-compare__grid") || panes[panes.length - 1];
    grid.after(bar);

    root.tabIndex = 0;
    root.setAttribute("role", "group");
    const title = root.querySelector(".pp-compare__title");
    root.setAttribute("aria-label",
      `Compare player${title ? `: ${title.textContent.trim()}` : ""}. ` +
      "Space plays or pauses, arrow keys step one frame.");

    /* -- Clock ------------------------------------------------------- */

    // The panes' own clocks are steered by probepress-clock.js: the player
    // asks it to play, pause and seek, and follows its state.
    const clock = pp.createClock(videos, { fps, onChange: onClockChange });
    player.clock = () => clock.time();
    player.waiting = () => clock.state === "waiting";
    player.drift = () => clock.drift();
    player.check = () => clock.check();

    function frames() {
      if (!frameCount && leader.duration) {
        frameCount = Math.round(leader.duration * fps);
        scrub.max = Math.max(frameCount - 1, 0);
      }
      return frameCount || 1;
    }

    function clampFrame(n) {
      return Math.min(Math.max(Math.round(n), 0), frames() - 1);
    }

    // Until the panes are loaded, the frame is the one the bar shows (a seek waits).
    player.currentFrame = () => (state.loaded
      ? clampFrame(Math.floor(clock.time() * fps + 1e-6)) : Math.max(state.frame, 0));

    /** Load every pane (once); resolves when all have their metadata. */
    player.load = () => {
      if (!state.loading) {
        state.loading = Promise.all(videos.map((video) => pp.loadVideo(video)))
          .then(() => Promise.all(videos.map(metadataLoaded)))
          .then(() => {
            state.loaded = true;
            frames();
            root.dataset.ppReady = "1";
            return player;
          });
      }
      return state.loading;
    };

    /** Run `action` now if the panes are loaded, else once they are (in order). */
    function whenLoaded(action) {
      if (state.loaded) action();
      else player.load().then(action);
    }

    function tick() {
      state.raf = 0;
      if (!root.isConnected) return;
      updateUi(player.currentFrame(), false);
      // The check comes last: a timeline redraw may take a while on a slow machine,
      // and the panes move meanwhile.
      clock.check(); // may start the next frame's tick itself, through onClockChange
      if (state.playing && !state.raf) state.raf = requestAnimationFrame(tick);
    }

    function onClockChange(clockState) {
      const playing = clockState !== "paused";
      const ended = state.playing && !playing && !state.pausing;
      state.playing = playing;
      setPlayLabel();
      if (playing && !state.raf) state.raf = requestAnimationFrame(tick);
      if (ended) updateUi(player.currentFrame(), true);
    }

    player.play = () => {
      whenLoaded(() => clock.play());
      return Promise.resolve();
    };

    /** Pause every pane and align all on the centre of the clock's frame. */
    player.pause = () => whenLoaded(() => {
      state.pausing = true;
      clock.pause();
      state.pausing = false;
      player.seekFrame(player.currentFrame());
    });

    /**
     * Seek every pane to the centre of frame n. While playing, the panes wait
     * until all have seeked and then start together: each seek decodes from
     * the previous keyframe, and some take much longer than others.
     */
    player.seekFrame = (n) => {
      const frame = clampFrame(n);
      updateUi(frame, true);
      whenLoaded(() => clock.seek((frame + 0.5) / fps));
      return frame;
    };

    player.seekTime = (seconds) => player.seekFrame(Math.floor(seconds * fps));

    player.step = (delta) => {
      if (state.playing) player.pause();
      return player.seekFrame(player.currentFrame() + delta);
    };

    player.toggle = () => (state.playing ? player.pause() : player.play());

    player.setRate = (rate) => clock.setRate(rate);

    leader.addEventListener("seeked", () => {
      if (!state.playing) updateUi(player.currentFrame(), true);
    });

    /* -- UI state ---------------------------------------------------- */

    function setPlayLabel() {
      const label = state.playing ? "Pause" : "Play";
      if (playButton.getAttribute("aria-label") !== label) { // not on every wait
        playButton.setAttribute("aria-label", label);
        playButton.replaceChildren(icon(state.playing ? "pause" : "play"));
      }
      root.classList.toggle("pp-compare--playing", state.playing);
      const waiting = clock.state === "waiting";
      root.classList.toggle("pp-compare--waiting", waiting);
      buffering.hidden = !waiting;
    }

    function updateUi(frame, force) {
      if (frame !== state.frame || force) {
        state.frame = frame;
        scrub.value = frame;
        const text = `frame ${frame + 1} / ${frames()}`;
        readout.textContent = text;
        scrub.setAttribute("aria-valuetext", text);
      }
      updateCursor(force);
    }

    /* -- Timeline ---------------------------------------------------- */

    let cursorIndex = -1; // index of our shape in the timeline's layout.shapes

    let cursorCost = 0; // milliseconds the last cursor redraw took

    function updateCursor(force) {
      if (cursorIndex < 0 || !timeline.isConnected) return;
      const now = performance.now();
      // On a slow machine a redraw takes long: the clock's checks come first.
      const interval = Math.max(CURSOR_INTERVAL_MS, CURSOR_SHARE * cursorCost);
      if (!force && now - state.lastCursor < interval) return;
      state.lastCursor = now;
      const time = state.playing ? clock.time() : (state.frame + 0.5) / fps;
      // Attribute edits: a whole object at shapes[i] would insert, not replace.
      const at = `shapes[${cursorIndex}]`;
      window.Plotly.relayout(timeline, {
        [`${at}.x0`]: time, [`${at}.x1`]: time, [`${at}.line.color`]: pp.colors().accent,
      }).catch(() => {});
      cursorCost = performance.now() - now; // plotly draws shapes synchronously
    }

    function addCursor() {
      cursorIndex = (timeline.layout.shapes || []).length;
      return window.Plotly.relayout(timeline, {
        [`shapes[${cursorIndex}]`]: {
          type: "line", xref: "x", yref: "paper", x0: 0, x1: 0, y0: 0, y1: 1,
          line: { color: pp.colors().accent, width: 2 }, layer: "above",
        },
      }).then(() => updateCursor(true));
    }

    /** Seconds under a page position inside the plot area, else null. */
    function timeAt(clientX, clientY) {
      const layout = timeline._fullLayout;
      const svg = timeline.querySelector(".main-svg");
      if (!layout || !layout.xaxis || !svg) return null;
      const box = svg.getBoundingClientRect();
      const size = layout._size;
      const x = clientX - box.left - size.l;
      const y = clientY - box.top - size.t;
      if (x < 0 || x > size.w || y < 0 || y > size.h) return null;
      const time = layout.xaxis.p2l(x);
      return Number.isFinite(time) ? time : null;
    }

    function linkTimeline() {
      pp.chartReady(timeline).then(() => {
        if (!timeline.isConnected) return;
        addCursor().catch(() => {});
        // A click on a point gives its exact x ...
        timeline.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && typeof point.x === "number") player.seekTime(point.x);
        });
        // ... and a click anywhere on the plot area (plotly reports none) seeks
        // to the time under the pointer; a drag (zoom) does not.
        timeline.addEventListener("pointerdown", (down) => {
          if (down.button !== 0 || down.target.closest(".modebar, .legend")) return;
          const up = (event) => {
            window.removeEventListener("pointerup", up, true);
            if (Math.hypot(event.clientX - down.clientX, event.clientY - down.clientY) > 4) return;
            const time = timeAt(event.clientX, event.clientY);
            if (time !== null) player.seekTime(time);
          };
          window.addEventListener("pointerup", up, true);
        }, true);
      }, () => {});
    }
    if (timeline) linkTimeline(); // once its chart is drawn (plotly may load later)

    /* -- Wipe -------------------------------------------------------- */

    function setWipe(percent) {
      const value = Math.min(Math.max(percent, 0), 100);
      wipeSlider.value = value;
      root.style.setProperty("--pp-wipe", `${value}%`);
    }

    if (wipeable) {
      wipeButton.addEventListener("click", () => {
        const on = !root.classList.contains("pp-compare--wipe");
        root.classList.toggle("pp-compare--wipe", on);
        wipeButton.setAttribute("aria-pressed", String(on));
        wipeSlider.hidden = !on;
      });
      wipeSlider.addEventListener("input", () => setWipe(Number(wipeSlider.value)));
      // Dragging across the stacked pictures moves the wipe too.
      const media = panes[1].querySelector(".pp-media") || panes[1];
      const fromPointer = (event) => {
        const box = media.getBoundingClientRect();
        setWipe(((event.clientX - box.left) / box.width) * 100);
      };
      grid.addEventListener("pointerdown", (event) => {
        if (!root.classList.contains("pp-compare--wipe") || event.button !== 0) return;
        grid.setPointerCapture(event.pointerId);
        fromPointer(event);
        const move = (moveEvent) => fromPointer(moveEvent);
        grid.addEventListener("pointermove", move);
        grid.addEventListener("pointerup", () => grid.removeEventListener("pointermove", move),
          { once: true });
      });
    }

    /* -- Input ------------------------------------------------------- */

    playButton.addEventListener("click", () => player.toggle());
    previousButton.addEventListener("click", () => player.step(-1));
    nextButton.addEventListener("click", () => player.step(1));
    scrub.addEventListener("input", () => player.seekFrame(Number(scrub.value)));
    speed.addEventListener("change", () => player.setRate(Number(speed.value)));
    if (overlayButton) {
      overlayButton.addEventListener("click", () => {
        const on = overlayButton.getAttribute("aria-pressed") !== "true";
        overlayButton.setAttribute("aria-pressed", String(on));
        for (const overlay of paneOverlays) overlay.setVisible(on);
      });
    }
    // A click on a picture plays or pauses (outside wipe mode, where it drags).
    grid.addEventListener("click", (event) => {
      if (root.classList.contains("pp-compare--wipe")) return;
      if (event.target.closest(".pp-media")) player.toggle();
    });
    root.addEventListener("keydown", (event) => {
      // Keys belong to the player itself and to its frame slider only, so
      // buttons, the speed menu and the wipe slider keep their own keys.
      if (event.target !== root && event.target !== scrub) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        player.step(event.key === "ArrowRight" ? 1 : -1);
      } else if (event.key === " ") {
        player.toggle();
      } else {
        return;
      }
      event.preventDefault();
    });

    player.destroy = () => {
      cancelAnimationFrame(state.raf);
      clock.destroy();
      state.playing = false;
    };

    player.refreshCursor = () => updateCursor(true);

    updateUi(0, true);
    return player;
  }

  /* ---------------------------------------------------------------------
   * Module
   * ------------------------------------------------------------------- */

  pp.modules.push({
    name: "player",
    init(root) {
      for (const el of root.querySelectorAll(".pp-compare")) {
        if (el.dataset.ppDone) continue;
        el.dataset.ppDone = "1";
        const player = createPlayer(el);
        if (!player) continue;
        players.add(player);
        const { play, pause, seekFrame, currentFrame, clock, waiting, drift, check, videos,
          load } = player;
        el.ppPlayer = { play, pause, seekFrame, currentFrame, clock, waiting, drift, check, videos,
          load };
      }
    },
    cleanup() {
      for (const player of players) {
        if (player.root.isConnected) continue;
        player.destroy();
        players.delete(player);
      }
    },
  });

  // Timeline cursors take the new palette's accent.
  document.addEventListener("pp:theme", () => {
    for (const player of players) player.refreshCursor();
  });
})();
