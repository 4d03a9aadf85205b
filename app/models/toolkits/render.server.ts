// Co-brand materials: a template filled with a partner's values, printed to an A4 PDF or shot as a
// social PNG by the shared Chromium, and kept in storage under a hash of everything that shapes the
// file, so asking again costs a read, not a render. Touches no database.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { buildMaterialDocument, type FontFace, type MaterialValues, type RenderFormat, type TemplateSource, TEMPLATE_FIELDS } from "~/domain/material-document";
import { storage } from "~/utils/storage.server";
import { RenderError, rendererAvailable, withRenderPage } from "./render-browser.server";

export { RENDER_FORMATS, TEMPLATE_FIELDS, type MaterialValues, type RenderFormat, type TemplateField, type TemplateSource } from "~/domain/material-document";
export { closeRenderer, RenderError, rendererAvailable } from "./render-browser.server";

/** Part of every cache key: raise it when a change here or in the document changes what a file looks like. */
export const RENDERER_VERSION = 1;

const FORMATS: Record<RenderFormat, { ext: "pdf" | "png"; mime: string; viewport: { width: number; height: number } }> = {
  // The print layout follows @page (A4); the screen viewport is A4 at 96 dpi for templates that measure it.
  pdf_a4: { ext: "pdf", mime: "application/pdf", viewport: { width: 794, height: 1123 } },
  png_square: { ext: "png", mime: "image/png", viewport: { width: 1080, height: 1080 } },
  png_story: { ext: "png", mime: "image/png", viewport: { width: 1080, height: 1920 } },
};

// Static weights rather than the variable font: Chromium embeds a variable font in a PDF as Type 3
// glyphs, which print shops' preflight checks reject; static faces embed as ordinary TrueType.
const VAZIRMATN_WEIGHTS = { 300: "Light", 400: "Regular", 500: "Medium", 700: "Bold", 900: "Black" } as const;

let vazirmatn: FontFace[] | undefined;
/** Vazirmatn's faces as data: URLs, read once from the npm package. */
export function vazirmatnFaces(): FontFace[] {
  const require = createRequire(import.meta.url);
  vazirmatn ??= Object.entries(VAZIRMATN_WEIGHTS).map(([weight, name]) => ({
    weight: Number(weight),
    url: `data:font/woff2;base64,${readFileSync(require.resolve(`vazirmatn/fonts/webfonts/Vazirmatn-${name}.woff2`)).toString("base64")}`,
  }));
  return vazirmatn;
}

const dataUrl = (logo: NonNullable<MaterialValues["logo"]>) => `data:${logo.mime};base64,${Buffer.from(logo.bytes).toString("base64")}`;

/** The full HTML document of a template filled with the values (used for the live preview and by the renderer). */
export function materialDocument(template: TemplateSource, values: MaterialValues, opts: { forPreview?: boolean } = {}): string {
  return buildMaterialDocument(template, values.text, { fonts: vazirmatnFaces(), logoUrl: values.logo ? dataUrl(values.logo) : "", forPreview: opts.forPreview });
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Everything that can change the file, and nothing else (the order of the value keys does not matter). */
function cacheKey(template: TemplateSource, values: MaterialValues, format: RenderFormat): string {
  const text = TEMPLATE_FIELDS.map((field) => (field === "partner_logo" ? null : (values.text[field] ?? null)));
  const logo = values.logo ? [values.logo.mime, sha256(values.logo.bytes)] : null;
  return sha256(JSON.stringify([RENDERER_VERSION, template.id, template.version, template.html, template.css, template.lang, format, text, logo]));
}

export interface RenderedFile {
  key: string;
  mime: string;
  bytes: Uint8Array;
  cached: boolean;
}

// The same file asked for twice at once (a double click) is rendered once.
const inFlight = new Map<string, Promise<Omit<RenderedFile, "cached">>>();

/** Renders (or serves from cache) and returns the stored file: storage key, mime, bytes, whether it was a cache hit. */
export function renderMaterial(template: TemplateSource, values: MaterialValues, format: RenderFormat): Promise<RenderedFile> {
  return renderHtml(cacheKey(template, values, format), format, () => materialDocument(template, values));
}

/**
 * A document the app builds itself (an order's proforma), printed to an A4 PDF by the same browser
 * pool, queue and time limit, and cached under the hash of its HTML: the same order asked for again
 * is a read.
 */
export function renderDocumentPdf(html: string): Promise<RenderedFile> {
  return renderHtml(sha256(JSON.stringify([RENDERER_VERSION, "document", html])), "pdf_a4", () => html);
}

async function renderHtml(hash: string, format: RenderFormat, build: () => string): Promise<RenderedFile> {
  const spec = FORMATS[format];
  const key = `renders/${hash}.${spec.ext}`;
  const files = storage();
  const stored = await files.get(key);
  if (stored) return { key, mime: spec.mime, bytes: stored, cached: true };
  const pending = inFlight.get(key);
  if (pending) return { ...(await pending), cached: true };
  if (!rendererAvailable()) throw new RenderError("unavailable", "Chromium is not installed");

  const html = build();
  const rendering = (async () => {
    const bytes = await withRenderPage({ viewport: spec.viewport }, async (page) => {
      await page.setContent(html, { waitUntil: "load", timeout: 0 });
      // Time limits are the renderer's own (timeout 0 here); printing follows the document's @page.
      return spec.ext === "pdf" ? page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true }) : page.screenshot({ type: "png", timeout: 0 });
    });
    await files.put(key, bytes, spec.mime);
    return { key, mime: spec.mime, bytes };
  })();
  inFlight.set(key, rendering);
  try {
    return { ...(await rendering), cached: false };
  } finally {
    inFlight.delete(key);
  }
}
