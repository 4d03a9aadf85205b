// Discounted customer lifetime value: expected purchases in each month of the horizon (from the
// BG/NBD) × expected value per purchase (from the Gamma-Gamma, or a margin), each month discounted
// to today — as the lifetimes package's customer_lifetime_value does, with an annual rate.
import { expectedPurchases, type BgNbdParams, type RfmSummary } from "./bg-nbd";

const DAYS_PER_YEAR = 365.25;
const MONTHS_PER_YEAR = 12;

export type LifetimeValueOptions = {
  /** How far ahead, in the model's time unit. */
  horizon: number;
  /** Length of the model's time unit in days: 7 when recency and age are in weeks. */
  unitDays: number;
  /** Yearly discount rate, 0.1 for 10%; month m is discounted by (1 + rate)^(m/12). */
  annualDiscountRate: number;
};

/** Σ over months m of (E[purchases in month m] × value) / (1 + d)^(m/12); a last partial month counts pro rata in time. */
export function lifetimeValue(
  params: BgNbdParams,
  customer: RfmSummary,
  valuePerPurchase: number,
  { horizon, unitDays, annualDiscountRate }: LifetimeValueOptions,
): number {
  if (!(horizon >= 0) || !(unitDays > 0) || !(annualDiscountRate > -1)) {
    throw new RangeError(`invalid lifetime value options: horizon ${horizon}, unitDays ${unitDays}, rate ${annualDiscountRate}`);
  }
  const unitsPerMonth = DAYS_PER_YEAR / MONTHS_PER_YEAR / unitDays;
  let value = 0;
  let purchasesBefore = 0;
  for (let month = 1; (month - 1) * unitsPerMonth < horizon; month++) {
    const end = Math.min(month * unitsPerMonth, horizon);
    const purchasesUntil = expectedPurchases(params, customer, end);
    const years = (end * unitDays) / DAYS_PER_YEAR;
    value += ((purchasesUntil - purchasesBefore) * valuePerPurchase) / (1 + annualDiscountRate) ** years;
    purchasesBefore = purchasesUntil;
  }
  return value;
}
