// The earliest ship and delivery dates the brand can honestly promise for one catalogue line.
//
// Days are calendar days in Asia/Tehran as 'YYYY-MM-DD'. Weekends and public holidays are not
// modelled: handling, lead time and transit are counted in calendar days, so brands should enter
// them with their days off included.
//
// A line comes from ONE source, never split: from stock when what is free (on hand − reserved)
// covers the whole quantity; otherwise a made-to-order product is made in full from capacity, and
// a stock-only product cannot be promised. Capacity is consumed day by day from the first day after
// the lead time, skipping what earlier orders already took (the capacity ledger), never a full day.
import type { Fulfilment } from "#db/schema";

/** How far ahead capacity is searched; beyond it the line cannot be promised. */
export const CAPACITY_HORIZON_DAYS = 365;

export interface Availability {
  fulfilment: Fulfilment;
  onHand: number;
  reserved: number;
  handlingDays: number;
  dailyCapacity: number;
  leadTimeDays: number;
}

export interface PromiseInput {
  today: string;
  quantity: number;
  availability: Availability;
  /** Units already taken per future production day. */
  taken: ReadonlyMap<string, number> | Record<string, number>;
  transitDays: number;
}

export type DatePromise =
  | { ok: true; source: "stock"; shipOn: string; deliverOn: string }
  | { ok: true; source: "capacity"; shipOn: string; deliverOn: string; production: { day: string; units: number }[] }
  | { ok: false; reason: "out_of_stock" | "no_capacity" | "beyond_horizon" };

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Today's calendar day in Asia/Tehran. */
export function tehranToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const nonNegative = (n: number) => Number.isSafeInteger(n) && n >= 0;

export function promiseDate(input: PromiseInput): DatePromise {
  const { today, quantity, availability: a, transitDays } = input;
  if (!DAY.test(today) || !Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError("a day and a positive quantity are needed");
  if (![a.onHand, a.reserved, a.handlingDays, a.dailyCapacity, a.leadTimeDays, transitDays].every(nonNegative)) throw new RangeError("availability figures are whole, non-negative numbers");
  const taken = input.taken instanceof Map ? input.taken : new Map(Object.entries(input.taken));

  if (a.onHand - a.reserved >= quantity) {
    const shipOn = addDays(today, a.handlingDays);
    return { ok: true, source: "stock", shipOn, deliverOn: addDays(shipOn, transitDays) };
  }
  if (a.fulfilment === "stock") return { ok: false, reason: "out_of_stock" };
  if (a.dailyCapacity <= 0) return { ok: false, reason: "no_capacity" };

  const production: { day: string; units: number }[] = [];
  let remaining = quantity;
  for (let d = a.leadTimeDays; d <= a.leadTimeDays + CAPACITY_HORIZON_DAYS && remaining > 0; d++) {
    const day = addDays(today, d);
    const free = a.dailyCapacity - Math.min(a.dailyCapacity, taken.get(day) ?? 0);
    if (free <= 0) continue;
    const units = Math.min(free, remaining);
    production.push({ day, units });
    remaining -= units;
  }
  if (remaining > 0) return { ok: false, reason: "beyond_horizon" };
  const shipOn = addDays(production[production.length - 1].day, a.handlingDays);
  return { ok: true, source: "capacity", shipOn, deliverOn: addDays(shipOn, transitDays), production };
}

/** A calendar day as YYYY-MM-DD (DATE columns arrive as Date, or as the string itself). */
export const toDay = (d: Date | string | null): string | null => (d === null ? null : typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));
