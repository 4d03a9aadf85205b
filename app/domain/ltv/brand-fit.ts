// The brand's lifetime-value model as the value job uses it: when a BG/NBD + Gamma-Gamma fit on the
// brand's own orders can be trusted, and what it says of one customer. Pure; the value job
// (app/models/customer-value.server.ts) brings the counted orders and stores the results.
//
// Time is in weeks (UNIT_DAYS), counted in whole UTC days as the transactions summary does: several
// orders on one day are one purchase. Money is the order margin in Rial.
import { expectedPurchases, fitBgNbdGroups, probabilityAlive, type BgNbdParams, type RfmSummary } from "./bg-nbd";
import { expectedValuePerPurchase, fitGammaGammaGroups, type GammaGammaParams, type SpendSummary } from "./gamma-gamma";
import { lifetimeValue } from "./lifetime-value";

export const UNIT_DAYS = 7;
const DAYS_PER_MONTH = 365.25 / 12;

/** Below these the likelihood is too flat to say anything about the brand's customers. */
export const MIN_FIT_CUSTOMERS = 30;
export const MIN_REPEAT_CUSTOMERS = 10;
/**
 * A parameter beyond these (weeks for BG/NBD; Gamma-Gamma with margins in units of their mean) means
 * the optimiser ran to the edge of the domain: the data do not pin the model down.
 */
export const PARAMETER_BOUNDS = { min: 1e-4, max: 1e4 } as const;
/**
 * A weak pull of every parameter towards 1 (penalty × Σ (ln θ)² on the negative log-likelihood; see
 * fitBgNbdGroups). A brand of a few hundred customers whose dropout looks nearly the same for all
 * would otherwise send the Beta's a and b off to 0 or ∞, where every prediction is unchanged but
 * the parameters mean nothing; on CDNOW it moves no parameter in its fourth significant figure.
 */
export const PENALTY = 0.001;

export type FitFailure = "too_few_customers" | "too_few_repeat" | "no_convergence" | "at_bounds" | "failed";

export type BrandModel = { bg: BgNbdParams; gg: GammaGammaParams };
export type BrandFit = BrandModel & {
  bgLogLikelihood: number;
  ggLogLikelihood: number;
  customers: number;
  repeatCustomers: number;
  ggCustomers: number;
};

/** Customers with the same (frequency, recency days, age days), as counted in SQL. */
export type RfmGroup = { frequency: number; recencyDays: number; ageDays: number; count: number };
/** Repeat customers with (about) the same mean repeat margin in Rial, as counted in SQL. */
export type SpendGroup = { frequency: number; meanMarginRial: number; count: number };

/**
 * Fits both models, or says why not. Gamma-Gamma sees only customers with a positive mean repeat
 * margin; it is fitted on margins divided by their mean (the model is scale-free: γ scales back),
 * so the optimiser starts near the answer whether the brand sells pens or machines.
 */
export function fitBrandModels(rfm: RfmGroup[], spend: SpendGroup[]): { ok: true; fit: BrandFit } | { ok: false; reason: FitFailure } {
  const customers = rfm.reduce((n, g) => n + g.count, 0);
  const repeatCustomers = rfm.reduce((n, g) => n + (g.frequency > 0 ? g.count : 0), 0);
  const buyers = spend.filter((g) => g.frequency > 0 && g.meanMarginRial > 0 && g.count > 0);
  const ggCustomers = buyers.reduce((n, g) => n + g.count, 0);
  if (customers < MIN_FIT_CUSTOMERS) return { ok: false, reason: "too_few_customers" };
  if (repeatCustomers < MIN_REPEAT_CUSTOMERS || ggCustomers < MIN_REPEAT_CUSTOMERS) return { ok: false, reason: "too_few_repeat" };
  try {
    const bg = fitBgNbdGroups(rfm.map((g) => ({ summary: summaryInWeeks(g.frequency, g.recencyDays, g.ageDays), count: g.count })), PENALTY);
    const scale = buyers.reduce((sum, g) => sum + g.meanMarginRial * g.count, 0) / ggCustomers;
    const gg = fitGammaGammaGroups(buyers.map((g) => ({ summary: { frequency: g.frequency, meanValue: g.meanMarginRial / scale }, count: g.count })), PENALTY);
    if (!bg.converged || !gg.converged) return { ok: false, reason: "no_convergence" };
    const scaled = [...Object.values(bg.params), ...Object.values(gg.params)];
    if (scaled.some((v) => !(v >= PARAMETER_BOUNDS.min && v <= PARAMETER_BOUNDS.max)) || !(gg.params.q > 1)) return { ok: false, reason: "at_bounds" };
    return {
      ok: true,
      fit: {
        bg: bg.params,
        gg: { ...gg.params, gamma: gg.params.gamma * scale },
        bgLogLikelihood: bg.logLikelihood,
        // The density of z̄ in Rial is the density in scaled units divided by the scale.
        ggLogLikelihood: gg.logLikelihood - ggCustomers * Math.log(scale),
        customers,
        repeatCustomers,
        ggCustomers,
      },
    };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: "failed" };
    throw error;
  }
}

export function summaryInWeeks(frequency: number, recencyDays: number, ageDays: number): RfmSummary {
  return { frequency, recency: recencyDays / UNIT_DAYS, age: ageDays / UNIT_DAYS };
}

export type CustomerModelValue = {
  pAlive: number;
  expectedPurchases: number;
  expectedMarginRial: bigint;
  lifetimeValueRial: bigint;
};

/**
 * One customer's values under the brand's model: P(alive), purchases expected over the horizon,
 * expected margin per purchase (the customer's own mean repeat margin shrunk towards the brand's)
 * and lifetime value = expected purchases month by month × expected margin, discounted to today.
 */
export function valueCustomer(
  model: BrandModel,
  customer: RfmSummary & Pick<SpendSummary, "meanValue">,
  { horizonMonths, annualDiscountRate }: { horizonMonths: number; annualDiscountRate: number },
): CustomerModelValue {
  const horizon = (horizonMonths * DAYS_PER_MONTH) / UNIT_DAYS;
  const margin = expectedValuePerPurchase(model.gg, customer);
  return {
    pAlive: probabilityAlive(model.bg, customer),
    expectedPurchases: expectedPurchases(model.bg, customer, horizon),
    expectedMarginRial: BigInt(Math.round(margin)),
    lifetimeValueRial: BigInt(Math.round(lifetimeValue(model.bg, customer, margin, { horizon, unitDays: UNIT_DAYS, annualDiscountRate }))),
  };
}

/** Purchases a year of a typical active customer: the mean of the Gamma(r, α) purchase rate, per week × weeks a year. */
export function typicalPurchasesPerYear(bg: BgNbdParams): number {
  return (bg.r / bg.alpha) * (365.25 / UNIT_DAYS);
}
