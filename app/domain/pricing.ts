// The partner's net price for one catalogue line: pure, integer Rial (bigint) throughout.
//
// Precedence, in this order:
// 1. Base unit price: a price agreed with this partner for this product replaces the list price and
//    the tier discount; otherwise the list price less the discount for the partner's tier in the
//    product's category.
// 2. Volume break on top of the base: of the breaks whose minimum quantity the line reaches, the
//    product's own breaks are used if it has any, else its category's; the one with the highest
//    minimum applies (breaks never stack).
// 3. Options and personalisation are added after the discounts, at their full price: they are extras
//    made for this order, not the product the discounts were agreed on.
//
// Rounding: a discount is `floor(amount × bp / 10000)` whole Rial, so the partner never gets a
// fraction of a Rial more than the rule says; prices are otherwise exact.
import type { Tier } from "#db/schema";

export const MAX_BP = 10_000;

export interface PricingProduct {
  id: string;
  categoryId: string | null;
  listPrice: bigint;
  retailPrice: bigint;
}

export interface PricingRules {
  /** Basis points for (tier, category). */
  tierDiscounts: { tier: Tier; categoryId: string; discountBp: number }[];
  /** The net unit price agreed with this partner for this product, if any. */
  partnerPrice: bigint | null;
  volumeBreaks: { productId: string | null; categoryId: string | null; minQuantity: number; discountBp: number }[];
}

export interface PricingInput {
  product: PricingProduct;
  /** Null for a brand user looking at the catalogue: list prices, no partner rules. */
  partner: { id: string; tier: Tier } | null;
  rules: PricingRules;
  optionDeltas?: bigint[];
  personalisationExtras?: bigint[];
  quantity: number;
}

export type AppliedRule = { kind: "partner_price" } | { kind: "tier"; bp: number } | { kind: "volume"; bp: number; minQuantity: number };

export interface Price {
  /** What the configured item costs before any discount (list + options + personalisation). */
  unitList: bigint;
  unitNet: bigint;
  lineTotal: bigint;
  /** Per unit, list less net. */
  unitDiscount: bigint;
  rules: AppliedRule[];
  /** Suggested retail of the configured item (retail + options + personalisation). */
  unitRetail: bigint;
  /** Per unit and per line: suggested retail less net. */
  unitMargin: bigint;
  lineMargin: bigint;
  /** Margin as basis points of suggested retail (floor); null when there is no retail price. */
  marginBp: number | null;
}

export class PricingError extends Error {}

const bpOf = (amount: bigint, bp: number) => (amount * BigInt(bp)) / BigInt(MAX_BP);

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new PricingError(message);
}

const validBp = (bp: number) => Number.isInteger(bp) && bp >= 0 && bp <= MAX_BP;

export function priceLine(input: PricingInput): Price {
  const { product, partner, rules, quantity } = input;
  const extras = [...(input.optionDeltas ?? []), ...(input.personalisationExtras ?? [])];
  check(Number.isSafeInteger(quantity) && quantity > 0, "quantity must be a positive integer");
  check(product.listPrice >= 0n && product.retailPrice >= 0n, "prices must not be negative");
  check(rules.partnerPrice === null || rules.partnerPrice >= 0n, "a partner price must not be negative");
  check(rules.tierDiscounts.every((d) => validBp(d.discountBp)) && rules.volumeBreaks.every((b) => validBp(b.discountBp) && Number.isSafeInteger(b.minQuantity) && b.minQuantity > 0), "discounts are 0–10000 basis points, minimum quantities positive");
  check((input.personalisationExtras ?? []).every((e) => e >= 0n), "personalisation extras must not be negative");

  const applied: AppliedRule[] = [];
  let base = product.listPrice;
  if (partner && rules.partnerPrice !== null) {
    base = rules.partnerPrice;
    applied.push({ kind: "partner_price" });
  } else if (partner) {
    const tier = rules.tierDiscounts.find((d) => d.tier === partner.tier && d.categoryId === product.categoryId);
    if (tier && tier.discountBp > 0) {
      base -= bpOf(base, tier.discountBp);
      applied.push({ kind: "tier", bp: tier.discountBp });
    }
  }
  if (partner) {
    const reached = (own: boolean) =>
      rules.volumeBreaks.filter((b) => (own ? b.productId === product.id : b.productId === null && b.categoryId !== null && b.categoryId === product.categoryId) && quantity >= b.minQuantity);
    const candidates = reached(true).length > 0 ? reached(true) : reached(false);
    const best = candidates.sort((a, b) => b.minQuantity - a.minQuantity)[0];
    if (best && best.discountBp > 0) {
      base -= bpOf(base, best.discountBp);
      applied.push({ kind: "volume", bp: best.discountBp, minQuantity: best.minQuantity });
    }
  }

  const extra = extras.reduce((sum, e) => sum + e, 0n);
  const unitList = product.listPrice + extra;
  const unitNet = base + extra;
  check(unitNet >= 0n && unitList >= 0n, "options may not make the price negative");
  const unitRetail = product.retailPrice + extra;
  const q = BigInt(quantity);
  const unitMargin = unitRetail - unitNet;
  return {
    unitList,
    unitNet,
    lineTotal: unitNet * q,
    unitDiscount: unitList - unitNet,
    rules: applied,
    unitRetail,
    unitMargin,
    lineMargin: unitMargin * q,
    marginBp: product.retailPrice > 0n && unitRetail > 0n ? Number((unitMargin * BigInt(MAX_BP)) / unitRetail) : null,
  };
}
