// Derivative-free minimisation for the model fits: Nelder-Mead (standard coefficients) restarted
// from its own best point until a restart no longer improves, which guards against the simplex
// collapsing early on the long, flat valleys these likelihoods have.

/** `converged`: the last run stopped on its tolerance, not on the evaluation budget. */
export type Minimum = { point: number[]; value: number; evaluations: number; converged: boolean };

type Options = { step?: number; tolerance?: number; maxEvaluations?: number };

export function minimize(f: (point: number[]) => number, start: number[], options: Options = {}): Minimum {
  const tolerance = options.tolerance ?? 1e-10;
  let best = nelderMead(f, start, options);
  let evaluations = best.evaluations;
  for (let restart = 0; restart < 10; restart++) {
    const next = nelderMead(f, best.point, options);
    evaluations += next.evaluations;
    const improvement = best.value - next.value;
    if (next.value < best.value) best = next;
    if (improvement <= tolerance * (1 + Math.abs(best.value))) break;
  }
  return { ...best, evaluations };
}

function nelderMead(f: (point: number[]) => number, start: number[], options: Options): Minimum {
  const { step = 0.5, tolerance = 1e-10, maxEvaluations = 20_000 } = options;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: number[]) => {
    evaluations++;
    const value = f(point);
    return Number.isNaN(value) ? Infinity : value; // outside the model's domain: never accepted
  };
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * (to[i] - v));

  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((point) => ({
    point,
    value: evaluate(point),
  }));

  let converged = false;
  while (evaluations < maxEvaluations) {
    simplex.sort((p, q) => p.value - q.value);
    const lowest = simplex[0];
    const worst = simplex[n];
    const valueSpread = worst.value - lowest.value;
    const pointSpread = Math.max(...simplex.map((s) => Math.max(...s.point.map((v, i) => Math.abs(v - lowest.point[i])))));
    if (valueSpread <= tolerance * (1 + Math.abs(lowest.value)) && pointSpread <= Math.sqrt(tolerance)) {
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
