import { serve, launch } from "./helpers.mjs";
const [dir, path, width, y, h, out, dark] = process.argv.slice(2);
const site = await serve(dir);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: dark ? "dark" : "light" });
await page.goto(site.url + path, { waitUntil: "networkidle" });
await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: Number(y), width: Number(width), height: Number(h) } });
await browser.close(); site.close();
