/*
 * probepress front end: posters that wait for the reader.
 *
 * The build keeps the `poster` of a page's first videos and moves the rest to
 * `data-pp-poster` (site/deferred_posters.py): browsers fetch every poster of a
 * page as they parse it, and on a phone two dozen of them compete with the
 * first screen. Here each waiting poster becomes a real one when its video
 * comes within a screen of the viewport, so it is there before the reader
 * scrolls to it. A video in a hidden tab gets its poster when the tab shows.
 */
(() => {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  pp.modules = pp.modules || [];
  if (pp.modules.some((module) => module.name === "posters")) return;

  const NEAR_VIEWPORT = "100% 0px"; // one screen ahead: the poster is ready on arrival

  function showPoster(video) {
    const url = video.dataset.ppPoster;
    if (!url) return;
    video.setAttribute("poster", url);
    delete video.dataset.ppPoster;
  }

  pp.modules.push({
    name: "posters",
    init(root) {
      for (const video of root.querySelectorAll("video[data-pp-poster]")) {
        if (video.dataset.ppPosterWatched) continue;
        video.dataset.ppPosterWatched = "1";
        // A reader who plays or seeks first (keyboard, a player's controls) needs no wait.
        video.addEventListener("play", () => showPoster(video), { once: true });
        pp.whenNear(video, () => showPoster(video), NEAR_VIEWPORT);
      }
    },
  });

  // A printout shows every poster, near the viewport or not.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("video[data-pp-poster]").forEach(showPoster);
  });
})();
