/**
 * Click-to-sort headers for `table.pp-leaderboard` (and any `table.pp-sortable`).
 *
 * A cell sorts by its `data-sort` value when it has one, else by its text; a header
 * with `data-sort-type="number"` compares numbers (undefined cells, -1, sort last).
 * Clicking the same header again reverses the order. Tables are marked with
 * `data-pp-sortable` once wired, so instant navigation can call this again safely.
 */
(function () {
  "use strict";

  function key(cell, numeric) {
    if (!cell) return numeric ? -Infinity : "";
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    const value = parseFloat(raw);
    return Number.isFinite(value) ? value : -Infinity;
  }

  function sortBy(table, header, index) {
    const body = table.tBodies[0];
    if (!body) return;
    const numeric = header.dataset.sortType === "number";
    // Numbers start high-to-low (best first); text starts A-Z.
    const descending = header.getAttribute("aria-sort") === "descending" ? false
      : header.getAttribute("aria-sort") === "ascending" ? true : numeric;
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = key(a.cells[index], numeric);
      const y = key(b.cells[index], numeric);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach((row) => body.appendChild(row));
    for (const other of header.parentElement.cells) other.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function wire(root) {
    const tables = root.querySelectorAll(
      "table.pp-leaderboard:not([data-pp-sortable]), table.pp-sortable:not([data-pp-sortable])"
    );
    tables.forEach((table) => {
      table.dataset.ppSortable = "done";
      const head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      Array.from(head.cells).forEach((header, index) => {
        header.tabIndex = 0;
        header.title = "Sort by " + header.textContent.trim();
        const sort = () => sortBy(table, header, index);
        header.addEventListener("click", sort);
        header.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sort();
          }
        });
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => wire(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => wire(document));
  } else {
    wire(document);
  }
})();
