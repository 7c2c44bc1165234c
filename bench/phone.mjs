// A shared search link on a phone: the time from navigation to the first result shown, in
// headless Chromium with Lighthouse's "slow 4G" profile (150 ms round trip, 1.6 Mbps down,
// 750 kbps up) and a 4× slower CPU, a fresh cache each run, text sent gzip-compressed. nguoitot's /tim-kiem/?q=… page, and
// Pagefind's default UI over the same story pages when Pagefind is installed.
//
// Usage: node bench/phone.mjs <public dir> [runs=7] [query…]
//   (build the site first, e.g. `nguoitot build --output /dev/shm/ex`; Pagefind: `npm install
//   --no-save pagefind@1.6.0`, its index is written to <public>/_pagefind/)
// With AGAINST=<other public dir>: two builds of nguoitot (say, before and after a change to the
// client) in alternating runs, so that the machine's drift falls on both alike; no Pagefind.
import { execFileSync } from "node:child_process";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch } from "../tests/browser/helpers.mjs";

const [PUBLIC, runsArg, ...queryArgs] = process.argv.slice(2);
const AGAINST = process.env.AGAINST;
if (!PUBLIC) throw new Error("usage: node bench/phone.mjs <public dir> [runs] [query…]");
const RUNS = Number(runsArg || 7);
const QUERIES = queryArgs.length ? queryArgs : ["dien quan", "hoang tung", "truong thpt"];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Opens `url` under the phone profile; ms from navigation to the first `selector` in the page. */
async function firstResult(browser, url, selector) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Stamped by the page itself the moment a result enters the document.
  await page.addInitScript((sel) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(sel)) { window.__firstResult = performance.now(); observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 60000 });
  const times = await page.evaluate(() => ({ first: window.__firstResult, dom: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd }));
  await context.close();
  return times;
}

async function pagefindPage() {
  const bin = join(process.cwd(), "node_modules/.bin/pagefind");
  try { await stat(bin); } catch { return null; }
  execFileSync(bin, ["--site", PUBLIC, "--glob", "guong/**/*.html", "--output-subdir", "_pagefind"], { stdio: "ignore" });
  // Pagefind's own UI, given the query of the link as soon as it starts.
  await writeFile(join(PUBLIC, "_pagefind-phone.html"), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="/_pagefind/pagefind-ui.css" rel="stylesheet"><script src="/_pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>
window.addEventListener("DOMContentLoaded", () => {
  const ui = new PagefindUI({ element: "#search", showSubResults: false, showImages: false });
  ui.triggerSearch(new URLSearchParams(location.search).get("q"));
});
</script></body></html>`);
  return "/_pagefind-phone.html";
}

// Compressed as any web server sends text (both sides alike).
const server = await serve(PUBLIC, { gzip: true });
const other = AGAINST ? await serve(AGAINST, { gzip: true }) : null;
const browser = await launch();
const rows = [];
const pagefind = other ? null : await pagefindPage();
for (const q of QUERIES) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await firstResult(browser, `${server.url}/tim-kiem/?q=${encodeURIComponent(q)}`, "[data-search-result]"));
    if (other) theirs.push(await firstResult(browser, `${other.url}/tim-kiem/?q=${encodeURIComponent(q)}`, "[data-search-result]"));
    else if (pagefind) theirs.push(await firstResult(browser, `${server.url}${pagefind}?q=${encodeURIComponent(q)}`, ".pagefind-ui__result"));
  }
  rows.push([q, ours, theirs]);
}
await browser.close();
server.close();
other?.close();

const ms = (xs, key) => (xs.length ? `${Math.round(median(xs.map((x) => x[key])))}` : "—");
console.log(`Phone profile (slow 4G: 150 ms RTT, 1.6 Mbps; CPU 4× slower), median of ${RUNS} runs, ms after navigation`);
const third = other ? `nguoitot (${AGAINST}): first result` : "Pagefind 1.6 UI: first result";
console.log(`| query | nguoitot: first result | nguoitot: DOM ready | ${third} |`);
console.log("|---|---|---|---|");
for (const [q, ours, theirs] of rows) console.log(`| ${q} | ${ms(ours, "first")} | ${ms(ours, "dom")} | ${other || pagefind ? ms(theirs, "first") : "not installed"} |`);
