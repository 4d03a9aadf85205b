import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { escapeHtml, RENDER_FORMATS } from "~/domain/material-document";
import { i18nServer } from "~/i18n.server";
import { parsePersonalise } from "~/models/toolkits/forms";
import { getPersonalisable, materialValues, recordRender } from "~/models/toolkits/personalise.server";
import { RenderError, renderMaterial } from "~/models/toolkits/render.server";
import { requirePermission } from "~/utils/auth.server";
import { attachment, invariantResponse } from "~/utils/http.server";
import { choice, parseFormData, type FieldErrors } from "~/utils/validation";

// Unavailable and a full queue are a busy server (try later); a render past its time limit a
// gateway timeout; anything else a failure. Nothing is recorded for any of them.
const RENDER_STATUS: Record<RenderError["reason"], number> = { unavailable: 503, timeout: 504, failed: 500 };
const EXT = { pdf_a4: "pdf", png_square: "png", png_story: "png" } as const;

/** A refusal for a plain form post: a short page in the user's language with a way back. */
async function refusal(request: Request, status: number, lines: string[]) {
  const t = await i18nServer.getFixedT(request, ["common", "toolkits"]);
  const lng = (await i18nServer.getLocale(request)) === "en" ? "en" : "fa";
  const back = request.headers.get("Referer") ?? "/toolkits";
  const body = `<!doctype html><html lang="${lng}" dir="${lng === "fa" ? "rtl" : "ltr"}"><meta charset="utf-8"><title>${escapeHtml(t("toolkits:personalise.refused"))}</title><h1>${escapeHtml(t("toolkits:personalise.refused"))}</h1><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul><a href="${escapeHtml(back.startsWith("/") || back.startsWith("http") ? back : "/toolkits")}">${escapeHtml(t("toolkits:personalise.back"))}</a></html>`;
  return new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

async function fieldRefusal(request: Request, errors: FieldErrors) {
  const t = await i18nServer.getFixedT(request, ["common", "toolkits"]);
  const label = (field: string) => (field === "customerId" ? t("toolkits:personalise.customer") : field === "format" ? t("toolkits:personalise.format") : t(`toolkits:fields.${field}`));
  return refusal(request, 400, Object.entries(errors).map(([field, e]) => `${label(field)}: ${t(e.key, e.values)}`));
}

/**
 * Renders the personalised template as a file and sends it. The form is checked again here (the
 * page's checks are a convenience); the file is recorded as the partner's, with its render event
 * and, for a chosen customer, the "material sent" touchpoint.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const tpl = await getPersonalisable(actor, params.id!, params.templateId!);
  invariantResponse(tpl, 404);
  const form = Object.fromEntries([...(await request.formData()).entries()].filter(([, v]) => typeof v === "string"));
  const format = parseFormData(z.object({ format: choice(RENDER_FORMATS).refine((f) => tpl.formats.includes(f), { message: "errors.choice" }) }), form);
  const input = parsePersonalise(tpl.config, form, { hasLogo: tpl.partner.hasLogo });
  const { values, customer, errors } = await materialValues(actor, tpl, input);
  if (!format.ok || Object.keys(errors).length) return fieldRefusal(request, { ...(format.ok ? {} : format.errors), ...errors });

  let file;
  try {
    file = await renderMaterial(tpl.source, values, format.data.format);
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    const t = await i18nServer.getFixedT(request, "toolkits");
    return refusal(request, RENDER_STATUS[e.reason], [t(e.messageKey)]);
  }
  const locale = await i18nServer.getLocale(request);
  const fileName = `${locale === "en" ? tpl.names.template_en : tpl.names.template_fa} - ${format.data.format}.${EXT[format.data.format]}`;
  const recorded = await recordRender(actor, tpl, { format: format.data.format, key: file.key, mime: file.mime, size: file.bytes.byteLength, fileName, cached: file.cached, customer });
  if (!recorded.ok) {
    const t = await i18nServer.getFixedT(request, "toolkits");
    return refusal(request, 409, [t("errors.changed")]);
  }
  return new Response(new Uint8Array(file.bytes), {
    headers: { "Content-Type": file.mime, "Content-Disposition": attachment(fileName, `cobrand-${format.data.format}.${EXT[format.data.format]}`), "Cache-Control": "private, no-store" },
  });
}
