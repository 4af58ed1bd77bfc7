/*
 * The page's side of the portal's search (the worker is sop-search.js).
 *
 * When the worker answers a query with a corrected spelling ("kinreja" -> "kinerja") it says
 * so in its result (`sop.corrected`); Material shows only the count of results, so this script
 * writes "Menampilkan hasil untuk ..." under that count; and when more pages matched than the
 * worker lists (`sop.total`), how many there were. It watches the worker's messages by
 * wrapping the Worker constructor before Material's bundle creates its worker (the same way
 * for Material's iframe-worker shim, used from file://).
 */
(function () {
  "use strict";
  var RESULT = 3;
  var Base = window.Worker;
  if (typeof Base !== "function") return;

  function notice(corrected, total, shown) {
    var lines = [];
    if (corrected) lines.push("Menampilkan hasil untuk \u201c" + corrected + "\u201d (ejaan dibetulkan).");
    if (total) lines.push("Ditampilkan " + shown + " halaman teratas dari " + total.toLocaleString("id-ID") +
      " yang cocok; tambahkan kata untuk mempersempit.");
    return lines.join(" ");
  }

  function show(text) {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    var note = document.querySelector(".sop-search-notice");
    if (!note) {
      note = document.createElement("p");
      note.className = "sop-search-notice";
      note.setAttribute("role", "status");
      meta.insertAdjacentElement("afterend", note);
    }
    note.hidden = !text;
    note.textContent = text;
  }

  function Wrapped(url, options) {
    var worker = new Base(url, options);
    worker.addEventListener("message", function (ev) {
      var message = ev.data;
      if (message && message.type === RESULT) {
        var sop = message.data && message.data.sop;
        show(sop ? notice(sop.corrected, sop.total, sop.shown) : "");
      }
    });
    return worker;
  }
  Wrapped.prototype = Base.prototype;
  window.Worker = Wrapped;
})();
