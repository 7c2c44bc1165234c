// Relevance of the search client on the benchmarks' corpus: 60 queries written from the corpus
// itself, 15 of each kind — a person's name as written, the same without diacritics, a name with
// a fold twin in the corpus (Má/Ma, Hoà/Hòa…) typed with its tones, and several words (a unit and
// its commune) — each aiming at the stories with one title. Precision@1 (the first result has that
// title) and the number of results, as a shared link /tim-kiem/?q=… shows them.
//
// Usage: node bench/relevance.mjs <public dir of the corpus> [client module = themes/default/static/tim-kiem.js]
//   (corpus: `cargo run --release -p nguoitot-bench --bin corpus -- 1000 /dev/shm/c1000`, then
//   `nguoitot build --root /dev/shm/c1000 --output /dev/shm/c1000/public`; to compare with an
//   older client, build with that version and pass its tim-kiem.js)
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [PUBLIC, clientArg] = process.argv.slice(2);
if (!PUBLIC) throw new Error("usage: node bench/relevance.mjs <public dir> [client module]");
const client = await import(pathToFileURL(resolve(clientArg || "themes/default/static/tim-kiem.js")).href);
const load = async (p) => JSON.parse(await readFile(join(PUBLIC, "tim-kiem", p), "utf8"));

// What the corpus holds: each story's title and unit, by document number.
const docs = [];
for (const f of (await readdir(join(PUBLIC, "tim-kiem", "d"))).filter((f) => f.endsWith(".json"))) {
  const d = await load(`d/${f}`);
  docs[Number(f.replace(".json", ""))] = d;
}
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");
const person = (t) => t.replace(/^(Ông|Bà|Hộ gia đình) /, "");
const byFolded = new Map();
for (const d of docs.filter(Boolean)) {
  const k = fold(person(d.t));
  if (!byFolded.has(k)) byFolded.set(k, new Set());
  byFolded.get(k).add(person(d.t).normalize("NFC"));
}

// 15 queries of each kind, picked evenly through the corpus (deterministic).
const people = docs.filter((d) => d && /^(Ông|Bà|Hộ gia đình) /.test(d.t));
const units = docs.filter((d) => d && !/^(Ông|Bà|Hộ gia đình) /.test(d.t));
const every = (list, n) => Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
const twins = people.filter((d) => byFolded.get(fold(person(d.t))).size > 1);
const queries = [
  ...every(people, 15).map((d) => ["tên có dấu", person(d.t), d.t]),
  ...every(people.slice(7), 15).map((d) => ["tên không dấu", fold(person(d.t)), d.t]),
  ...every(twins, 15).map((d) => ["có tên gần giống (Má/Ma…)", person(d.t), d.t]),
  ...every(units, 15).map((d) => ["nhiều từ, không dấu", fold(d.t), d.t]),
];

// Relevant: the same name — with the same tones when the query has them (Hoà and Hòa are one
// spelling, tone placed differently), the same letters otherwise.
const exact = (s) => s.split(/\s+/).map((w) => client.exactKey(w)).join(" ");
const relevant = (title, target, withTones) => (withTones ? exact(person(title)) === exact(person(target)) : fold(person(title)) === fold(person(target)));
const rows = new Map();
for (const [kind, q, target] of queries) {
  const searcher = new client.Searcher(load);
  // A shared link: the page's own first search (older clients took no options).
  const r = await searcher.search(q, {}, { typing: false });
  const top = r.ranked[0] ? (await searcher.fragment(r.ranked[0].doc)).t : null;
  const hit = top !== null && relevant(top, target, q !== fold(q));
  if (!rows.has(kind)) rows.set(kind, { hits: 0, n: 0, results: [] });
  const row = rows.get(kind);
  row.n++;
  row.hits += hit ? 1 : 0;
  row.results.push(r.total);
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`${queries.length} queries, ${docs.filter(Boolean).length} stories`);
console.log("| queries | precision@1 | results, median (max) |");
console.log("|---|---|---|");
let all = 0;
for (const [kind, r] of rows) {
  all += r.hits;
  console.log(`| ${kind} (${r.n}) | ${r.hits}/${r.n} | ${median(r.results)} (${Math.max(...r.results)}) |`);
}
console.log(`| all (${queries.length}) | ${all}/${queries.length} | ${median([...rows.values()].flatMap((r) => r.results))} |`);
