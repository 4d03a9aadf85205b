// Special functions the "buy till you die" models need, in log space where sums of large terms
// would overflow. Pure numeric code, checked against closed forms in tests/unit/ltv-special.test.ts.

// Lanczos approximation, g = 7, nine coefficients (Numerical Recipes / Godfrey): relative error
// below 1e-15 for positive arguments, which is all the likelihoods pass.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (reflection for x < 0.5 keeps the series accurate near 0). */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma needs a positive argument, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln(e^u + e^v) without overflow; −∞ stands for a missing term. */
export function logAddExp(u: number, v: number): number {
  const high = Math.max(u, v);
  if (high === -Infinity) return -Infinity;
  return high + Math.log1p(Math.exp(Math.min(u, v) - high));
}

const SERIES_MAX_TERMS = 1_000_000;

function hypergeometricSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  let small = 0;
  for (let n = 0; n < SERIES_MAX_TERMS; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    // Two small terms in a row: one can be tiny by accident when a + n or b + n is near zero.
    small = Math.abs(term) <= 1e-16 * Math.abs(sum) ? small + 1 : 0;
    if (small === 2) return sum;
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge`);
}

/**
 * ln ₂F₁(a, b; c; z) for 0 ≤ z < 1 where the function is positive (as in every BG/NBD use).
 * When c − a − b < 0 the plain series grows like (1 − z)^(c−a−b) and its terms like n^(a+b−c−1)
 * (hundreds of thousands of terms and overflow for a frequent buyer far ahead), so Euler's
 * transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z) is summed instead,
 * whose series stays bounded up to z = 1.
 */
export function lnHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`lnHyp2f1 needs 0 ≤ z < 1, got ${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c}`);
  const excess = c - a - b;
  const series = excess < 0 ? hypergeometricSeries(c - a, c - b, c, z) : hypergeometricSeries(a, b, c, z);
  if (!(series > 0)) throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) is not positive`);
  return excess < 0 ? excess * Math.log1p(-z) + Math.log(series) : Math.log(series);
}
