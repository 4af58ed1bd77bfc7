/*
 * The page's side of the portal's search in Zensical's search box (the Zensical build only;
 * written into the site as assets/javascripts/sop-search-zensical-ui.js and loaded by every
 * page, see generator/zensical_engine.py).
 *
 * When the portal's worker corrects a spelling ("laporran" -> "laporan") its result says so
 * (`sop.corrected`). Under MkDocs sop-search-ui.js writes "Menampilkan hasil untuk ..." under
 * Material's count of results; Zensical's box has its count in a shadow root, so this script
 * writes the same line under that count. It watches the worker's messages by wrapping the
 * Worker constructor before Zensical's bundle creates its worker.
 */
(function () {
  "use strict";
  var RESULT = 3;
  var Base = window.Worker;
  if (typeof Base !== "function") return;

  /* The count of results in Zensical's box (its role=status line), in the box's shadow root. */
  function heading() {
    var hosts = document.querySelectorAll("body > *");
    for (var i = 0; i < hosts.length; i++) {
      var root = hosts[i].shadowRoot;
      var status = root && root.querySelector("dialog [role=status]");
      if (status) return status;
    }
    return null;
  }

  function notice(text) {
    var count = heading();
    if (!count) return;
    var note = count.parentNode.querySelector(".sop-search-notice");
    if (!note) {
      note = document.createElement("p");
      note.className = "sop-search-notice";
      note.setAttribute("role", "status");
      note.style.cssText = "margin:0;padding:0 1rem .5rem;font-size:.8rem;font-style:italic";
      count.insertAdjacentElement("afterend", note);
    }
    note.hidden = !text;
    note.textContent = text ? "Menampilkan hasil untuk \u201c" + text + "\u201d (ejaan dibetulkan)." : "";
  }

  function Wrapped(url, options) {
    var worker = new Base(url, options);
    worker.addEventListener("message", function (ev) {
      var message = ev.data;
      if (message && message.type === RESULT) {
        var sop = message.data && message.data.sop;
        /* after Zensical's box has drawn the result it got with this message */
        setTimeout(function () { notice(sop && sop.corrected ? sop.corrected : ""); }, 0);
      }
    });
    return worker;
  }
  Wrapped.prototype = Base.prototype;
  window.Worker = Wrapped;
})();
