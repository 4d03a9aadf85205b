// The value job's use of the models: when a brand's fit is trusted, and what it stores per customer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectedPurchases } from "../../app/domain/ltv/bg-nbd";
import { fitBrandModels, summaryInWeeks, typicalPurchasesPerYear, valueCustomer, type BrandModel } from "../../app/domain/ltv/brand-fit";

// CDNOW in the shape the value job reads it from SQL: days instead of weeks, dollars for Rial.
const rows = readFileSync(new URL("../fixtures/cdnow/cdnow-summary.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").map(Number));
const rfm = rows.map(([, x, tx, T]) => ({ frequency: x, recencyDays: tx * 7, ageDays: T * 7, count: 1 }));
const spend = rows.filter(([, x]) => x > 0).map(([, x, , , z]) => ({ frequency: x, meanMarginRial: z, count: 1 }));
const significant = (value: number, published: number) => expect(Math.abs(value / published - 1)).toBeLessThan(5e-4);

describe("fitBrandModels", () => {
  const result = fitBrandModels(rfm, spend);

  it("reaches the published CDNOW parameters from day counts, with Gamma-Gamma fitted on rescaled margins", () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { bg, gg } = result.fit;
    significant(bg.r, 0.24259);
    significant(bg.alpha, 4.4135);
    significant(bg.a, 0.79288);
    significant(bg.b, 2.4258);
    significant(gg.p, 6.249);
    significant(gg.q, 3.745);
    significant(gg.gamma, 15.448);
    expect(result.fit).toMatchObject({ customers: 2357, repeatCustomers: 946, ggCustomers: 946 });
    expect(result.fit.bgLogLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it("counts grouped customers by their weight", () => {
    const doubled = fitBrandModels(rfm.map((g) => ({ ...g, count: 2 })), spend.map((g) => ({ ...g, count: 2 })));
    expect(doubled.ok && result.ok && doubled.fit.bgLogLikelihood / result.fit.bgLogLikelihood).toBeCloseTo(2, 6);
    expect(doubled.ok && doubled.fit.customers).toBe(2 * 2357);
  }, 20_000);

  it("refuses too few customers or too few repeat buyers before fitting", () => {
    expect(fitBrandModels(rfm.slice(0, 29), spend)).toEqual({ ok: false, reason: "too_few_customers" });
    expect(fitBrandModels(rfm.map((g) => ({ ...g, frequency: 0, recencyDays: 0 })), [])).toEqual({ ok: false, reason: "too_few_repeat" });
    // Repeat buyers whose mean margin is not positive tell Gamma-Gamma nothing.
    expect(fitBrandModels(rfm, spend.slice(0, 9).concat(spend.slice(9).map((g) => ({ ...g, meanMarginRial: -5 }))))).toEqual({ ok: false, reason: "too_few_repeat" });
  });

  it("refuses a fit that runs to the edge of the parameter space or does not settle", () => {
    // Mean margins all but equal (100 or 101): the spread within a customer looks like zero (p → ∞).
    expect(fitBrandModels(rfm, spend.map((g, i) => ({ ...g, meanMarginRial: 100 + (i % 2) })))).toEqual({ ok: false, reason: "at_bounds" });
    // Every repeat buyer with the same mean: the likelihood has no maximum at all.
    expect(fitBrandModels(rfm, spend.map((g) => ({ ...g, meanMarginRial: 100 })))).toEqual({ ok: false, reason: "no_convergence" });
  }, 30_000);
});

describe("valueCustomer", () => {
  const model: BrandModel = { bg: { r: 0.24259, alpha: 4.4135, a: 0.79288, b: 2.4258 }, gg: { p: 6.249, q: 3.745, gamma: 15.448 } };
  const regular = { ...summaryInWeeks(4, 30 * 7, 38 * 7), meanValue: 40 };

  it("without discounting, lifetime value is expected purchases over the horizon × expected margin", () => {
    const v = valueCustomer(model, regular, { horizonMonths: 12, annualDiscountRate: 0 });
    const weeks = 365.25 / 7;
    expect(v.expectedPurchases).toBeCloseTo(expectedPurchases(model.bg, regular, weeks), 10);
    // Margin: the customer's own mean (40) shrunk towards the population mean pγ/(q − 1) ≈ 35.17,
    // with the weight px / (px + q − 1) of four repeat purchases ≈ 0.901.
    const weight = (6.249 * 4) / (6.249 * 4 + 3.745 - 1);
    const margin = (1 - weight) * ((6.249 * 15.448) / (3.745 - 1)) + weight * 40;
    expect(margin).toBeCloseTo(39.52, 2);
    expect(v.expectedMarginRial).toBe(40n);
    expect(Math.abs(Number(v.lifetimeValueRial) - v.expectedPurchases * margin)).toBeLessThanOrEqual(0.5);
  });

  it("discounts later purchases: a higher annual rate or a longer horizon changes value the expected way", () => {
    const at = (annualDiscountRate: number, horizonMonths = 36) => Number(valueCustomer(model, regular, { horizonMonths, annualDiscountRate }).lifetimeValueRial);
    expect(at(0.2)).toBeLessThan(at(0));
    expect(at(0.5)).toBeLessThan(at(0.2));
    expect(at(0.2, 60)).toBeGreaterThan(at(0.2, 36));
  });

  it("a customer who stopped buying long ago is probably gone and expected to buy little", () => {
    const gone = valueCustomer(model, { ...summaryInWeeks(4, 5 * 7, 70 * 7), meanValue: 40 }, { horizonMonths: 12, annualDiscountRate: 0 });
    const active = valueCustomer(model, { ...summaryInWeeks(4, 69 * 7, 70 * 7), meanValue: 40 }, { horizonMonths: 12, annualDiscountRate: 0 });
    expect(gone.pAlive).toBeLessThan(0.1);
    expect(active.pAlive).toBeGreaterThan(0.8);
    expect(gone.expectedPurchases).toBeLessThan(active.expectedPurchases / 5);
  });

  it("typical purchase rate is the mean of the Gamma rate, per year", () => {
    expect(typicalPurchasesPerYear(model.bg)).toBeCloseTo((0.24259 / 4.4135) * 52.18, 2);
  });
});
