import { describe, expect, it } from "vitest";
import { minimize } from "../../app/domain/ltv/nelder-mead";
import { lnGamma, lnHyp2f1, logAddExp } from "../../app/domain/ltv/special";

describe("lnGamma", () => {
  it("matches known values", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(lnGamma(100)).toBeCloseTo(359.1342053695754, 10); // ln 99!
    expect(lnGamma(1e-3)).toBeCloseTo(6.907178885383854, 12);
  });

  it("satisfies Γ(x + 1) = x Γ(x) across small, middle and large arguments", () => {
    for (const x of [1e-6, 0.013, 0.2426, 0.4999, 0.5, 0.7929, 1.5, 3.74, 15.44, 250.5, 1e5]) {
      expect(lnGamma(x + 1) - lnGamma(x)).toBeCloseTo(Math.log(x), 9);
    }
  });

  it("rejects arguments outside the positive reals", () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => lnGamma(-1.5)).toThrow(RangeError);
    expect(() => lnGamma(NaN)).toThrow(RangeError);
  });
});

describe("logAddExp", () => {
  it("adds in log space without overflow", () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-5, -Infinity)).toBe(-5);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
  });
});

// The plain series, summed naively: a reference where it converges quickly (z ≤ 0.5).
function naiveHyp2f1(a: number, b: number, c: number, z: number) {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 5000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
  }
  return sum;
}

describe("lnHyp2f1", () => {
  it("matches closed forms", () => {
    for (const z of [0, 1e-9, 0.1, 0.5, 0.9, 0.999]) {
      // 2F1(1, 1; 2; z) = −ln(1 − z)/z
      expect(lnHyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 0 : Math.log(-Math.log1p(-z) / z), 10);
      // 2F1(a, b; b; z) = (1 − z)^(−a): c − a − b < 0, so the Euler-transformed series is used
      expect(lnHyp2f1(2.7, 1.3, 1.3, z)).toBeCloseTo(-2.7 * Math.log1p(-z), 10);
    }
    // 2F1(1/2, 1; 3/2; z²) = artanh(z)/z
    expect(lnHyp2f1(0.5, 1, 1.5, 0.64)).toBeCloseTo(Math.log(Math.atanh(0.8) / 0.8), 12);
  });

  it("agrees with the plain series on both sides of c − a − b = 0", () => {
    // Parameters as the BG/NBD passes them: (r + x, b + x; a + b + x − 1; t/(α + T + t)).
    for (const x of [0, 1, 5, 20]) {
      for (const z of [0.05, 0.3, 0.5]) {
        const [a, b, c] = [0.2426 + x, 2.4258 + x, 0.7929 + 2.4258 + x - 1];
        expect(lnHyp2f1(a, b, c, z)).toBeCloseTo(Math.log(naiveHyp2f1(a, b, c, z)), 9);
      }
    }
  });

  it("stays finite where the plain series would overflow", () => {
    // A very frequent buyer far ahead: 2F1 ≈ (1 − z)^(c−a−b) ≈ 1e400 does not fit in a double.
    const value = lnHyp2f1(0.24 + 300, 2.43 + 300, 0.79 + 2.43 + 299, 0.99);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(Math.log(Number.MAX_VALUE));
  });

  it("rejects z outside [0, 1)", () => {
    expect(() => lnHyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => lnHyp2f1(1, 1, 2, -0.1)).toThrow(RangeError);
  });
});

describe("minimize", () => {
  it("finds the minimum of the Rosenbrock valley", () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const { point, value, converged } = minimize(rosenbrock, [-1.2, 1]);
    expect(converged).toBe(true);
    expect(point[0]).toBeCloseTo(1, 4);
    expect(point[1]).toBeCloseTo(1, 4);
    expect(value).toBeLessThan(1e-8);
  });

  it("never accepts a point where the function is undefined", () => {
    const { point } = minimize(([x]) => (x < 0 ? NaN : (x - 2) ** 2), [0.1]);
    expect(point[0]).toBeCloseTo(2, 4);
  });
});
