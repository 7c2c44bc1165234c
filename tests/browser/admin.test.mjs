// The web editor at /admin/ loads the vendored Sveltia CMS with the generated config, and its
// Content-Security-Policy keeps it from fetching fonts or update checks from other hosts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch } from "./helpers.mjs";

let server, browser;
before(async () => { server = await serve(process.env.SITE_PUBLIC); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test("the editor starts with our configuration and reaches no other host", async () => {
  const page = await browser.newPage();
  const left = [];
  page.on("requestfinished", (r) => { const u = r.url(); if (!u.startsWith(server.url) && !u.startsWith("blob:") && !u.startsWith("data:")) left.push(u); });
  const configErrors = [];
  page.on("console", (m) => { if (m.type() === "error" && /configuration|config/i.test(m.text())) configErrors.push(m.text()); });
  await page.goto(`${server.url}/admin/`);
  await page.getByText("Work with Local Repository").waitFor({ timeout: 15000 });
  assert.deepEqual(configErrors, []);
  assert.deepEqual(left, []);
  await page.close();
});
