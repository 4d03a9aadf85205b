import type { Locale } from "./format";

/** The parts of an e-mail, already translated; every value is plain text and escaped here. */
export interface MailContent {
  locale: Locale;
  subject: string;
  greeting: string;
  paragraphs: string[];
  items?: string[];
  action?: { label: string; url: string };
  footer: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * An HTML part (right-to-left for Persian, inline styles only: mail clients drop style sheets) and
 * a plain-text part saying the same. Links are shown in full as well, for clients that hide them.
 */
export function mailDocument(c: MailContent): { html: string; text: string } {
  const dir = c.locale === "fa" ? "rtl" : "ltr";
  const align = dir === "rtl" ? "right" : "left";
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = [
    `<!doctype html><html lang="${c.locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(c.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Vazirmatn,Tahoma,Arial,sans-serif;line-height:1.8;direction:${dir};text-align:${align}">`,
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">`,
    p(c.greeting),
    ...c.paragraphs.map(p),
    c.items?.length ? `<ul style="margin:0 0 16px;padding-inline-start:20px">${c.items.map((i) => `<li style="margin-bottom:8px">${escapeHtml(i)}</li>`).join("")}</ul>` : "",
    c.action
      ? `<p style="margin:24px 0"><a href="${escapeHtml(c.action.url)}" style="background:#1d4ed8;color:#ffffff;padding:10px 20px;border-radius:6px;text-decoration:none">${escapeHtml(c.action.label)}</a></p>` +
        `<p dir="ltr" style="margin:0 0 16px;text-align:left;font-size:13px;color:#555;word-break:break-all">${escapeHtml(c.action.url)}</p>`
      : "",
    `<p style="margin:24px 0 0;font-size:13px;color:#666">${escapeHtml(c.footer)}</p>`,
    `</div></body></html>`,
  ].join("");
  const text = [
    c.greeting,
    ...c.paragraphs,
    ...(c.items?.length ? [c.items.map((i) => `- ${i}`).join("\n")] : []),
    ...(c.action ? [`${c.action.label}:\n${c.action.url}`] : []),
    c.footer,
  ].join("\n\n");
  return { html, text: `${text}\n` };
}
