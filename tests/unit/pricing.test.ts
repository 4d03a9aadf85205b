import { describe, expect, it } from "vitest";
import { priceLine, PricingError, type PricingInput, type PricingRules } from "~/domain/pricing";

const FRIDGE = { id: "P1", categoryId: "C1", listPrice: 1_000_000n, retailPrice: 1_200_000n };
const RULES: PricingRules = {
  tierDiscounts: [
    { tier: "gold", categoryId: "C1", discountBp: 1500 },
    { tier: "silver", categoryId: "C1", discountBp: 800 },
    { tier: "gold", categoryId: "C2", discountBp: 3000 },
  ],
  partnerPrice: null,
  volumeBreaks: [],
};
const gold = { id: "A", tier: "gold" as const };
const line = (o: Partial<PricingInput> = {}) => priceLine({ product: FRIDGE, partner: gold, rules: RULES, quantity: 1, ...o });

describe("priceLine", () => {
  it("takes the tier discount for the product's category", () => {
    const p = line();
    expect(p.unitNet).toBe(850_000n);
    expect(p.rules).toEqual([{ kind: "tier", bp: 1500 }]);
    expect(p.unitDiscount).toBe(150_000n);
    expect(line({ partner: { id: "B", tier: "silver" } }).unitNet).toBe(920_000n);
    expect(line({ partner: { id: "B", tier: "registered" } }).unitNet).toBe(1_000_000n);
  });

  it("gives list prices to a brand user (no partner)", () => {
    expect(line({ partner: null, rules: { ...RULES, partnerPrice: 1n } })).toMatchObject({ unitNet: 1_000_000n, rules: [] });
  });

  it("a partner price beats the tier discount", () => {
    const p = line({ rules: { ...RULES, partnerPrice: 900_000n } });
    expect(p.unitNet).toBe(900_000n);
    expect(p.rules).toEqual([{ kind: "partner_price" }]);
  });

  it("a volume break applies on top from its minimum quantity on, the highest reached one only", () => {
    const rules = { ...RULES, volumeBreaks: [{ productId: "P1", categoryId: null, minQuantity: 10, discountBp: 500 }, { productId: "P1", categoryId: null, minQuantity: 50, discountBp: 1000 }] };
    expect(line({ rules, quantity: 9 }).unitNet).toBe(850_000n);
    expect(line({ rules, quantity: 10 }).unitNet).toBe(807_500n);
    expect(line({ rules, quantity: 49 }).rules).toEqual([{ kind: "tier", bp: 1500 }, { kind: "volume", bp: 500, minQuantity: 10 }]);
    expect(line({ rules, quantity: 50 }).unitNet).toBe(765_000n);
    expect(line({ rules: { ...rules, partnerPrice: 900_000n }, quantity: 10 }).unitNet).toBe(855_000n);
  });

  it("a product's own breaks win over its category's", () => {
    const rules = { ...RULES, volumeBreaks: [{ productId: null, categoryId: "C1", minQuantity: 5, discountBp: 2000 }, { productId: "P1", categoryId: null, minQuantity: 20, discountBp: 100 }] };
    expect(line({ rules, quantity: 5 }).unitNet).toBe(680_000n);
    expect(line({ rules, quantity: 20 }).unitNet).toBe(841_500n);
    expect(line({ product: { ...FRIDGE, id: "P2" }, rules, quantity: 20 }).unitNet).toBe(680_000n);
  });

  it("adds options and personalisation after discounts, at full price, into list, net and retail", () => {
    const p = line({ optionDeltas: [50_000n, -20_000n], personalisationExtras: [30_000n], quantity: 3 });
    expect(p.unitList).toBe(1_060_000n);
    expect(p.unitNet).toBe(910_000n);
    expect(p.unitRetail).toBe(1_260_000n);
    expect(p.lineTotal).toBe(2_730_000n);
    expect(p.unitMargin).toBe(350_000n);
    expect(p.lineMargin).toBe(1_050_000n);
    expect(p.marginBp).toBe(2777);
  });

  it("rounds each discount down to a whole Rial (never a fraction in the partner's favour)", () => {
    const p = line({ product: { ...FRIDGE, listPrice: 999n }, rules: { ...RULES, volumeBreaks: [{ productId: "P1", categoryId: null, minQuantity: 1, discountBp: 333 }] } });
    // 999 − floor(999 × 0.15) = 999 − 149 = 850; 850 − floor(850 × 0.0333) = 850 − 28 = 822
    expect(p.unitNet).toBe(822n);
  });

  it("stays exact for huge quantities and prices", () => {
    const p = line({ product: { ...FRIDGE, listPrice: 9_000_000_000_000n }, quantity: Number.MAX_SAFE_INTEGER });
    expect(p.lineTotal).toBe(7_650_000_000_000n * 9_007_199_254_740_991n);
  });

  it("rejects invalid inputs", () => {
    for (const quantity of [0, -1, 1.5, Number.NaN]) expect(() => line({ quantity })).toThrow(PricingError);
    expect(() => line({ product: { ...FRIDGE, listPrice: -1n } })).toThrow(PricingError);
    expect(() => line({ rules: { ...RULES, partnerPrice: -5n } })).toThrow(PricingError);
    expect(() => line({ rules: { ...RULES, tierDiscounts: [{ tier: "gold", categoryId: "C1", discountBp: 10_001 }] } })).toThrow(PricingError);
    expect(() => line({ rules: { ...RULES, volumeBreaks: [{ productId: "P1", categoryId: null, minQuantity: 0, discountBp: 10 }] } })).toThrow(PricingError);
    expect(() => line({ personalisationExtras: [-1n] })).toThrow(PricingError);
    expect(() => line({ optionDeltas: [-2_000_000n] })).toThrow(PricingError);
  });
});
