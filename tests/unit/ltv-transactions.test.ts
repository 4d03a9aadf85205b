import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDay, parseDay, parseTransactions, summariseCustomers } from "../../app/domain/ltv/transactions";

const day = (iso: string) => parseDay(iso)!;

describe("parseDay", () => {
  it("reads ISO and compact dates and refuses impossible ones", () => {
    expect(formatDay(day("1997-09-30"))).toBe("1997-09-30");
    expect(day("19970930")).toBe(day("1997-09-30"));
    expect(day("1997-09-30T23:59:00Z")).toBe(day("1997-09-30"));
    expect(day("1997-10-01") - day("1997-09-30")).toBe(1);
    expect(day("1997/9/30")).toBe(day("1997-09-30"));
    expect(day("۱۹۹۷-۰۹-۳۰")).toBe(day("1997-09-30"));
    expect(parseDay("1997-02-29")).toBeNull();
    expect(parseDay("1997-09/30")).toBeNull();
    expect(parseDay("30/09/1997")).toBeNull();
    expect(parseDay("")).toBeNull();
  });

  it("reads Solar Hijri dates, as Iranian systems export them", () => {
    expect(formatDay(day("1403/01/01"))).toBe("2024-03-20"); // Nowruz 1403
    expect(formatDay(day("۱۴۰۳-۱۲-۳۰"))).toBe("2025-03-20"); // 1403 is a leap year: Esfand has 30 days
    expect(parseDay("1402/12/30")).toBeNull(); // 1402 is not
  });
});

describe("parseTransactions", () => {
  it("reads a CSV by its header, columns in any order", () => {
    const csv = "amount,note,date,customer\n12.5,a,2024-01-03,c1\n7,\"b, c\",2024-01-05,c2\n";
    expect(parseTransactions(csv)).toEqual([
      { customer: "c1", day: day("2024-01-03"), amount: 12.5 },
      { customer: "c2", day: day("2024-01-05"), amount: 7 },
    ]);
  });

  it("reads Persian digits and decimal separator in amounts and dates", () => {
    expect(parseTransactions("customer,date,amount\nمشتری ۱,۱۴۰۳/۰۱/۰۱,۱۲٫۵")).toEqual([
      { customer: "مشتری ۱", day: day("2024-03-20"), amount: 12.5 },
    ]);
  });

  it("reads the whitespace CDNOW format", () => {
    expect(parseTransactions(" 00004 0001 19970101  2   29.33\n\n 00021 0002 19970118  1   9.5\n")).toEqual([
      { customer: "00004", day: day("1997-01-01"), amount: 29.33 },
      { customer: "00021", day: day("1997-01-18"), amount: 9.5 },
    ]);
  });

  it("names the line and the problem", () => {
    expect(() => parseTransactions("customer,day,amount\nc1,2024-01-01,3")).toThrow(/no "date" column/);
    expect(() => parseTransactions("customer,date,amount\nc1,2024-01-01,3\nc2,2024-13-01,3")).toThrow(/line 3: "2024-13-01" is not a date/);
    expect(() => parseTransactions("customer,date,amount\nc1,2024-01-01,")).toThrow(/line 2: "" is not an amount/);
    expect(() => parseTransactions("00004 0001 19970101 29.33")).toThrow(/line 1: expected 5 fields/);
  });
});

describe("summariseCustomers", () => {
  const transactions = parseTransactions(
    [
      "customer,date,amount",
      "a,2024-01-01,10",
      "a,2024-01-01,5", // same day: one purchase of 15
      "a,2024-01-15,20",
      "a,2024-01-29,40",
      "b,2024-01-08,30",
      "a,2024-02-12,99", // after the end: holdout
      "c,2024-02-01,10", // first purchase after the end: not a customer yet
    ].join("\n"),
  );

  it("counts repeat purchase days, measures from the first purchase and averages the repeats", () => {
    expect(summariseCustomers(transactions, { end: day("2024-01-29"), unitDays: 7 })).toEqual([
      { customer: "a", frequency: 2, recency: 4, age: 4, meanValue: 30 },
      { customer: "b", frequency: 0, recency: 0, age: 3, meanValue: 0 },
    ]);
    expect(summariseCustomers(transactions, { end: day("2024-01-29"), unitDays: 1 })[0]).toMatchObject({ recency: 28, age: 28 });
  });

  it("builds the published CDNOW summary from the raw transactions", () => {
    const read = (name: string) => readFileSync(new URL(`../fixtures/cdnow/${name}`, import.meta.url), "utf8");
    const raw = read("cdnow-sample-transactions.txt");
    // The summary's ID is the raw file's second column.
    const idOf = new Map(raw.trim().split("\n").map((line) => line.trim().split(/\s+/).slice(0, 2)) as [string, string][]);
    const built = new Map(
      summariseCustomers(parseTransactions(raw), { end: day("1997-09-30"), unitDays: 7 }).map((c) => [Number(idOf.get(c.customer)), c]),
    );
    const published = read("cdnow-summary.csv").trim().split("\n").slice(1);
    expect(built.size).toBe(published.length);
    for (const line of published) {
      const [id, x, tx, T, zbar] = line.split(",").map(Number);
      const c = built.get(id)!;
      expect(c.frequency).toBe(x);
      expect(Math.abs(c.recency - tx)).toBeLessThanOrEqual(0.0051);
      expect(Math.abs(c.age - T)).toBeLessThanOrEqual(0.0051);
      expect(Math.abs(c.meanValue - zbar)).toBeLessThanOrEqual(0.0051);
    }
  });
});
