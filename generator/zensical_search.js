/*
 * The portal's search under Zensical's search box (the Zensical build only; written into the
 * site as assets/javascripts/sop-search-zensical.js by generator/zensical_engine.py).
 *
 * The portal's search worker (sop-search.js) speaks Material's worker protocol: SETUP with
 * the index's {config, docs}, QUERY with the typed text, RESULT with {items: [[doc, ...]]},
 * one group of sections per page. Zensical's search box creates its worker the same way (the
 * `search` URL of the page's configuration, which overrides/main.html points here) but speaks
 * its own dialect: SETUP with its index {config, items}, QUERY with {input, page, ...}, and a
 * RESULT of {items: [{id, matches}], pagination} that names each hit by its position in that
 * index, from which the box shows title, path and text. This worker runs the portal's worker
 * inside itself and translates: Zensical -> Material for what comes in, Material -> Zensical
 * for what goes out. The ranking, word forms, typos and numbers are the portal's own.
 */
"use strict";

(function () {
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var PAGE = 10; /* hits per page of Zensical's box (it asks for more while scrolling) */

  var post = self.postMessage.bind(self);
  var listen = self.addEventListener.bind(self);
  var portal = []; /* the portal worker's message listeners */
  var ids = new Map(); /* an index item's address -> its position in Zensical's index */
  var pages = new Map(); /* a page's address -> the positions of its sections */
  /* This script's address: a Worker's own, or (from file://, in Material's iframe-worker
     shim, where the worker is a script of a page) the script element's. */
  var script = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : self.location.href;
  var base = new URL("../../", script); /* the site's root (this file is two folders down) */
  var queued = []; /* messages that came before the portal's worker listened (the shim loads it later) */
  var items = []; /* Zensical's index items (what its box shows of each hit) */
  var hits = []; /* the last query's hits, in Zensical's form */
  var numbers = []; /* the numbers typed (an SOP number): its hit shows where the number stands */

  function address(location) {
    var url = new URL(location, base);
    return url.pathname + url.hash;
  }

  /* The portal's worker answers through postMessage and listens with addEventListener:
     both are taken over while it loads, so its messages come here. */
  self.addEventListener = function (type, listener) {
    if (type !== "message") return listen(type, listener);
    portal.push(listener);
    queued.splice(0).forEach(send);
  };
  self.postMessage = function (message) {
    if (message && message.type === RESULT) return post({ type: RESULT, data: translate(message.data) });
    post(message);
  };
  importScripts(new URL("sop-search.js", script).href);

  function send(message) {
    if (!portal.length) return queued.push(message);
    portal.forEach(function (listener) { listener({ data: message }); });
  }

  /* One hit per page, as Material lists them (its count is the number of pages found): the
     page's first section whose text shows a word the portal's worker marked (else its best
     section), with those words underlined in the title and text Zensical's box shows from
     its own index. */
  function translate(result) {
    hits = [];
    var seen = new Set();
    (result && result.items || []).forEach(function (group) {
      var docs = Array.isArray(group) ? group : [group];
      var words = marked(docs).concat(numbers), chosen;
      /* the group's sections first, then the page's other sections (a page found by its
         number alone comes as its title only: the section holding the number is shown) */
      var candidates = docs.map(function (doc) { return ids.get(address(doc.location)); });
      if (docs.length) candidates = candidates.concat(pages.get(address(docs[0].location).split("#")[0]) || []);
      candidates.forEach(function (id) {
        if (id === undefined || seen.has(id)) return;
        if (chosen === undefined) chosen = id;
        if (!ranges(items[chosen].text || "", words).length && ranges(items[id].text || "", words).length) chosen = id;
      });
      if (chosen === undefined) return;
      seen.add(chosen);
      var item = items[chosen] || {};
      hits.push({
        id: chosen,
        matches: [
          { field: "title", value: { highlight: { ranges: ranges(item.title || "", words) } } },
          { field: "text", value: { highlight: { ranges: ranges(item.text || "", words) } } }
        ]
      });
    });
    return page(0, result);
  }

  /* The words the portal's worker highlighted (<mark>) in a page's sections. */
  function marked(docs) {
    var words = new Set();
    docs.forEach(function (doc) {
      String((doc.title || "") + " " + (doc.text || "")).replace(/<mark>(.*?)<\/mark>/g, function (_, word) {
        words.add(word.replace(/<[^>]*>/g, "").toLowerCase());
        return "";
      });
    });
    return Array.from(words).filter(Boolean);
  }

  /* Where the words stand in a text (HTML: not inside a tag), each from a word's start. */
  function ranges(text, words) {
    var lower = text.toLowerCase(), found = [];
    words.forEach(function (word) {
      for (var at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) {
        var before = at > 0 ? lower.charAt(at - 1) : " ";
        if (/[\p{L}\p{N}]/u.test(before) || lower.lastIndexOf("<", at) > lower.lastIndexOf(">", at)) continue;
        found.push({ start: at, end: at + word.length, value: word.length });
      }
    });
    found.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    return found.filter(function (range, i) { return i === 0 || range.start >= found[i - 1].end; });
  }

  function page(from, result) {
    var data = {
      items: hits.slice(from, from + PAGE),
      query: { values: [] },
      pagination: { total: hits.length }
    };
    if (from > 0) data.pagination.prev = { from: from - PAGE, size: PAGE };
    if (from + PAGE < hits.length) data.pagination.next = { from: from + PAGE, size: PAGE };
    if (result && result.sop) data.sop = result.sop;
    return data;
  }

  listen("message", function (ev) {
    var message = ev.data || {};
    if (message.type === SETUP) {
      var index = message.data || {};
      ids = new Map();
      items = index.items || [];
      pages = new Map();
      items.forEach(function (item, i) {
        var at = address(item.location), page = at.split("#")[0];
        ids.set(at, i);
        if (!pages.has(page)) pages.set(page, []);
        pages.get(page).push(i);
      });
      send({ type: SETUP, data: { config: index.config || {}, docs: index.docs || [] } });
    } else if (message.type === QUERY) {
      var query = message.data || {};
      if (query.page && query.page.from > 0) return post({ type: RESULT, data: page(query.page.from) });
      var input = typeof query.input === "string" ? query.input : "";
      numbers = input.toLowerCase().split(/\s+/).filter(function (word) { return /\d/.test(word); });
      send({ type: QUERY, data: input });
    }
  });
})();
