// The web editor at /admin/ in a browser set to Vietnamese: the vendored Sveltia CMS starts with
// the generated config and a Vietnamese interface, logs no errors and reaches no other host (its
// language files and icon font are served by the site; CSP derived from [editor]).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch } from "./helpers.mjs";

let server, browser;
before(async () => { server = await serve(process.env.SITE_PUBLIC); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test("under vi-VN the editor starts in Vietnamese, quietly, talking only to this site", async () => {
  const context = await browser.newContext({ locale: "vi-VN" });
  const page = await context.newPage();
  const elsewhere = [];
  const failed = [];
  const errors = [];
  page.on("request", (r) => { const u = r.url(); if (!u.startsWith(server.url) && !u.startsWith("blob:") && !u.startsWith("data:")) elsewhere.push(u); });
  page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/admin/`, { waitUntil: "commit" });
  await page.getByText("Làm việc với kho mã nguồn cục bộ").waitFor({ timeout: 20000 });
  await page.getByText("Đăng nhập bằng mã truy cập").waitFor();
  // A failing language file made the interface retry without end (50,000 errors in 15 s).
  await page.waitForTimeout(1500);
  assert.deepEqual(errors, []);
  assert.deepEqual(elsewhere, []);
  assert.deepEqual(failed, []);
  // The Vietnamese strings came from the site itself.
  const locale = await page.evaluate(async () => (await fetch("/admin/locales/vi.json")).ok);
  assert.ok(locale);
  await context.close();
});
