// The models against the published CDNOW results (tests/fixtures/cdnow/README.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  bgNbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  probabilityAlive,
  type BgNbdParams,
} from "../../app/domain/ltv/bg-nbd";
import { expectedValuePerPurchase, fitGammaGamma } from "../../app/domain/ltv/gamma-gamma";
import { lifetimeValue } from "../../app/domain/ltv/lifetime-value";
import { parseTransactions } from "../../app/domain/ltv/transactions";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/cdnow/${name}`, import.meta.url), "utf8");
const cdnow = fixture("cdnow-summary.csv")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [, x, tx, T, zbar] = line.split(",").map(Number);
    return { frequency: x, recency: tx, age: T, meanValue: zbar };
  });
const published: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
const bg = fitBgNbd(cdnow);
const gg = fitGammaGamma(cdnow);

describe("BG/NBD on CDNOW", () => {
  it("gives the published log-likelihood at the published parameters", () => {
    const ll = cdnow.reduce((sum, c) => sum + bgNbdLogLikelihood(published, c), 0);
    expect(ll).toBeCloseTo(-9582.4, 0);
  });

  it("fits the published parameters", () => {
    expect(cdnow).toHaveLength(2357);
    expect(bg.converged).toBe(true);
    expect(bg.params.r).toBeCloseTo(0.2426, 3);
    expect(bg.params.alpha).toBeCloseTo(4.4135, 2);
    expect(bg.params.a).toBeCloseTo(0.7929, 3);
    expect(bg.params.b).toBeCloseTo(2.4258, 2);
    expect(bg.logLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it("predicts the calibration period's repeat purchases in total (the paper's in-sample check)", () => {
    const observed = cdnow.reduce((sum, c) => sum + c.frequency, 0);
    const expected = cdnow.reduce((sum, c) => sum + expectedPurchasesNewCustomer(bg.params, c.age), 0);
    expect(observed).toBe(2457);
    expect(expected / observed).toBeGreaterThan(0.98);
    expect(expected / observed).toBeLessThan(1.03);
  });

  it("forecasts the 39-week holdout (Oct 1997 – Jun 1998) close to what the customers did", () => {
    // Repeat purchases in the holdout: distinct (customer, day) pairs after the calibration end.
    const holdout = new Set(
      parseTransactions(fixture("cdnow-sample-transactions.txt"))
        .filter((t) => t.day > Date.UTC(1997, 8, 30) / 86_400_000)
        .map((t) => `${t.customer} ${t.day}`),
    ).size;
    const forecast = cdnow.reduce((sum, c) => sum + expectedPurchases(bg.params, c, 39), 0);
    expect(holdout).toBe(1882);
    expect(forecast).toBeCloseTo(1653, -1);
    // The BG/NBD under-forecasts this holdout by about 12%; a broken formula is off by far more.
    expect(forecast / holdout).toBeGreaterThan(0.85);
  });
});

describe("BG/NBD predictions", () => {
  const p = published;

  it("P(alive) is 1 without repeat purchases and falls as the last purchase gets older", () => {
    expect(probabilityAlive(p, { frequency: 0, recency: 0, age: 38.86 })).toBe(1);
    const alive = [38, 30, 20, 10, 1].map((recency) => probabilityAlive(p, { frequency: 3, recency, age: 38.86 }));
    for (let i = 1; i < alive.length; i++) expect(alive[i]).toBeLessThan(alive[i - 1]);
    expect(alive[alive.length - 1]).toBeGreaterThan(0);
    // A customer who bought at the very end of the period: only the death-after-purchase term is left.
    expect(probabilityAlive(p, { frequency: 2, recency: 38.86, age: 38.86 })).toBeCloseTo(1 / (1 + p.a / (p.b + 1)), 12);
  });

  it("expected purchases grow with frequency when the last purchase is today", () => {
    const byFrequency = [0, 1, 2, 5, 10, 20, 50].map((frequency) => expectedPurchases(p, { frequency, recency: 38.86, age: 38.86 }, 39));
    for (let i = 1; i < byFrequency.length; i++) expect(byFrequency[i]).toBeGreaterThan(byFrequency[i - 1]);
  });

  it("a customer with no history is a new customer", () => {
    for (const t of [1, 39, 520]) {
      expect(expectedPurchases(p, { frequency: 0, recency: 0, age: 0 }, t)).toBeCloseTo(expectedPurchasesNewCustomer(p, t), 10);
    }
    expect(expectedPurchasesNewCustomer(p, 0)).toBe(0);
  });

  it("without dropout it becomes the NBD model: E = r t / α, conditionally (r + x) t / (α + T)", () => {
    const immortal: BgNbdParams = { r: 0.5, alpha: 4, a: 1e-4, b: 1e4 };
    expect(expectedPurchasesNewCustomer(immortal, 52)).toBeCloseTo((0.5 * 52) / 4, 2);
    expect(expectedPurchases(immortal, { frequency: 4, recency: 30, age: 40 }, 52)).toBeCloseTo((4.5 * 52) / 44, 2);
  });

  it("stays finite for a very frequent buyer over a long horizon", () => {
    const value = expectedPurchases(p, { frequency: 300, recency: 38, age: 39 }, 5200);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0);
  });

  it("rejects summaries the model cannot read", () => {
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, age: 10 }])).toThrow(RangeError);
    expect(() => fitBgNbd([{ frequency: 1, recency: 12, age: 10 }])).toThrow(RangeError);
    expect(() => fitBgNbd([{ frequency: 1.5, recency: 2, age: 10 }])).toThrow(RangeError);
  });
});

describe("Gamma-Gamma on CDNOW", () => {
  it("fits the published parameters on the 946 customers with repeat purchases", () => {
    expect(cdnow.filter((c) => c.frequency > 0)).toHaveLength(946);
    expect(gg.converged).toBe(true);
    expect(gg.params.p).toBeCloseTo(6.25, 2);
    expect(gg.params.q).toBeCloseTo(3.74, 2);
    expect(gg.params.gamma).toBeGreaterThan(15.43);
    expect(gg.params.gamma).toBeLessThan(15.46);
  });

  it("gives the published mean expected value per purchase against the observed mean", () => {
    const expected = cdnow.map((c) => expectedValuePerPurchase(gg.params, c));
    const buyers = cdnow.filter((c) => c.frequency > 0);
    expect(expected.reduce((sum, v) => sum + v, 0) / expected.length).toBeCloseTo(35.25, 2);
    expect(buyers.reduce((sum, c) => sum + c.meanValue, 0) / buyers.length).toBeCloseTo(35.08, 2);
  });

  it("shrinks a customer's own mean towards the population's, less so the more they bought", () => {
    const population = expectedValuePerPurchase(gg.params, { frequency: 0, meanValue: 0 });
    expect(population).toBeCloseTo((gg.params.p * gg.params.gamma) / (gg.params.q - 1), 12);
    const one = expectedValuePerPurchase(gg.params, { frequency: 1, meanValue: 100 });
    const ten = expectedValuePerPurchase(gg.params, { frequency: 10, meanValue: 100 });
    expect(one).toBeGreaterThan(population);
    expect(ten).toBeGreaterThan(one);
    expect(ten).toBeLessThan(100);
  });

  it("refuses non-positive purchase values", () => {
    expect(() => fitGammaGamma([{ frequency: 2, meanValue: 0 }])).toThrow(RangeError);
  });
});

describe("lifetimeValue", () => {
  const customer = { frequency: 2, recency: 30.43, age: 38.86 };

  it("without discount is expected purchases over the horizon × value", () => {
    const value = lifetimeValue(published, customer, 20, { horizon: 52, unitDays: 7, annualDiscountRate: 0 });
    expect(value).toBeCloseTo(expectedPurchases(published, customer, 52) * 20, 10);
  });

  it("discounts each month: sums the monthly purchases over (1 + d)^(m/12)", () => {
    const month = 365.25 / 12; // days; the horizon is one year in days
    let byHand = 0;
    for (let m = 1; m <= 12; m++) {
      const purchases = expectedPurchases(published, customer, (m * month) / 7) - expectedPurchases(published, customer, ((m - 1) * month) / 7);
      byHand += (purchases * 20) / 1.1 ** (m / 12);
    }
    const weeks = lifetimeValue(published, customer, 20, { horizon: 365.25 / 7, unitDays: 7, annualDiscountRate: 0.1 });
    expect(weeks).toBeCloseTo(byHand, 8);
    const undiscounted = lifetimeValue(published, customer, 20, { horizon: 365.25 / 7, unitDays: 7, annualDiscountRate: 0 });
    expect(weeks).toBeLessThan(undiscounted);
    expect(weeks).toBeGreaterThan(undiscounted / 1.1);
  });

  it("ranks a five-purchase customer above a one-purchase one of the same value and age", () => {
    const options = { horizon: 156, unitDays: 7, annualDiscountRate: 0.1 };
    const once = lifetimeValue(published, { frequency: 0, recency: 0, age: 38.86 }, 30, options);
    const often = lifetimeValue(published, { frequency: 4, recency: 36, age: 38.86 }, 30, options);
    expect(often).toBeGreaterThan(2 * once);
  });
});
