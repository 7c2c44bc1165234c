// End to end in headless Chromium: a newspaper page on one origin embeds a story card served
// from another origin, and the iframe grows to the card's height — with embed.js, and with a
// WordPress-style host that only speaks the wp-embed protocol.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, watchedPage } from "./helpers.mjs";

let site, host, browser, hostDir;

before(async () => {
  site = await serve(process.env.SITE_PUBLIC);
  hostDir = await mkdtemp(join(tmpdir(), "bao-"));
  await writeFile(join(hostDir, "404.html"), "404");
  host = await serve(hostDir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  site?.close();
  host?.close();
});

async function cardHeight(page) {
  const frame = page.frames().find((f) => f.url().includes("/nhung/"));
  return frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
}

test("embed.js resizes the iframe to the story card", async () => {
  await writeFile(join(hostDir, "bai-viet.html"), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Báo</title></head><body>
    <h1>Trang chuyên đề</h1>
    <iframe id="the" src="${site.url}/nhung/doan-xa-dien-quan.html" width="400" height="60" style="border:0" title="Gương" data-nguoitot-embed></iframe>
    <script src="${site.url}/embed.js" async></script></body></html>`);
  const page = await browser.newPage();
  await page.goto(`${host.url}/bai-viet.html`);
  await page.waitForFunction(() => document.getElementById("the").getBoundingClientRect().height > 120);
  const frameHeight = await page.$eval("#the", (f) => f.getBoundingClientRect().height);
  assert.ok(Math.abs(frameHeight - (await cardHeight(page))) <= 2, `iframe ${frameHeight} vs card ${await cardHeight(page)}`);
  // The "Đọc tiếp" link leaves the iframe for the top window.
  const frame = page.frames().find((f) => f.url().includes("/nhung/"));
  assert.equal(await frame.$eval(".embed-more a", (a) => a.target), "_top");
  await page.close();
});

test("embed.js loaded after the card has loaded still resizes it", async () => {
  // The card reports its height on load; a host script that arrives later asks it again.
  await writeFile(join(hostDir, "muon.html"), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Báo</title></head><body>
    <iframe id="late" src="${site.url}/nhung/doan-xa-dien-quan.html" width="400" height="60" style="border:0" title="Gương" data-nguoitot-embed></iframe>
    <script>
      document.getElementById("late").addEventListener("load", function () {
        setTimeout(function () {
          var s = document.createElement("script");
          s.src = "${site.url}/embed.js";
          document.body.appendChild(s);
        }, 500);
      });
    </script></body></html>`);
  const page = await browser.newPage();
  await page.goto(`${host.url}/muon.html`);
  await page.waitForFunction(() => document.getElementById("late").getBoundingClientRect().height > 120, null, { timeout: 10000 });
  await page.close();
});

test("a WordPress host resizes it through the wp-embed protocol", async () => {
  await writeFile(join(hostDir, "wp.html"), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>WP</title></head><body>
    <iframe class="wp-embedded-content" id="wp" src="${site.url}/nhung/hoang-tung.html#?secret=abc123" data-secret="abc123" width="400" height="60" style="border:0" title="Gương"></iframe>
    <script>
      // What WordPress's wp-embed.js does with a height message.
      window.addEventListener("message", function (e) {
        var d = e.data;
        if (!d || d.secret !== "abc123" || d.message !== "height") return;
        document.getElementById("wp").height = Math.max(200, d.value);
      });
    </script></body></html>`);
  const page = await browser.newPage();
  await page.goto(`${host.url}/wp.html`);
  await page.waitForFunction(() => Number(document.getElementById("wp").height) > 120);
  const h = Number(await page.$eval("#wp", (f) => f.height));
  assert.ok(Math.abs(h - Math.max(200, await cardHeight(page))) <= 2, `height ${h}`);
  await page.close();
});

test("in WordPress's sandboxed iframe, a click on the card asks the host to open the story", async () => {
  await writeFile(join(hostDir, "wp-link.html"), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>WP</title></head><body>
    <iframe sandbox="allow-scripts" class="wp-embedded-content" id="wp" src="${site.url}/nhung/hoang-tung.html#?secret=xyz789" data-secret="xyz789" width="400" height="400" style="border:0" title="Gương"></iframe>
    <script>
      // What WordPress's wp-embed.js receives; it opens the address when its host is the card's.
      window.links = [];
      window.addEventListener("message", function (e) {
        var d = e.data;
        if (d && d.secret === "xyz789" && d.message === "link") window.links.push(d.value);
      });
    </script></body></html>`);
  const page = await browser.newPage();
  await page.goto(`${host.url}/wp-link.html`);
  const card = page.frameLocator("#wp");
  await card.getByText("Đọc tiếp").click();
  await page.waitForFunction(() => window.links.length > 0);
  // The card links to the site's own address (the test builds with --base-url http://127.0.0.1).
  assert.deepEqual(await page.evaluate(() => window.links), ["http://127.0.0.1/guong/hoang-tung/"]);
  await page.close();
});

test("the embed card itself logs no error and asks no other host", async () => {
  const { page, problems } = await watchedPage(browser, site.url);
  await page.goto(`${site.url}/nhung/phong-trao/thanh-nien-lam-chu-dat-nuoc/`);
  assert.equal(await page.textContent("h1"), "Thanh niên làm chủ đất nước");
  assert.deepEqual(problems, []);
  await page.close();
});
