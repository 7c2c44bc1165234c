// The client search logic under Node's test runner, against an index built by nguoitot.
// Run by `cargo test` (tests/search_client.rs), which builds tests/fixtures/search and passes
// its output folder in SEARCH_PUBLIC, and the Rust analyzer's answers in ANALYZER_TABLE.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Searcher, fold, exactKey, accent, parseQuery, highlight } from "../../themes/default/static/tim-kiem.js";

const PUBLIC = process.env.SEARCH_PUBLIC;
if (!PUBLIC) throw new Error("SEARCH_PUBLIC is not set: run through `cargo test --test search_client`");

function searcher() {
  return new Searcher(async (path) => JSON.parse(await readFile(join(PUBLIC, "tim-kiem", path), "utf8")));
}

async function titles(query, filters, options) {
  const s = searcher();
  const r = await s.search(query, filters, options);
  return Promise.all(r.ranked.map(async (x) => (await s.fragment(x.doc)).t));
}

test("the JS analyzer gives the Rust analyzer's folded form and exact key", async () => {
  const table = JSON.parse(await readFile(process.env.ANALYZER_TABLE, "utf8"));
  assert.ok(table.length > 100);
  for (const [word, folded, exact, normalized] of table) {
    assert.equal(fold(word), folded, `fold(${word})`);
    assert.equal(exactKey(word), exact, `exactKey(${word})`);
    // Suggestions are written back from exact keys, tones where the Rust analyzer puts them.
    assert.equal(accent(exact), normalized, `accent(${exact})`);
  }
});

test("with or without diacritics, in any case or Unicode form, Điện Quan comes first", async () => {
  for (const q of ["dien quan", "Điện Quan", "ĐIỆN QUAN", "Điện Quan".normalize("NFD"), "điện quân"]) {
    const t = await titles(q);
    assert.equal(t[0], "Đoàn TNCS Hồ Chí Minh xã Điện Quan", `query ${JSON.stringify(q)} → ${t}`);
  }
  // The commune match ranks above scattered words about electricity (điện) and militia (quân).
  const t = await titles("dien quan");
  assert.ok(t.indexOf("Ông Thào Seo Chiêu") < t.indexOf("Ông Lý Quốc Quân"), t.join(" | "));
});

test("the last word is a prefix while typing, and only then", async () => {
  const typing = { typing: true };
  assert.equal((await titles("dien qu", {}, typing))[0], "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
  assert.equal((await titles("hoang tu", {}, typing))[0], "Hoàng Tùng");
  assert.ok((await titles("tha", {}, typing)).length > 0);
  // Submitted (Enter, a shared link, the API): whole words, so "qu" is a word of its own.
  const submitted = await searcher().search("dien qu");
  assert.equal(submitted.allWords, false);
  assert.deepEqual(submitted.missing, ["qu"]);
});

test("a submitted query needs every word; with none holding all, the most are offered, said so", async () => {
  const s = searcher();
  const all = await s.search("dien quan");
  assert.equal(all.allWords, true);
  const t = await Promise.all(all.ranked.map(async (x) => (await s.fragment(x.doc)).t));
  // Bà Lù Thị Hoa holds neither word; Lý Quốc Quân holds both, scattered, and comes later.
  assert.ok(!t.includes("Bà Lù Thị Hoa") && t.indexOf("Ông Lý Quốc Quân") > 0, t.join(" | "));
  const most = await s.search("dien quan zzqx");
  assert.equal(most.allWords, false);
  assert.ok(most.total > 0);
  assert.equal((await s.fragment(most.ranked[0].doc)).t, "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
});

test("tones the reader typed outrank fold twins matching in more fields", async () => {
  // "Thanh An" is in the cooperative's title and unit; "Thạnh An" only in the other's title.
  assert.equal((await titles("Thạnh An"))[0], "Tổ tự quản Thạnh An");
  assert.equal((await titles("Thanh An"))[0], "Hợp tác xã Thanh An");
  // Without tones, today's ranking: the story matching in more fields first.
  assert.equal((await titles("thanh an"))[0], "Hợp tác xã Thanh An");
});

test("a phrase in a name outranks the same words scattered", async () => {
  const t = await titles("hoang tung");
  assert.equal(t[0], "Hoàng Tùng");
  assert.ok(t.includes("Ông Tùng Lâm"), "scattered words still match");
});

test("diacritics in the query put exact matches first, old and new tone placement alike", async () => {
  const t = await titles("hòa");
  assert.deepEqual(new Set(t.slice(0, 2)), new Set(["Chị Lò Thị Hòa", "Ông Vàng A Hoà"]), t.join(" | "));
  assert.equal(t[2], "Bà Lù Thị Hoa");
  const folded = await titles("hoa");
  assert.deepEqual(new Set(folded.slice(0, 3)), new Set(["Chị Lò Thị Hòa", "Ông Vàng A Hoà", "Bà Lù Thị Hoa"]));
  assert.equal((await titles("hoà"))[2], "Bà Lù Thị Hoa");
});

test("title matches outrank body matches, and more matched words outrank fewer", async () => {
  const t = await titles("thanh nien");
  assert.equal(t[0], "Đoàn thanh niên huyện Bảo Thắng");
  assert.equal(t[t.length - 1], "Câu chuyện cán bộ xã", t.join(" | "));
  const more = await titles("tinh nguyen bac giang");
  assert.equal(more[0], "Hoàng Tùng");
});

test("a word that matches nothing is said, with a suggestion, and does not hide the rest", async () => {
  const s = searcher();
  const r = await s.search("dien quam");
  assert.deepEqual(r.missing, ["quam"]);
  assert.deepEqual(r.suggestions, [["quam", "quan"]]);
  assert.ok(r.total > 0);
  const none = await s.search("zzzz");
  assert.equal(none.total, 0);
  assert.deepEqual(none.missing, ["zzzz"]);
});

test("i and y after a consonant find each other: lí / Lý", async () => {
  assert.equal((await titles("lí quốc quân"))[0], "Ông Lý Quốc Quân");
  assert.equal((await titles("li quoc quan"))[0], "Ông Lý Quốc Quân");
});

test("suggestions are written with their diacritics, as the site writes the word", async () => {
  const r = await searcher().search("hoang tunh");
  assert.deepEqual(r.suggestions, [["tunh", "tùng"]]);
});

test("quoted phrases keep only stories with the phrase", async () => {
  const t = await titles('"dien quan"');
  assert.ok(t.includes("Đoàn TNCS Hồ Chí Minh xã Điện Quan") && t.includes("Ông Thào Seo Chiêu"));
  assert.ok(!t.includes("Ông Lý Quốc Quân"));
});

test("facets filter results with any-of within a facet", async () => {
  const s = searcher();
  const entry = await s.entry();
  const kind = entry.facets.kind.values.findIndex(([id]) => id === "tap-the");
  const t = await titles("dien quan", { kind: new Set([kind]) });
  assert.deepEqual(t, ["Đoàn TNCS Hồ Chí Minh xã Điện Quan"]);
  const both = await titles("hoa", { kind: new Set([0, 1, 2]) });
  assert.equal(both.length, (await titles("hoa")).length);
  const r = await s.search("hoa");
  const counts = await s.facetCounts(r.ranked);
  assert.equal(counts.kind.reduce((a, b) => a + b, 0), r.total);
});

test("highlights keep the original diacritics", () => {
  const { words } = parseQuery("dien qu", true);
  const parts = highlight("Xã Điện Quan, huyện Bảo Yên", words);
  assert.deepEqual(parts.filter((p) => p.hit).map((p) => p.text), ["Điện", "Quan"]);
  assert.equal(parts.map((p) => p.text).join(""), "Xã Điện Quan, huyện Bảo Yên");
});

// The generator splits a large shard by one more character of its terms' folded text, again and
// again (a common syllable's pairs and exact spelling leave its shard on a national site). The
// client must find every term wherever it went: here the fixture's index is re-cut to the end —
// each term in a shard named by its whole text — and submitted queries rank the same.
test("the same answers however deeply the shards are split", async () => {
  // The fixture with 64 newer stories: its own stories are sealed into shards.
  const SEALED = process.env.SEARCH_PUBLIC_SEALED;
  assert.ok(SEALED, "SEARCH_PUBLIC_SEALED is not set");
  const read = async (path) => JSON.parse(await readFile(join(SEALED, "tim-kiem", path), "utf8"));
  const whole = () => new Searcher(read);
  const entry = await read("index.json");
  const nameOf = (text) => [...text].map((c) => (/[a-z0-9]/.test(c) ? c : "_")).join("");
  const cut = new Map();
  const shardOf = (text) => { const n = nameOf(text); if (!cut.has(n)) cut.set(n, { t: {}, b: {} }); return cut.get(n); };
  for (const name of entry.shards) {
    const shard = await read(`t/${name}.json`);
    for (const [key, postings] of Object.entries(shard.t)) shardOf(fold(key.replace(/^=/, ""))).t[key] = postings;
    for (const [word, df] of Object.entries(shard.b)) shardOf(word).b[word] = df;
  }
  assert.ok(cut.size > entry.shards.length * 3, `${cut.size} shards from ${entry.shards.length}`);
  const split = { ...entry, shards: [...cut.keys()] };
  const fetched = new Set();
  const deep = new Searcher(async (path) => {
    fetched.add(path);
    if (path === "index.json") return split;
    if (path.startsWith("t/")) return cut.get(path.slice(2, -5));
    return read(path);
  });
  const queries = ["dien quan", "Điện Quan", "Thạnh An", "thanh an", "Sơn Hạ", "truong thpt so 1", "Lò Thị Hòa", "lí", "hoang tung", "xã sơn hà"];
  for (const q of queries) {
    const [a, b] = [await whole().search(q), await deep.search(q)];
    assert.deepEqual(b.ranked, a.ranked, q);
    assert.equal(b.total, a.total, q);
  }
  // Pairs and exact spellings were read from shards of their own.
  assert.ok(fetched.has("t/dien_quan.json") && [...fetched].some((p) => /^t\/[a-z]+\d\.json$/.test(p)), [...fetched].join(" "));
});
