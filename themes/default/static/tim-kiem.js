// nguoitot client search. Dependency-free ES module.
//
// Reads the static index under /tim-kiem/ (format: src/search/client/format.rs): the entry file,
// then only the name shards, body postings and recent-story files a query needs, then one small
// fragment per result shown. Story ids are stable: 0 is the oldest, a higher id is newer.
// The analysis mirrors src/text/analyzer.rs: NFC, lowercase, folded form (no diacritics, đ → d),
// and an exact key whose tone is a trailing digit, so "hoà" and "hòa" are the same word.

const TONES = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
export const PAGE_SIZE = 10;
const MAX_PREFIX_TERMS = 12;
const BODY_WEIGHT = 0.2;
const FOLDED_ONLY = 0.55;
const PREFIX_ONLY = 0.5;
// Tiers of the score (as src/search/engine/rank.rs): each matched word outweighs any score, and
// each word matched in a name with the tones the reader typed outweighs any score below that.
const PER_MATCHED_WORD = 1e8;
const PER_EXACT_WORD = 1e5;

export function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");
}

export function exactKey(syllable) {
  let tone = "";
  const toneless = [...syllable.normalize("NFD").toLowerCase()]
    .filter((c) => (TONES[c] ? ((tone = TONES[c]), false) : true))
    .join("")
    .normalize("NFC");
  return toneless + tone;
}

const MARKS = { 1: "\u0301", 2: "\u0300", 3: "\u0309", 4: "\u0303", 5: "\u0323" };
const VOWELS = "aăâeêioôơuưy";

/**
 * A syllable written from its exact key ("tung2" → "tùng"), the tone on the vowel the modern
 * orthography puts it on (as `normalize` in src/text/analyzer.rs): for suggestions.
 */
export function accent(key) {
  const m = /^(.*?)([1-5])$/.exec(key);
  if (!m) return key;
  const chars = [...m[1]];
  const vowel = (c) => VOWELS.includes(c);
  let start = chars.findIndex(vowel);
  if (start < 0) return m[1] + MARKS[m[2]];
  // "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
  const nextIsVowel = start + 1 < chars.length && vowel(chars[start + 1]);
  if (start > 0 && nextIsVowel && ((chars[start - 1] === "q" && chars[start] === "u") || (chars[start - 1] === "g" && chars[start] === "i"))) start++;
  let end = start;
  while (end < chars.length && vowel(chars[end])) end++;
  const cluster = chars.slice(start, end);
  let at = -1;
  cluster.forEach((c, i) => { if ("ăâêôơư".includes(c)) at = i; });
  if (at < 0) {
    const closed = end < chars.length;
    if (cluster.length === 1) at = 0;
    else if (cluster.length === 2) at = closed || ["oa", "oe", "uy"].includes(cluster.join("")) ? 1 : 0;
    else at = 1;
  }
  chars[start + at] = (chars[start + at] + MARKS[m[2]]).normalize("NFC");
  return chars.join("");
}

// Words never offered as a suggestion: too common to be what the reader meant.
const STOP_WORDS = new Set("va cua la co cac nhung duoc cho voi trong nay do da mot hai nhu khi thi de tai tu ra vao len cung ma nen rat se dang bi o ve theo tren duoi hay hoac nguoi viec ong ba anh chi em".split(" "));

/** i/y after a consonant as one letter in search (kì/kỳ, qui/quy), as `i_for_y` in the analyzer. */
export function iForY(folded) {
  return /([b-df-hj-np-tv-xz]|qu)y$/.test(folded) ? folded.slice(0, -1) + "i" : folded;
}

/** Words of a text with their positions, as the Rust analyzer tokenises it. */
export function tokens(text) {
  const nfc = text.normalize("NFC");
  const out = [];
  for (const m of nfc.matchAll(WORD)) {
    const folded = iForY(fold(m[0]));
    if (!folded) continue; // lone combining marks are not a word (as in the Rust analyzer)
    // `diacritics`: written otherwise than its search form (marks, or y for i), so that matching
    // the exact key too puts the reader's own spelling first.
    out.push({ original: m[0], folded, exact: exactKey(m[0]), diacritics: folded !== m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Query → words and quoted phrases. Only `typing` (the reader is still writing in the box) makes
 * the last word a prefix; a submitted query or a shared link matches whole words.
 */
export function parseQuery(input, typing = false) {
  const q = input.normalize("NFC");
  const phrases = [];
  for (const m of q.matchAll(/"([^"]+)"/g)) {
    const words = tokens(m[1]).map((t) => t.folded);
    if (words.length) phrases.push(words);
  }
  const words = tokens(q).map((t) => ({ ...t, prefix: false }));
  const last = words[words.length - 1];
  if (typing && last && last.end === q.trimEnd().length && q === q.trimEnd() && !q.endsWith('"')) last.prefix = last.folded.length >= 2;
  return { words, phrases };
}

/** FNV-1a (32 bits) of an ASCII string from `basis`, as 8 hex digits. */
function fnv1a(text, basis) {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The recent stories' file of a word (as `recent_bucket` in the generator): by its first two characters. */
export function recentBucket(folded, buckets) {
  const two = [...folded].slice(0, 2).map((c) => (/[a-z0-9]/.test(c) ? c : "_")).join("");
  return parseInt(fnv1a(two, 0x811c9dc5), 16) % buckets;
}

/**
 * Postings of the sealed stories followed by the recent ones' (all newer, so higher ids): one
 * list, as if the index had been written in one part.
 */
function concatPostings(sealed, recent) {
  if (!sealed) return recent;
  if (!recent) return sealed;
  const last = sealed[1].reduce((a, b) => a + b, 0);
  const deltas = recent[1].slice();
  deltas[0] -= last;
  return [sealed[0] + recent[0], sealed[1].concat(deltas), sealed[2].concat(recent[2])];
}

/** The file of a body word (as `body_file_name` in the generator): long names are cut and hashed. */
export function bodyFileName(word) {
  const name = [...word].map((c) => (/[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16))).join("");
  if (name.length <= 64) return name;
  return `${name.slice(0, 40)}~${fnv1a(name, 0x811c9dc5)}${fnv1a(name, 0x050c5d1f)}`;
}

/** The body words a query word reads the postings of: itself, or while typing its three most frequent completions. */
function bodyWordsOf(shard, w) {
  if (!w.prefix) return hasBody(shard, w.folded) ? [w.folded] : [];
  const { sealedBody, recentBody } = shard;
  const df = (k) => (sealedBody[k] || 0) + (recentBody[k] ? recentBody[k][0] : 0);
  const keys = new Set([...Object.keys(sealedBody), ...Object.keys(recentBody)].filter((k) => k.startsWith(w.folded)));
  return [...keys].sort((x, y) => df(y) - df(x)).slice(0, 3);
}

/** Whether stories' bodies have `word`: sealed or recent ones (see `shardTerms`). */
function hasBody(shard, word) {
  return Boolean(shard.sealedBody[word] || shard.recentBody[word]);
}

// Postings decoded once per array read from a file (prefetch and search both read them).
const DECODED = new WeakMap();

function decode(p) {
  if (DECODED.has(p)) return DECODED.get(p);
  const decoded = decodeOnce(p);
  DECODED.set(p, decoded);
  return decoded;
}

function decodeOnce(p) {
  const [df, deltas, impacts] = p;
  const docs = new Map();
  let doc = 0;
  deltas.forEach((d, i) => { doc += d; docs.set(doc, impacts[i]); });
  return { df, docs };
}

function mergeMax(target, postings) {
  for (const [doc, v] of postings.docs) if ((target.get(doc) || 0) < v) target.set(doc, v);
}

/**
 * The word of the site nearest to a folded word that matched nothing, as the site writes it
 * ("tunh" → "tùng"): a word of the names (titles, units, places, awards), not a stop word,
 * within two edits; the closest, then the most frequent; in its most frequent accented form.
 */
function suggestion(shard, folded) {
  const near = Object.keys(shard.t)
    .filter((k) => !k.startsWith("=") && !k.includes(" ") && k.length > 1 && !STOP_WORDS.has(k))
    .map((k) => [k, levenshtein(k, folded), shard.t[k][0]])
    .filter(([, d]) => d > 0 && d <= 2)
    .sort((a, b) => a[1] - b[1] || b[2] - a[2])[0];
  if (!near) return null;
  // Its spellings: each exact key of the word with its count; the rest of the word's stories
  // write it without marks ("Quan" of Điện Quan beside one "quản").
  const [word, , total] = near;
  let best = null;
  let marked = 0;
  for (const [k, p] of Object.entries(shard.t)) {
    if (!k.startsWith("=")) continue;
    const form = accent(k.slice(1));
    if (iForY(fold(form)) !== word) continue;
    marked += p[0];
    if (!best || p[0] > best[0]) best = [p[0], form];
  }
  return best && best[0] > total - marked ? best[1] : word;
}

function levenshtein(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]; row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export class Searcher {
  /** `load(path)` returns the parsed JSON of a file under /tim-kiem/ (fetch in the browser). */
  constructor(load) {
    this.load = load;
    this.cache = new Map();
  }

  get(path) {
    if (!this.cache.has(path)) this.cache.set(path, this.load(path));
    return this.cache.get(path);
  }

  async entry() {
    return this.get("index.json");
  }

  /**
   * The names shards of a term's folded text (a word, an exact key folded, or a pair with its
   * space), as the generator places terms (`placement`): the longest listed prefix of the text;
   * while typing, also the longer shards that continue the same word.
   */
  shardsFor(entry, folded, prefix) {
    const shards = entry.shards;
    // Shard names write any character but [a-z0-9] as "_" (as the generator names them).
    const word = [...folded].map((c) => (/[a-z0-9]/.test(c) ? c : "_")).join("");
    let best = null;
    for (const s of shards) if (word.startsWith(s) && (!best || s.length > best.length)) best = s;
    const out = best ? [best] : [];
    if (prefix) for (const s of shards) if (s.length > word.length && s.startsWith(word) && !s.slice(word.length).includes("_") && out.length < 12) out.push(s);
    return out;
  }

  /**
   * The terms of a folded text (see shardsFor), sealed and recent stories together: `t`
   * (names-tier postings), `sealedBody` (the sealed stories' body vocabulary with document
   * frequencies) and `recentBody` (the recent stories' body postings). Made once per set of files, so decoded postings are
   * shared.
   */
  async shardTerms(entry, word, prefix) {
    const names = this.shardsFor(entry, word, prefix);
    const bucket = entry.recent ? recentBucket(word, entry.recent) : null;
    const key = names.join(",") + "|" + bucket;
    if (!this.merged) this.merged = new Map();
    if (!this.merged.has(key)) {
      this.merged.set(key, (async () => {
        const [shards, recent] = await Promise.all([
          Promise.all(names.map((s) => this.get(`t/${s}.json`))),
          bucket === null ? { t: {}, b: {} } : this.get(`r/${bucket}.json`),
        ]);
        const t = Object.assign({}, ...shards.map((s) => s.t));
        const sealedBody = Object.assign({}, ...shards.map((s) => s.b));
        for (const [k, p] of Object.entries(recent.t)) {
          const sealed = t[k];
          if (!sealed) {
            t[k] = p;
            continue;
          }
          // Joined when read: a query reads a few of the shard's terms, not all of them.
          let joined = null;
          Object.defineProperty(t, k, { enumerable: true, get: () => (joined ??= concatPostings(sealed, p)) });
        }
        return { t, sealedBody, recentBody: recent.b };
      })());
    }
    return this.merged.get(key);
  }

  /** Body postings of a word of `shard` (from shardTerms): the sealed file, then the recent ones. */
  async bodyPostings(shard, word) {
    const sealed = shard.sealedBody[word] ? await this.get(`b/${bodyFileName(word)}.json`) : null;
    const recent = shard.recentBody[word] || null;
    if (!sealed || !recent) return sealed || recent || [0, [], []];
    if (!this.bodies) this.bodies = new Map();
    if (!this.bodies.has(word)) this.bodies.set(word, concatPostings(sealed, recent));
    return this.bodies.get(word);
  }

  /**
   * Ranks the stories holding every word of the query; when none does, the stories holding most
   * of them (`allWords` false). Returns {total, ranked: [{doc, score}], allWords, missing,
   * suggestions, words}. `typing`: the last word is a prefix (see parseQuery).
   */
  async search(input, filters = {}, { typing = false } = {}) {
    const entry = await this.entry();
    const { words, phrases } = parseQuery(input, typing);
    if (!words.length) return { total: 0, ranked: [], allWords: true, missing: [], suggestions: [], words };
    const n = entry.n || 1;
    await this.prefetch(entry, words);
    const scores = new Map();
    const matched = new Map();
    const matchedExactly = new Map();
    const missing = [];
    const suggestions = [];
    const namesOf = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const shard = await this.shardTerms(entry, w.folded, w.prefix);
      const names = new Map();
      let df = 0;
      const keys = w.prefix
        ? Object.keys(shard.t).filter((k) => !k.startsWith("=") && !k.includes(" ") && k.startsWith(w.folded))
            .sort((a, b) => shard.t[b][0] - shard.t[a][0]).slice(0, MAX_PREFIX_TERMS)
        : shard.t[w.folded] ? [w.folded] : [];
      for (const k of keys) {
        const p = decode(shard.t[k]);
        df = Math.max(df, p.df);
        // A completed word beats the longer words it is a prefix of ("hoa" before "hoang"); the
        // decoded postings are shared (see decode), so they are scaled in a copy.
        mergeMax(names, k === w.folded ? p : { docs: new Map([...p.docs].map(([d, v]) => [d, v * PREFIX_ONLY])) });
      }
      const exactShard = w.diacritics ? await this.shardTerms(entry, fold(w.exact), false) : null;
      const exact = exactShard && exactShard.t["=" + w.exact] ? decode(exactShard.t["=" + w.exact]).docs : null;
      const body = new Map();
      const bodyWords = bodyWordsOf(shard, w);
      for (const b of bodyWords) {
        const p = decode(await this.bodyPostings(shard, b));
        df = Math.max(df, p.df);
        mergeMax(body, p);
      }
      namesOf.push(names);
      if (!names.size && !body.size) {
        missing.push(w.original);
        const near = suggestion(shard, w.folded);
        if (near) suggestions.push([w.original, near]);
        continue;
      }
      const idf = Math.log(1 + n / Math.max(df, 1));
      const docs = new Set([...names.keys(), ...body.keys()]);
      for (const doc of docs) {
        let s = names.get(doc) || 0;
        if (w.diacritics && s) {
          if (exact && exact.has(doc)) matchedExactly.set(doc, (matchedExactly.get(doc) || 0) + 1);
          else s *= FOLDED_ONLY;
        }
        s = Math.max(s, (body.get(doc) || 0) * BODY_WEIGHT);
        scores.set(doc, (scores.get(doc) || 0) + s * idf);
        matched.set(doc, (matched.get(doc) || 0) + 1);
      }
      // Adjacent pairs: a phrase in a name ranks above scattered words.
      if (i > 0) {
        const prev = words[i - 1].folded;
        const pshard = await this.shardTerms(entry, prev + " " + w.folded, w.prefix);
        const pairKeys = w.prefix ? Object.keys(pshard.t).filter((k) => k.startsWith(prev + " " + w.folded)).slice(0, MAX_PREFIX_TERMS) : [prev + " " + w.folded].filter((k) => pshard.t[k]);
        const pairs = new Map();
        for (const k of pairKeys) mergeMax(pairs, decode(pshard.t[k]));
        for (const [doc, v] of pairs) if (scores.has(doc)) scores.set(doc, scores.get(doc) + v * 20);
      }
    }
    let ranked = [...scores.entries()].map(([doc, score]) => ({
      doc,
      score: (matched.get(doc) || 0) * PER_MATCHED_WORD + (matchedExactly.get(doc) || 0) * PER_EXACT_WORD + score,
    }));
    for (const phrase of phrases) {
      const keep = await this.phraseDocs(entry, phrase);
      ranked = ranked.filter((r) => keep.has(r.doc));
    }
    const active = Object.entries(filters).filter(([, v]) => v && v.size);
    if (active.length) {
      const facets = await this.get("facets.json");
      ranked = ranked.filter((r) => active.every(([f, set]) => (facets[f][r.doc] || []).some((v) => set.has(v))));
    }
    // Every word, as the engine requires; only when no story holds them all, the ones with most.
    const every = ranked.filter((r) => matched.get(r.doc) === words.length);
    const allWords = every.length > 0 || words.length < 2;
    if (every.length) ranked = every;
    // Ties: the newer story first.
    ranked.sort((a, b) => b.score - a.score || b.doc - a.doc);
    return { total: ranked.length, ranked, allWords, missing, suggestions, words };
  }

  /**
   * Starts every request a query needs at once — each word's shards, then the body postings of
   * the words found there — instead of one round trip after another (on a phone over 4G, each
   * round trip is ~150 ms). The loop of `search` then finds them in the cache.
   */
  async prefetch(entry, words) {
    if (!this.prefetched) this.prefetched = new Map();
    const key = words.map((w) => w.folded + (w.prefix ? "*" : "")).join(" ");
    if (!this.prefetched.has(key)) this.prefetched.set(key, this.fetchAll(entry, words));
    return this.prefetched.get(key);
  }

  async fetchAll(entry, words) {
    // Each word's exact spelling and each adjacent pair may live in shards of their own.
    for (const [i, w] of words.entries()) {
      if (w.diacritics) this.shardTerms(entry, fold(w.exact), false).catch(() => {});
      if (i > 0) this.shardTerms(entry, words[i - 1].folded + " " + w.folded, w.prefix).catch(() => {});
    }
    const shards = await Promise.all(words.map((w) => this.shardTerms(entry, w.folded, w.prefix)));
    // The stories whose names hold every word almost always lead the ranking (body matches
    // weigh a fifth): their fragments are requested with the body postings, not after them.
    const named = words.map((w, i) => (shards[i].t[w.folded] ? decode(shards[i].t[w.folded]).docs : new Map()));
    // Ties: the newer story first, as the ranking breaks them.
    const leading = [...named[0].keys()].filter((d) => named.every((m) => m.has(d)))
      .sort((a, b) => named.reduce((s, m) => s + m.get(b), 0) - named.reduce((s, m) => s + m.get(a), 0) || b - a)
      .slice(0, PAGE_SIZE);
    for (const doc of leading) this.fragment(doc).catch(() => {});
    await Promise.all(words.flatMap((w, i) => bodyWordsOf(shards[i], w).map((b) => this.bodyPostings(shards[i], b))));
  }

  async phraseDocs(entry, phrase) {
    if (phrase.length === 1) {
      const shard = await this.shardTerms(entry, phrase[0], false);
      const docs = new Set(shard.t[phrase[0]] ? decode(shard.t[phrase[0]]).docs.keys() : []);
      if (hasBody(shard, phrase[0])) for (const d of decode(await this.bodyPostings(shard, phrase[0])).docs.keys()) docs.add(d);
      return docs;
    }
    let keep = null;
    for (let i = 1; i < phrase.length; i++) {
      const key = phrase[i - 1] + " " + phrase[i];
      const shard = await this.shardTerms(entry, key, false);
      const docs = new Set(shard.t[key] ? decode(shard.t[key]).docs.keys() : []);
      keep = keep ? new Set([...keep].filter((d) => docs.has(d))) : docs;
    }
    return keep;
  }

  fragment(doc) {
    return this.get(`d/${doc}.json`);
  }

  /** Facet counts of a result list: {facet: [count per value]}. */
  async facetCounts(ranked) {
    const entry = await this.entry();
    const facets = await this.get("facets.json");
    const counts = {};
    for (const f of Object.keys(entry.facets)) {
      counts[f] = entry.facets[f].values.map(() => 0);
      for (const r of ranked) for (const v of facets[f][r.doc] || []) counts[f][v]++;
    }
    return counts;
  }
}

/** Splits a text into parts [{text, hit}] where hit marks words matching the query. */
export function highlight(text, words) {
  const parts = [];
  let at = 0;
  const nfc = text.normalize("NFC");
  for (const t of tokens(nfc)) {
    const hit = words.some((w) => (w.prefix ? t.folded.startsWith(w.folded) : t.folded === w.folded));
    if (!hit) continue;
    if (t.start > at) parts.push({ text: nfc.slice(at, t.start), hit: false });
    parts.push({ text: nfc.slice(t.start, t.end), hit: true });
    at = t.end;
  }
  if (at < nfc.length) parts.push({ text: nfc.slice(at), hit: false });
  return parts;
}

// ---- The page /tim-kiem/ (only in a browser) ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function marked(text, words) {
  const frag = document.createDocumentFragment();
  for (const p of highlight(text, words)) frag.append(p.hit ? el("mark", {}, p.text) : document.createTextNode(p.text));
  return frag;
}

async function startPage(root) {
  const base = root.dataset.base || "";
  // Files the page requested early for a shared link (search.html) are taken, not fetched again.
  const early = window.timKiemTruoc || new Map();
  const searcher = new Searcher(async (path) => {
    if (early.has(path)) return early.get(path);
    const res = await fetch(`${base}/tim-kiem/${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  });
  const input = root.querySelector("input[name=q]");
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const more = root.querySelector("[data-search-more]");
  const filterBox = root.querySelector("[data-search-filters]");
  const filters = {};
  let composing = false;
  let timer = 0;
  let run = 0;
  let shown = 0;
  let last = null;
  // Whether the reader is still writing the query (the last word is then a prefix) or has
  // submitted it (Enter, a shared link): see parseQuery.
  let typing = false;

  // A shared link's query starts before anything else: its files are on their way while the
  // filters are drawn.
  const initial = new URL(location.href).searchParams.get("q");
  if (initial) searcher.entry().then((entry) => searcher.prefetch(entry, parseQuery(initial).words)).catch(() => {});
  const entry = await searcher.entry();
  // The filters' checkboxes are made when the filters are first opened: a large site has
  // hundreds of communes and units, and a phone would make them before showing any result.
  let filtersMade = false;
  function makeFilters() {
    if (filtersMade) return;
    filtersMade = true;
    for (const [name, facet] of Object.entries(entry.facets)) {
      if (facet.values.length < 2) continue;
      const fs = el("fieldset", {}, el("legend", {}, facet.label));
      facet.values.forEach(([, label], i) => {
        const box = el("input", { type: "checkbox", "data-facet": name, value: String(i) });
        fs.append(el("label", {}, box, " ", label, " ", el("span", { "data-count": `${name}:${i}`, class: "count" })));
      });
      filterBox.append(fs);
    }
  }
  filterBox.hidden = !Object.values(entry.facets).some((facet) => facet.values.length >= 2);
  filterBox.addEventListener("change", (e) => {
    const box = e.target;
    if (!box.dataset.facet) return;
    const set = (filters[box.dataset.facet] ||= new Set());
    box.checked ? set.add(Number(box.value)) : set.delete(Number(box.value));
    schedule(0);
  });

  async function showMore() {
    const { ranked, words } = last;
    const page = ranked.slice(shown, shown + PAGE_SIZE);
    // Each result is shown as soon as its fragment arrives, in its place in the ranking (a
    // place kept empty until then): on a slow connection the first ones need not wait for the
    // last.
    const places = page.map(() => list.appendChild(el("li", { hidden: "" })));
    await Promise.all(page.map(async (r, i) => {
      const f = await searcher.fragment(r.doc);
      const link = el("a", { href: base + f.u }, marked(f.t, words));
      const meta = [f.n, f.l, f.k].filter(Boolean).join(" · ");
      places[i].replaceWith(el("li", { "data-search-result": "" }, el("h2", {}, link), el("p", { class: "meta" }, marked(meta, words)), el("p", {}, marked(f.s, words))));
    }));
    shown += page.length;
    more.hidden = shown >= ranked.length;
  }

  async function search() {
    const q = input.value.trim();
    const mine = ++run;
    const url = new URL(location.href);
    q ? url.searchParams.set("q", q) : url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!q) { list.replaceChildren(); status.textContent = ""; more.hidden = true; return; }
    const result = await searcher.search(q, filters, { typing });
    if (mine !== run) return;
    last = result;
    shown = 0;
    list.replaceChildren();
    const notes = [];
    if (result.missing.length) notes.push(`Không tìm thấy từ: ${result.missing.join(", ")}.`);
    if (result.suggestions.length) notes.push(`Có phải bạn muốn tìm: ${result.suggestions.map(([, s]) => s).join(", ")}?`);
    const found = !result.total
      ? "Không tìm thấy gương điển hình nào."
      : result.allWords
        ? `Tìm thấy ${result.total} gương điển hình.`
        : `Không có gương điển hình nào có đủ các từ đã gõ. ${result.total} gương có nhiều từ nhất:`;
    status.textContent = found + (notes.length ? " " + notes.join(" ") : "");
    await showMore();
    if (filterBox.open) await showCounts();
  }

  // Facet data is fetched only once the filters are opened.
  async function showCounts() {
    if (!last) return;
    const counts = await searcher.facetCounts(last.ranked);
    for (const [f, values] of Object.entries(counts)) values.forEach((c, i) => {
      const span = filterBox.querySelector(`[data-count="${f}:${i}"]`);
      if (span) span.textContent = `(${c})`;
    });
  }
  filterBox.addEventListener("toggle", () => { if (filterBox.open) { makeFilters(); showCounts(); } });

  function schedule(delay = 150, stillTyping = typing) {
    typing = stillTyping;
    clearTimeout(timer);
    timer = setTimeout(search, delay);
  }

  input.addEventListener("compositionstart", () => { composing = true; });
  input.addEventListener("compositionend", () => { composing = false; schedule(150, true); });
  input.addEventListener("input", (e) => { if (!composing && !e.isComposing) schedule(150, true); });
  root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); schedule(0, false); });
  more.addEventListener("click", () => showMore());
  // Arrow keys move between the search box and the results.
  root.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Escape") return;
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (e.key === "Escape") { input.focus(); return; }
    if (e.key === "ArrowDown" && (document.activeElement === input || at >= 0)) { links[Math.min(at + 1, links.length - 1)]?.focus(); e.preventDefault(); }
    if (e.key === "ArrowUp" && at >= 0) { (at === 0 ? input : links[at - 1]).focus(); e.preventDefault(); }
  });

  // A shared link's query runs at once, not after a timer that would queue behind the page's
  // first rendering.
  if (initial) { input.value = initial; typing = false; search(); }
}

if (typeof document !== "undefined") {
  const root = document.querySelector("[data-search]");
  if (root) startPage(root).catch((e) => {
    const status = root.querySelector("[data-search-status]");
    if (status) status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
    console.warn(e);
  });
}
