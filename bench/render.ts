// Co-brand rendering on this machine: a render with a new browser (cold), renders in the running
// browser that miss the cache (warm), repeat requests answered from storage (cached), and a burst
// of simultaneous requests through the queue. Runs the app's own renderMaterial against the real
// Chromium and a scratch storage directory, and rewrites the "Co-brand rendering" section of
// docs/benchmarks.md.
//
//   npm run bench:render             (also the second half of npm run bench)
//   BENCH_RENDER_REPS=10             timed runs per case
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const scratch = mkdtempSync(path.join(os.tmpdir(), "pp-bench-render-"));
// The app's storage reads UPLOAD_DIR on first use: renders go to a scratch directory, not uploads/.
process.env.UPLOAD_DIR = scratch;

const { closeRenderer, materialDocument, RENDER_FORMATS, renderMaterial, rendererAvailable } = await import("../app/models/toolkits/render.server");
const { rendererSettings, rendererStats } = await import("../app/models/toolkits/render-browser.server");
type RenderFormat = (typeof RENDER_FORMATS)[number];

const REPS = Number(process.env.BENCH_RENDER_REPS ?? 10);
const BURST = 8;
const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

if (!rendererAvailable()) {
  console.error(`Chromium is missing at ${rendererSettings().executablePath}: nothing to measure.`);
  process.exit(1);
}

let codeVersion = "unknown commit";
try {
  const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--", "app"], { encoding: "utf8" }).trim();
  codeVersion = `commit ${sha}${dirty ? " with uncommitted changes in app/" : ""}`;
} catch {
  // Not a git work tree.
}

// A campaign flyer as brand staff would write one: brand zones, the partner's block, a message.
const CSS = `
.sheet { position: relative; box-sizing: border-box; width: 100%; min-height: 100vh; padding: 48px; background: linear-gradient(160deg, #0b3d63, #1f7a8c); color: #fff; }
.brand { font-size: 28px; font-weight: 700; letter-spacing: 0; }
.headline { font-size: 72px; font-weight: 900; margin: 80px 0 24px; line-height: 1.3; }
.offer { font-size: 34px; font-weight: 500; }
.partner { position: absolute; inset-inline: 48px; bottom: 48px; display: flex; gap: 32px; align-items: center; padding: 32px; border-radius: 24px; background: #fff; color: #0b3d63; }
.partner img { width: 160px; height: 160px; object-fit: contain; }
.partner h2 { margin: 0 0 8px; font-size: 40px; }
.partner p { margin: 4px 0; font-size: 26px; }
@media print { .sheet { min-height: 297mm; } }`;
const HTML = `<div class="sheet">
  <div class="brand">برند نمونه · جشنواره نوروز</div>
  <div class="headline">نوروزتان پیروز<br>تا ۳۰٪ تخفیف</div>
  <div class="offer">{{message}}</div>
  <div class="partner">
    <img src="{{partner_logo}}" alt="{{partner_name}}">
    <div><h2>{{partner_name}}</h2><p>{{partner_address}}</p><p>تلفن: {{partner_phone}}</p><p>{{partner_website}}</p><p>ویژه {{customer_name}}</p></div>
  </div>
</div>`;
const logo = await sharp({ create: { width: 512, height: 512, channels: 4, background: { r: 200, g: 40, b: 60, alpha: 1 } } }).png().toBuffer();
const values = (n: number) => ({
  text: {
    partner_name: "فروشگاه نور پارس",
    partner_phone: "+982188001122",
    partner_address: "تهران، خیابان ونک، پلاک 12",
    partner_website: "noor-pars.example",
    message: `ارسال رایگان برای خریدهای بالای ${n + 1} میلیون تومان تا پایان فروردین`,
    customer_name: "مریم رضایی",
  },
  logo: { bytes: logo, mime: "image/png" as const },
});
/** Each call a template of its own, so nothing is in the cache. */
const fresh = () => ({ id: randomUUID(), version: 1, lang: "fa" as const, html: HTML, css: CSS });

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.max(0, Math.ceil(xs.length * q) - 1)];
const p50 = (xs: number[]) => quantile(xs, 0.5);
const p95 = (xs: number[]) => quantile(xs, 0.95);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

interface Row {
  what: string;
  format: RenderFormat;
  times: number[];
  bytes: number;
}
const rows: Row[] = [];
const loadBefore = os.loadavg();
const started = performance.now();

// Cold: the browser launched by the request itself (the first render after a start or a crash).
for (const format of ["pdf_a4", "png_square"] as const) {
  const row: Row = { what: "cold: new browser, not cached", format, times: [], bytes: 0 };
  for (let i = 0; i < REPS; i++) {
    await closeRenderer();
    const { ms: t, result } = await timed(() => renderMaterial(fresh(), values(i), format));
    if (result.cached) throw new Error("a cold render was served from the cache");
    row.times.push(t);
    row.bytes = result.bytes.length;
  }
  rows.push(row);
  console.log(`${row.what} ${format}: p50 ${ms(p50(row.times))} ms`);
}

// Warm and cached, per format: one warm-up render, then REPS misses, then REPS repeats of one of them.
const warm = new Map<RenderFormat, Row>();
const cached = new Map<RenderFormat, Row>();
for (const format of RENDER_FORMATS) {
  await renderMaterial(fresh(), values(0), format);
  const miss: Row = { what: "warm: running browser, not cached", format, times: [], bytes: 0 };
  const hit: Row = { what: "cached: read from storage", format, times: [], bytes: 0 };
  const template = fresh();
  for (let i = 0; i < REPS; i++) {
    const { ms: t, result } = await timed(() => renderMaterial(i === 0 ? template : fresh(), values(i), format));
    if (result.cached) throw new Error("a warm render was served from the cache");
    miss.times.push(t);
    miss.bytes = result.bytes.length;
  }
  const rendersBefore = rendererStats().renders;
  for (let i = 0; i < REPS; i++) {
    const { ms: t, result } = await timed(() => renderMaterial(template, values(0), format));
    if (!result.cached) throw new Error("a repeat request was rendered again");
    hit.times.push(t);
    hit.bytes = result.bytes.length;
  }
  if (rendererStats().renders !== rendersBefore) throw new Error("a cached request reached Chromium");
  warm.set(format, miss);
  cached.set(format, hit);
  rows.push(miss, hit);
  console.log(`${format}: warm p50 ${ms(p50(miss.times))} ms, cached p50 ${ms(p50(hit.times))} ms`);
}

// A burst: BURST different requests at once, through the concurrency limit and the queue.
const queuedBefore = rendererStats().queued;
const burstStart = performance.now();
const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => timed(() => renderMaterial(fresh(), values(i), "png_square"))));
const burstWall = performance.now() - burstStart;
const burstQueued = rendererStats().queued - queuedBefore;
const burstTimes = burst.map((b) => b.ms);
console.log(`burst of ${BURST}: wall ${ms(burstWall)} ms, p50 ${ms(p50(burstTimes))} ms, p95 ${ms(p95(burstTimes))} ms`);

const loadAfter = os.loadavg();
const seconds = Math.round((performance.now() - started) / 1000);
const stats = rendererStats();
await closeRenderer();
rmSync(scratch, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report

let chromiumVersion = "unknown";
try {
  chromiumVersion = execFileSync(rendererSettings().executablePath, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
} catch {
  // Reported as unknown.
}
const playwrightVersion = JSON.parse(readFileSync(new URL("../node_modules/playwright-core/package.json", import.meta.url), "utf8")).version;
let nproc = String(os.availableParallelism());
try {
  nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
} catch {
  // os.availableParallelism() is the same number where nproc is missing.
}
const documentBytes = Buffer.byteLength(materialDocument(fresh(), values(0)));
const settings = rendererSettings();
const ratio = (x: number) => `${x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(1)}×`;

const table = rows.map((r) => `| ${r.what} | ${r.format} | ${ms(p50(r.times))} | ${ms(p95(r.times))} | ${ms(Math.min(...r.times))} | ${ms(Math.max(...r.times))} | ${r.times.length} | ${kib(r.bytes)} |`);
const ratios = RENDER_FORMATS.map((f) => {
  const w = p50(warm.get(f)!.times);
  const c = p50(cached.get(f)!.times);
  return `| ${f} | ${ms(w)} | ${ms(c)} | ${ratio(w / c)} |`;
});
const coldPdf = p50(rows[0].times);
const warmPdf = p50(warm.get("pdf_a4")!.times);

const runDate = new Date().toISOString().slice(0, 16).replace("T", " ");
const section = [
  "<!-- render:start -->",
  "## Co-brand rendering",
  "",
  `Run ${runDate} UTC on ${codeVersion}, by \`npm run bench:render\` (also run by \`npm run bench\`). This section is rewritten by every run.`,
  "",
  `- Machine: ${nproc} CPUs (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 1073741824)} GiB RAM, load average ${loadBefore[0].toFixed(2)} before and ${loadAfter[0].toFixed(2)} after (the machine is shared; other work ran alongside)`,
  `- ${chromiumVersion}, playwright-core ${playwrightVersion}, Node ${process.version}; concurrency ${settings.concurrency}, time limit ${settings.timeoutMs / 1000} s`,
  `- What is rendered: a Nowruz flyer template (gradient brand zone, headline, the partner's block with a 512×512 PNG logo, name, address, phone, web address, message and customer name), Persian; the HTML document with Vazirmatn (five weights) and the logo embedded is ${kib(documentBytes)}`,
  `- Times are per \`renderMaterial\` call as a route makes it: cache lookup in local-disk storage, the render, storing the file. Every uncached run has a template of its own, so nothing is answered from the cache. ${REPS} runs per case${REPS < 20 ? " (so p95 is the slowest run)" : ""}; ${seconds} s in all; ${stats.launches} browser launches`,
  "",
  "| case | format | p50 ms | p95 ms | min ms | max ms | runs | file |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...table,
  "",
  "Cached against uncached (p50 of the warm renders / p50 of the storage reads):",
  "",
  "| format | warm ms | cached ms | ratio |",
  "| --- | ---: | ---: | ---: |",
  ...ratios,
  "",
  `A cold PDF (browser launch included) takes ${ratio(coldPdf / warmPdf)} a warm one: the browser is launched once and shared, so only the first render after a start or a crash pays for it.`,
  "",
  `Burst: ${BURST} different 1080×1080 PNGs asked for at once: all done in ${ms(burstWall)} ms, ${burstQueued} of them waited for a slot; per request p50 ${ms(p50(burstTimes))} ms, p95 ${ms(p95(burstTimes))} ms (${ratio(p95(burstTimes) / p50(warm.get("png_square")!.times))} a lone warm render: the queue turns a burst into waiting, not into more Chromium processes than the machine has cores).`,
  "<!-- render:end -->",
].join("\n");

const existing = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n";
const SECTION_RE = /<!-- render:start -->[\s\S]*?<!-- render:end -->/;
writeFileSync(DOC, SECTION_RE.test(existing) ? existing.replace(SECTION_RE, section) : `${existing.trimEnd()}\n\n${section}\n`);
console.log(`\nWrote ${DOC}.`);
