// Shared by the browser tests: a static file server on loopback and headless Debian Chromium.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, normalize, extname } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".jpg": "image/jpeg", ".txt": "text/plain", ".wasm": "application/wasm" };

/** Serves `dir` on 127.0.0.1 (a free port); resolves to {url, close}. With `gzip`, text is sent
 * compressed as a web server would (for the benchmarks' timings). */
export function serve(dir, { gzip = false } = {}) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    path = normalize(path).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      const type = TYPES[extname(file)] || "application/octet-stream";
      if (gzip && /text|javascript|json|svg|xml/.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
        res.writeHead(200, { "content-type": type, "content-encoding": "gzip" });
        res.end(gzipSync(body));
        return;
      }
      res.writeHead(200, { "content-type": type });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      res.end(await readFile(join(dir, "404.html")).catch(() => "404"));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

/** Headless Chromium from Debian's package, started the way this machine allows. */
export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Opens a page that fails the test on console errors, dialogs and requests to other hosts. */
export async function watchedPage(browser, origin) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request to another host: ${r.url()}`); });
  return { page, problems };
}
