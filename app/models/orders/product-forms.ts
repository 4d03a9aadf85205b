import { z } from "zod";
import { FULFILMENTS, PRODUCT_UNITS, TIERS } from "#db/schema";
import { PROVINCES } from "~/domain/provinces";
import { parseAmount, parseInteger, parsePercentToBasisPoints } from "~/domain/text";
import { checkbox, choice, id, optionalId, optionalText, text } from "~/utils/validation";

const raw = () => z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string());

/** A whole number in any digit set, with thousands separators, within [min, max]. */
export const count = (min: number, max: number) =>
  raw().transform((s, ctx) => {
    const n = s === "" ? null : parseInteger(s);
    if (s === "") ctx.addIssue({ code: "custom", message: "errors.required" });
    else if (n === null || n < min || n > max) ctx.addIssue({ code: "custom", message: "errors.number_range", params: { min, max } });
    return n ?? 0;
  });

/** A Rial amount (integer, not negative, any digit set); `signed` allows a price reduction. */
export const rial = ({ signed = false } = {}) =>
  raw().transform((s, ctx) => {
    const negative = signed && /^[-\u2212]/.test(s);
    const n = s === "" ? null : parseAmount(negative ? s.slice(1) : s);
    if (n === null) ctx.addIssue({ code: "custom", message: s === "" ? "errors.required" : "errors.amount" });
    return negative ? -(n ?? 0n) : (n ?? 0n);
  });

/** Every money field of the brand's forms; typed in the brand's unit, stored in Rial. */
export const MONEY_FIELDS = ["listPrice", "retailPrice", "cost", "priceDelta", "extraPrice", "netPrice", "creditLimit"] as const;

/**
 * Money fields typed in Toman become Rial (×10) before the Rial schemas read them; a value that is
 * not an amount is left as typed, for the schema to refuse with its message.
 */
export function moneyInRial(form: FormData, unit: "rial" | "toman"): FormData {
  if (unit === "rial") return form;
  const out = new FormData();
  for (const [name, value] of form.entries()) {
    const typed = typeof value === "string" && (MONEY_FIELDS as readonly string[]).includes(name) ? value.trim() : null;
    const sign = typed && /^[-\u2212]/.test(typed) ? "-" : "";
    const amount = typed ? parseAmount(sign ? typed.slice(1) : typed) : null;
    out.append(name, amount === null ? value : `${sign}${amount * 10n}`);
  }
  return out;
}

/** A percentage with up to two decimals, as basis points. */
export const percent = () =>
  raw().transform((s, ctx) => {
    const bp = parsePercentToBasisPoints(s);
    if (bp === null) ctx.addIssue({ code: "custom", message: s === "" ? "errors.required" : "errors.percent" });
    return bp ?? 0;
  });

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const sku = () =>
  raw()
    .transform((s) => s.toUpperCase())
    .refine((s) => s.length > 0, { message: "errors.required" })
    .refine((s) => SKU.test(s), { message: "errors.sku" });

// Counts a catalogue can hold; far above any real figure, far below the INT column's range.
export const MAX_UNITS = 10_000_000;
export const MAX_DAYS = 365;

export const productSchema = z.object({
  sku: sku(),
  nameFa: text(200),
  nameEn: text(200),
  descriptionFa: optionalText(4000, { multiline: true }),
  descriptionEn: optionalText(4000, { multiline: true }),
  categoryId: optionalId(),
  unit: choice(PRODUCT_UNITS),
  listPrice: rial(),
  retailPrice: rial(),
  cost: rial(),
  fulfilment: choice(FULFILMENTS),
  stockOnHand: count(0, MAX_UNITS),
  dailyCapacity: count(0, MAX_UNITS),
  leadTimeDays: count(0, MAX_DAYS),
  handlingDays: count(0, MAX_DAYS),
  active: checkbox(),
});
export type ProductInput = z.infer<typeof productSchema>;

export const optionGroupSchema = z.object({ nameFa: text(80), nameEn: text(80) });
export const optionValueSchema = z.object({ groupId: id(), labelFa: text(80), labelEn: text(80), priceDelta: rial({ signed: true }) });
export const personalisationSchema = z.object({ labelFa: text(80), labelEn: text(80), maxLength: count(1, 500), extraPrice: rial(), required: checkbox() });
export const removeSchema = z.object({ id: id() });

export const tierDiscountsSchema = (categoryIds: string[]) =>
  z.object(
    Object.fromEntries(
      TIERS.flatMap((tier) => categoryIds.map((c) => [`d.${tier}.${c}`, z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v : "0"), percent())])),
    ),
  );
export const partnerPriceSchema = z.object({ partnerId: id(), productId: id(), netPrice: rial() });
export const volumeBreakSchema = z
  .object({ productId: optionalId(), categoryId: optionalId(), minQuantity: count(2, MAX_UNITS), discount: percent() })
  .refine((b) => (b.productId === null) !== (b.categoryId === null), { message: "errors.break_target", path: ["productId"] });
export const transitSchema = z.object({
  defaultDays: count(0, MAX_DAYS),
  ...Object.fromEntries(PROVINCES.map((p) => [`t.${p}`, z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string()).transform((s, ctx) => {
    if (s === "") return null;
    const n = parseInteger(s);
    if (n === null || n < 0 || n > MAX_DAYS) ctx.addIssue({ code: "custom", message: "errors.number_range", params: { min: 0, max: MAX_DAYS } });
    return n;
  })])),
});

/** The product page's quantity box and choices; prices are never taken from the browser. */
export const quoteSchema = z.object({ qty: count(1, MAX_UNITS) });
