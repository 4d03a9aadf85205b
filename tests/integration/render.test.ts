// The co-brand renderer against the real Chromium at /usr/bin/chromium, the real poppler tools and
// the worker's real storage directory.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { configureRenderer, rendererStats } from "~/models/toolkits/render-browser.server";
import { closeRenderer, type MaterialValues, RenderError, type RenderFormat, rendererAvailable, renderMaterial, type TemplateSource } from "~/models/toolkits/render.server";

// A Persian name without the lam-alef ligature (pdftotext writes «لا» in reverse).
const NAME = "فروشگاه نور پارس";
const CARD_CSS = `
.card { padding: 24mm; font-size: 22pt; }
.logo { position: absolute; top: 0; left: 0; width: 120px; height: 120px; }`;
const CARD_HTML = `<img class="logo" src="{{partner_logo}}" alt="{{partner_name}}">
<div class="card"><h1>{{partner_name}}</h1><p>تماس: {{partner_phone}}</p><p>{{message}}</p></div>`;

/** A template of its own for each test: stored renders of earlier runs must not answer for this one. */
const template = (overrides: Partial<TemplateSource> = {}): TemplateSource => ({ id: randomUUID(), version: 1, lang: "fa", html: CARD_HTML, css: CARD_CSS, ...overrides });
const values = (text: MaterialValues["text"] = {}): MaterialValues => ({ text: { partner_name: NAME, partner_phone: "+989121234567", ...text }, logo: null });

const tmp = mkdtempSync(path.join(tmpdir(), "pp-render-test-"));
function pdfTool(tool: "pdftotext" | "pdfinfo" | "pdffonts", pdf: Uint8Array): string {
  const file = path.join(tmp, `${randomUUID()}.pdf`);
  writeFileSync(file, pdf);
  const out = execFileSync(tool, tool === "pdftotext" ? [file, "-"] : [file], { encoding: "utf8" });
  // pdftotext marks right-to-left runs with embedding controls; the words between them are what count.
  return out.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
}

/** The Chromium processes this test process started (the shared browser is its direct child). */
function chromiumPids(): number[] {
  let out = "";
  try {
    out = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" });
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return out
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("chromium");
      } catch {
        return false;
      }
    });
}

afterEach(() => configureRenderer({}));
afterAll(async () => {
  await closeRenderer();
  expect(chromiumPids(), "the browser is gone after closeRenderer").toEqual([]);
});

describe("renderMaterial", () => {
  it("prints an A4 PDF with the Persian name in logical order, the phone in Persian digits and Vazirmatn embedded, and stores it", async () => {
    const file = await renderMaterial(template(), values({ message: "ارسال رایگان تا 20 مهر" }), "pdf_a4");
    expect(file.cached).toBe(false);
    expect(file.mime).toBe("application/pdf");
    expect(file.key).toMatch(/^renders\/[0-9a-f]{64}\.pdf$/);
    expect(Buffer.from(file.bytes).subarray(0, 5).toString()).toBe("%PDF-");

    const text = pdfTool("pdftotext", file.bytes);
    expect(text).toContain(NAME);
    expect(text).toContain("۰۹۱۲ ۱۲۳ ۴۵۶۷");
    // pdftotext moves the space around a number inside right-to-left text; the words and their order are what count.
    expect(text.replace(/\s+/g, "")).toContain("ارسالرایگانتا۲۰مهر");
    expect(text).not.toMatch(/[0-9]/); // no ASCII digit anywhere in a fa template's values

    expect(pdfTool("pdfinfo", file.bytes)).toMatch(/Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/);
    expect(pdfTool("pdffonts", file.bytes)).toMatch(/Vazirmatn-Regular\s+CID TrueType/);

    const stored = readFileSync(path.join(process.env.UPLOAD_DIR!, file.key));
    expect(Buffer.compare(stored, Buffer.from(file.bytes))).toBe(0);
  }, 120_000);

  it.each([
    ["png_square", 1080, 1080],
    ["png_story", 1080, 1920],
  ] as const)("shoots %s at exactly %i×%i, with the logo where the template puts it", async (format, width, height) => {
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
    const file = await renderMaterial(template(), { ...values(), logo: { bytes: red, mime: "image/png" } }, format);
    expect(file.mime).toBe("image/png");
    expect(file.key).toMatch(/^renders\/[0-9a-f]{64}\.png$/);
    const meta = await sharp(file.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", width, height]);

    const { data, info } = await sharp(file.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    expect(pixel(60, 60)).toEqual([255, 0, 0]); // the logo, top left
    expect(pixel(width - 5, height - 5)).toEqual([255, 255, 255]); // the page
    const dark = (await sharp(file.bytes).removeAlpha().greyscale().raw().toBuffer()).filter((v) => v < 80).length;
    expect(dark).toBeGreaterThan(1000); // the text was drawn
  }, 120_000);

  it("serves a repeat request from storage without launching or rendering; any change renders anew", async () => {
    const tpl = template();
    const first = await renderMaterial(tpl, values(), "pdf_a4");
    const before = rendererStats();
    const again = await renderMaterial(tpl, { text: { partner_phone: "+989121234567", partner_name: NAME }, logo: null }, "pdf_a4");
    expect(rendererStats()).toEqual(before);
    expect(again).toEqual({ ...first, cached: true });

    const otherVersion = await renderMaterial({ ...tpl, version: 2 }, values(), "pdf_a4");
    const otherPhone = await renderMaterial(tpl, values({ partner_phone: "+989121234568" }), "pdf_a4");
    expect([otherVersion.cached, otherPhone.cached]).toEqual([false, false]);
    expect(new Set([first.key, otherVersion.key, otherPhone.key]).size).toBe(3);
    expect(rendererStats().renders).toBe(before.renders + 2);
  }, 120_000);

  it("runs 4 renders at once two at a time, the others waiting their turn", async () => {
    configureRenderer({ concurrency: 2 });
    const before = rendererStats();
    let seen = 0;
    const sampler = setInterval(() => (seen = Math.max(seen, rendererStats().openContexts)), 2);
    const formats: RenderFormat[] = ["pdf_a4", "png_square", "png_story", "pdf_a4"];
    const files = await Promise.all(formats.map((format, i) => renderMaterial(template(), values({ message: `پیام ${i}` }), format)));
    clearInterval(sampler);

    expect(files.map((f) => f.cached)).toEqual([false, false, false, false]);
    const after = rendererStats();
    expect(after.renders - before.renders).toBe(4);
    expect(after.queued - before.queued).toBe(2);
    expect(after.peakOpenContexts).toBeLessThanOrEqual(2);
    expect(seen).toBe(2);
    expect(after.openContexts).toBe(0);
  }, 180_000);

  it("refuses a render at once when the queue is full", async () => {
    configureRenderer({ concurrency: 1, queueLimit: 1 });
    const results = await Promise.allSettled([1, 2, 3].map((i) => renderMaterial(template(), values({ message: `صف ${i}` }), "png_square")));
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(refused).toHaveLength(1);
    const error = (refused[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(RenderError);
    expect([error.reason, error.message, error.messageKey]).toEqual(["failed", "Render queue is full", "render.failed"]);
  }, 180_000);

  it("stops a render past its time limit with a timeout, stores nothing, and the next render works", async () => {
    await renderMaterial(template(), values(), "png_square"); // the browser is up: the limit hits the render itself
    const tpl = template();
    configureRenderer({ timeoutMs: 50 });
    const error = await renderMaterial(tpl, values(), "pdf_a4").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).reason).toBe("timeout");

    configureRenderer({});
    const next = await renderMaterial(tpl, values(), "pdf_a4");
    expect(next.cached).toBe(false); // the stopped render left no file behind
    expect(pdfTool("pdftotext", next.bytes)).toContain(NAME);
    await expect.poll(() => rendererStats().openContexts).toBe(0);
  }, 120_000);

  it("launches a new browser after the old one was killed", async () => {
    await renderMaterial(template(), values(), "png_square");
    const [pid, ...others] = chromiumPids();
    expect(pid).toBeGreaterThan(0);
    expect(others).toEqual([]); // one shared browser
    const before = rendererStats();

    process.kill(pid, "SIGKILL");
    const file = await renderMaterial(template(), values(), "pdf_a4");
    expect(pdfTool("pdftotext", file.bytes)).toContain(NAME);
    expect(rendererStats().launches).toBe(before.launches + 1);
    const [relaunched] = chromiumPids();
    expect(relaunched).not.toBe(pid);
  }, 120_000);

  it("loads nothing from the network, whatever the template asks for", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const tpl = template({
        html: `<link rel="stylesheet" href="${origin}/style.css"><img src="${origin}/img.png" alt=""><iframe src="${origin}/frame"></iframe><h1>{{partner_name}}</h1>`,
        css: `@import url("${origin}/import.css"); body { background: url("${origin}/bg.png"); } @font-face { font-family: Remote; src: url("${origin}/font.woff2"); } h1 { font-family: Remote; }`,
      });
      for (const format of ["pdf_a4", "png_square"] as const) await renderMaterial(tpl, values(), format);
    } finally {
      server.close();
    }
    expect(hits).toEqual([]);
  }, 120_000);

  it("server shutdown closes the shared browser through globalThis.__renderer, as server.mjs does", async () => {
    await renderMaterial(template(), values(), "png_square");
    expect(chromiumPids()).toHaveLength(1);
    await (globalThis as typeof globalThis & { __renderer?: { close(): Promise<void> } }).__renderer?.close();
    expect(chromiumPids()).toEqual([]);
  }, 120_000);

  it("says the renderer is unavailable without Chromium, and still serves files already made", async () => {
    const tpl = template();
    const made = await renderMaterial(tpl, values(), "png_square");
    configureRenderer({ executablePath: "/nonexistent/chromium" });
    expect(rendererAvailable()).toBe(false);
    await expect(renderMaterial(tpl, values(), "png_square")).resolves.toEqual({ ...made, cached: true });
    const error = await renderMaterial(tpl, values(), "pdf_a4").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).reason).toBe("unavailable");
  }, 120_000);
});
