// BG/NBD ("buy till you die"): Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
// While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase
// they drop out with probability p ~ Beta(a, b). Per customer the model sees only
//   frequency x = repeat purchases, recency t_x = time of the last purchase, age T = time since the
//   first purchase (both measured from the first purchase, in the caller's unit: days or weeks).
// Formulas follow the paper and the lifetimes package (MIT) that the CDNOW test reproduces.
import { minimizePositive } from "./nelder-mead";
import { lnGamma, lnHyp2f1, logAddExp } from "./special";

export type RfmSummary = { frequency: number; recency: number; age: number };
export type BgNbdParams = { r: number; alpha: number; a: number; b: number };
export type BgNbdFit = { params: BgNbdParams; logLikelihood: number; converged: boolean };

/** Log-likelihood of one customer's (x, t_x, T): the paper's closed form, evaluated in log space. */
export function bgNbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency: tx, age: T }: RfmSummary): number {
  const common =
    lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) +
    lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const stillAlive = -(r + x) * Math.log(alpha + T);
  const diedAfterLast = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return common + logAddExp(stillAlive, diedAfterLast);
}

/**
 * Maximum-likelihood fit (Nelder-Mead on the logarithms of r, α, a, b). Customers with the same
 * (x, t_x, T) are evaluated once, weighted by their count.
 */
export function fitBgNbd(customers: RfmSummary[]): BgNbdFit {
  return fitBgNbdGroups(groupIdentical(customers));
}

/**
 * The fit from customers already grouped by identical (x, t_x, T), e.g. counted in SQL. `penalty` > 0
 * adds penalty × Σ (ln θ)² to the negative log-likelihood: a weak pull towards 1 that keeps a small
 * sample from running a parameter off to 0 or ∞; the log-likelihood reported is the plain one.
 */
export function fitBgNbdGroups(groups: { summary: RfmSummary; count: number }[], penalty = 0): BgNbdFit {
  if (!groups.some((g) => g.summary.frequency > 0 && g.count > 0)) {
    throw new RangeError("BG/NBD needs at least one customer with a repeat purchase");
  }
  for (const g of groups) assertSummary(g.summary);
  const best = minimizePositive(([r, alpha, a, b]) => {
    let sum = 0;
    for (const { summary, count } of groups) sum += count * bgNbdLogLikelihood({ r, alpha, a, b }, summary);
    return -sum + logPenalty(penalty, [r, alpha, a, b]);
  }, 4);
  const [r, alpha, a, b] = best.point;
  return { params: { r, alpha, a, b }, logLikelihood: -best.value + logPenalty(penalty, best.point), converged: best.converged };
}

export function logPenalty(penalty: number, params: number[]): number {
  return penalty === 0 ? 0 : penalty * params.reduce((sum, v) => sum + Math.log(v) ** 2, 0);
}

/** Probability that a customer with this history has not dropped out (1 without repeat purchases). */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { frequency: x, recency: tx, age: T }: RfmSummary): number {
  if (x === 0) return 1;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** E[X(t)]: expected purchases in (0, t] of a customer just acquired (paper, eq. 9). */
export function expectedPurchasesNewCustomer({ r, alpha, a, b }: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const lnHyp = lnHyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * -Math.expm1(lnHyp + r * Math.log(alpha / (alpha + t)));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units given the history (paper, eq. 10). */
export function expectedPurchases(params: BgNbdParams, customer: RfmSummary, t: number): number {
  const { r, alpha, a, b } = params;
  const { frequency: x, recency: tx, age: T } = customer;
  if (t === 0) return 0;
  const lnHyp = lnHyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const numerator = ((a + b + x - 1) / (a - 1)) * -Math.expm1(lnHyp + (r + x) * Math.log((alpha + T) / (alpha + T + t)));
  const deadOdds = x > 0 ? Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx))) : 0;
  return numerator / (1 + deadOdds);
}

function assertSummary({ frequency, recency, age }: RfmSummary) {
  if (!Number.isInteger(frequency) || frequency < 0 || !(recency >= 0) || !(age >= recency) || (frequency === 0 && recency !== 0)) {
    throw new RangeError(`not a valid (frequency, recency, age): (${frequency}, ${recency}, ${age})`);
  }
}

function groupIdentical(customers: RfmSummary[]) {
  const groups = new Map<string, { summary: RfmSummary; count: number }>();
  for (const c of customers) {
    const key = `${c.frequency}|${c.recency}|${c.age}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { summary: c, count: 1 });
  }
  return [...groups.values()];
}
