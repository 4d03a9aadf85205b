// Customer value: recency/frequency/monetary, lifetime value and value tiers.
// Pure functions; money is integer Rial (bigint) so sums never lose precision.

export type OrderFact = { placedAt: Date; totalRial: bigint; marginRial: bigint };

export type Rfm = {
  recencyDays: number | null;
  frequency: number;
  monetaryRial: bigint;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  averageIntervalDays: number | null;
};

export type ValueTier = "A" | "B" | "C";
export type ValueTierThresholds = { a: bigint; b: bigint };

export const DAY_MS = 86_400_000;
const YEAR_DAYS = 365;
// A single fresh order would otherwise imply dozens of orders a year.
export const MIN_OBSERVED_SPAN_DAYS = 90;

/** Whole days from `from` to `to`, never negative (clock skew must not produce "-1 days ago"). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

export function computeRfm(orders: OrderFact[], now: Date): Rfm {
  if (orders.length === 0) {
    return {
      recencyDays: null,
      frequency: 0,
      monetaryRial: 0n,
      firstOrderAt: null,
      lastOrderAt: null,
      averageIntervalDays: null,
    };
  }
  let first = orders[0].placedAt;
  let last = orders[0].placedAt;
  let monetaryRial = 0n;
  for (const order of orders) {
    if (order.placedAt < first) first = order.placedAt;
    if (order.placedAt > last) last = order.placedAt;
    monetaryRial += order.totalRial;
  }
  const n = orders.length;
  return {
    recencyDays: wholeDaysBetween(last, now),
    frequency: n,
    monetaryRial,
    firstOrderAt: first,
    lastOrderAt: last,
    // Fractional on purpose: the overdue rule compares against it with a factor.
    averageIntervalDays: n < 2 ? null : (last.getTime() - first.getTime()) / DAY_MS / (n - 1),
  };
}

/**
 * Lifetime value in Rial:
 *
 *   LTV = average margin per order × orders per year × expected lifetime years
 *       = (Σ margin / n) × (n / spanYears) × lifetimeYears
 *       = Σ margin × lifetimeYears / spanYears
 *
 * where spanYears = max(now − first order, 90 days) / 365 days. The simplified last line is what
 * is computed, in bigint over milliseconds, so the per-order average is never truncated; only the
 * final result is rounded (half away from zero). Negative total margin gives a negative value:
 * a customer who costs money should not look like a neutral one.
 */
export function estimateLifetimeValue(
  orders: OrderFact[],
  now: Date,
  opts: { expectedLifetimeYears?: number } = {},
): bigint {
  const years = opts.expectedLifetimeYears ?? 3;
  if (!Number.isFinite(years) || years < 0) {
    throw new RangeError(`expectedLifetimeYears must be a finite number ≥ 0, got ${years}`);
  }
  if (orders.length === 0) return 0n;

  let first = orders[0].placedAt.getTime();
  let marginRial = 0n;
  for (const order of orders) {
    first = Math.min(first, order.placedAt.getTime());
    marginRial += order.marginRial;
  }
  const spanMs = BigInt(Math.max(now.getTime() - first, MIN_OBSERVED_SPAN_DAYS * DAY_MS));
  const lifetimeMs = BigInt(Math.round(years * YEAR_DAYS * DAY_MS));
  return divideRounded(marginRial * lifetimeMs, spanMs);
}

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs + denominator / 2n) / denominator;
  return negative ? -q : q;
}

/**
 * Brand-wide cut-offs: A is the top 20% of customers by value, B the next 30%, C the rest.
 * Only positive values form the population: prospects without orders (value 0) are always C and
 * would otherwise drag the percentiles down until every buyer counted as A or B.
 * The cut-off is the value at ascending index ⌊0.8·n⌋ (A) and ⌊0.5·n⌋ (B); assignment uses ≥, so
 * customers tied with the cut-off all land in the higher tier — order of input never matters.
 * With no positive values both cut-offs are 0n (every positive value then counts as A).
 */
export function valueTierThresholds(values: bigint[]): ValueTierThresholds {
  const positive = values.filter((v) => v > 0n).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const n = positive.length;
  if (n === 0) return { a: 0n, b: 0n };
  // Integer arithmetic so 0.8 × n never lands on 3.9999… .
  return { a: positive[Math.floor((n * 4) / 5)], b: positive[Math.floor(n / 2)] };
}

export function assignValueTier(value: bigint, t: ValueTierThresholds): ValueTier {
  if (value <= 0n) return "C";
  if (value >= t.a) return "A";
  if (value >= t.b) return "B";
  return "C";
}
