// Prints the browser client's top results for each query, as JSON {query: [position, …]}: positions
// in the site index (0 = newest), which the client's ids (0 = oldest) are converted to.
// Usage: node tests/js/rank.mjs <public dir> <query>…   (used by tests/engine_parity.rs)
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Searcher } from "../../themes/default/static/tim-kiem.js";

const [publicDir, ...queries] = process.argv.slice(2);
const searcher = new Searcher(async (p) => JSON.parse(await readFile(join(publicDir, "tim-kiem", p), "utf8")));
const out = {};
const { n } = await searcher.entry();
for (const q of queries) {
  // A submitted query (as the API and a shared link): every word, the last one not a prefix.
  const r = await searcher.search(q);
  out[q] = r.ranked.slice(0, 5).map((x) => n - 1 - x.doc);
}
console.log(JSON.stringify(out));
