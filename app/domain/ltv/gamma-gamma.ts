// Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", and Fader & Hardie's note "The Gamma-Gamma Model of Monetary Value".
// A customer's purchase values are Gamma(p, ν) around their own mean p/ν, with ν ~ Gamma(q, γ)
// across customers; fitted on the mean value z̄ of the x > 0 repeat purchases of each customer.
// Assumes value per purchase does not depend on how often a customer buys (check before relying).
import { logPenalty } from "./bg-nbd";
import { minimizePositive } from "./nelder-mead";
import { lnGamma } from "./special";

export type SpendSummary = { frequency: number; meanValue: number };
export type GammaGammaParams = { p: number; q: number; gamma: number };
export type GammaGammaFit = { params: GammaGammaParams; logLikelihood: number; converged: boolean };

/**
 * Log-likelihood of one customer's mean repeat-purchase value z̄ over x purchases (the density of
 * z̄, so it matches the lifetimes package; the paper's form differs by a constant in the data only).
 */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, { frequency: x, meanValue: z }: SpendSummary): number {
  return (
    lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * Math.log(gamma) +
    (p * x - 1) * Math.log(z) + p * x * Math.log(x) - (p * x + q) * Math.log(x * z + gamma)
  );
}

/** Maximum-likelihood fit on the customers with repeat purchases, whose mean value must be positive. */
export function fitGammaGamma(customers: SpendSummary[]): GammaGammaFit {
  return fitGammaGammaGroups(customers.filter((c) => c.frequency > 0).map((summary) => ({ summary, count: 1 })));
}

/** The same fit from customers grouped by (x, z̄), each group weighted by its count; `penalty` as in fitBgNbdGroups. */
export function fitGammaGammaGroups(groups: { summary: SpendSummary; count: number }[], penalty = 0): GammaGammaFit {
  const buyers = groups.filter((g) => g.summary.frequency > 0 && g.count > 0);
  if (buyers.length === 0) throw new RangeError("Gamma-Gamma needs at least one customer with a repeat purchase");
  for (const { summary } of buyers) {
    if (!(summary.meanValue > 0)) throw new RangeError(`mean purchase value must be positive, got ${summary.meanValue}`);
  }
  const best = minimizePositive(([p, q, gamma]) => {
    let sum = 0;
    for (const { summary, count } of buyers) sum += count * gammaGammaLogLikelihood({ p, q, gamma }, summary);
    return -sum + logPenalty(penalty, [p, q, gamma]);
  }, 3);
  const [p, q, gamma] = best.point;
  return { params: { p, q, gamma }, logLikelihood: -best.value + logPenalty(penalty, best.point), converged: best.converged };
}

/**
 * E[M | x, z̄]: expected value per purchase, a weighted average of the population mean pγ/(q − 1)
 * and the customer's own mean, the weight growing with x. A customer without repeat purchases gets
 * the population mean. Needs q > 1 (otherwise the population mean is infinite).
 */
export function expectedValuePerPurchase({ p, q, gamma }: GammaGammaParams, { frequency: x, meanValue: z }: SpendSummary): number {
  if (!(q > 1)) throw new RangeError(`Gamma-Gamma population mean is infinite for q = ${q} ≤ 1`);
  const populationMean = (p * gamma) / (q - 1);
  if (x === 0) return populationMean;
  const weight = (p * x) / (p * x + q - 1);
  return (1 - weight) * populationMean + weight * z;
}
