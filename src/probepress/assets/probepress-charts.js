/*
 * probepress front end: charts.
 *
 * Renders every `<div class="pp-chart" data-pp-figure='{"data": [...],
 * "layout": {...}}'>` with plotly (the figure lives in an attribute, never in
 * a <script>), and keeps the charts in step with the page:
 *
 *   - colours follow Material's palette (`body[data-md-color-scheme]`):
 *     transparent backgrounds, font and grid colours from its CSS variables;
 *   - a chart drawn while hidden (an inactive pymdownx.tabbed tab) is resized
 *     once it gets a width;
 *   - charts that left the page on instant navigation are purged.
 *
 * A chart is drawn when it comes within a quarter screen of the viewport (one
 * in an inactive tab: when its tab set does), and plotly.min.js (4.8 MB) is
 * fetched, from beside this script, when the first chart does: a page whose
 * charts the reader never scrolls to never loads it, and once loaded it stays
 * for the visit (instant navigation keeps `window.Plotly`). Before printing,
 * every chart is drawn.
 *
 * Registered as a module of probepress.js, which calls init() per page.
 * Dispatches `pp:theme` on document after the charts took a new palette.
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  pp.modules = pp.modules || [];
  if (pp.modules.some((module) => module.name === "charts")) return;

  const TRANSPARENT = "rgba(0,0,0,0)";
  // Where plotly.min.js is: beside this script (read now: currentScript is
  // only set while a script first runs).
  const PLOTLY_URL = document.currentScript
    ? new URL("plotly.min.js", document.currentScript.src).href
    : null;
  const CONFIG = { responsive: true, displaylogo: false };
  const DEFAULT_HEIGHT_PX = 450; // plotly's height for a layout without one
  const NEAR_VIEWPORT = "25% 0px"; // draw within a quarter screen above or below the viewport
  const rendered = new Set(); // chart elements drawn by plotly
  const widths = new WeakMap(); // chart element -> last width seen

  /* ---------------------------------------------------------------------
   * Theme
   * ------------------------------------------------------------------- */

  /**
   * Dotted plotly attribute -> value, for the given layout keys (the axes and
   * polar subplots found there get grid and line colours).
   */
  function themeUpdate(keys, colors) {
    const update = {
      paper_bgcolor: TRANSPARENT,
      plot_bgcolor: TRANSPARENT,
      "font.color": colors.fg,
      "font.family": colors.font,
      "legend.bgcolor": TRANSPARENT,
    };
    for (const key of keys) {
      if (/^[xy]axis\d*$/.test(key)) {
        update[`${key}.gridcolor`] = colors.fgLightest;
        update[`${key}.linecolor`] = colors.fgLighter;
        update[`${key}.zerolinecolor`] = colors.fgLighter;
        update[`${key}.tickcolor`] = colors.fgLighter;
      } else if (/^polar\d*$/.test(key)) {
        update[`${key}.bgcolor`] = TRANSPARENT;
        for (const axis of ["radialaxis", "angularaxis"]) {
          update[`${key}.${axis}.gridcolor`] = colors.fgLightest;
          update[`${key}.${axis}.linecolor`] = colors.fgLighter;
        }
      }
    }
    return update;
  }

  /** Write a dotted-path update into a plain layout object (before newPlot). */
  function applyUpdate(layout, update) {
    for (const [path, value] of Object.entries(update)) {
      const parts = path.split(".");
      let node = layout;
      for (const part of parts.slice(0, -1)) {
        if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
        node = node[part];
      }
      node[parts[parts.length - 1]] = value;
    }
    return layout;
  }

  /** Re-colour every drawn chart for the current palette. */
  function retheme() {
    const colors = pp.colors();
    const updates = [];
    for (const el of rendered) {
      if (!el.isConnected || !el._fullLayout) continue;
      const update = themeUpdate(Object.keys(el._fullLayout), colors);
      updates.push(Promise.resolve(window.Plotly.relayout(el, update)).catch(() => {}));
    }
    Promise.all(updates).then(() => {
      document.dispatchEvent(new CustomEvent("pp:theme", { detail: colors }));
    });
  }

  // <body> survives instant navigation, so one observer serves every page.
  let paletteObserver = null;
  function watchPalette() {
    if (paletteObserver) return;
    paletteObserver = new MutationObserver(retheme);
    paletteObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme", "data-md-color-primary",
        "data-md-color-accent"],
    });
  }

  /* ---------------------------------------------------------------------
   * Titles
   * ------------------------------------------------------------------- */

  // plotly never wraps a title: a long one runs off both sides of a phone.
  // Titles are broken into lines (plotly's <br>) that fit the chart's width,
  // and the top margin and height grow by a line for each extra one.
  const DEFAULT_TITLE_PX = 17; // plotly's title size for its default 12 px font
  const titles = new WeakMap(); // chart element -> {text, size, top, height} as authored

  function authoredTitle(layout) {
    const title = layout.title;
    const text = typeof title === "string" ? title : (title && title.text) || "";
    const size = (title && title.font && title.font.size) || DEFAULT_TITLE_PX;
    const top = (layout.margin && layout.margin.t) ?? 80;
    return { text, size, top, height: layout.height };
  }

  /** The title as lines fitting `width` px, and the layout keys that make room for them. */
  function fittedTitle(authored, width) {
    const perLine = Math.max(16, Math.floor((width - 32) / (authored.size * 0.56)));
    const lines = [];
    for (const word of authored.text.split(/\s+/)) {
      const last = lines[lines.length - 1];
      if (last !== undefined && (last + " " + word).length <= perLine) {
        lines[lines.length - 1] = last + " " + word;
      } else {
        lines.push(word);
      }
    }
    const extra = Math.round((lines.length - 1) * authored.size * 1.3);
    const update = { "title.text": lines.join("<br>"), "margin.t": authored.top + extra };
    if (authored.height) update.height = authored.height + extra;
    return update;
  }

  /** Fit the chart's title to its width; returns the update, or null if none is needed. */
  function titleUpdate(el, layout, width) {
    if (!titles.has(el)) titles.set(el, authoredTitle(layout));
    const authored = titles.get(el);
    if (!authored.text || authored.text.includes("<br>") || width === 0) return null;
    return fittedTitle(authored, width);
  }

  /* ---------------------------------------------------------------------
   * Hidden charts
   * ------------------------------------------------------------------- */

  // plotly sizes a chart drawn inside display:none at its default 700 px.
  // Resize when the element's width changes to a non-zero value; height
  // changes are plotly's own and are ignored (no resize loop).
  const resizeObserver = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const el = entry.target;
      const width = Math.round(entry.contentRect.width);
      if (width === 0 || width === widths.get(el)) continue;
      const first = !widths.has(el);
      widths.set(el, width);
      if (first && !el.dataset.ppHidden) continue; // drawn at this width already
      delete el.dataset.ppHidden;
      const update = titleUpdate(el, el.layout, width);
      const relayout = update ? window.Plotly.relayout(el, update) : null;
      Promise.resolve(relayout)
        .then(() => window.Plotly.Plots.resize(el))
        .catch(() => {});
    }
  });

  /* ---------------------------------------------------------------------
   * Keyboard and screen readers
   * ------------------------------------------------------------------- */

  // plotly's toolbar is seven to nine buttons, each a tab stop: a keyboard
  // user tabbing down a page of charts would press Tab forty times. Made an
  // ARIA toolbar: one tab stop per chart (the button last used), arrow keys,
  // Home and End move within. plotly may rebuild the buttons on any redraw,
  // so this runs after every plot.
  const TOOLBAR_KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  function toolbarButtons(bar) {
    return [...bar.querySelectorAll(".modebar-btn")];
  }

  function oneTabStop(el) {
    // The SVG's tick labels and hover layers say nothing a listener can use;
    // the figure's name and caption say it in words (see authoring/chart_text.py).
    el.querySelectorAll(".main-svg").forEach((svg) => svg.setAttribute("aria-hidden", "true"));
    const bar = el.querySelector(".modebar");
    if (!bar) return;
    const buttons = toolbarButtons(bar);
    if (buttons.length === 0) return;
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Chart tools");
    const current = buttons.find((button) => button.tabIndex === 0 && button.dataset.ppStop);
    buttons.forEach((button) => {
      button.tabIndex = button === (current || buttons[0]) ? 0 : -1;
      button.dataset.ppStop = "1";
    });
    if (bar.dataset.ppKeys) return;
    bar.dataset.ppKeys = "1";
    bar.addEventListener("keydown", (event) => {
      const all = toolbarButtons(bar);
      const at = all.indexOf(document.activeElement);
      if (at < 0) return;
      let next = null;
      if (event.key in TOOLBAR_KEYS) {
        next = (at + TOOLBAR_KEYS[event.key] + all.length) % all.length;
      } else if (event.key === "Home") {
        next = 0;
      } else if (event.key === "End") {
        next = all.length - 1;
      }
      if (next === null) return;
      event.preventDefault();
      all.forEach((button, i) => { button.tabIndex = i === next ? 0 : -1; });
      all[next].focus();
    });
  }

  /* ---------------------------------------------------------------------
   * Rendering
   * ------------------------------------------------------------------- */

  function render(el) {
    if (el.dataset.ppDone) return;
    el.dataset.ppDone = "1";
    let figure;
    try {
      figure = figureOf(el);
    } catch (error) {
      el.textContent = "This chart's data could not be read.";
      console.error("probepress: invalid data-pp-figure", el, error);
      pp.settleChart(el, error);
      return;
    }
    const data = figure.data || [];
    const layout = figure.layout || {};
    const keys = new Set([...Object.keys(layout), "xaxis", "yaxis"]);
    applyUpdate(layout, themeUpdate(keys, pp.colors()));
    if (el.getClientRects().length === 0) el.dataset.ppHidden = "1"; // display:none
    const title = titleUpdate(el, layout, el.clientWidth);
    if (title) applyUpdate(layout, title);
    window.Plotly.newPlot(el, data, layout, { ...CONFIG, ...(figure.config || {}) })
      .then(() => {
        el.style.minHeight = ""; // plotly sizes the element now
        rendered.add(el);
        oneTabStop(el);
        el.on("plotly_afterplot", () => oneTabStop(el));
        resizeObserver.observe(el);
        pp.settleChart(el);
      })
      .catch((error) => {
        console.error("probepress: plotly could not draw a chart", el, error);
        pp.settleChart(el, error);
      });
  }

  /** Purge charts that instant navigation removed (listeners, observers). */
  function cleanup() {
    for (const el of rendered) {
      if (el.isConnected) continue;
      rendered.delete(el);
      resizeObserver.unobserve(el);
      try { window.Plotly.purge(el); } catch (error) { /* already gone */ }
    }
  }

  /* ---------------------------------------------------------------------
   * Loading plotly
   * ------------------------------------------------------------------- */

  let plotlyLoading = null;

  /** A promise for `window.Plotly`, adding plotly.min.js to the page the first time. */
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
      plotlyLoading = new Promise((resolve, reject) => {
        if (!PLOTLY_URL) {
          reject(new Error("no URL to load it from"));
          return;
        }
        const script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.onload = () => (window.Plotly ? resolve(window.Plotly)
          : reject(new Error(`${PLOTLY_URL} did not define Plotly`)));
        script.onerror = () => reject(new Error(`${PLOTLY_URL} could not be loaded`));
        document.head.appendChild(script);
      }).then((plotly) => {
        if (pp.plotlyLoaded) pp.plotlyLoaded(); // its stylesheet, kept for instant navigation
        return plotly;
      });
      plotlyLoading.catch(() => { plotlyLoading = null; }); // a later page may try again
    }
    return plotlyLoading;
  }

  const figures = new WeakMap(); // chart element -> its parsed figure

  function figureOf(el) {
    if (!figures.has(el)) figures.set(el, JSON.parse(el.dataset.ppFigure));
    return figures.get(el);
  }

  /**
   * Reserve the chart's height before it is drawn (plotly's default is 450 px),
   * so that drawing it as the reader scrolls does not move the text below.
   */
  function reserveHeight(el) {
    try {
      const layout = figureOf(el).layout || {};
      el.style.minHeight = `${Number(layout.height) || DEFAULT_HEIGHT_PX}px`;
    } catch (error) { /* render() reports an unreadable figure */ }
  }

  /** Load plotly if need be, then draw `el`. */
  function draw(el) {
    if (!el.isConnected || el.dataset.ppDone) return;
    loadPlotly().then(() => {
      watchPalette();
      // plotly made its stylesheet on loading, after init looked for it: remember it
      // now, so that instant navigation cannot drop it for good.
      if (pp.rememberPlotlyStyles) pp.rememberPlotlyStyles();
      if (pp.restorePlotlyStyles) pp.restorePlotlyStyles(); // the modebar's styles
      if (el.isConnected) render(el);
    }, (error) => {
      if (!reported) {
        reported = true;
        console.error(`probepress: plotly.js is not available (${error.message}); charts stay empty`);
      }
      pp.settleChart(el, error);
    });
  }
  let reported = false; // one console error per page for a missing plotly, not one per chart

  pp.modules.push({
    name: "charts",
    init(root) {
      reported = false;
      for (const el of root.querySelectorAll(".pp-chart[data-pp-figure]")) {
        if (el.dataset.ppDone || el.dataset.ppWatched) continue;
        el.dataset.ppWatched = "1";
        reserveHeight(el);
        // A chart in a tab is drawn when its tab set nears, shown or not (see Hidden charts).
        pp.whenNear(el.closest(".tabbed-set") || el, () => draw(el), NEAR_VIEWPORT);
      }
    },
    cleanup,
  });

  // A printout shows every chart, near the viewport or not.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll(".pp-chart[data-pp-figure]").forEach(draw);
  });
})();
