// Every page of the hostile fixture site (tests/fixtures/hostile) in headless Chromium: no
// dialog, no console error, no request to another host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { serve, launch, watchedPage } from "./helpers.mjs";

const PUBLIC = process.env.SITE_PUBLIC;
let server, browser;
before(async () => { server = await serve(PUBLIC); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function htmlPages(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlPages(p)));
    else if (e.name.endsWith(".html")) out.push("/" + relative(PUBLIC, p).replace(/index\.html$/, ""));
  }
  return out;
}

test("no page of a hostile site runs content as script or calls another host", async () => {
  const pages = (await htmlPages(PUBLIC)).filter((p) => !p.startsWith("/admin/"));
  assert.ok(pages.length > 15, pages.join(" "));
  const { page, problems } = await watchedPage(browser, server.url);
  for (const path of pages) {
    await page.goto(`${server.url}${path}`);
    await page.waitForLoadState("networkidle");
    if (problems.length) problems.push(`(on ${path})`);
    assert.deepEqual(problems, [], `on ${path}`);
  }
  // The search page with a hostile query: results are text, never markup.
  await page.goto(`${server.url}/tim-kiem/?q=${encodeURIComponent("<img src=x onerror=alert(1)> script alert")}`);
  await page.waitForSelector("[data-search-status]:not(:empty)");
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  await page.close();
});
