// Screenshots of a built site's main pages, at a phone's and a desktop's width, light and dark:
// anyone can look at the whole site in a minute.
//
//   nguoitot build --output /tmp/site && node tools/screenshots.mjs /tmp/site [FOLDER]
//
// Writes FOLDER (default `screenshots/`) /<page>-<width>[-toi].png for the home page, a story, a
// movement, a province, the search page with a query and the statistics. The story, movement and
// province are the first the home page links to. Uses Debian's Chromium (CHROMIUM to override)
// through playwright-core from the lockfile (`npm ci`).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch } from "../tests/browser/helpers.mjs";

const [publicDir, out = "screenshots"] = process.argv.slice(2);
if (!publicDir) {
  console.error("Cách dùng: node tools/screenshots.mjs THƯ_MỤC_ĐÃ_DỰNG [THƯ_MỤC_ẢNH]");
  process.exit(2);
}
const WIDTHS = [390, 1280];

const server = await serve(publicDir);
const browser = await launch();
try {
  await mkdir(out, { recursive: true });
  // Pages to show: fixed ones, and the first story, movement and province the site links to.
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  const first = (prefix) => page.evaluate((p) => [...document.querySelectorAll(`a[href^="${p}"]`)].map((a) => a.getAttribute("href")).find((h) => h !== p), prefix);
  const story = await first("/guong/");
  const movement = await first("/phong-trao/");
  await page.goto(`${server.url}/dia-phuong/`);
  const province = await first("/dia-phuong/");
  await page.close();
  const pages = { "trang-chu": "/", guong: story, "phong-trao": movement, "dia-phuong": province, "tim-kiem": "/tim-kiem/?q=xa", "thong-ke": "/thong-ke/" };
  let written = 0;
  for (const [name, path] of Object.entries(pages)) {
    if (!path) continue;
    for (const width of WIDTHS) {
      for (const dark of [false, true]) {
        const view = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: dark ? "dark" : "light" });
        await view.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
        const file = join(out, `${name}-${width}${dark ? "-toi" : ""}.png`);
        await view.screenshot({ path: file, fullPage: true });
        await view.close();
        written++;
      }
    }
  }
  console.log(`Đã chụp ${written} ảnh vào ${out}/`);
} finally {
  await browser.close();
  server.close();
}
