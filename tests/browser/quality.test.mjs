// Accessibility (axe-core) over the pages citizens use most, in headless Chromium, with no
// console error and no request to another host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { serve, launch, watchedPage } from "./helpers.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let server, browser;
before(async () => { server = await serve(process.env.SITE_PUBLIC); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** axe's serious and critical violations on the page as loaded, one line each. */
async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0].html.slice(0, 120)})`);
}

const PAGES = ["/", "/guong/doan-xa-dien-quan/", "/phong-trao/thanh-nien-lam-chu-dat-nuoc/", "/tim-kiem/?q=dien%20quan", "/thong-ke/", "/nhung/hoang-tung.html"];

for (const path of PAGES) {
  test(`axe finds no serious or critical violation on ${path}`, async () => {
    const { page, problems } = await watchedPage(browser, server.url);
    await page.goto(`${server.url}${path}`);
    if (path.startsWith("/tim-kiem/")) await page.waitForSelector("[data-search-result]");
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

// Dark mode: the theme follows the reader's setting, and stays readable (axe checks contrast).
for (const path of ["/", "/guong/doan-xa-dien-quan/", "/thong-ke/"]) {
  test(`dark mode is dark and readable on ${path}`, async () => {
    const { page, problems } = await watchedPage(browser, server.url);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}${path}`);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `a dark page, not ${background}`);
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
}
