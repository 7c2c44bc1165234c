// End to end in headless Chromium: the example site's search page, as a citizen uses it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, watchedPage } from "./helpers.mjs";

const PUBLIC = process.env.SITE_PUBLIC;
let server, browser;

before(async () => {
  server = await serve(PUBLIC);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function firstResults(page, n = 3) {
  await page.waitForSelector("[data-search-result]");
  return page.$$eval("[data-search-result] h2", (els, n) => els.slice(0, n).map((e) => e.textContent), n);
}

test("a shared link /tim-kiem/?q=dien%20quan shows the Điện Quan youth union first", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/?q=dien%20quan`);
  const titles = await firstResults(page);
  assert.equal(titles[0], "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
  assert.match(await page.textContent("[data-search-status]"), /Tìm thấy \d+ gương điển hình/);
  // Matched words are highlighted with their diacritics.
  const marks = await page.$$eval("[data-search-result]:first-child mark", (m) => m.map((x) => x.textContent));
  assert.ok(marks.includes("Điện") && marks.includes("Quan"), marks.join(","));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a shared link needs every word, whole: one school for 'truong thpt so 1', no Xuân Quang for 'dien quan'", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/?q=truong%20thpt%20so%201`);
  const school = await firstResults(page, 10);
  assert.equal(school[0], "Trường THPT số 1 thành phố Lào Cai");
  assert.ok(school.length <= 2, school.join(" | "));
  assert.match(await page.textContent("[data-search-status]"), new RegExp(`Tìm thấy ${school.length} gương điển hình`));
  await page.goto(`${server.url}/tim-kiem/?q=dien%20quan`);
  const titles = await firstResults(page, 20);
  assert.ok(titles.every((t) => !t.includes("Xuân Quang")), titles.join(" | "));
  // The page has one search box: its own.
  assert.equal(await page.$$eval("input[type=search]", (inputs) => inputs.length), 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a shared link's early requests are the search's own: each index file once, none it would not fetch", async () => {
  const requested = async (open) => {
    const { page, problems } = await watchedPage(browser, server.url);
    const paths = [];
    page.on("request", (r) => { const p = new URL(r.url()).pathname; if (p.startsWith("/tim-kiem/") && p !== "/tim-kiem/") paths.push(p); });
    await open(page);
    await firstResults(page);
    await page.waitForTimeout(300);
    assert.deepEqual(problems, []);
    await page.close();
    return paths;
  };
  const shared = await requested((page) => page.goto(`${server.url}/tim-kiem/?q=dien%20quan`));
  const typed = await requested(async (page) => {
    await page.goto(`${server.url}/tim-kiem/`);
    await page.fill("#tu-khoa", "dien quan");
    await page.press("#tu-khoa", "Enter");
  });
  assert.equal(new Set(shared).size, shared.length, `fetched twice: ${shared.join(" ")}`);
  assert.deepEqual([...new Set(shared)].sort(), [...new Set(typed)].sort());
  // The entry file is in the page: no request for it.
  assert.ok(!shared.includes("/tim-kiem/index.json"), shared.join(" "));
});

test("when no story holds every word, the page says so and shows those with most", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/?q=dien%20quan%20zzqx`);
  const titles = await firstResults(page);
  assert.equal(titles[0], "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
  assert.match(await page.textContent("[data-search-status]"), /Không có gương điển hình nào có đủ các từ đã gõ\. \d+ gương có nhiều từ nhất/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("typing 'hoang tung' shows Hoàng Tùng first and keeps the query in the URL", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/`);
  await page.click("#tu-khoa");
  await page.keyboard.type("hoang tung", { delay: 30 });
  await page.waitForFunction(() => document.querySelector("[data-search-result] h2")?.textContent === "Hoàng Tùng");
  assert.equal(new URL(page.url()).searchParams.get("q"), "hoang tung");
  // Arrow down moves to the first result.
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Hoàng Tùng");
  assert.deepEqual(problems, []);
  await page.close();
});

test("no query runs while an input method is still composing a character", async () => {
  const { page } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/`);
  await page.focus("#tu-khoa");
  await page.evaluate(() => {
    const input = document.querySelector("#tu-khoa");
    input.dispatchEvent(new CompositionEvent("compositionstart"));
    input.value = "die";
    input.dispatchEvent(new InputEvent("input", { isComposing: true }));
  });
  await page.waitForTimeout(500);
  assert.equal(await page.$$eval("[data-search-result]", (r) => r.length), 0);
  await page.evaluate(() => {
    const input = document.querySelector("#tu-khoa");
    input.value = "điện quan";
    input.dispatchEvent(new CompositionEvent("compositionend"));
  });
  assert.equal((await firstResults(page))[0], "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
  await page.close();
});

test("the search box on every page leads to the search page", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/phong-trao/`);
  await page.fill("#o-tim", "truong thpt");
  await page.press("#o-tim", "Enter");
  await page.waitForURL(/\/tim-kiem\/\?q=truong\+thpt/);
  assert.equal((await firstResults(page))[0], "Trường THPT số 1 thành phố Lào Cai");
  assert.deepEqual(problems, []);
  await page.close();
});

test("filters narrow the results (any of within a facet) and show counts", async () => {
  const { page, problems } = await watchedPage(browser, server.url);
  await page.goto(`${server.url}/tim-kiem/?q=dien%20quan`);
  await firstResults(page);
  const before = await page.$$eval("[data-search-result]", (r) => r.length);
  await page.click("[data-search-filters] summary");
  const individual = page.locator('input[data-facet="kind"]').nth(1);
  await individual.check();
  await page.waitForFunction((n) => document.querySelectorAll("[data-search-result]").length < n, before);
  const metas = await page.$$eval("[data-search-result] .meta", (m) => m.map((x) => x.textContent));
  assert.ok(metas.length > 0 && metas.every((m) => m.endsWith("Cá nhân")), metas.join(" | "));
  assert.match(await page.textContent('[data-count="kind:1"]'), /^\(\d+\)$/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("without JavaScript the page says so and links the movements", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/tim-kiem/?q=dien%20quan`);
  const html = await page.content();
  assert.match(html, /Tìm kiếm cần JavaScript/);
  assert.match(html, /href="\/phong-trao\/thanh-nien-lam-chu-dat-nuoc\/"/);
  await context.close();
});
