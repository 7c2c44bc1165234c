// Search on a site with fold twins (Thanh An / Thạnh An, Sơn Hà / Sơn Hạ) in headless Chromium,
// as a reader opens shared links: the tones typed decide the first result, every word is needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, watchedPage } from "./helpers.mjs";

let server, browser;
before(async () => { server = await serve(process.env.SITE_PUBLIC); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function results(q) {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/?q=${encodeURIComponent(q)}`);
  await page.waitForSelector("[data-search-result]");
  await page.waitForTimeout(200);
  const titles = await page.$$eval("[data-search-result] h2", (els) => els.map((e) => e.textContent));
  const status = await page.textContent("[data-search-status]");
  assert.deepEqual(problems, []);
  await page.close();
  return { titles, status };
}

test("the tones typed put the exact twin first, though the other matches in more fields", async () => {
  assert.equal((await results("Thạnh An")).titles[0], "Tổ tự quản Thạnh An");
  assert.equal((await results("Thanh An")).titles[0], "Hợp tác xã Thanh An");
  assert.equal((await results("Sơn Hạ")).titles[0], "Chi đoàn thôn Sơn Hạ");
  assert.equal((await results("Sơn Hà")).titles[0], "Hội Nông dân xã Sơn Hà");
});

test("a multi-word link keeps only stories with every word, and counts them", async () => {
  const { titles, status } = await results("hoi nong dan son ha");
  assert.deepEqual(titles, ["Hội Nông dân xã Sơn Hà"]);
  assert.match(status, /Tìm thấy 1 gương điển hình/);
  const some = await results("chi doan son ha lua");
  assert.match(some.status, /Không có gương điển hình nào có đủ các từ đã gõ/);
});
