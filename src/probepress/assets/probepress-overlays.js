/*
 * probepress front end: probe overlays.
 *
 * A `<canvas class="pp-overlay" data-pp-overlay="URL">` beside a video in a
 * `.pp-media` box draws the geometry a probe found (overlay JSON:
 * `{"width", "height", "fps", "static": [shape...], "frames": [[shape...]...]}`
 * in the ORIGINAL clip's pixels), scaled to the picture the video displays,
 * for the frame it presents: static shapes always, `frames[n]` while n is
 * within the list. Shapes: line `xy: [x1, y1, x2, y2]`, polyline `xy: [[x, y],
 * ...]`, circle `xy: [x, y], r`, point `xy: [x, y]`; each may have a `label`,
 * drawn once per frame for shapes sharing it, and not at all on tiny pictures.
 * Lines are 2 px in the accent colour over a halo of the page background.
 *
 * The compare player (probepress-player.js) creates the overlays of its panes
 * through `probepress.createOverlay(canvas, video)` and toggles them; this
 * module handles any other overlay (e.g. on a single clip) by itself.
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  pp.modules = pp.modules || [];
  if (pp.modules.some((module) => module.name === "overlays")) return;

  const overlays = new Set(); // live overlay controllers, for clean-up and palette changes
  const MIN_LABELLED_WIDTH = 200; // CSS px of picture below which labels are left out
  const NEAR_VIEWPORT = "25% 0px"; // fetch geometry within a quarter screen of the viewport

  /* ---------------------------------------------------------------------
   * Drawing
   * ------------------------------------------------------------------- */

  /**
   * Stroke (or fill) one overlay shape inside the picture `box`; X/Y map
   * original pixels to the canvas, sx/sy scale radii. Its label, when `withLabel`: the halo pass strokes it,
   * the other fills it.
   */
  function traceShape(context, shape, box, X, Y, sx, sy, halo, withLabel) {
    const xy = shape.xy || [];
    let anchor = null;
    context.beginPath();
    if (shape.kind === "line") {
      context.moveTo(X(xy[0]), Y(xy[1]));
      context.lineTo(X(xy[2]), Y(xy[3]));
      anchor = [X(xy[2]), Y(xy[3])];
    } else if (shape.kind === "polyline" && xy.length) {
      xy.forEach(([x, y], i) => (i ? context.lineTo(X(x), Y(y)) : context.moveTo(X(x), Y(y))));
      anchor = [X(xy[xy.length - 1][0]), Y(xy[xy.length - 1][1])];
    } else if (shape.kind === "circle") {
      context.ellipse(X(xy[0]), Y(xy[1]), shape.r * sx, shape.r * sy, 0, 0, 2 * Math.PI);
      anchor = [X(xy[0]) + shape.r * sx * 0.7, Y(xy[1]) - shape.r * sy * 0.7];
    } else if (shape.kind === "point") {
      context.arc(X(xy[0]), Y(xy[1]), 3, 0, 2 * Math.PI);
      if (!halo) context.fill();
      anchor = [X(xy[0]), Y(xy[1])];
    } else {
      return; // an unknown kind: skip, newer probes may add some
    }
    context.stroke();
    if (withLabel && anchor) {
      // Right of and above the anchor, unless that runs off the picture.
      const width = context.measureText(shape.label).width;
      const left = anchor[0] + 4 + width > box.x + box.w;
      const x = left ? anchor[0] - 4 - width : anchor[0] + 4;
      const y = anchor[1] - 4 - 11 < box.y ? anchor[1] + 4 + 11 : anchor[1] - 4;
      if (halo) context.strokeText(shape.label, x, y);
      else context.fillText(shape.label, x, y);
    }
  }

  /* ---------------------------------------------------------------------
   * Overlay controller
   * ------------------------------------------------------------------- */

  /**
   * Draws the shapes of `canvas[data-pp-overlay]` (original-video pixels)
   * scaled to the video's displayed picture, for the frame being presented.
   * Returns `{canvas, video, data, visible, frame, draw(time?), setVisible(on)}`.
   */
  function createOverlay(canvas, video) {
    const overlay = { canvas, video, data: null, visible: true, frame: -1 };

    /** The picture's box inside the video element (object-fit: contain). */
    function pictureBox() {
      const width = video.clientWidth;
      const height = video.clientHeight;
      const ratio = (video.videoWidth / video.videoHeight) ||
        (overlay.data.width / overlay.data.height);
      let w = width;
      let h = width / ratio;
      if (h > height) { h = height; w = height * ratio; }
      return { x: (width - w) / 2, y: (height - h) / 2, w, h };
    }

    function frameAt(time) {
      const fps = overlay.data.fps || 24;
      return Math.max(0, Math.floor(time * fps + 1e-3));
    }

    overlay.draw = function draw(time = video.currentTime) {
      const context = canvas.getContext("2d");
      // The canvas covers the whole video element, so a wipe's clip-path in %
      // cuts video and overlay at the same place.
      const dpr = window.devicePixelRatio || 1;
      const width = Math.round(video.clientWidth * dpr);
      const height = Math.round(video.clientHeight * dpr);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      Object.assign(canvas.style, { left: `${video.offsetLeft}px`, top: `${video.offsetTop}px`,
        width: `${video.clientWidth}px`, height: `${video.clientHeight}px` });
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, canvas.width, canvas.height);
      canvas.hidden = !overlay.visible || !overlay.data;
      if (canvas.hidden || width === 0) return;

      const data = overlay.data;
      overlay.frame = frameAt(time);
      const shapes = (data.static || []).concat((data.frames || [])[overlay.frame] || []);
      const box = pictureBox();
      const sx = box.w / data.width;
      const sy = box.h / data.height;
      const X = (x) => box.x + x * sx;
      const Y = (y) => box.y + y * sy;
      const colors = pp.colors();

      context.setTransform(dpr, 0, 0, dpr, 0, 0);
      context.lineJoin = "round";
      context.lineCap = "round";
      context.font = `600 11px ${colors.font}`;
      // Each shape twice: a wide halo in the page background, so the 2 px
      // accent line stays visible on any picture, then the line itself.
      for (const halo of [true, false]) {
        context.globalAlpha = halo ? 0.7 : 1;
        context.strokeStyle = context.fillStyle = halo ? colors.bg : colors.accent;
        context.lineWidth = halo ? 4 : 2;
        const labelled = new Set();
        for (const shape of shapes) {
          // One label per kind of thing: six "anchor" tags bury a small pane.
          const withLabel = Boolean(shape.label) && box.w >= MIN_LABELLED_WIDTH
            && !labelled.has(shape.label);
          if (withLabel) labelled.add(shape.label);
          traceShape(context, shape, box, X, Y, sx, sy, halo, withLabel);
        }
      }
      context.globalAlpha = 1;
    };

    overlay.setVisible = function setVisible(visible) {
      overlay.visible = visible;
      overlay.draw();
    };

    // Redraw on every presented frame where the browser reports them, and on
    // seeks, size changes and palette changes everywhere.
    function onFrame(now, metadata) {
      if (!canvas.isConnected) return;
      if (overlay.data && frameAt(metadata.mediaTime) !== overlay.frame) {
        overlay.draw(metadata.mediaTime);
      }
      video.requestVideoFrameCallback(onFrame);
    }
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
    else video.addEventListener("timeupdate", () => overlay.draw());
    for (const type of ["seeked", "loadeddata"]) {
      video.addEventListener(type, () => overlay.data && overlay.draw());
    }
    overlay.resizeObserver = new ResizeObserver(() => overlay.data && overlay.draw());
    overlay.resizeObserver.observe(video);

    canvas.hidden = true;
    // The geometry (tens of kB a clip) is fetched once the picture (the canvas
    // is hidden until then) nears the viewport, so a long page does not pay up
    // front for every overlay it has.
    const url = new URL(canvas.dataset.ppOverlay, window.location.href);
    pp.whenNear(canvas.parentElement, () => fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        if (!(data.width > 0 && data.height > 0)) throw new Error("no width/height");
        overlay.data = data;
        overlay.draw();
      })
      .catch((error) => console.warn(`probepress: no overlay from ${url} (${error})`)),
    NEAR_VIEWPORT);
    overlays.add(overlay);
    return overlay;
  }

  pp.createOverlay = createOverlay;

  pp.modules.push({
    name: "overlays",
    init(root) {
      for (const canvas of root.querySelectorAll(".pp-media canvas.pp-overlay[data-pp-overlay]")) {
        if (canvas.closest(".pp-compare") || canvas.dataset.ppDone) continue; // player's own
        canvas.dataset.ppDone = "1";
        const video = canvas.parentElement.querySelector("video");
        if (video) createOverlay(canvas, video);
      }
    },
    cleanup() {
      for (const overlay of overlays) {
        if (overlay.canvas.isConnected) continue;
        overlay.resizeObserver.disconnect();
        overlays.delete(overlay);
      }
    },
  });

  // The palette changed: new accent and background colours.
  document.addEventListener("pp:theme", () => {
    for (const overlay of overlays) if (overlay.data) overlay.draw();
  });
})();
