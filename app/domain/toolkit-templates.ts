/**
 * A co-brand template's partner fields: each is off, optional or required; the custom message has a
 * maximum length. The brand's own zones are static HTML; partner values go in through `{{field}}`
 * placeholders, so a placeholder and its field's switch must agree.
 */
export const TEMPLATE_FIELDS = ["partner_name", "partner_logo", "partner_phone", "partner_address", "partner_website", "message", "customer_name"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export const FIELD_STATES = ["off", "optional", "required"] as const;
export type FieldState = (typeof FIELD_STATES)[number];
export const OUTPUT_FORMATS = ["pdf_a4", "png_square", "png_story"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface TemplateFields {
  fields: Record<TemplateField, FieldState>;
  messageMax: number;
}

export const MESSAGE_MAX_LIMIT = 500;
export const TEMPLATE_HTML_MAX = 100_000;
export const TEMPLATE_CSS_MAX = 50_000;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export type TemplateProblem =
  | { field: string; key: "missing_placeholder"; name: TemplateField }
  | { field: string; key: "placeholder_off"; name: string }
  | { field: string; key: "unknown_placeholder"; name: string }
  | { field: "messageMax"; key: "message_max" };

/** What is wrong with a template's HTML against its field switches; empty when it is consistent. */
export function templateProblems(html: string, config: TemplateFields): TemplateProblem[] {
  const used = new Set([...html.matchAll(PLACEHOLDER)].map((m) => m[1]));
  const problems: TemplateProblem[] = [];
  for (const name of used) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) problems.push({ field: "html", key: "unknown_placeholder", name });
    else if (config.fields[name as TemplateField] === "off") problems.push({ field: `field_${name}`, key: "placeholder_off", name });
  }
  for (const name of TEMPLATE_FIELDS) {
    if (config.fields[name] !== "off" && !used.has(name)) problems.push({ field: `field_${name}`, key: "missing_placeholder", name });
  }
  if (config.fields.message !== "off" && !(Number.isInteger(config.messageMax) && config.messageMax >= 1 && config.messageMax <= MESSAGE_MAX_LIMIT)) {
    problems.push({ field: "messageMax", key: "message_max" });
  }
  return problems;
}

/** What the template editor's preview fills the partner fields with, in the template's language. */
export const SAMPLE_VALUES = {
  fa: { partner_name: "فروشگاه نمونهٔ پارس", partner_phone: "+982188776655", partner_address: "تهران، خیابان ولیعصر، پلاک ۱۲", partner_website: "www.example.com", message: "با خرید از ما، نصب رایگان است.", customer_name: "مریم حسینی" },
  en: { partner_name: "Sample Store", partner_phone: "+982188776655", partner_address: "12 Vali-Asr St, Tehran", partner_website: "www.example.com", message: "Free installation with every purchase.", customer_name: "Maryam Hosseini" },
} as const;
