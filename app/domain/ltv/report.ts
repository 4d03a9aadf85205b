// The lifetime value report behind `npm run ltv`: options, then transactions text in, a CSV per
// customer and the fit's summary lines out. No I/O here; scripts/ltv.ts reads and writes.
import { parseArgs } from "node:util";
import { stringify } from "csv-stringify/sync";
import { expectedPurchases, fitBgNbd, probabilityAlive } from "./bg-nbd";
import { expectedValuePerPurchase, fitGammaGamma } from "./gamma-gamma";
import { lifetimeValue } from "./lifetime-value";
import { formatDay, parseDay, parseTransactions, summariseCustomers } from "./transactions";

export const LTV_USAGE =
  "usage: npm run ltv -- <file> [--horizon 52] [--unit weeks|days] [--calibration-end YYYY-MM-DD] [--discount 0.1]";

export type LtvOptions = {
  file: string;
  /** In `unit`s. */
  horizon: number;
  unit: "weeks" | "days";
  /** Day number (days since 1970-01-01); null: the last transaction's day. */
  calibrationEnd: number | null;
  annualDiscountRate: number;
};

const UNIT_DAYS = { weeks: 7, days: 1 } as const;

/** Command-line arguments to options; a RangeError with the reason when they make no sense. */
export function parseLtvOptions(args: string[]): LtvOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        horizon: { type: "string", default: "52" },
        unit: { type: "string", default: "weeks" },
        "calibration-end": { type: "string" },
        discount: { type: "string", default: "0.1" },
      },
    });
  } catch (error) {
    throw new RangeError((error as Error).message); // unknown option or missing value
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new RangeError("give exactly one transactions file");
  const horizon = Number(values.horizon);
  if (!(horizon > 0)) throw new RangeError(`--horizon must be a positive number, got "${values.horizon}"`);
  const unit = values.unit;
  if (unit !== "weeks" && unit !== "days") throw new RangeError(`--unit must be weeks or days, got "${unit}"`);
  const annualDiscountRate = Number(values.discount);
  if (!(annualDiscountRate >= 0)) throw new RangeError(`--discount must be an annual rate ≥ 0 such as 0.1, got "${values.discount}"`);
  const end = values["calibration-end"];
  const calibrationEnd = end === undefined ? null : parseDay(end);
  if (end !== undefined && calibrationEnd === null) throw new RangeError(`--calibration-end must be a date YYYY-MM-DD, got "${end}"`);
  return { file: positionals[0], horizon, unit, calibrationEnd, annualDiscountRate };
}

/** Fits both models on the transactions and values each customer; RangeError on bad data. */
export function lifetimeValueReport(text: string, options: LtvOptions): { csv: string; log: string[] } {
  const { horizon, unit, annualDiscountRate } = options;
  const unitDays = UNIT_DAYS[unit];
  const transactions = parseTransactions(text);
  if (transactions.length === 0) throw new RangeError("no transactions");
  const end = options.calibrationEnd ?? transactions.reduce((last, t) => Math.max(last, t.day), -Infinity);
  const customers = summariseCustomers(transactions, { end, unitDays });
  const repeat = customers.filter((c) => c.frequency > 0);
  const positive = repeat.filter((c) => c.meanValue > 0);

  const bg = fitBgNbd(customers);
  const gg = fitGammaGamma(positive);
  const log = [
    `${customers.length} customers to ${formatDay(end)} (time in ${unit}); ${repeat.length} with repeat purchases`,
    `BG/NBD: r=${bg.params.r.toPrecision(6)} alpha=${bg.params.alpha.toPrecision(6)} a=${bg.params.a.toPrecision(6)} b=${bg.params.b.toPrecision(6)} log-likelihood=${bg.logLikelihood.toFixed(4)}`,
    `Gamma-Gamma (${positive.length} customers): p=${gg.params.p.toPrecision(6)} q=${gg.params.q.toPrecision(6)} gamma=${gg.params.gamma.toPrecision(6)} log-likelihood=${gg.logLikelihood.toFixed(4)}`,
  ];
  if (repeat.length > positive.length) {
    log.push(`warning: ${repeat.length - positive.length} customers with a non-positive mean repeat value are left out of the Gamma-Gamma fit`);
  }
  if (!bg.converged || !gg.converged) log.push("warning: a fit did not converge (too few or too regular customers for the model); treat the estimates with care");

  const rows = customers.map((c) => {
    const value = expectedValuePerPurchase(gg.params, c);
    return [
      c.customer,
      c.frequency,
      c.recency.toFixed(4),
      c.age.toFixed(4),
      probabilityAlive(bg.params, c).toFixed(6),
      expectedPurchases(bg.params, c, horizon).toFixed(6),
      value.toFixed(4),
      lifetimeValue(bg.params, c, value, { horizon, unitDays, annualDiscountRate }).toFixed(4),
    ];
  });
  const header = ["customer", "frequency", "recency", "age", "p_alive", "expected_purchases", "expected_value_per_purchase", "lifetime_value"];
  return { csv: stringify([header, ...rows]), log };
}
