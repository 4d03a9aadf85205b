import { z } from "zod";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import type { Locale } from "~/domain/format";
import { parseDateInput } from "~/domain/jalali";
import { PROVINCES } from "~/domain/provinces";
import { type Audience } from "~/domain/toolkit-audience";
import { FIELD_STATES, OUTPUT_FORMATS, TEMPLATE_CSS_MAX, TEMPLATE_FIELDS, TEMPLATE_HTML_MAX, templateProblems, type TemplateField, type TemplateFields } from "~/domain/toolkit-templates";
import { hasControlCharacters } from "~/domain/text";
import { choice, id, optionalId, parseFormData, text, type FieldErrors, type FormResult } from "~/utils/validation";

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

/** What the template editor's preview needs: the markup and its language (the rest is the editor's). */
export const templatePreviewSchema = templateSchema.pick({ lang: true, html: true, css: true });

export const assetSchema = z.object({ title: text(200), language: choice(["fa", "en", "both"] as const) });

/** The analytics page's windows, in days. */
export const ANALYTICS_WINDOWS = [30, 90] as const;
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number];

/** Character limits of the partner's own fields (the message's is the template's). */
export const PERSONAL_FIELD_MAX = { partner_name: 200, partner_phone: 40, partner_address: 300, partner_website: 200 } as const;
const MULTILINE_PERSONAL = new Set<string>(["partner_address", "message"]);

export type PersonalText = Partial<Record<Exclude<TemplateField, "partner_logo" | "customer_name">, string>>;

export interface PersonaliseInput {
  /** Valid values of the template's enabled text fields; empty optional ones are left out. */
  text: PersonalText;
  customerId: string | null;
  errors: FieldErrors;
}

/**
 * The personalise form against a template's field switches, field by field so the live preview
 * can show every valid value while the others are still being typed. Pure: the page runs it in the
 * browser to unlock the download buttons, the server again before anything is rendered. The end
 * customer's name is never typed: it comes from the chosen customer (checked by the caller).
 */
export function parsePersonalise(config: TemplateFields, input: Record<string, unknown>, opts: { hasLogo: boolean }): PersonaliseInput {
  const text: PersonalText = {};
  const errors: FieldErrors = {};
  for (const field of TEMPLATE_FIELDS) {
    const state = config.fields[field];
    if (state === "off" || field === "partner_logo" || field === "customer_name") continue;
    const max = field === "message" ? config.messageMax : PERSONAL_FIELD_MAX[field];
    const parsed = parseFormData(z.object({ [field]: text_(max, state, field) }), { [field]: input[field] });
    if (!parsed.ok) Object.assign(errors, parsed.errors);
    else if (parsed.data[field]) text[field] = parsed.data[field] as string;
  }
  if (config.fields.partner_logo === "required" && !opts.hasLogo) errors.partner_logo = { key: "toolkits:errors.logo_missing" };
  const customer = parseFormData(z.object({ customerId: optionalId() }), { customerId: input.customerId });
  const customerId = customer.ok ? customer.data.customerId : null;
  if (!customer.ok) Object.assign(errors, customer.errors);
  else if (config.fields.customer_name === "required" && !customerId) errors.customerId = { key: "errors.required" };
  return { text, customerId: config.fields.customer_name === "off" ? null : customerId, errors };
}

const text_ = (max: number, state: "optional" | "required", field: string) => text(max, { optional: state === "optional", multiline: MULTILINE_PERSONAL.has(field) });
