import { describe, it, expect } from "vitest";
import {
  assignValueTier,
  computeRfm,
  estimateLifetimeValue,
  valueTierThresholds,
  wholeDaysBetween,
  type OrderFact,
} from "../../app/domain/customer-value";

const DAY = 86_400_000;
const NOW = new Date("2025-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const order = (ago: number, totalRial: bigint, marginRial: bigint): OrderFact => ({
  placedAt: daysAgo(ago),
  totalRial,
  marginRial,
});

// 13 orders, one every 30 days, the first 365 days ago.
const regular = Array.from({ length: 13 }, (_, i) => order(365 - i * 30, 1_000_000n, 100_000n));

describe("wholeDaysBetween", () => {
  it("floors partial days and never goes negative", () => {
    expect(wholeDaysBetween(daysAgo(1.9), NOW)).toBe(1);
    expect(wholeDaysBetween(new Date(NOW.getTime() + DAY), NOW)).toBe(0);
  });
});

describe("computeRfm", () => {
  it("reports nothing for a customer without orders", () => {
    expect(computeRfm([], NOW)).toEqual({
      recencyDays: null,
      frequency: 0,
      monetaryRial: 0n,
      firstOrderAt: null,
      lastOrderAt: null,
      averageIntervalDays: null,
    });
  });

  it("has no interval for a single order", () => {
    const rfm = computeRfm([order(10, 5_000n, 1_000n)], NOW);
    expect(rfm).toEqual({
      recencyDays: 10,
      frequency: 1,
      monetaryRial: 5_000n,
      firstOrderAt: daysAgo(10),
      lastOrderAt: daysAgo(10),
      averageIntervalDays: null,
    });
  });

  it("finds first/last and the usual interval regardless of input order", () => {
    const rfm = computeRfm([...regular].reverse(), NOW);
    expect(rfm.frequency).toBe(13);
    expect(rfm.recencyDays).toBe(5);
    expect(rfm.firstOrderAt).toEqual(daysAgo(365));
    expect(rfm.lastOrderAt).toEqual(daysAgo(5));
    expect(rfm.averageIntervalDays).toBe(30);
    expect(rfm.monetaryRial).toBe(13_000_000n);
  });

  it("keeps the interval fractional", () => {
    const rfm = computeRfm([order(0, 1n, 1n), order(10, 1n, 1n), order(25, 1n, 1n)], NOW);
    expect(rfm.averageIntervalDays).toBe(12.5);
  });

  it("sums large Rial amounts exactly", () => {
    const big = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a float
    const rfm = computeRfm([order(1, big, 0n), order(2, big, 0n), order(3, 9_000_000_000_000n, 0n)], NOW);
    expect(rfm.monetaryRial).toBe(18_023_398_509_481_986n) // 2 × (2^53 + 1) + 9e12;
  });
});

describe("estimateLifetimeValue", () => {
  it("is 0 without orders", () => {
    expect(estimateLifetimeValue([], NOW)).toBe(0n);
  });

  it("uses the minimum span so one fresh order does not explode the rate", () => {
    // 1,000,000 × (365 / 90 orders a year) × 3 years = 12,166,666.67 → 12,166,667
    expect(estimateLifetimeValue([order(10, 9_000_000n, 1_000_000n)], NOW)).toBe(12_166_667n);
    // Same result for an order placed right now.
    expect(estimateLifetimeValue([order(0, 9_000_000n, 1_000_000n)], NOW)).toBe(12_166_667n);
  });

  it("uses the real span once it is longer than the minimum", () => {
    // One order a year ago: one order a year for three years.
    expect(estimateLifetimeValue([order(365, 9_000_000n, 1_000_000n)], NOW)).toBe(3_000_000n);
  });

  it("values a regular buyer as yearly margin × lifetime years", () => {
    // 13 orders × 100,000 margin over exactly 365 days.
    expect(estimateLifetimeValue(regular, NOW)).toBe(3_900_000n);
    expect(estimateLifetimeValue(regular, NOW, { expectedLifetimeYears: 1 })).toBe(1_300_000n);
    expect(estimateLifetimeValue(regular, NOW, { expectedLifetimeYears: 0.5 })).toBe(650_000n);
  });

  it("does not lose precision on large Rial amounts", () => {
    const orders = [order(365, 0n, 9_000_000_000_000n), order(100, 0n, 9_007_199_254_740_993n)];
    // (9e12 + 2^53 + 1) × 3 exactly
    expect(estimateLifetimeValue(orders, NOW)).toBe(27_048_597_764_222_979n);
  });

  it("keeps a loss-making customer negative", () => {
    expect(estimateLifetimeValue([order(365, 1_000n, -500n)], NOW)).toBe(-1_500n);
  });

  it("rejects a nonsensical lifetime", () => {
    expect(() => estimateLifetimeValue(regular, NOW, { expectedLifetimeYears: -1 })).toThrow(RangeError);
    expect(() => estimateLifetimeValue(regular, NOW, { expectedLifetimeYears: NaN })).toThrow(RangeError);
  });
});

describe("valueTierThresholds / assignValueTier", () => {
  const tiers = (values: bigint[]) => {
    const t = valueTierThresholds(values);
    return values.map((v) => assignValueTier(v, t)).join("");
  };

  it("splits ten distinct values 2 / 3 / 5", () => {
    const values = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n];
    expect(valueTierThresholds(values)).toEqual({ a: 9n, b: 6n });
    expect(tiers(values)).toBe("CCCCCBBBAA");
  });

  it("does not depend on input order", () => {
    const values = [7n, 3n, 10n, 1n, 9n, 5n, 2n, 8n, 4n, 6n];
    expect(valueTierThresholds(values)).toEqual({ a: 9n, b: 6n });
  });

  it("puts customers tied with a cut-off in the higher tier", () => {
    const values = [1n, 2n, 3n, 4n, 5n, 6n, 6n, 6n, 9n, 9n];
    expect(valueTierThresholds(values)).toEqual({ a: 9n, b: 6n });
    expect(tiers(values)).toBe("CCCCCBBBAA");
    expect(tiers([5n, 5n, 5n, 5n])).toBe("AAAA");
  });

  it("handles an empty list", () => {
    const t = valueTierThresholds([]);
    expect(t).toEqual({ a: 0n, b: 0n });
    expect(assignValueTier(0n, t)).toBe("C");
  });

  it("keeps zero-value customers in C and out of the percentiles", () => {
    expect(tiers([0n, 0n, 0n])).toBe("CCC");
    expect(valueTierThresholds([0n, 0n, 0n])).toEqual({ a: 0n, b: 0n });
    // Six prospects without value do not lift the four buyers into A.
    expect(tiers([0n, 0n, 0n, 0n, 0n, 0n, 10n, 20n, 30n, 40n])).toBe("CCCCCCCCBA");
    expect(assignValueTier(-5n, { a: 0n, b: 0n })).toBe("C");
  });

  it("makes a lone buyer A", () => {
    expect(tiers([0n, 7n])).toBe("CA");
  });

  it("compares large values exactly", () => {
    const base = 9_007_199_254_740_992n;
    const t = valueTierThresholds([base, base + 1n, base + 2n, base + 3n, base + 4n]);
    expect(t).toEqual({ a: base + 4n, b: base + 2n });
    expect(assignValueTier(base + 3n, t)).toBe("B");
    expect(assignValueTier(base + 1n, t)).toBe("C");
  });
});
