/*
 * The portal's search worker: Indonesian word forms, typos, SOP numbers, post names.
 *
 * Material for MkDocs runs search in a Web Worker that it talks to with four messages
 * (SETUP -> READY, QUERY -> RESULT); a site may hand it its own worker (the `search` URL of
 * the page's configuration, set in overrides/main.html). This is that worker. It builds its
 * index from the documents Material sends (search/search_index.json, one per page section)
 * and from what the portal adds to it at build time (generator/web/search.py):
 *
 *   config.sop.stems     word -> stem for the portal's words (Sastrawi, Nazief-Adriani)
 *   config.sop.synonyms  groups of names of one post or term (jabatan aliases, glossary)
 *   doc.kind             "sop", "halaman" or "panduan" (maintainers' guides rank last)
 *   doc.instansi         shown beside an SOP's result, so two SOPs of one title differ
 *   doc.nomor            the SOP number, matched with or without its spaces
 *
 * A query word is matched as written, by its stem, by its affix stem (affixStem, the twin of
 * generator/web/search.affix_stem), and as the beginning of a longer word. A query that
 * finds nothing for a word retries that word at an edit distance of one or two and says so
 * (the `sop.corrected` field of the result, shown by sop-search-ui.js).
 *
 * It runs as a Worker, and from file:// inside Material's iframe-worker shim: it only uses
 * addEventListener("message") and postMessage, like Material's own worker.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

/* One home for the ranking rules. */
var RANK = {
  kind: { sop: 3, halaman: 1, panduan: 0.15 }, /* an SOP above a view above a maintainers' guide */
  title: 3,                /* a word in the title counts as three in the text */
  instansi: 2,             /* the SOP's instansi counts as a title word of its page */
  roles: 6,                /* its performers (the page's tags) weigh as two title words */
  exact: 1,                /* the word as written */
  stem: 0.85,              /* the same stem (pengukuran ~ mengukur) */
  affix: 0.6,              /* the same affix stem, for words Sastrawi reads differently */
  prefix: 0.5,             /* the beginning of a longer word, while typing */
  synonym: 0.9,            /* another name of the same post or term */
  nomor: 40,               /* the SOP number typed whole */
  maxPrefixes: 40,
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

/* ------------------------------------------------------------------ the index */

function Engine(data) {
  var sop = (data.config && data.config.sop) || {};
  this.stems = sop.stems || {};
  this.docs = [];
  this.postings = new Map();      /* key -> Map(doc number -> weight) */
  this.vocabulary = new Map();    /* word -> number of documents holding it */
  this.synonyms = new Map();      /* word or phrase -> the other names of its group */
  this.pages = new Map();         /* page location -> [doc numbers] */
  this.numbers = [];              /* [compact number, doc number] of SOP articles */
  var groups = sop.synonyms || [];
  for (var g = 0; g < groups.length; g++)
    for (var n = 0; n < groups[g].length; n++)
      this.synonyms.set(groups[g][n], groups[g].filter(function (other, m) { return m !== n; }));
  for (var d = 0; d < data.docs.length; d++) this.add(data.docs[d]);
  this.sorted = Array.from(this.vocabulary.keys()).sort();
}

Engine.prototype.stem = function (word) {
  if (Object.prototype.hasOwnProperty.call(this.stems, word)) return this.stems[word];
  return this.vocabulary.has(word) ? word : affixStem(word);
};

Engine.prototype.keys = function (word) {
  return [["w:" + word, RANK.exact], ["s:" + this.stem(word), RANK.stem], ["a:" + affixStem(word), RANK.affix]];
};

Engine.prototype.add = function (doc) {
  var number = this.docs.length;
  var page = doc.location.split("#")[0];
  var entry = {
    location: doc.location,
    title: doc.title,
    text: doc.text,
    kind: doc.kind || "halaman",
    boost: typeof doc.boost === "number" ? doc.boost : 1,
    instansi: doc.instansi || "",
    isArticle: doc.location.indexOf("#") < 0,
    page: page
  };
  this.docs.push(entry);
  if (!this.pages.has(page)) this.pages.set(page, []);
  this.pages.get(page).push(number);
  if (entry.isArticle && doc.nomor) this.numbers.push([compactNumber(doc.nomor), number]);
  var weights = new Map();
  function count(list, weight) {
    for (var i = 0; i < list.length; i++) weights.set(list[i], (weights.get(list[i]) || 0) + weight);
  }
  count(words(plain(doc.title)), RANK.title);
  count(words(plain(doc.text)), 1);
  if (entry.isArticle && entry.instansi) count(words(entry.instansi), RANK.instansi);
  if (entry.isArticle && doc.tags) count(words(doc.tags.join(" / ")), RANK.roles);
  var self = this;
  weights.forEach(function (weight, word) {
    self.vocabulary.set(word, (self.vocabulary.get(word) || 0) + 1);
  });
  weights.forEach(function (weight, word) {
    var keys = self.keys(word), seen = {};
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i][0];
      if (seen[key]) continue;
      seen[key] = true;
      if (!self.postings.has(key)) self.postings.set(key, new Map());
      var list = self.postings.get(key);
      list.set(number, (list.get(number) || 0) + weight);
    }
  });
};

/* Scores of one word: doc number -> score, each doc by its best way of matching. */
Engine.prototype.wordScores = function (word, prefixes) {
  var total = this.docs.length, scores = new Map(), self = this;
  function collect(key, factor) {
    var list = self.postings.get(key);
    if (!list) return;
    var idf = Math.log(1 + total / list.size);
    list.forEach(function (weight, doc) {
      var score = factor * idf * (weight / (weight + 1.2));
      if (score > (scores.get(doc) || 0)) scores.set(doc, score);
    });
  }
  var keys = this.keys(word);
  for (var i = 0; i < keys.length; i++) collect(keys[i][0], keys[i][1]);
  if (prefixes && word.length >= 3 && !DIGIT.test(word)) {
    var start = lowerBound(this.sorted, word), found = 0;
    for (var j = start; j < this.sorted.length && found < RANK.maxPrefixes; j++) {
      var other = this.sorted[j];
      if (!other.startsWith(word)) break;
      if (other === word) continue;
      found += 1;
      collect("w:" + other, RANK.prefix);
    }
  }
  return scores;
};

/* Scores of one query term: its own words, or another name of its group (all of a phrase's
   words in one page section). */
Engine.prototype.termScores = function (term, prefixes) {
  var scores = this.wordScores(term, prefixes);
  var others = this.synonyms.get(term) || [];
  for (var i = 0; i < others.length; i++) {
    var parts = others[i].split(" "), phrase = null;
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
      score *= RANK.synonym;
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

/* A word of the portal within one edit (two for longer words) of a word it lacks. */
Engine.prototype.correct = function (word) {
  if (word.length < 4 || DIGIT.test(word)) return null;
  var limit = word.length >= 7 ? 2 : 1, best = null, bestDistance = limit + 1, bestCount = 0;
  for (var i = 0; i < this.sorted.length; i++) {
    var other = this.sorted[i];
    if (Math.abs(other.length - word.length) > limit) continue;
    var d = distance(word, other, limit);
    var count = this.vocabulary.get(other);
    if (d < bestDistance || (d === bestDistance && d <= limit && count > bestCount)) {
      best = other; bestDistance = d; bestCount = count;
    }
  }
  return bestDistance <= limit ? best : null;
};

Engine.prototype.search = function (query) {
  var terms = this.terms(query);
  if (!terms.length) return { items: [] };
  var corrected = false, scores = [];
  for (var t = 0; t < terms.length; t++) {
    var last = t === terms.length - 1;
    var found = this.termScores(terms[t], true);
    if (!found.size && terms[t].indexOf(" ") < 0) {
      var better = this.correct(terms[t]);
      if (better) {
        terms[t] = better;
        corrected = true;
        found = this.termScores(better, last);
      }
    }
    scores.push(found);
  }
  var result = this.rank(terms, scores, query);
  if (corrected) result.sop = { corrected: terms.join(" ") };
  return result;
};

/* Pages ranked: each term counts by its best section of the page, a page matching every term
   far above one matching some; then its kind and boost. Sections listed under their page. */
Engine.prototype.rank = function (terms, scores, query) {
  var self = this, pages = new Map();
  for (var t = 0; t < scores.length; t++)
    scores[t].forEach(function (score, doc) {
      var page = self.docs[doc].page;
      if (!pages.has(page)) pages.set(page, terms.map(function () { return 0; }));
      var best = pages.get(page);
      if (score > best[t]) best[t] = score;
    });
  var compact = compactNumber(query);
  var numbered = new Map();
  if (compact.length >= 4 && DIGIT.test(compact))
    for (var n = 0; n < this.numbers.length; n++) {
      var number = this.numbers[n][0];
      if (number === compact || (compact.length >= 6 && number.indexOf(compact) >= 0))
        numbered.set(this.docs[this.numbers[n][1]].page, number === compact ? 2 : 1);
    }
  numbered.forEach(function (_, page) {
    if (!pages.has(page)) pages.set(page, terms.map(function () { return 0; }));
  });
  var ranked = [];
  pages.forEach(function (best, page) {
    var article = self.docs[self.pages.get(page)[0]];
    var matched = best.filter(function (s) { return s > 0; }).length;
    var sum = best.reduce(function (a, b) { return a + b; }, 0);
    var coverage = matched / terms.length;
    var score = sum * coverage * coverage + RANK.nomor * (numbered.get(page) || 0);
    score *= (RANK.kind[article.kind] || 1) * article.boost;
    if (score > 0) ranked.push({ page: page, score: score });
  });
  ranked.sort(function (a, b) { return b.score - a.score; });
  var items = ranked.map(function (entry) { return self.group(entry, terms, scores); });
  return { items: items };
};

Engine.prototype.group = function (entry, terms, scores) {
  var self = this, numbers = this.pages.get(entry.page), marks = new Set();
  var items = numbers.map(function (doc) {
    var own = 0, matched = {};
    for (var t = 0; t < terms.length; t++) {
      var score = scores[t].get(doc) || 0;
      own += score;
      matched[terms[t]] = score > 0;
    }
    return { doc: doc, own: own, matched: matched };
  });
  items.sort(function (a, b) { return b.own - a.own; });
  var matchedWords = this.matchedWords(terms);
  var top = items[0].own;
  return items
    .filter(function (item, i) { return item.own > 0 || self.docs[item.doc].isArticle || i === 0; })
    .map(function (item) {
      var doc = self.docs[item.doc];
      var result = {
        location: doc.location,
        title: highlight(doc.title, matchedWords, self),
        text: teaser(doc.text, matchedWords, self),
        /* Material shows the sections scoring as high as the first in full, the rest folded;
           a page found by its number alone shows its own entry first. */
        score: top > 0 ? entry.score * item.own / top : doc.isArticle ? entry.score : 0,
        terms: item.matched
      };
      if (doc.instansi && doc.isArticle) result.tags = [doc.instansi];
      return result;
    });
};

/* The keys a text word must share with a query term to be highlighted. */
Engine.prototype.matchedWords = function (terms) {
  var keys = new Set(), prefixes = [];
  for (var t = 0; t < terms.length; t++) {
    var names = [terms[t]].concat(this.synonyms.get(terms[t]) || []);
    for (var n = 0; n < names.length; n++) {
      var parts = names[n].split(" ");
      for (var p = 0; p < parts.length; p++) {
        keys.add("s:" + this.stem(parts[p]));
        keys.add("w:" + parts[p]);
      }
    }
    if (terms[t].length >= 3) prefixes.push(terms[t]);
  }
  return { keys: keys, prefixes: prefixes };
};

function isHit(lower, matched, engine) {
  return matched.keys.has("w:" + lower) || matched.keys.has("s:" + engine.stem(lower)) ||
    matched.prefixes.some(function (p) { return lower.startsWith(p); });
}

/* Marks the matched words of an HTML title (tags and entities left as they are). */
function highlight(html, matched, engine) {
  return html.split(/(<[^>]*>)/).map(function (part) {
    if (part.charAt(0) === "<") return part;
    return part.replace(/&[#\w]+;|[\p{L}\p{N}]+/gu, function (word) {
      if (word.charAt(0) === "&") return word;
      return isHit(word.toLowerCase(), matched, engine) ? "<mark>" + word + "</mark>" : word;
    });
  }).join("");
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]; });
}

/* A few lines of a section around its first matched word, matched words marked. */
function teaser(html, matched, engine) {
  var text = plain(html).replace(/\s+/g, " ").trim();
  if (!text) return "";
  var pattern = /[\p{L}\p{N}]+/gu, found, first = -1;
  while ((found = pattern.exec(text)) !== null)
    if (isHit(found[0].toLowerCase(), matched, engine)) { first = found.index; break; }
  var start = Math.max(0, first - RANK.teaserBefore), end = Math.min(text.length, start + RANK.teaserLength);
  if (start > 0) start = text.indexOf(" ", start) + 1;
  if (end < text.length && text.lastIndexOf(" ", end) > start) end = text.lastIndexOf(" ", end);
  var snippet = text.slice(start, end), out = "", last = 0;
  pattern = /[\p{L}\p{N}]+/gu;
  while ((found = pattern.exec(snippet)) !== null) {
    out += escapeHtml(snippet.slice(last, found.index));
    out += isHit(found[0].toLowerCase(), matched, engine)
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

/* ------------------------------------------------------------------ the worker */

var engine = null;

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    engine = new Engine(message.data);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var result;
    try {
      result = engine ? engine.search(String(message.data || "")) : { items: [] };
    } catch (err) {
      console.warn("Pencarian gagal:", err);
      result = { items: [] };
    }
    postMessage({ type: RESULT, data: result });
  }
});

/* For the tests and the page's own script: the same functions, callable without a worker. */
if (typeof self !== "undefined") self.sopSearch = { Engine: Engine, words: words, plain: plain, affixStem: affixStem, distance: distance };
