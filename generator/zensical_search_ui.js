/*
 * The page's side of the portal's search in Zensical's search box (the Zensical build only;
 * written into the site as assets/javascripts/sop-search-zensical-ui.js and loaded by every
 * page, see generator/zensical_engine.py).
 *
 * When the portal's worker corrects a spelling ("laporran" -> "laporan") its result says so
 * (`sop.corrected`). Under MkDocs sop-search-ui.js writes "Menampilkan hasil untuk ..." under
 * Material's count of results; Zensical's box has its count in a shadow root, so this script
 * writes the same line under that count (and makes the box's results as legible as the
 * rest of the portal, see STYLE). It watches the worker's messages by wrapping the Worker
 * constructor before Zensical's bundle creates its worker.
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

  /* Zensical's box draws each hit's path in grey and the matched words in the accent colour,
     both too faint on white for WCAG AA (3.4:1 and 4.3:1), and names each hit by its title
     alone though it shows more (axe: label-content-name-mismatch). The portal's colours
     (Material's own variables, which reach into the shadow root) and each hit named by what
     it shows, as Material's results are. */
  var STYLE =
    "[role=option] menu, [role=option] menu li { color: var(--md-default-fg-color--light); }" +
    "[role=option] u { color: var(--md-typeset-a-color); }";

  function fit(root) {
    if (!root.querySelector("style[data-sop-search]")) {
      var style = document.createElement("style");
      style.setAttribute("data-sop-search", "");
      style.textContent = STYLE;
      root.appendChild(style);
    }
    root.querySelectorAll("[role=option][aria-labelledby]").forEach(function (option) {
      option.removeAttribute("aria-labelledby");
    });
  }

  var watched = new WeakSet();
  function watch() {
    var count = heading();
    var root = count && count.getRootNode();
    if (!root || watched.has(root)) return;
    watched.add(root);
    fit(root);
    new MutationObserver(function () { fit(root); }).observe(root, { childList: true, subtree: true });
  }

  function Wrapped(url, options) {
    var worker = new Base(url, options);
    worker.addEventListener("message", function (ev) {
      var message = ev.data;
      if (message && message.type === RESULT) {
        var sop = message.data && message.data.sop;
        /* after Zensical's box has drawn the result it got with this message */
        setTimeout(function () {
          watch();
          notice(sop && sop.corrected ? sop.corrected : "");
        }, 0);
      }
    });
    return worker;
  }
  Wrapped.prototype = Base.prototype;
  window.Worker = Wrapped;
})();
