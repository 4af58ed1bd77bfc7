/* SOP portal: on a phone a table stacks its columns (sop.css, `table[data-sop-stack]`):
   each row becomes a block and each cell is labelled with its column's header, which this
   script copies into the cell's `data-label`. Tables of two columns fit as they are, and the
   SOP lists keep their compact rows; an SOP page shows step cards instead of its step table.
   Without JavaScript the tables stay tables and scroll sideways in their box. */
(function () {
  "use strict";

  /* A header's text as shown, its lines joined with " · " (an SOP's name, then its office). */
  function text(cell) {
    var shown = (cell.innerText || cell.textContent).replace(/\u00b6/g, "");
    return shown.split(/\s*\n\s*/).filter(Boolean).map(function (line) {
      return line.replace(/\s+/g, " ").trim();
    }).join(" · ");
  }

  function stack(table) {
    if (table.hasAttribute("data-sop-stack") || table.closest(".sop-list, .sop-identity")) return;
    var head = table.tHead && table.tHead.rows[0];
    if (!head || head.cells.length < 3) return;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) names.push(text(cell));
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD" && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.setAttribute("data-sop-stack", "");
  }

  document.querySelectorAll(".md-content table").forEach(stack);
})();
