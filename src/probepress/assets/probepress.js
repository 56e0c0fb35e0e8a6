/*
 * probepress front end: core.
 *
 * The entry point of the four probepress scripts. It subscribes to Material's
 * `document$` (which emits on the first load and after every instant
 * navigation) and runs, for each page:
 *
 *   1. plotly's global stylesheet, restored when instant navigation dropped it;
 *   2. the clean-up of modules whose elements left the page;
 *   3. the `init(root)` of every registered module (videos, charts, overlays,
 *      player).
 *
 * The other scripts (probepress-charts.js, probepress-overlays.js,
 * probepress-player.js) register modules on `window.probepress.modules`; they
 * may load before or after this one, as long as all are plain (synchronous)
 * scripts, as MkDocs' `extra_javascript` emits them: `document$` first emits
 * on DOMContentLoaded, after every such script ran. Without Material (a plain
 * page) DOMContentLoaded starts them instead.
 *
 * Shared services live on `window.probepress`: `colors()` (the palette's
 * colours as plotly/canvas-ready strings), `whenNear(el, callback, margin)`
 * (once, when an element nears the viewport), `loadVideo(video)` (load a
 * clip when the reader asks for it: streamed on a host with HTTP Range
 * support, else as a Blob URL) and `chartReady(el)` (a promise for a
 * rendered chart).
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  if (pp.coreLoaded) return; // the script was included twice: one set of listeners only
  pp.coreLoaded = true;
  pp.modules = pp.modules || [];

  /* ---------------------------------------------------------------------
   * Palette colours
   * ------------------------------------------------------------------- */

  let colorCache = { key: null, value: null };

  /**
   * The current palette as resolved colour strings ("rgba(...)"), read from
   * Material's CSS variables; cached until the body's palette attributes change.
   */
  pp.colors = function colors() {
    const body = document.body;
    const key = ["scheme", "primary", "accent"]
      .map((name) => body.getAttribute(`data-md-color-${name}`)).join("|");
    if (colorCache.key === key) return colorCache.value;

    // A hidden probe element resolves var(...) to rgb()/rgba(), which plotly
    // and canvas both understand (the variables may be written as hsla or hex).
    const probe = document.createElement("span");
    probe.style.cssText = "position:absolute;visibility:hidden;pointer-events:none";
    body.appendChild(probe);
    const resolve = (variable, fallback) => {
      probe.style.color = fallback;
      probe.style.color = `var(${variable}, ${fallback})`;
      return getComputedStyle(probe).color;
    };
    const value = {
      fg: resolve("--md-default-fg-color", "#000"),
      fgLight: resolve("--md-default-fg-color--light", "#666"),
      fgLighter: resolve("--md-default-fg-color--lighter", "#aaa"),
      fgLightest: resolve("--md-default-fg-color--lightest", "#eee"),
      bg: resolve("--md-default-bg-color", "#fff"),
      accent: resolve("--md-accent-fg-color", "#526cfe"),
      font: getComputedStyle(body).fontFamily,
      scheme: body.getAttribute("data-md-color-scheme") || "default",
    };
    probe.remove();
    colorCache = { key, value };
    return value;
  };

  /* ---------------------------------------------------------------------
   * plotly's global stylesheet
   * ------------------------------------------------------------------- */

  // plotly adds <style id="plotly.js-style-global"> to <head> once, when it
  // loads, filling it through CSSOM (insertRule), so the element has no text.
  // Instant navigation removes <head> children the next page does not have,
  // and the modebar then renders unstyled. Keep the rules as text at first
  // sight and append a copy whenever the element is missing.
  const plotlyStyles = new Map(); // id -> css text

  /** Also called once plotly has loaded: it loads on demand, after init ran. */
  pp.rememberPlotlyStyles = rememberPlotlyStyles;
  function rememberPlotlyStyles() {
    for (const style of document.querySelectorAll('style[id^="plotly.js-style"]')) {
      if (/-style-modebar-/.test(style.id)) continue;
      let css = "";
      try {
        css = Array.from(style.sheet ? style.sheet.cssRules : [])
          .map((rule) => rule.cssText).join("\n");
      } catch (error) { /* an unreadable sheet: fall back to its text */ }
      // Read again at every sight: plotly may add rules after the element arrives,
      // and an element seen empty must not be remembered (and restored) empty.
      css = css || style.textContent;
      if (css) plotlyStyles.set(style.id, css);
    }
  }

  /** Also called before a chart is drawn: instant navigation may have dropped them since. */
  pp.restorePlotlyStyles = restorePlotlyStyles;
  function restorePlotlyStyles() {
    for (const [id, css] of plotlyStyles) {
      if (document.getElementById(id)) continue;
      const style = document.createElement("style");
      style.id = id;
      style.textContent = css;
      document.head.appendChild(style);
    }
    watchHead();
  }

  // plotly loads on demand and instant navigation may swap <head> children at any
  // time after: remember plotly's rules the moment its style element arrives (the
  // observer runs after plotly's script filled it) and put them back whenever they go.
  let watchedHead = null;
  function watchHead() {
    if (watchedHead === document.head) return;
    watchedHead = document.head;
    new MutationObserver(() => {
      rememberPlotlyStyles();
      for (const id of plotlyStyles.keys()) {
        if (!document.getElementById(id)) return restorePlotlyStyles();
      }
    }).observe(watchedHead, { childList: true });
  }
  watchHead();

  /* ---------------------------------------------------------------------
   * Chart readiness
   * ------------------------------------------------------------------- */

  const chartDeferreds = new WeakMap();

  /** A promise resolved (with the element) once the chart in `el` is drawn. */
  pp.chartReady = function chartReady(el) {
    let deferred = chartDeferreds.get(el);
    if (!deferred) {
      deferred = {};
      deferred.promise = new Promise((resolve, reject) => {
        deferred.resolve = resolve;
        deferred.reject = reject;
      });
      deferred.promise.catch(() => {}); // a failed chart is reported where it fails
      chartDeferreds.set(el, deferred);
    }
    return deferred.promise;
  };

  /** Called by the chart module: settle `chartReady(el)`. */
  pp.settleChart = function settleChart(el, error) {
    pp.chartReady(el);
    const deferred = chartDeferreds.get(el);
    if (error) deferred.reject(error);
    else deferred.resolve(el);
  };

  /* ---------------------------------------------------------------------
   * Near the viewport
   * ------------------------------------------------------------------- */

  const nearObservers = new Map(); // rootMargin -> IntersectionObserver
  const nearCallbacks = new WeakMap(); // observed element -> [callback]

  /**
   * Call `callback` once, when `el` comes within `margin` (a CSS rootMargin) of
   * the viewport. An element that is not displayed never comes near: callers
   * pass what is displayed instead (a chart's tab set, an overlay's picture).
   * Nothing here asks for layout, so a page's scripts do not force one early.
   */
  pp.whenNear = function whenNear(el, callback, margin = "0px") {
    if (typeof IntersectionObserver !== "function") {
      callback();
      return;
    }
    let observer = nearObservers.get(margin);
    if (!observer) {
      observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          observer.unobserve(entry.target);
          const callbacks = nearCallbacks.get(entry.target) || [];
          nearCallbacks.delete(entry.target);
          for (const call of callbacks) call();
        }
      }, { rootMargin: margin });
      nearObservers.set(margin, observer);
    }
    const callbacks = nearCallbacks.get(el) || [];
    callbacks.push(callback);
    nearCallbacks.set(el, callbacks);
    observer.observe(el);
  };

  /* ---------------------------------------------------------------------
   * Videos: loaded when asked for
   * ------------------------------------------------------------------- */

  // Videos are `preload="none"` with a poster: a page downloads no clip until
  // the reader plays or seeks one. Then, on a host with HTTP Range support
  // (any static host, `probepress serve`), the video streams from its URL and
  // seeks with Range requests. A server without it (`mkdocs serve` without
  // the probepress plugin, `python -m http.server`) makes a <video>
  // unseekable; there the clip is fetched whole once and played from a Blob
  // URL (always seekable; the clips are short). One `Range: bytes=0-0`
  // request tells which: 206 is a Range host, 200 brings the whole file.
  const videoLoads = new WeakMap(); // video -> promise
  const objectUrls = new Map(); // object URL -> video
  let rangeHost = null; // null: not known yet; true or false once a clip answered

  /**
   * Make `video` ready to play and seek: its own URL on a Range host, else a
   * Blob URL of the same bytes. Resolves when done (or failed: the original
   * src is kept). Idempotent per element.
   */
  pp.loadVideo = function loadVideo(video) {
    let promise = videoLoads.get(video);
    if (promise) return promise;
    const original = video.currentSrc || video.src;
    if (!original || original.startsWith("blob:")) {
      promise = Promise.resolve(video);
    } else {
      promise = (rangeHost === true ? Promise.resolve(null) : fetchUnlessRanged(original))
        .then((blob) => {
          if (blob === null) return streamFromUrl(video);
          if (!video.isConnected) return video; // navigated away meanwhile
          const url = URL.createObjectURL(blob);
          objectUrls.set(url, video);
          swapSource(video, url, original);
          return video;
        })
        .catch((error) => {
          console.warn(`probepress: kept the streamed source of ${original} (${error})`);
          return streamFromUrl(video);
        });
    }
    videoLoads.set(video, promise);
    return promise;
  };

  const fetches = new Map(); // URL -> promise, while in flight: a clip in two players loads once

  /** null when the host answers Range requests, else the whole file as a Blob. */
  function fetchUnlessRanged(url) {
    let promise = fetches.get(url);
    if (promise) return promise;
    // The question goes to the server: from its HTTP cache, the browser would
    // answer a Range request with a 206 cut from a whole file that it has.
    const options = rangeHost === false ? { credentials: "same-origin" }
      : { credentials: "same-origin", cache: "no-store", headers: { Range: "bytes=0-0" } };
    promise = fetch(url, options).then((response) => {
      if (response.status === 206) {
        rangeHost = true; // the one byte it sent is not worth a Blob
        return null;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      rangeHost = false;
      return response.blob();
    });
    fetches.set(url, promise);
    promise.then(() => fetches.delete(url), () => fetches.delete(url));
    return promise;
  }

  /** Let `video` load from its own URL (it was preload="none"). */
  function streamFromUrl(video) {
    video.defaultPlaybackRate = video.playbackRate; // load() resets the rate to this
    video.preload = "auto";
    if (video.readyState === 0 && video.networkState !== HTMLMediaElement.NETWORK_LOADING) {
      video.load(); // restarts resource selection with the new preload
    }
    return video;
  }

  /** Point `video` at `url`, keeping its poster, position, rate and play state. */
  function swapSource(video, url, original) {
    const time = video.currentTime;
    const rate = video.playbackRate;
    const playing = !video.paused;
    video.dataset.ppSrc = original;
    video.preload = "auto";
    video.src = url; // the poster attribute stays and shows until a frame is ready
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    if (time > 0 || playing) {
      video.addEventListener("loadedmetadata", () => {
        video.currentTime = time;
        if (playing) video.play().catch(() => {});
      }, { once: true });
    }
  }

  function revokeDetachedVideos() {
    for (const [url, video] of objectUrls) {
      if (video.isConnected) continue;
      URL.revokeObjectURL(url);
      objectUrls.delete(url);
    }
  }

  pp.modules.push({
    name: "videos",
    init(root) {
      // A video with its own controls loads when the reader plays it (the
      // browser does that); its first seek makes sure it can seek: on a host
      // without Range support it becomes a Blob then. (Not on play: a new
      // source would reject the pending play() promise.) The compare player
      // loads its panes itself.
      for (const video of root.querySelectorAll("video.pp-video")) {
        if (video.closest(".pp-compare") || video.dataset.ppWatched) continue;
        video.dataset.ppWatched = "1";
        video.addEventListener("seeking", () => pp.loadVideo(video), { once: true });
      }
    },
    cleanup: revokeDetachedVideos,
  });

  /* ---------------------------------------------------------------------
   * Entry point
   * ------------------------------------------------------------------- */

  function init() {
    rememberPlotlyStyles();
    restorePlotlyStyles();
    for (const module of pp.modules) {
      try {
        if (module.cleanup) module.cleanup();
        module.init(document);
      } catch (error) {
        console.error(`probepress: ${module.name} failed`, error);
      }
    }
  }

  // plotly.min.js may have run before this script (a page that lists it), or
  // runs later when the charts module loads it for a page that has charts.
  rememberPlotlyStyles();
  pp.plotlyLoaded = rememberPlotlyStyles;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init, { once: true });
  } else {
    setTimeout(init); // let scripts loaded after this one register first
  }
})();
