// Customer lifetime value from a transactions file (BG/NBD + Gamma-Gamma):
//   npm run ltv -- <file> [--horizon 52] [--unit weeks|days] [--calibration-end YYYY-MM-DD] [--discount 0.1]
// One CSV row per customer on stdout; the fitted parameters and log-likelihoods on stderr.
// Exit status 2 for bad options, 1 for a file that cannot be read or used.
import { readFileSync } from "node:fs";
import { lifetimeValueReport, LTV_USAGE, parseLtvOptions, type LtvOptions } from "../app/domain/ltv/report";

let options: LtvOptions;
try {
  options = parseLtvOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${LTV_USAGE}\n`);
  process.exit(2);
}

try {
  const { csv, log } = lifetimeValueReport(readFileSync(options.file, "utf8"), options);
  process.stderr.write(log.map((line) => `${line}\n`).join(""));
  process.stdout.write(csv);
} catch (error) {
  // Bad data (RangeError) or an unreadable file (system error with a code); anything else is a bug.
  if (!(error instanceof RangeError || (error as NodeJS.ErrnoException).code)) throw error;
  process.stderr.write(`${options.file}: ${(error as Error).message}\n`);
  process.exit(1);
}
