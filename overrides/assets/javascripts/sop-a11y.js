/* SOP portal: a table wider than the page scrolls sideways in one box, Material's
   .md-typeset__scrollwrap (sop.css keeps the portal's own wrappers from scrolling around
   it). While the table overflows, that box is a named region in the tab order, so the
   columns it hides can be reached with the keyboard (arrow keys scroll it: WCAG 2.1.1);
   when the window is wide enough again it leaves the tab order. Material adds the boxes
   after the page loads (and again after each instant navigation), hence the observers.
   The same observer unmakes the landmarks Material gives search results' tags. */
(function () {
  "use strict";
  /* Names Material's partials leave out or repeat, set here rather than in copies of those
     partials (a theme upgrade keeps them): the search dialog is named "Cari" (axe-core rule
     aria-dialog-name), and the breadcrumbs of navigation.path "Jejak halaman", like the
     portal's own trail, not "Navigasi" like the main navigation (rule landmark-unique). */
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    var input = document.querySelector(".md-search__input");
    search.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Cari");
  }
  document.querySelectorAll("nav.md-path").forEach(function (path) {
    path.setAttribute("aria-label", "Jejak halaman");
  });

  if (!("ResizeObserver" in window) || !("MutationObserver" in window)) return;

  var BOX = ".md-typeset .md-typeset__scrollwrap";
  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  });

  /* The nearest heading before the box: "Tabel: <heading>", numbered when repeated, so
     that every region of the page has a name of its own. */
  function label(box) {
    var article = box.closest("article") || document.body;
    var heading = null;
    for (var node = box; node && node !== article && !heading; node = node.parentElement) {
      for (var sib = node.previousElementSibling; sib && !heading; sib = sib.previousElementSibling) {
        if (/^H[1-6]$/.test(sib.tagName)) heading = sib;
        else {
          var inner = sib.querySelectorAll("h1, h2, h3, h4, h5, h6");
          if (inner.length) heading = inner[inner.length - 1];
        }
      }
    }
    var text = heading ? heading.textContent.replace(/\u00b6/g, "").trim() : "";
    var name = text ? "Tabel: " + text : "Tabel";
    var suffix = " — geser ke samping untuk kolom lainnya";
    var taken = {};
    document.querySelectorAll(BOX + "[aria-label]").forEach(function (other) {
      if (other !== box) taken[other.getAttribute("aria-label")] = true;
    });
    var unique = name;
    for (var n = 2; taken[unique + suffix]; n++) unique = name + " (" + n + ")";
    return unique + suffix;
  }

  function update(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(box));
    } else if (!scrolls && box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function watch() {
    /* Material lists a search result's tags (the SOP's instansi) in a <nav> of its own: one
       unnamed navigation landmark per result. They are labels, not navigation. */
    document.querySelectorAll(".md-search-result nav.md-tags:not([role])").forEach(function (tags) {
      tags.setAttribute("role", "none");
    });
    document.querySelectorAll(BOX + ":not([data-sop-watched])").forEach(function (box) {
      box.setAttribute("data-sop-watched", "");
      update(box);
      resized.observe(box);
    });
  }

  new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
  watch();
})();
