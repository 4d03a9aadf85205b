import { z } from "zod";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import type { Locale } from "~/domain/format";
import { parseDateInput } from "~/domain/jalali";
import { PROVINCES } from "~/domain/provinces";
import { type Audience } from "~/domain/toolkit-audience";
import { FIELD_STATES, OUTPUT_FORMATS, TEMPLATE_CSS_MAX, TEMPLATE_FIELDS, TEMPLATE_HTML_MAX, templateProblems, type TemplateFields } from "~/domain/toolkit-templates";
import { hasControlCharacters } from "~/domain/text";
import { choice, id, parseFormData, text, type FieldErrors, type FormResult } from "~/utils/validation";

/** A campaign date typed in the user's calendar (Jalali for fa), strictly: impossible dates are refused. */
const campaignDate = (locale: Locale) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string()).transform((s, ctx) => {
    if (!s) return null;
    const parsed = parseDateInput(s, locale);
    if (parsed.ok) return parsed.date;
    ctx.addIssue({ code: "custom", message: parsed.reason === "impossible" ? "errors.date_impossible" : "errors.date_format" });
    return z.NEVER;
  });

export const toolkitSchema = (locale: Locale) =>
  z
    .object({
      titleFa: text(200),
      titleEn: text(200),
      descriptionFa: text(4000, { optional: true, multiline: true }),
      descriptionEn: text(4000, { optional: true, multiline: true }),
      startsOn: campaignDate(locale),
      endsOn: campaignDate(locale),
    })
    .refine((d) => !d.startsOn || !d.endsOn || d.endsOn >= d.startsOn, { path: ["endsOn"], message: "toolkits:errors.end_before_start" });
export type ToolkitInput = z.output<ReturnType<typeof toolkitSchema>>;

const list = <T extends readonly [string, ...string[]]>(values: T) => z.array(choice(values)).max(values.length).transform((v) => [...new Set(v)]);

const audienceSchema = z.object({
  all: z.boolean(),
  tiers: list(TIERS),
  types: list(PARTNER_TYPES),
  provinces: list(PROVINCES),
  partnerIds: z.array(id()).max(500).transform((v) => [...new Set(v)]),
});

/** The audience editor: checkboxes, so each list is every value sent under its name. */
export function parseAudience(form: FormData): FormResult<Audience> {
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  return parseFormData(audienceSchema, { all: form.get("all") === "on", tiers: strings("tiers"), types: strings("types"), provinces: strings("provinces"), partnerIds: strings("partnerIds") });
}

/** Template markup is trusted brand HTML, but not invisible direction overrides or control characters. */
const markup = (max: number) =>
  z
    .preprocess((v) => (v == null ? "" : v), z.string())
    .refine((s) => !hasControlCharacters(s), { message: "errors.control_chars" })
    .refine((s) => s.length <= max, { message: "errors.too_long", params: { max } });

const templateSchema = z.object({
  nameFa: text(200),
  nameEn: text(200),
  lang: choice(["fa", "en"] as const),
  html: markup(TEMPLATE_HTML_MAX).refine((s) => s.trim().length > 0, { message: "errors.required" }),
  css: markup(TEMPLATE_CSS_MAX),
  messageMax: z.coerce.number({ message: "errors.number" }).int({ message: "errors.number" }),
  formats: z.array(choice(OUTPUT_FORMATS)).min(1, { message: "toolkits:errors.formats_required" }).transform((v) => [...new Set(v)]),
  ...Object.fromEntries(TEMPLATE_FIELDS.map((f) => [`field_${f}`, choice(FIELD_STATES)])),
});

export interface TemplateInput {
  nameFa: string;
  nameEn: string;
  lang: "fa" | "en";
  html: string;
  css: string;
  config: TemplateFields;
  formats: (typeof OUTPUT_FORMATS)[number][];
}

/** The template editor; the field switches must agree with the placeholders in the HTML. */
export function parseTemplate(form: FormData): FormResult<TemplateInput> {
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const parsed = parseFormData(templateSchema, { ...values, formats: form.getAll("formats") });
  if (!parsed.ok) return parsed;
  const d = parsed.data as z.output<typeof templateSchema> & Record<string, (typeof FIELD_STATES)[number]>;
  const config: TemplateFields = { fields: Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, d[`field_${f}`]])) as TemplateFields["fields"], messageMax: d.messageMax };
  const problems = templateProblems(d.html, config);
  if (problems.length) {
    const errors: FieldErrors = {};
    for (const p of problems) errors[p.field] ??= { key: `toolkits:errors.${p.key}`, values: "name" in p ? { name: p.name } : undefined };
    return { ok: false, errors };
  }
  return { ok: true, data: { nameFa: d.nameFa, nameEn: d.nameEn, lang: d.lang, html: d.html, css: d.css, config, formats: d.formats } };
}

export const assetSchema = z.object({ title: text(200), language: choice(["fa", "en", "both"] as const) });

/** The analytics page's windows, in days. */
export const ANALYTICS_WINDOWS = [30, 90] as const;
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number];
