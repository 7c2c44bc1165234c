// End to end in headless Chromium: a newspaper page on one origin embeds a story card served
// from another origin, and the iframe grows to the card's height — with embed.js, and with a
// WordPress-style host that only speaks the wp-embed protocol.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, readFile, readdir } from "node:fs/promises";
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

// A host that strips <script> keeps only the iframe of the snippet, at its fixed height: the card
// must fill that frame exactly, at a phone's width and at full width, with and without the card's
// own script (a sandbox without allow-scripts), its last line "Đọc tiếp" in view and no half line.
async function snippetStory(slug) {
  const html = await readFile(join(process.env.SITE_PUBLIC, "guong", slug, "index.html"), "utf8");
  const snippet = /<textarea id="ma-nhung"[^>]*>([^<]*)<\/textarea>/.exec(html)[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  // The snippet names the site's public address; this test serves the build elsewhere.
  assert.match(snippet, /height="(300|440)"/, snippet);
  return snippet.replace(/<script[^]*$/, "").replace(/src="[^"]*\/nhung\//, `src="${site.url}/nhung/`);
}

for (const scripts of [true, false]) {
  test(`the snippet's frame shows the whole card, no blank and no cut (card script ${scripts ? "on" : "off"})`, async () => {
    const slugs = (await readdir(join(process.env.SITE_PUBLIC, "nhung"))).filter((f) => f.endsWith(".html")).map((f) => f.slice(0, -5));
    assert.ok(slugs.length >= 10);
    const context = await browser.newContext({ javaScriptEnabled: scripts });
    let photos = 0;
    for (const width of [390, 600]) {
      for (const slug of slugs) {
        const iframe = (await snippetStory(slug)).replace("<iframe ", `<iframe ${scripts ? "" : 'sandbox="allow-top-navigation-by-user-activation" '}`);
        const frameHeight = Number(/height="(\d+)"/.exec(iframe)[1]);
        await writeFile(join(hostDir, `khong-script-${slug}.html`), `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Báo</title>
          <style>body{margin:0;width:${width}px}</style></head><body>${iframe}</body></html>`);
        const page = await context.newPage();
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${host.url}/khong-script-${slug}.html`);
        const frame = await (await page.waitForSelector("iframe")).contentFrame();
        await frame.waitForLoadState("load");
        const m = await frame.evaluate(() => {
          const card = document.querySelector(".embed-card").getBoundingClientRect();
          const more = document.querySelector(".embed-more a").getBoundingClientRect();
          const summary = document.querySelector(".embed-summary");
          const style = getComputedStyle(summary);
          const inner = Math.min(summary.scrollHeight, Number(style.webkitLineClamp) * parseFloat(style.lineHeight));
          return { view: innerHeight, width: innerWidth, doc: document.documentElement.scrollHeight, cardTop: card.top, cardBottom: card.bottom, moreBottom: more.bottom, summaryBox: summary.clientHeight, summaryText: inner, summaryFull: summary.scrollHeight, lineHeight: parseFloat(style.lineHeight), hasSummary: summary.textContent.trim().length > 0, hasPhoto: !!document.querySelector(".embed-photo img") };
        });
        const where = `${slug} at ${width} px: ${JSON.stringify(m)}`;
        assert.equal(m.view, frameHeight, where);
        assert.equal(frameHeight, m.hasPhoto ? 440 : 300, `the snippet's height is the card's: ${where}`);
        photos += m.hasPhoto ? 1 : 0;
        assert.equal(m.width, Math.min(width, 600), where);
        assert.equal(m.doc, frameHeight, `nothing below the frame: ${where}`);
        assert.ok(m.cardTop === 0 && Math.abs(m.cardBottom - frameHeight) < 1, `the card fills the frame: ${where}`);
        assert.ok(m.moreBottom <= frameHeight, `"Đọc tiếp" in view: ${where}`);
        assert.ok(m.summaryText <= m.summaryBox + 0.5, `the summary's lines fit whole: ${where}`);
        if (scripts && m.summaryFull > m.summaryText) assert.ok(m.summaryBox - m.summaryText < m.lineHeight, `a cut summary leaves no room for another line: ${where}`);
        if (m.hasSummary) assert.ok(m.summaryText >= m.lineHeight, `at least one line of summary: ${where}`);
        await page.close();
      }
    }
    await context.close();
    assert.ok(photos >= 2, "cards with a photo were tried too");
  });
}
