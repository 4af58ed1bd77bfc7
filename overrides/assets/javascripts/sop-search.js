/*
 * The portal's search worker: Indonesian word forms, typos, SOP numbers, post names.
 *
 * Material for MkDocs runs search in a Web Worker that it talks to with four messages
 * (SETUP -> READY, QUERY -> RESULT); a site may hand it its own worker (the `search` URL of
 * the page's configuration, set in overrides/main.html). This is that worker.
 *
 * Its index is written at build time in parts (generator/web/search_index.py, which
 * documents the files): Material's search_index.json is only a stub whose `config.sop` says
 * where the parts are. The worker loads nothing until the first query; then the manifest
 * (pages, chunk boundaries, synonyms), the postings chunks holding the query's words, their
 * stems and affix stems and the words they begin, the page titles of the results and the
 * sections of the first results (their teasers). A phone downloads what one query needs,
 * not the index of every page.
 *
 *   stem      word -> stem for the portal's words (Sastrawi, Nazief-Adriani), in the record
 *             of the word; `forms`, in the record of a stem, are the words it stems
 *   synonyms  groups of names of one post or term (jabatan aliases, glossary)
 *   kinds     "sop", "halaman" or "panduan" per page (maintainers' guides rank last)
 *   titles    each page's title and, for an SOP, its instansi (two SOPs of one title differ)
 *   numbers   the SOP numbers, matched with or without their spaces
 *
 * A query word is matched as written, by its stem, by its affix stem (affixStem, the twin of
 * generator/web/search.affix_stem), and as the beginning of a longer word. A query that
 * finds nothing for a word retries that word at an edit distance of one or two and says so
 * (the `sop.corrected` field of the result, shown by sop-search-ui.js). At most
 * RANK.maxResults pages are listed; `sop.total` then says how many matched.
 *
 * Every part is a script `sopSearchData("name", data);`. Online the worker fetches it; from
 * file://, inside Material's iframe-worker shim (where nothing can be fetched), it runs the
 * part as a script through the shim's importScripts. It only uses addEventListener("message")
 * and postMessage, like Material's own worker.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

/* One home for the ranking rules. The weights of a word in a section (title x3, instansi
   x2, performers x6) are applied when the index is written (generator/web/search_index.py). */
var RANK = {
  kind: { sop: 3, halaman: 1, panduan: 0.15 }, /* an SOP above a view above a maintainers' guide */
  exact: 1,                /* the word as written */
  stem: 0.85,              /* the same stem (pengukuran ~ mengukur) */
  affix: 0.6,              /* the same affix stem, for words Sastrawi reads differently */
  prefix: 0.5,             /* the beginning of a longer word, while typing */
  synonym: 0.9,            /* another name of the same post or term */
  nomor: 40,               /* the SOP number typed whole */
  maxPrefixes: 40,
  minPrefix: 3,            /* the shortest beginning completed to longer words */
  prefixChunks: 4,         /* postings chunks loaded at most for one beginning */
  teasers: 10,             /* pages shown with their sections and teasers (Material shows ten
                              at first); later pages show their title */
  maxResults: 100,         /* pages listed at most (their titles are downloaded): a word on
                              every page lists the best 100 and says how many there were */
  teaserBefore: 60,        /* a result's teaser: characters before the first match, */
  teaserLength: 240        /* and in all */
};

var WORD = /[\p{L}\p{N}]+(?:[./-][\p{L}\p{N}]+)*/gu;
var DIGIT = /\p{N}/u;
var INNER = /[./-]/;

/* ------------------------------------------------------------------ words */

function plain(html) {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#x27|#39|nbsp);/g, function (_, e) {
      return { amp: "&", lt: "<", gt: ">", quot: "\"", "#x27": "'", "#39": "'", nbsp: " " }[e];
    })
    .replace(/(\p{N})\s*([./-])\s*(?=\p{N})/gu, "$1$2");
}

/* The words of plain text, as generator/web/search.words splits them. */
function words(text) {
  var found = [];
  var matches = text.toLowerCase().match(WORD) || [];
  for (var i = 0; i < matches.length; i++) {
    var token = matches[i];
    var parts = token.split(INNER);
    if (DIGIT.test(token)) {
      found.push(token);
      if (parts.length > 1) found.push.apply(found, parts);
    } else {
      found.push.apply(found, parts);
    }
  }
  return found;
}

function compactNumber(text) {
  return text.toLowerCase().replace(/\s+/g, "");
}

/* ------------------------------------------------------------------ stems */

var VOWELS = "aeiou";
var PARTICLES = ["kah", "lah", "pun"];
var POSSESSIVES = ["ku", "mu", "nya"];
var FIRST_PREFIXES = [
  ["meng", "", "meng"], ["meny", "s", "meng"], ["men", "t", "meng"], ["mem", "p", "meng"], ["me", "", "meng"],
  ["peng", "", "peng"], ["peny", "s", "peng"], ["pen", "t", "peng"], ["pem", "p", "peng"],
  ["di", "", "di"], ["ter", "", "ter"], ["ke", "", "ke"]
];
var SUFFIX_BLOCKED_BY = [["kan", ["ke", "peng", "pe"]], ["an", ["di", "meng", "ter"]], ["i", ["ber", "ke", "peng"]]];

/* The light affix rule (after Tala's stemmer as Lucene implements it): the same steps as
   generator/web/search.affix_stem, which documents them. */
function affixStem(word) {
  if (DIGIT.test(word) || !/^\p{L}+$/u.test(word)) return word;
  var state = { word: word, syllables: 0, flags: {}, restored: false };
  for (var c = 0; c < word.length; c++) if (VOWELS.indexOf(word[c]) >= 0) state.syllables += 1;
  function cut(start, end, restore, flag) {
    state.word = restore + state.word.slice(start, state.word.length - end);
    state.syllables -= 1;
    if (flag) state.flags[flag] = true;
    return true;
  }
  function stripEnd(endings) {
    if (state.syllables <= 2) return false;
    for (var i = 0; i < endings.length; i++)
      if (state.word.endsWith(endings[i])) return cut(0, endings[i].length, "", "");
    return false;
  }
  function firstOrderPrefix() {
    if (state.syllables <= 2) return false;
    for (var i = 0; i < FIRST_PREFIXES.length; i++) {
      var prefix = FIRST_PREFIXES[i][0], restore = FIRST_PREFIXES[i][1], flag = FIRST_PREFIXES[i][2];
      if (!state.word.startsWith(prefix)) continue;
      var next = state.word.charAt(prefix.length);
      if (restore && next && VOWELS.indexOf(next) >= 0) {
        state.restored = true;
        return cut(prefix.length, 0, restore, flag);
      }
      if (restore && (prefix === "meny" || prefix === "peny")) continue;
      return cut(prefix.length, 0, "", flag);
    }
    return false;
  }
  function secondOrderPrefix() {
    if (state.syllables <= 2) return false;
    var w = state.word;
    if (w.startsWith("ber")) return cut(3, 0, "", "ber");
    if (w === "belajar") return cut(3, 0, "", "ber");
    if (w.startsWith("be") && w.length > 4 && VOWELS.indexOf(w[2]) < 0 && w.slice(3, 5) === "er") return cut(2, 0, "", "ber");
    if (w.startsWith("per")) return cut(3, 0, "", "");
    if (w === "pelajar") return cut(3, 0, "", "");
    if (w.startsWith("pe")) return cut(2, 0, "", "pe");
    return false;
  }
  function suffix() {
    if (state.syllables <= 2) return false;
    for (var i = 0; i < SUFFIX_BLOCKED_BY.length; i++) {
      var end = SUFFIX_BLOCKED_BY[i][0], blockedBy = SUFFIX_BLOCKED_BY[i][1];
      if (!state.word.endsWith(end)) continue;
      if (blockedBy.some(function (f) { return state.flags[f]; }) || (end === "i" && state.word.endsWith("si"))) continue;
      return cut(0, end.length, "", "");
    }
    return false;
  }
  stripEnd(PARTICLES);
  stripEnd(POSSESSIVES);
  if (firstOrderPrefix()) {
    if (suffix() && !state.restored) secondOrderPrefix();
  } else {
    secondOrderPrefix();
    suffix();
  }
  return state.word;
}

/* Optimal string alignment distance (a swap of two letters is one edit), cut at `limit`. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  var prev2 = null, prev = [], row;
  for (var j = 0; j <= b.length; j++) prev.push(j);
  for (var i = 1; i <= a.length; i++) {
    row = [i];
    var best = i;
    for (var k = 1; k <= b.length; k++) {
      var cost = a[i - 1] === b[k - 1] ? 0 : 1;
      var value = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
      if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1])
        value = Math.min(value, prev2[k - 2] + 1);
      row.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/* ------------------------------------------------------------------ the parts */

/* The site's root: the worker is assets/javascripts/sop-search.js. Inside the iframe-worker
   shim the worker is a script of a page, not a Worker, and parts are scripts too. */
var SCRIPTS = typeof document !== "undefined";
var ROOT = (function () {
  try {
    return new URL("../../", SCRIPTS && document.currentScript ? document.currentScript.src : self.location.href).href;
  } catch (err) {
    return "";  /* run as a plain script (the tests): no parts are loaded */
  }
})();
var waiting = {};

/* Called by each part (a script `sopSearchData("name", data);`) when it runs as a script. */
self.sopSearchData = function (name, data) {
  if (waiting[name]) {
    waiting[name](data);
    delete waiting[name];
  }
};

function Parts(config) {
  this.base = new URL(config.path || "search/sop/", ROOT).href;
  this.version = config.v || "";
  this.files = new Map();
}

/* A part's data, loaded once (a failed load is tried again by the next query). */
Parts.prototype.get = function (name) {
  var files = this.files;
  if (!files.has(name)) {
    var url = this.base + name + ".js?v=" + this.version;
    var promise = SCRIPTS
      ? new Promise(function (resolve, reject) {
          waiting[name] = resolve;
          Promise.resolve(importScripts(url)).then(function () {
            if (waiting[name]) { delete waiting[name]; reject(new Error(url)); }
          }, reject);
        })
      : fetch(url).then(function (response) {
          if (!response.ok) throw new Error(url + ": " + response.status);
          return response.text();
        }).then(function (text) {
          return JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")")));
        });
    files.set(name, promise.catch(function (err) { files.delete(name); throw err; }));
  }
  return files.get(name);
};

/* ------------------------------------------------------------------ the index */

var KINDS = { s: "sop", h: "halaman", p: "panduan" };

function Engine(manifest, parts) {
  this.parts = parts;
  this.total = manifest.sections;
  this.chunks = manifest.chunks;           /* first key of each postings chunk */
  this.titleGroup = manifest.titleGroup;
  this.split = manifest.parts || {};        /* page -> first section of each fragment part */
  this.loaded = [];                         /* chunk number -> its records, once loaded */
  this.records = new Map();                 /* key -> [key, w, s, a, stem, forms] */
  this.decoded = new Map();                 /* "w:"/"s:"/"a:" + key -> Map(section -> weight) */
  this.synonyms = new Map();                /* word or phrase -> the other names of its group */
  this.pageOf = new Int32Array(this.total); /* section -> page */
  this.firstOf = [];                        /* page -> its first section */
  this.kinds = [];
  this.boosts = manifest.boosts || {};
  this.titles = [];                         /* page -> [location, title, instansi], once loaded */
  this.fragments = [];                      /* page -> [[anchor, title, text]], as loaded */
  this.vocabulary = null;                   /* [words, counts], loaded to correct a typo */
  this.numbers = null;
  var section = 0;
  for (var p = 0; p < manifest.counts.length; p++) {
    this.firstOf.push(section);
    this.kinds.push(KINDS[manifest.kinds.charAt(p)] || "halaman");
    for (var n = 0; n < manifest.counts[p]; n++) this.pageOf[section++] = p;
  }
  var groups = manifest.synonyms || [];
  for (var g = 0; g < groups.length; g++)
    for (var m = 0; m < groups[g].length; m++)
      this.synonyms.set(groups[g][m], groups[g].filter(function (other, k) { return k !== m; }));
}

Engine.prototype.chunkOf = function (key) {
  return Math.max(0, upperBound(this.chunks, key) - 1);
};

Engine.prototype.loadChunk = function (number) {
  var self = this;
  if (number < 0 || number >= this.chunks.length || this.loaded[number]) return Promise.resolve();
  return this.parts.get("c-" + number).then(function (records) {
    if (self.loaded[number]) return;
    for (var i = 0; i < records.length; i++) self.records.set(records[i][0], records[i]);
    self.loaded[number] = records;
  });
};

/* Loads the chunks of these keys, and of the words these beginnings complete. */
Engine.prototype.load = function (keys, beginnings) {
  var wanted = new Set();
  for (var i = 0; i < keys.length; i++) wanted.add(this.chunkOf(keys[i]));
  for (var b = 0; b < beginnings.length; b++) {
    var c = this.chunkOf(beginnings[b]);
    wanted.add(c);
    for (var n = 1; n < RANK.prefixChunks && c + n < this.chunks.length; n++) {
      if (!this.chunks[c + n].startsWith(beginnings[b])) break;
      wanted.add(c + n);
    }
  }
  var self = this;
  return Promise.all(Array.from(wanted).map(function (c) { return self.loadChunk(c); }));
};

/* What a query needs before it can be scored: the records of its words, of their affix
   stems and the words they begin (one round), then of their stems (a second round). */
Engine.prototype.prepare = function (terms, prefixes) {
  var self = this, list = [], beginnings = [];
  for (var t = 0; t < terms.length; t++) {
    list.push(terms[t]);
    if (prefixes && this.completes(terms[t])) beginnings.push(terms[t]);
    var names = [terms[t]].concat(this.synonyms.get(terms[t]) || []);
    for (var n = 0; n < names.length; n++) list.push.apply(list, names[n].split(" "));
  }
  var keys = list.concat(list.map(affixStem));
  return this.load(keys, beginnings).then(function () {
    return self.load(list.map(function (word) { return self.stem(word); }), []);
  });
};

Engine.prototype.completes = function (word) {
  return word.length >= RANK.minPrefix && !DIGIT.test(word) && word.indexOf(" ") < 0;
};

Engine.prototype.record = function (key) {
  return this.records.get(key) || null;
};

/* The stem of a word (its record must be loaded): Sastrawi's for the portal's words, the
   word itself for a word Sastrawi keeps, the affix rule for a word the portal lacks. */
Engine.prototype.stem = function (word) {
  var record = this.record(word);
  if (record && record[4]) return record[4];
  return record && record[1] ? word : affixStem(word);
};

Engine.prototype.postings = function (field, key) {
  var name = field + key;
  if (this.decoded.has(name)) return this.decoded.get(name);
  var record = this.record(key), flat = record && record[{ "w:": 1, "s:": 2, "a:": 3 }[field]];
  /* A stem's or affix stem's postings written once when they are another field's: 1 "as w",
     2 "as s" (most words are their own stem). */
  while (typeof flat === "number" && flat > 0) flat = record[flat];
  var list = null;
  if (flat) {
    list = new Map();
    for (var i = 0, doc = 0; i < flat.length; i += 2) {
      doc += flat[i];
      list.set(doc, flat[i + 1]);
    }
  }
  this.decoded.set(name, list);
  return list;
};

Engine.prototype.keys = function (word) {
  return [["w:", word, RANK.exact], ["s:", this.stem(word), RANK.stem], ["a:", affixStem(word), RANK.affix]];
};

/* Scores of one word: section -> score, each section by its best way of matching. */
Engine.prototype.wordScores = function (word, prefixes) {
  var total = this.total, scores = new Map(), self = this;
  function collect(field, key, factor) {
    var list = self.postings(field, key);
    if (!list) return;
    var idf = Math.log(1 + total / list.size);
    list.forEach(function (weight, doc) {
      var score = factor * idf * (weight / (weight + 1.2));
      if (score > (scores.get(doc) || 0)) scores.set(doc, score);
    });
  }
  var keys = this.keys(word);
  for (var i = 0; i < keys.length; i++) collect(keys[i][0], keys[i][1], keys[i][2]);
  if (prefixes && this.completes(word)) {
    var found = 0;
    for (var c = this.chunkOf(word); c < this.chunks.length && found < RANK.maxPrefixes; c++) {
      var records = this.loaded[c];
      if (!records) break;
      var start = lowerBound(records.map(function (r) { return r[0]; }), word), ended = false;
      for (var j = start; j < records.length && found < RANK.maxPrefixes; j++) {
        var other = records[j][0];
        if (!other.startsWith(word)) { ended = true; break; }
        if (other === word || !records[j][1]) continue;
        found += 1;
        collect("w:", other, RANK.prefix);
      }
      if (ended) break;
    }
  }
  return scores;
};

/* Scores of one query term: its own words, or another name of its group (all of a phrase's
   words in one page section; a phrase typed, "laporan kinerja", is found by its own words
   as well as by "LKj"). */
Engine.prototype.termScores = function (term, prefixes) {
  var scores = this.wordScores(term, prefixes);
  var others = this.synonyms.get(term) || [];
  if (term.indexOf(" ") >= 0) others = [term].concat(others);
  for (var i = 0; i < others.length; i++) {
    var parts = others[i].split(" "), phrase = null, factor = others[i] === term ? 1 : RANK.synonym;
    for (var p = 0; p < parts.length; p++) {
      var part = this.wordScores(parts[p], false), next = new Map();
      part.forEach(function (score, doc) {
        if (phrase === null) next.set(doc, score);
        else if (phrase.has(doc)) next.set(doc, Math.min(phrase.get(doc), score));
      });
      phrase = next;
      if (!phrase.size) break;
    }
    if (phrase) phrase.forEach(function (score, doc) {
      score *= factor;
      if (score > (scores.get(doc) || 0)) scores.set(doc, score);
    });
  }
  return scores;
};

/* The query's terms: words, with a known phrase ("sekretaris camat") kept as one term. */
Engine.prototype.terms = function (query) {
  var list = words(plain(query)), terms = [];
  for (var i = 0; i < list.length; i++) {
    var taken = false;
    for (var size = 4; size >= 2 && !taken; size--) {
      var phrase = list.slice(i, i + size).join(" ");
      if (i + size <= list.length && this.synonyms.has(phrase)) {
        terms.push(phrase);
        i += size - 1;
        taken = true;
      }
    }
    if (!taken && terms.indexOf(list[i]) < 0) terms.push(list[i]);
  }
  /* A number's parts are not terms of their own: "427.90/26" finds the number, not every "26". */
  var whole = terms.filter(function (t) { return DIGIT.test(t) && INNER.test(t); });
  return terms.filter(function (t) {
    return !whole.some(function (w) { return w !== t && w.split(INNER).indexOf(t) >= 0; });
  });
};

/* A word of the portal within one edit (two for longer words) of a word it lacks (the
   vocabulary must be loaded; it holds the words without digits). */
Engine.prototype.correct = function (word) {
  if (word.length < 4 || DIGIT.test(word) || !this.vocabulary) return null;
  var sorted = this.vocabulary[0], counts = this.vocabulary[1];
  var limit = word.length >= 7 ? 2 : 1, best = null, bestDistance = limit + 1, bestCount = 0;
  for (var i = 0; i < sorted.length; i++) {
    var other = sorted[i];
    if (Math.abs(other.length - word.length) > limit) continue;
    var d = distance(word, other, limit);
    var count = counts[i];
    if (d < bestDistance || (d === bestDistance && d <= limit && count > bestCount)) {
      best = other; bestDistance = d; bestCount = count;
    }
  }
  return bestDistance <= limit ? best : null;
};

Engine.prototype.search = async function (query) {
  var terms = this.terms(query);
  if (!terms.length) return { items: [] };
  var compact = compactNumber(query), numbered = compact.length >= 4 && DIGIT.test(compact);
  await Promise.all([this.prepare(terms, true), numbered ? this.loadNumbers() : null]);
  var corrected = false, scores = [];
  for (var t = 0; t < terms.length; t++) {
    var last = t === terms.length - 1;
    var found = this.termScores(terms[t], true);
    if (!found.size && terms[t].indexOf(" ") < 0 && terms[t].length >= 4 && !DIGIT.test(terms[t])) {
      if (!this.vocabulary) this.vocabulary = await this.parts.get("vocabulary");
      var better = this.correct(terms[t]);
      if (better) {
        terms[t] = better;
        corrected = true;
        await this.prepare([better], last);
        found = this.termScores(better, last);
      }
    }
    scores.push(found);
  }
  var result = await this.rank(terms, scores, compact, numbered);
  if (corrected) result.sop = Object.assign(result.sop || {}, { corrected: terms.join(" ") });
  return result;
};

Engine.prototype.loadNumbers = function () {
  var self = this;
  return this.parts.get("numbers").then(function (numbers) { self.numbers = numbers; });
};

/* Pages ranked: each term counts by its best section of the page, a page matching every term
   far above one matching some; then its kind and boost. Sections listed under their page. */
Engine.prototype.rank = async function (terms, scores, compact, numbered) {
  var self = this, pages = new Map();
  for (var t = 0; t < scores.length; t++)
    scores[t].forEach(function (score, doc) {
      var page = self.pageOf[doc];
      if (!pages.has(page)) pages.set(page, terms.map(function () { return 0; }));
      var best = pages.get(page);
      if (score > best[t]) best[t] = score;
    });
  var byNumber = new Map();
  if (numbered && this.numbers)
    for (var n = 0; n < this.numbers.length; n++) {
      var number = this.numbers[n][0];
      if (number === compact || (compact.length >= 6 && number.indexOf(compact) >= 0))
        byNumber.set(this.numbers[n][1], number === compact ? 2 : 1);
    }
  byNumber.forEach(function (_, page) {
    if (!pages.has(page)) pages.set(page, terms.map(function () { return 0; }));
  });
  var ranked = [];
  pages.forEach(function (best, page) {
    var matched = best.filter(function (s) { return s > 0; }).length;
    var sum = best.reduce(function (a, b) { return a + b; }, 0);
    var coverage = matched / terms.length;
    var score = sum * coverage * coverage + RANK.nomor * (byNumber.get(page) || 0);
    score *= (RANK.kind[self.kinds[page]] || 1) * (self.boosts[page] || 1);
    if (score > 0) ranked.push({ page: page, score: score, best: best });
  });
  ranked.sort(function (a, b) { return b.score - a.score; });
  var total = ranked.length;
  if (total > RANK.maxResults) ranked = ranked.slice(0, RANK.maxResults);
  for (var r = 0; r < ranked.length && r < RANK.teasers; r++) ranked[r].sections = this.shown(ranked[r], terms, scores);
  await this.loadShown(ranked);
  var matchedWords = this.matchedWords(terms);
  var items = ranked.map(function (entry) {
    return entry.sections ? self.group(entry, matchedWords) : self.line(entry, terms, matchedWords);
  });
  return total > items.length ? { items: items, sop: { total: total, shown: items.length } } : { items: items };
};

/* The sections of a page among the first results that are shown: those matching, best
   first, and the page's own entry (its first section). */
Engine.prototype.shown = function (entry, terms, scores) {
  var first = this.firstOf[entry.page], count = (this.firstOf[entry.page + 1] || this.total) - first;
  var items = [];
  for (var k = 0; k < count; k++) {
    var own = 0, matched = {};
    for (var t = 0; t < terms.length; t++) {
      var score = scores[t].get(first + k) || 0;
      own += score;
      matched[terms[t]] = score > 0;
    }
    items.push({ k: k, own: own, matched: matched });
  }
  items.sort(function (a, b) { return b.own - a.own; });
  return items.filter(function (item, i) { return item.own > 0 || item.k === 0 || i === 0; });
};

/* The fragment files holding these sections of a page (a large page is split in parts). */
Engine.prototype.fragmentFiles = function (page, sections) {
  var starts = this.split[page];
  if (!starts) return [["f-" + page, 0]];
  var names = new Map();
  for (var i = 0; i < sections.length; i++) {
    var part = upperBound(starts, sections[i].k) - 1;
    names.set("f-" + page + "-" + part, starts[part]);
  }
  return Array.from(names);
};

/* The titles of every page found, and the shown sections of the first ones. */
Engine.prototype.loadShown = function (ranked) {
  var self = this, loads = [], groups = new Set();
  ranked.forEach(function (entry) {
    var group = Math.floor(entry.page / self.titleGroup);
    if (!self.titles[entry.page] && !groups.has(group)) {
      groups.add(group);
      loads.push(self.parts.get("t-" + group).then(function (rows) {
        for (var r = 0; r < rows.length; r++) self.titles[group * self.titleGroup + r] = rows[r];
      }));
    }
    if (!entry.sections) return;
    if (!self.fragments[entry.page]) self.fragments[entry.page] = [];
    var sections = self.fragments[entry.page];
    self.fragmentFiles(entry.page, entry.sections).forEach(function (file) {
      if (sections[file[1]]) return;
      loads.push(self.parts.get(file[0]).then(function (rows) {
        for (var r = 0; r < rows.length; r++) sections[file[1] + r] = rows[r];
      }));
    });
  });
  return Promise.all(loads);
};

/* A page among the first results: its sections that match, each with a teaser. */
Engine.prototype.group = function (entry, matchedWords) {
  var page = this.titles[entry.page][0], instansi = this.titles[entry.page][2];
  var sections = this.fragments[entry.page], top = entry.sections[0].own;
  return entry.sections.map(function (item) {
    var section = sections[item.k], article = section[0].indexOf("#") < 0;
    var result = {
      location: page + section[0],
      title: highlight(section[1], matchedWords),
      text: teaser(section[2], matchedWords),
      /* Material shows the sections scoring as high as the first in full, the rest folded;
         a page found by its number alone shows its own entry first. */
      score: top > 0 ? entry.score * item.own / top : article ? entry.score : 0,
      terms: item.matched
    };
    if (instansi && article) result.tags = [instansi];
    return result;
  });
};

/* A page further down the results: its title (and an SOP's instansi), without teasers. */
Engine.prototype.line = function (entry, terms, matchedWords) {
  var row = this.titles[entry.page], matched = {};
  for (var t = 0; t < terms.length; t++) matched[terms[t]] = entry.best[t] > 0;
  var result = { location: row[0], title: highlight(row[1], matchedWords), text: "", score: entry.score, terms: matched };
  if (row[2]) result.tags = [row[2]];
  return [result];
};

/* The words a text word must be to be highlighted: the query's words and their synonyms',
   the portal's words of the same stem; and the beginnings typed. */
Engine.prototype.matchedWords = function (terms) {
  var hits = new Set(), prefixes = [];
  for (var t = 0; t < terms.length; t++) {
    var names = [terms[t]].concat(this.synonyms.get(terms[t]) || []);
    for (var n = 0; n < names.length; n++) {
      var parts = names[n].split(" ");
      for (var p = 0; p < parts.length; p++) {
        hits.add(parts[p]);
        var stem = this.stem(parts[p]), record = this.record(stem);
        if (!(record && record[4])) hits.add(stem);
        var forms = (record && record[5]) || [];
        for (var f = 0; f < forms.length; f++) hits.add(forms[f]);
      }
    }
    if (terms[t].length >= 3) prefixes.push(terms[t]);
  }
  return { hits: hits, prefixes: prefixes };
};

function isHit(lower, matched) {
  return matched.hits.has(lower) || matched.prefixes.some(function (p) { return lower.startsWith(p); });
}

/* Marks the matched words of an HTML title (tags and entities left as they are). */
function highlight(html, matched) {
  return html.split(/(<[^>]*>)/).map(function (part) {
    if (part.charAt(0) === "<") return part;
    return part.replace(/&[#\w]+;|[\p{L}\p{N}]+/gu, function (word) {
      if (word.charAt(0) === "&") return word;
      return isHit(word.toLowerCase(), matched) ? "<mark>" + word + "</mark>" : word;
    });
  }).join("");
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]; });
}

/* A few lines of a section around its first matched word, matched words marked. */
function teaser(html, matched) {
  var text = plain(html).replace(/\s+/g, " ").trim();
  if (!text) return "";
  var pattern = /[\p{L}\p{N}]+/gu, found, first = -1;
  while ((found = pattern.exec(text)) !== null)
    if (isHit(found[0].toLowerCase(), matched)) { first = found.index; break; }
  var start = Math.max(0, first - RANK.teaserBefore), end = Math.min(text.length, start + RANK.teaserLength);
  if (start > 0) start = text.indexOf(" ", start) + 1;
  if (end < text.length && text.lastIndexOf(" ", end) > start) end = text.lastIndexOf(" ", end);
  var snippet = text.slice(start, end), out = "", last = 0;
  pattern = /[\p{L}\p{N}]+/gu;
  while ((found = pattern.exec(snippet)) !== null) {
    out += escapeHtml(snippet.slice(last, found.index));
    out += isHit(found[0].toLowerCase(), matched)
      ? "<mark>" + escapeHtml(found[0]) + "</mark>" : escapeHtml(found[0]);
    last = found.index + found[0].length;
  }
  out += escapeHtml(snippet.slice(last));
  return "<p>" + (start > 0 ? "\u2026 " : "") + out + (end < text.length ? " \u2026" : "") + "</p>";
}

function lowerBound(list, value) {
  var lo = 0, hi = list.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(list, value) {
  var lo = 0, hi = list.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* ------------------------------------------------------------------ the worker */

var engine = null, parts = null, latest = 0;

/* The engine, once its manifest is loaded (at the first query, not when a page opens). */
function ready() {
  if (!engine) {
    engine = parts.get("manifest").then(function (manifest) { return new Engine(manifest, parts); });
    engine.catch(function () { engine = null; });
  }
  return engine;
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    var config = (message.data && message.data.config && message.data.config.sop) || {};
    parts = new Parts(config);
    engine = null;
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var number = ++latest, query = String(message.data || "");
    if (!parts) return postMessage({ type: RESULT, data: { items: [] } });
    ready().then(function (e) { return e.search(query); }).catch(function (err) {
      console.warn("Pencarian gagal:", err);
      return { items: [] };
    }).then(function (result) {
      /* A query typed on meanwhile has its own answer coming: this one is not shown. */
      if (number === latest) postMessage({ type: RESULT, data: result });
    });
  }
});

/* For the tests and the page's own script: the same functions, callable without a worker. */
if (typeof self !== "undefined") self.sopSearch = { Engine: Engine, Parts: Parts, words: words, plain: plain, affixStem: affixStem, distance: distance };
