// Derivative-free minimisation for the model fits: Nelder-Mead (standard coefficients) restarted
// from its own best point until a restart no longer improves, which guards against the simplex
// collapsing early on the long, flat valleys these likelihoods have.

/** `converged`: the last run stopped on its tolerance, not on the evaluation budget. */
export type Minimum = { point: number[]; value: number; evaluations: number; converged: boolean };

const STEP = 0.5; // initial simplex size, in the units of the point (log-parameters here)
const TOLERANCE = 1e-10; // relative, on the function value; its square root on the point
const MAX_EVALUATIONS = 5_000; // per run; a fit that converges needs a few hundred

export function minimize(f: (point: number[]) => number, start: number[]): Minimum {
  let best = nelderMead(f, start);
  let evaluations = best.evaluations;
  // A run that exhausted its budget is drifting towards the edge of the domain: restarts only repeat it.
  for (let restart = 0; restart < 10 && best.converged; restart++) {
    const next = nelderMead(f, best.point);
    evaluations += next.evaluations;
    const improvement = best.value - next.value;
    if (next.value < best.value) best = next;
    if (improvement <= TOLERANCE * (1 + Math.abs(best.value))) break;
  }
  return { ...best, evaluations };
}

/**
 * Minimises f over positive parameters by searching their logarithms from (1, 1, …), so every step
 * stays in the domain; where exp under- or overflows the point counts as outside.
 */
export function minimizePositive(f: (params: number[]) => number, dimensions: number): Minimum {
  const best = minimize((logs) => {
    const params = logs.map(Math.exp);
    return params.every((v) => v > 0 && v < Infinity) ? f(params) : Infinity;
  }, new Array<number>(dimensions).fill(0));
  return { ...best, point: best.point.map(Math.exp) };
}

function nelderMead(f: (point: number[]) => number, start: number[]): Minimum {
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: number[]) => {
    evaluations++;
    const value = f(point);
    return Number.isNaN(value) ? Infinity : value; // outside the model's domain: never accepted
  };
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i] - v));

  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + STEP : v)))].map((point) => ({
    point,
    value: evaluate(point),
  }));

  let converged = false;
  while (evaluations < MAX_EVALUATIONS) {
    simplex.sort((p, q) => p.value - q.value);
    const lowest = simplex[0];
    const worst = simplex[n];
    const valueSpread = worst.value - lowest.value;
    const pointSpread = Math.max(...simplex.map((s) => Math.max(...s.point.map((v, i) => Math.abs(v - lowest.point[i])))));
    if (valueSpread <= TOLERANCE * (1 + Math.abs(lowest.value)) && pointSpread <= Math.sqrt(TOLERANCE)) {
      converged = true;
      break;
    }

    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((sum, s) => sum + s.point[i], 0) / n);
    const reflected = along(centroid, worst.point, -1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < lowest.value) {
      const expanded = along(centroid, worst.point, -2);
      const expandedValue = evaluate(expanded);
      simplex[n] = expandedValue < reflectedValue ? { point: expanded, value: expandedValue } : { point: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < simplex[n - 1].value) {
      simplex[n] = { point: reflected, value: reflectedValue };
      continue;
    }
    const outside = reflectedValue < worst.value;
    const contracted = along(centroid, outside ? reflected : worst.point, 0.5);
    const contractedValue = evaluate(contracted);
    if (contractedValue < (outside ? reflectedValue : worst.value)) {
      simplex[n] = { point: contracted, value: contractedValue };
      continue;
    }
    simplex = simplex.map((s, i) => {
      if (i === 0) return s;
      const point = along(lowest.point, s.point, 0.5);
      return { point, value: evaluate(point) };
    });
  }
  simplex.sort((p, q) => p.value - q.value);
  return { point: simplex[0].point, value: simplex[0].value, evaluations, converged };
}
