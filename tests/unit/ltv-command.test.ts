// `npm run ltv`: the report on CSV input and its options, then the command end to end on the raw
// CDNOW file.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { lifetimeValueReport, parseLtvOptions } from "../../app/domain/ltv/report";
import { parseDay } from "../../app/domain/ltv/transactions";

const root = new URL("../../", import.meta.url).pathname;
const raw = join(root, "tests/fixtures/cdnow/cdnow-sample-transactions.txt");
const run = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(join(root, "node_modules/.bin/tsx"), [join(root, "scripts/ltv.ts"), ...args], (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

describe("parseLtvOptions", () => {
  it("has the documented defaults and reads every option", () => {
    expect(parseLtvOptions(["sales.csv"])).toEqual({ file: "sales.csv", horizon: 52, unit: "weeks", calibrationEnd: null, annualDiscountRate: 0.1 });
    expect(parseLtvOptions(["--horizon", "365", "--unit", "days", "--calibration-end", "1997-09-30", "--discount", "0", "x.txt"])).toEqual({
      file: "x.txt",
      horizon: 365,
      unit: "days",
      calibrationEnd: parseDay("1997-09-30"),
      annualDiscountRate: 0,
    });
  });

  it("explains what is wrong", () => {
    expect(() => parseLtvOptions([])).toThrow("give exactly one transactions file");
    expect(() => parseLtvOptions(["f", "--unit", "months"])).toThrow('--unit must be weeks or days, got "months"');
    expect(() => parseLtvOptions(["f", "--horizon", "0"])).toThrow("--horizon must be a positive number");
    expect(() => parseLtvOptions(["f", "--discount=-1"])).toThrow("--discount must be an annual rate");
    expect(() => parseLtvOptions(["f", "--calibration-end", "1997-02-30"])).toThrow("--calibration-end must be a date");
    expect(() => parseLtvOptions(["f", "--colour"])).toThrow(RangeError);
  });
});

describe("lifetimeValueReport", () => {
  it("reads a CSV with a header, time in days, up to the last transaction, and says when a fit is unreliable", () => {
    const lines = ["customer,date,amount"];
    for (let c = 1; c <= 12; c++) {
      for (let k = 0; k < (c % 4) + 1; k++) lines.push(`c${c},2024-${String(1 + ((c + 3 * k) % 12)).padStart(2, "0")}-1${k},${10 * c + k}`);
    }
    const { csv, log } = lifetimeValueReport(lines.join("\n"), parseLtvOptions(["f", "--unit", "days", "--horizon", "365"]));
    expect(log[0]).toBe("12 customers to 2024-12-10 (time in days); 9 with repeat purchases");
    // Twelve regular customers carry no sign of heterogeneity or dropout: the likelihood peaks at
    // the edge of the parameter space, where no optimiser converges.
    expect(log).toContain("warning: a fit did not converge (too few or too regular customers for the model); treat the estimates with care");
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows.map((r) => r.customer)).toEqual(Array.from({ length: 12 }, (_, i) => `c${i + 1}`));
    expect(rows.find((r) => r.customer === "c4")).toMatchObject({ frequency: "0", recency: "0.0000", p_alive: "1.000000" });
  });

  it("refuses a file without transactions or without any repeat purchase", () => {
    const options = parseLtvOptions(["f"]);
    expect(() => lifetimeValueReport("customer,date,amount\n", options)).toThrow("no transactions");
    expect(() => lifetimeValueReport("customer,date,amount\na,2024-01-01,3\nb,2024-01-02,4", options)).toThrow(/at least one customer with a repeat purchase/);
  });
});

describe("npm run ltv", () => {
  it("summarises, fits and values every CDNOW customer of the calibration period", { timeout: 30_000 }, async () => {
    const { status, stdout, stderr } = await run(raw, "--calibration-end", "1997-09-30", "--horizon", "39", "--unit", "weeks", "--discount", "0.1");
    expect(stderr).toContain("2357 customers to 1997-09-30 (time in weeks); 946 with repeat purchases");
    expect(status).toBe(0);

    const bg = /BG\/NBD: r=(\S+) alpha=(\S+) a=(\S+) b=(\S+) log-likelihood=(\S+)/.exec(stderr)!.slice(1).map(Number);
    [0.2426, 4.4135, 0.7929, 2.4258, -9582.4].forEach((published, i) => expect(Math.abs(bg[i] / published - 1)).toBeLessThan(5e-4));
    const gg = /Gamma-Gamma \(946 customers\): p=(\S+) q=(\S+) gamma=(\S+)/.exec(stderr)!.slice(1).map(Number);
    [6.25, 3.74, 15.44].forEach((published, i) => expect(Math.abs(gg[i] / published - 1)).toBeLessThan(2e-3));

    const rows: Record<string, string>[] = parse(stdout, { columns: true });
    expect(Object.keys(rows[0])).toEqual(["customer", "frequency", "recency", "age", "p_alive", "expected_purchases", "expected_value_per_purchase", "lifetime_value"]);
    const published = readFileSync(join(root, "tests/fixtures/cdnow/cdnow-summary.csv"), "utf8").trim().split("\n").slice(1);
    expect(rows).toHaveLength(published.length);
    // Customers come in the order of the raw file, which is the order of the summary's IDs.
    published.forEach((line, i) => {
      const [, x, tx, T] = line.split(",").map(Number);
      expect([Number(rows[i].frequency), Number(rows[i].recency).toFixed(2), Number(rows[i].age).toFixed(2)]).toEqual([x, tx.toFixed(2), T.toFixed(2)]);
    });
    expect(rows[0]).toMatchObject({ customer: "00004", frequency: "2" });
    const [pAlive, purchases, valuePerPurchase, value] = Object.values(rows[0]).slice(4).map(Number);
    expect(pAlive).toBeCloseTo(0.7266, 3);
    expect(purchases).toBeCloseTo(1.226, 2);
    expect(value).toBeGreaterThan(0.9 * purchases * valuePerPurchase);
    expect(value).toBeLessThan(purchases * valuePerPurchase); // discounted
    expect(rows.every((r) => Number(r.p_alive) >= 0 && Number(r.p_alive) <= 1 && Number(r.lifetime_value) >= 0)).toBe(true);
  });

  it("exits non-zero with the reason for bad options and bad files", { timeout: 30_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ltv-")), "bad.csv");
    writeFileSync(file, "customer,date,amount\nc1,2024-01-01,ten\n");
    const [badOption, badFile] = await Promise.all([run(raw, "--unit", "months"), run(file)]);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain('--unit must be weeks or days, got "months"\nusage: npm run ltv');
    expect(badFile.status).toBe(1);
    expect(badFile.stderr).toBe(`${file}: line 2: "ten" is not an amount\n`);
  });
});
