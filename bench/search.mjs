// Query side of the search benchmark (called by `cargo run --release --bin bench_search`).
// For 20 fixed queries: the bytes a browser downloads for a first query (gzip as served) and the
// median query time of nguoitot's client, then the same for Pagefind over the same story pages.
import { readFile, stat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { Searcher, PAGE_SIZE } from "../themes/default/static/tim-kiem.js";

const PUBLIC = process.argv[2];
export const QUERIES = [
  "dien quan", "hoang tung", "truong thcs", "thanh nien", "nong thon moi", "bao yen", "sa pa", "hợp tác xã",
  "giang seo", "huân chương lao động", "khởi nghiệp", "bac ha", "tram y te", "lò thị", "muong khuong",
  "công an", "phụ nữ", "trồng chè", "xoa nha tam", "văn bàn",
];
const gz = (buf) => gzipSync(buf, { level: 6 }).length;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (b) => (b / 1024).toFixed(1);

async function ours() {
  const fixed = ["tim-kiem/index.html", "tim-kiem.js", "style.css"];
  let fixedBytes = 0;
  for (const f of fixed) fixedBytes += gz(await readFile(join(PUBLIC, f)));
  const downloads = [];
  const times = [];
  for (const q of QUERIES) {
    const fetched = new Set();
    const s = new Searcher(async (p) => { fetched.add(p); return JSON.parse(await readFile(join(PUBLIC, "tim-kiem", p), "utf8")); });
    const t0 = performance.now();
    const r = await s.search(q);
    await Promise.all(r.ranked.slice(0, PAGE_SIZE).map((x) => s.fragment(x.doc)));
    times.push(performance.now() - t0);
    let bytes = fixedBytes;
    // The entry file is written into the search page (counted with it), not fetched.
    for (const p of fetched) if (p !== "index.json") bytes += gz(await readFile(join(PUBLIC, "tim-kiem", p)));
    downloads.push(bytes);
  }
  return { downloads, times };
}

async function pagefind() {
  const bin = join(process.cwd(), "node_modules/.bin/pagefind");
  try { await stat(bin); } catch { return null; }
  if (process.env.BENCH_NO_PAGEFIND) return { skipped: "BENCH_NO_PAGEFIND set" };
  const t0 = performance.now();
  try {
    execFileSync(bin, ["--site", PUBLIC, "--glob", "guong/**/*.html", "--output-subdir", "_pagefind"], { stdio: "ignore" });
  } catch (e) {
    return { skipped: `Pagefind failed (${e.status ?? e.signal}) — at this size it ran out of memory here` };
  }
  const indexSecs = (performance.now() - t0) / 1000;
  let size = 0, files = 0;
  const walk = async (d) => { for (const e of await readdir(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) await walk(p); else { size += (await stat(p)).size; files++; } } };
  await walk(join(PUBLIC, "_pagefind"));
  let downloads = null;
  try {
    const { serve, launch } = await import("../tests/browser/helpers.mjs");
    const server = await serve(PUBLIC);
    const browser = await launch();
    downloads = [];
    for (const q of QUERIES) {
      const page = await browser.newPage();
      const got = [];
      page.on("response", async (res) => { try { got.push(gz(await res.body())); } catch {} });
      await page.goto(`${server.url}/404.html`);
      await page.evaluate(async (q) => {
        const pf = await import("/_pagefind/pagefind.js");
        const r = await pf.search(q);
        await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
      }, q);
      await page.waitForTimeout(100);
      // The host page itself is not part of the search download.
      downloads.push(got.slice(1).reduce((a, b) => a + b, 0));
      await page.close();
    }
    await browser.close();
    server.close();
  } catch (e) {
    console.error(`(Pagefind download not measured: ${e.message})`);
  }
  return { indexSecs, size, files, downloads };
}

const o = await ours();
console.log(`nguoitot: first-query download median ${kb(median(o.downloads))} KB, max ${kb(Math.max(...o.downloads))} KB gzip; median query ${median(o.times).toFixed(1)} ms`);
const p = await pagefind();
if (p?.skipped) console.log(`Pagefind: ${p.skipped}`);
console.log(`\n| query side, ${QUERIES.length} queries | nguoitot | Pagefind 1.6 |`);
console.log("|---|---|---|");
const row = (label, a, b) => console.log(`| ${label} | ${a} | ${b ?? (p?.skipped ? "—" : "not installed")} |`);
row("first-query download, median (KB gzip)", kb(median(o.downloads)), p?.downloads && kb(median(p.downloads)));
row("first-query download, max (KB gzip)", kb(Math.max(...o.downloads)), p?.downloads && kb(Math.max(...p.downloads)));
row("query time incl. reading and parsing files, median (ms, Node)", median(o.times).toFixed(1), "—");
if (p && !p.skipped) row("index build (s) / size (MB) / files", "see above", `${p.indexSecs.toFixed(1)} / ${(p.size / 1e6).toFixed(1)} / ${p.files}`);
