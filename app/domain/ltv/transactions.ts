// From a transactions file to the per-customer summary the models take, built as in the
// literature (and the lifetimes package's summary_data_from_transaction_data): purchases on the
// same day count once with their amounts added; frequency = distinct purchase days − 1; recency =
// last − first purchase day; age = end of the period − first purchase day; mean value = mean
// amount of the repeat purchase days (the first purchase, often atypical, is left out).
import { parse } from "csv-parse/sync";
import { parseJalaliDate } from "../jalali";
import { toAsciiDigits } from "../text";

export type Transaction = { customer: string; day: number; amount: number };
export type CustomerSummary = {
  customer: string;
  frequency: number;
  recency: number;
  age: number;
  meanValue: number;
};

const DAY_MS = 86_400_000;

const SEPARATED = /^(?<year>\d{4})(?<separator>[-/])(?<month>\d{1,2})\k<separator>(?<day>\d{1,2})(?:[T ].*)?$/;
const COMPACT = /^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2})$/;

/**
 * Days since 1970-01-01 of a date `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or an ISO date-time (its
 * date part), in any digit set; null if it is not a real date. Years before 1700 are read as Solar
 * Hijri (1403/01/15), as Iranian systems export them: no sales record has Gregorian years that low.
 */
export function parseDay(text: string): number | null {
  const ascii = toAsciiDigits(text.trim());
  const parts = (SEPARATED.exec(ascii) ?? COMPACT.exec(ascii))?.groups;
  if (!parts) return null;
  const [year, month, day] = [parts.year, parts.month, parts.day].map(Number);
  if (year < 1700) {
    const jalali = parseJalaliDate(`${year}-${month}-${day}`);
    return jalali.ok ? Date.parse(jalali.iso) / DAY_MS : null;
  }
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms / DAY_MS : null;
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Reads a CSV with a header naming `customer`, `date` and `amount` columns (any order, others
 * ignored), or the whitespace-separated CDNOW format without header (customer, id, YYYYMMDD,
 * quantity, amount). Throws a RangeError naming the first bad line.
 */
export function parseTransactions(text: string): Transaction[] {
  const firstLine = text.split("\n").find((line) => line.trim() !== "") ?? "";
  return firstLine.includes(",") ? parseCsv(text) : parseWhitespace(text);
}

function parseCsv(text: string): Transaction[] {
  const rows: string[][] = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  const header = rows[0].map((name) => name.toLowerCase());
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new RangeError(`the header has no "${name}" column (needs customer, date, amount)`);
    return index;
  };
  const [customer, date, amount] = [column("customer"), column("date"), column("amount")];
  return rows.slice(1).map((row, i) => transaction(row[customer], row[date], row[amount], i + 2));
}

function parseWhitespace(text: string): Transaction[] {
  const transactions: Transaction[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 5) throw new RangeError(`line ${i + 1}: expected 5 fields (customer, id, date, quantity, amount), found ${fields.length}`);
    transactions.push(transaction(fields[0], fields[2], fields[4], i + 1));
  });
  return transactions;
}

function transaction(customer: string | undefined, date: string | undefined, amount: string | undefined, line: number): Transaction {
  if (!customer) throw new RangeError(`line ${line}: no customer`);
  const day = parseDay(date ?? "");
  if (day === null) throw new RangeError(`line ${line}: "${date ?? ""}" is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)`);
  // Persian digits and decimal separator (۱۲٫۵) as well as ASCII ones.
  const value = amount?.trim() ? Number(toAsciiDigits(amount).replace("\u066B", ".")) : NaN;
  if (!Number.isFinite(value)) throw new RangeError(`line ${line}: "${amount ?? ""}" is not an amount`);
  return { customer, day, amount: value };
}

/**
 * One summary per customer whose first purchase is on or before `end` (a day number), times in
 * units of `unitDays` days (7 for weeks). Transactions after `end` are ignored: they are the
 * holdout. Customers come in the order of their first line in the input.
 */
export function summariseCustomers(transactions: Transaction[], { end, unitDays }: { end: number; unitDays: number }): CustomerSummary[] {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const { customer, day, amount } of transactions) {
    if (day > end) continue;
    const days = byCustomer.get(customer) ?? new Map<number, number>();
    days.set(day, (days.get(day) ?? 0) + amount);
    byCustomer.set(customer, days);
  }
  return [...byCustomer].map(([customer, days]) => {
    const ordered = [...days.keys()].sort((p, q) => p - q);
    const first = ordered[0];
    const repeatDays = ordered.slice(1);
    return {
      customer,
      frequency: repeatDays.length,
      recency: (ordered[ordered.length - 1] - first) / unitDays,
      age: (end - first) / unitDays,
      meanValue: repeatDays.length ? repeatDays.reduce((sum, day) => sum + (days.get(day) ?? 0), 0) / repeatDays.length : 0,
    };
  });
}
