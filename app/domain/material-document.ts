// A co-brand template filled with a partner's values, as one self-contained HTML document. Pure (no
// I/O) so the same code serves the live preview and the renderer, and client code may import the
// field and format lists.
//
// Templates are written by brand staff and trusted; partner values are not. Values only ever
// become escaped text (or, for the logo, a data: URL the server builds from the stored image).
import { formatDigits, formatPhone } from "./format";
import { toDisplayForm } from "./text";

export const RENDER_FORMATS = ["pdf_a4", "png_square", "png_story"] as const; // A4 print PDF, 1080×1080 PNG, 1080×1920 PNG
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export const TEMPLATE_FIELDS = ["partner_name", "partner_logo", "partner_phone", "partner_address", "partner_website", "message", "customer_name"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TextField = Exclude<TemplateField, "partner_logo">;

export interface TemplateSource {
  id: string;
  version: number;
  /** The body's content; placeholders like {{partner_name}}. */
  html: string;
  css: string;
  lang: "fa" | "en";
}

export interface MaterialValues {
  text: Partial<Record<TextField, string>>;
  logo: { bytes: Uint8Array; mime: "image/png" | "image/jpeg" } | null;
}

export interface FontFace {
  weight: number;
  /** A data: URL, so the document loads nothing. */
  url: string;
}

export interface DocumentOptions {
  /** Vazirmatn's faces. */
  fonts: FontFace[];
  /** The partner's logo as a data: URL, or "" when there is none. */
  logoUrl: string;
  /** The live preview marks where empty fields and a missing logo go; the rendered file leaves them out. */
  forPreview?: boolean;
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

// Phone numbers and web addresses are left-to-right runs inside (usually) right-to-left text.
const LTR_FIELDS = new Set<string>(["partner_phone", "partner_website"]);
const MULTILINE_FIELDS = new Set<string>(["partner_address", "message"]);

// Attributes where a value is plain text to the reader; anywhere else (URLs, styles, handlers) a
// partner value could be more than text, so it is left out.
const TEXT_ATTRIBUTES = new Set(["alt", "title", "aria-label"]);

const isTextField = (name: string): name is TextField => name !== "partner_logo" && (TEMPLATE_FIELDS as readonly string[]).includes(name);

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * A value as it is shown: the same clean-up as stored input (no bidi controls or stray invisibles,
 * Persian ی/ک), digits in the template's language. A web address keeps ASCII digits (it is typed,
 * not read aloud); a stored E.164 phone is written the way people write it.
 */
export function displayValue(field: TextField, raw: string, lang: "fa" | "en"): string {
  const value = toDisplayForm(raw, { multiline: MULTILINE_FIELDS.has(field) });
  if (field === "partner_website") return formatDigits(value, "en");
  if (field === "partner_phone" && /^\+\d{8,15}$/.test(value)) return formatPhone(value, lang);
  return formatDigits(value, lang);
}

interface Filler {
  /** A placeholder in element content: escaped, and isolated so its direction cannot scramble the sentence. */
  markup(field: string): string;
  /** A placeholder where only text can go (attribute values, title): escaped, on one line. */
  text(field: string): string;
  /** A placeholder in an attribute: the logo in src, text in text attributes, nothing elsewhere. */
  attribute(attribute: string, field: string): string;
}

function filler(template: TemplateSource, text: MaterialValues["text"], { logoUrl, forPreview }: DocumentOptions): Filler {
  const shown = new Map<string, string>();
  for (const [field, raw] of Object.entries(text)) {
    const value = isTextField(field) && raw ? displayValue(field, raw, template.lang) : "";
    if (value) shown.set(field, value);
  }
  const plain = (field: string) => escapeHtml((shown.get(field) ?? "").replace(/\n/g, " "));
  return {
    markup(field) {
      const value = shown.get(field);
      if (value === undefined) return forPreview && isTextField(field) ? `<span class="material-empty" data-field="${field}"></span>` : "";
      return `<bdi${LTR_FIELDS.has(field) ? ' dir="ltr"' : ""} class="material-field">${escapeHtml(value).replace(/\n/g, "<br>")}</bdi>`;
    },
    text: plain,
    attribute(attribute, field) {
      if (field === "partner_logo") return attribute === "src" ? logoUrl : "";
      return TEXT_ATTRIBUTES.has(attribute) ? plain(field) : "";
    },
  };
}

// One pass over the trusted template: comments, whole raw-text elements, tags, text. Quoted
// attribute values may contain ">".
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(script|style|title|textarea)\b((?:"[^"]*"|'[^']*'|[^>"'])*)>([\s\S]*?)(?:<\/\1\s*>|$)|<(\/?[a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^>"'])*)>|[^<]+|</gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

function fillAttributes(attributes: string, fill: Filler): string {
  let out = "";
  for (const m of attributes.matchAll(ATTRIBUTE)) {
    const name = m[1].toLowerCase();
    // Event handlers would be script; the document has none (and its policy refuses them anyway).
    if (name.startsWith("on")) continue;
    const value = m[2] ?? m[3] ?? m[4];
    if (value === undefined) {
      out += ` ${m[1]}`;
      continue;
    }
    const filled = value.replace(PLACEHOLDER, (_, field: string) => fill.attribute(name, field)).replace(/"/g, "&quot;");
    out += ` ${m[1]}="${filled}"`;
  }
  return out;
}

/** The template's body with every placeholder replaced by its value's escaped text (unknown ones by nothing). */
function fillTemplate(html: string, fill: Filler): string {
  return html.replace(TOKEN, (token, rawTag: string | undefined, rawAttributes: string, rawContent: string, tag: string | undefined, attributes: string) => {
    if (token.startsWith("<!--")) return "";
    if (rawTag) {
      const name = rawTag.toLowerCase();
      if (name === "script") return "";
      const open = `<${name}${fillAttributes(rawAttributes, fill)}>`;
      // A value inside a style element would be CSS; title and textarea show their content as text.
      const content = name === "style" ? cssText(rawContent) : rawContent.replace(PLACEHOLDER, (_, field: string) => fill.text(field));
      return `${open}${content}</${name}>`;
    }
    if (tag) return tag.startsWith("/") ? `<${tag}>` : `<${tag}${fillAttributes(attributes, fill)}>`;
    if (token === "<") return "&lt;";
    return token.replace(PLACEHOLDER, (_, field: string) => fill.markup(field));
  });
}

/** Template CSS holds no values; it also must not close its own style element. */
const cssText = (css: string) => css.replace(PLACEHOLDER, "").replace(/<\//g, "<\\/");

/** The document allows nothing but its own inline styles and data: images and fonts. */
export const MATERIAL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

function baseCss(fonts: FontFace[], forPreview: boolean): string {
  return [
    ...fonts.map((f) => `@font-face { font-family: Vazirmatn; src: url("${f.url}") format("woff2"); font-weight: ${f.weight}; font-style: normal; font-display: block; }`),
    "@page { size: A4; margin: 0; }",
    "html, body { margin: 0; padding: 0; }",
    "body { font-family: Vazirmatn, sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }",
    "bdi.material-field { unicode-bidi: isolate; }",
    forPreview
      ? '.material-empty { display: inline-block; min-width: 4em; min-height: 1em; outline: 1px dashed #888; } img[src=""] { outline: 1px dashed #888; min-width: 4em; min-height: 4em; }'
      : 'img[src=""], img:not([src]) { display: none !important; }',
  ].join("\n");
}

/** The full HTML document: lang and dir from the template, Vazirmatn embedded, no script, nothing from the network. */
export function buildMaterialDocument(template: TemplateSource, text: MaterialValues["text"], options: DocumentOptions): string {
  const body = fillTemplate(template.html, filler(template, text, options));
  const dir = template.lang === "fa" ? "rtl" : "ltr";
  return `<!doctype html>
<html lang="${template.lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${MATERIAL_CSP}">
<style>
${baseCss(options.fonts, options.forPreview ?? false)}
</style>
<style>
${cssText(template.css)}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
