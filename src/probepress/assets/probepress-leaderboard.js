/**
 * Filters for the leaderboard table (`table.pp-leaderboard[data-pp-scenes]`).
 *
 * The page ships the whole table; this script adds, above it, a scene and a probe
 * selector and a set of column check boxes. Without JavaScript there are no controls
 * and the full table shows.
 *
 * - Scene: each cell shows the model's score in that scene (its `data-pp-scenes`
 *   holds every scene's score) and links to that scene's clips; models without clips
 *   there, and probes the scene does not use, are hidden.
 * - Probe: only that probe's column shows, and only models with clips for it.
 * - Columns: which probe columns show when no single probe is chosen.
 *
 * The state lives in the URL hash as a query (`#scene=ball-drop&probe=gravity`,
 * `hide=flicker,motion` for unticked columns), so a filtered view can be linked; the
 * page's own anchors (`#scene-ball-drop`) have no `=`, so the two never mix. The hash
 * is replaced, not pushed: filtering adds no history entries.
 */
(function () {
  "use strict";

  const pp = (window.probepress = window.probepress || {});
  if (pp.leaderboardLoaded) return; // included twice: one set of listeners only
  pp.leaderboardLoaded = true;

  const DASH = "\u2013";
  const original = new WeakMap(); // cell -> {html, sort}: the all-scenes view

  // Own keys only: a scene may be called "constructor" or "toString".
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function parseJSON(text, fallback) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return fallback;
    }
  }

  /** The filter state in `hash`, or null when the hash is not a filter query. */
  function stateFromHash(hash) {
    const query = (hash || "").replace(/^#/, "");
    if (!query.includes("=")) return null;
    const params = new URLSearchParams(query);
    const hide = params.get("hide");
    return {
      scene: params.get("scene") || "",
      probe: params.get("probe") || "",
      hidden: new Set(hide ? hide.split(",").filter(Boolean) : []),
    };
  }

  function hashFromState(state) {
    const params = new URLSearchParams();
    if (state.scene) params.set("scene", state.scene);
    if (state.probe) params.set("probe", state.probe);
    if (state.hidden.size) params.set("hide", Array.from(state.hidden).join(","));
    const query = params.toString();
    return query ? "#" + query : "";
  }

  function writeHash(state) {
    const hash = hashFromState(state);
    if (hash === location.hash || (!hash && !stateFromHash(location.hash))) return;
    history.replaceState(history.state, "", location.pathname + location.search + hash);
  }

  function element(tag, attributes, text) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) el.setAttribute(name, value);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** The table's parts: its scenes, its probe columns and every row's probe cells. */
  function describe(table) {
    const scenes = parseJSON(table.dataset.ppScenes, []).map(([name, title, anchor]) => ({
      name,
      title: title || name,
      anchor,
    }));
    const headers = Array.from(table.tHead.rows[0].cells);
    const probes = headers
      .map((header, index) => ({ name: header.dataset.ppProbe, header, index }))
      .filter((column) => column.name);
    const rows = Array.from(table.tBodies[0].rows).map((row) => ({
      row,
      cells: probes.map((column) => {
        const cell = row.cells[column.index];
        return { cell, scores: cell ? parseJSON(cell.dataset.ppScenes, {}) : {} };
      }),
    }));
    return { table, scenes, probes, rows };
  }

  /** Show one scene's score in `cell` (linking to that scene's clips), or the mean. */
  function showScore(cell, scores, scene) {
    if (!original.has(cell)) original.set(cell, { html: cell.innerHTML, sort: cell.dataset.sort });
    if (!scene) {
      const saved = original.get(cell);
      cell.innerHTML = saved.html;
      if (saved.sort === undefined) delete cell.dataset.sort;
      else cell.dataset.sort = saved.sort;
      return;
    }
    const score = has(scores, scene.name) ? scores[scene.name] : null;
    const text = typeof score === "number" ? score.toFixed(2) : DASH;
    cell.dataset.sort = typeof score === "number" ? String(score) : "-1";
    const link = element("a", { href: "#" + scene.anchor, title: `${scene.title}: ${text}` }, text);
    cell.replaceChildren(link);
  }

  function apply(board, state, status) {
    const scene = board.scenes.find((s) => s.name === state.scene) || null;
    const probe = board.probes.some((p) => p.name === state.probe) ? state.probe : "";
    // A column shows when chosen, and when the scene (if any) uses its probe.
    const shown = board.probes.map((column, i) => {
      if (probe ? column.name !== probe : state.hidden.has(column.name)) return false;
      return !scene || board.rows.some((r) => has(r.cells[i].scores, scene.name));
    });
    board.probes.forEach((column, i) => (column.header.hidden = !shown[i]));
    let rowsShown = 0;
    for (const { row, cells } of board.rows) {
      cells.forEach(({ cell, scores }, i) => {
        if (!cell) return;
        cell.hidden = !shown[i];
        showScore(cell, scores, scene);
      });
      // A model stays while it has clips behind a shown column (in the chosen scene).
      const measured = cells.some(({ scores }, i) =>
        shown[i] && (scene ? has(scores, scene.name) : Object.keys(scores).length > 0));
      row.hidden = !measured;
      if (measured) rowsShown += 1;
    }
    const columns = shown.filter(Boolean).length;
    status.textContent =
      `Showing ${rowsShown} of ${board.rows.length} models and ${columns} of ` +
      `${board.probes.length} probes` + (scene ? ` in the scene \u201c${scene.title}\u201d.` : ".");
  }

  function controls(board, state, onChange) {
    const bar = element("div", { class: "pp-board-filters", role: "group",
      "aria-label": "Filter the leaderboard" });

    const sceneSelect = element("select", { "data-pp-filter": "scene" });
    sceneSelect.append(element("option", { value: "" }, "All scenes"));
    for (const s of board.scenes) sceneSelect.append(element("option", { value: s.name }, s.title));
    const probeSelect = element("select", { "data-pp-filter": "probe" });
    probeSelect.append(element("option", { value: "" }, "All probes"));
    for (const p of board.probes) probeSelect.append(element("option", { value: p.name }, p.name));
    const sceneLabel = element("label", {}, "Scene ");
    sceneLabel.append(sceneSelect);
    const probeLabel = element("label", {}, "Probe ");
    probeLabel.append(probeSelect);

    const columns = element("details", { class: "pp-board-columns" });
    const summary = element("summary", {}, "Columns");
    const boxes = element("fieldset");
    boxes.append(element("legend", { class: "pp-visually-hidden" }, "Probe columns to show"));
    const checkboxes = board.probes.map((p) => {
      const box = element("input", { type: "checkbox", value: p.name, "data-pp-column": p.name });
      const label = element("label");
      label.append(box, " " + p.name);
      boxes.append(label);
      return box;
    });
    columns.append(summary, boxes);

    const reset = element("button", { type: "button", class: "md-button" }, "Show all");
    const status = element("p", { class: "pp-board-status", "aria-live": "polite" });
    bar.append(sceneLabel, probeLabel, columns, reset, status);

    function sync() {
      sceneSelect.value = board.scenes.some((s) => s.name === state.scene) ? state.scene : "";
      probeSelect.value = board.probes.some((p) => p.name === state.probe) ? state.probe : "";
      checkboxes.forEach((box) => {
        box.checked = !state.hidden.has(box.value);
        box.disabled = Boolean(probeSelect.value); // one probe chosen: its column only
      });
      const ticked = checkboxes.filter((box) => box.checked).length;
      summary.textContent = `Columns (${ticked} of ${checkboxes.length})`;
    }

    sceneSelect.addEventListener("change", () => onChange({ ...state, scene: sceneSelect.value }));
    probeSelect.addEventListener("change", () => onChange({ ...state, probe: probeSelect.value }));
    checkboxes.forEach((box) =>
      box.addEventListener("change", () => {
        const hidden = new Set(state.hidden);
        if (box.checked) hidden.delete(box.value);
        else hidden.add(box.value);
        onChange({ ...state, hidden });
      }));
    reset.addEventListener("click", () => onChange({ scene: "", probe: "", hidden: new Set() }));

    return {
      bar,
      status,
      update(next) {
        state = next;
        sync();
      },
    };
  }

  function wire(root) {
    const table = root.querySelector("table.pp-leaderboard[data-pp-scenes]:not([data-pp-filters])");
    if (!table || !table.tHead || !table.tBodies[0]) return;
    table.dataset.ppFilters = "done";
    const board = describe(table);
    let state = stateFromHash(location.hash) || { scene: "", probe: "", hidden: new Set() };

    const ui = controls(board, state, (next) => {
      state = next;
      ui.update(state);
      apply(board, state, ui.status);
      writeHash(state);
    });
    // Above the table's scrolling wrapper, so the controls never scroll sideways.
    const wrapper = table.closest(".md-typeset__scrollwrap") || table;
    wrapper.parentNode.insertBefore(ui.bar, wrapper);
    ui.update(state);
    apply(board, state, ui.status);

    board.restore = (hashState) => {
      state = hashState;
      ui.update(state);
      apply(board, state, ui.status);
    };
    pp.leaderboard = board;
  }

  // A filter link pasted into the address bar of an open leaderboard.
  window.addEventListener("hashchange", () => {
    const hashState = stateFromHash(location.hash);
    const board = pp.leaderboard;
    if (hashState && board && board.table.isConnected) board.restore(hashState);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => wire(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => wire(document));
  } else {
    wire(document);
  }
})();
