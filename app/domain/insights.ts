// Pure rules behind the network insights: who counts as active or lapsing, Jalali month buckets,
// summing summary rows, and the three-truths judgement of whether demand can be delivered.
import { toGregorian, toJalaali } from "jalaali-js";
import { addDays, promiseDate, type Availability } from "./promise-date";

/** A customer contacted or ordering within this many days is active. */
export const ACTIVE_DAYS = 180;
/** Lapsing: no order for this many times the customer's usual interval between orders. */
export const LAPSE_FACTOR = 1.5;
/** How many top and lapsing customers each partner keeps per province. */
export const LIST_SIZE = 10;
/** Capability is judged over this many days ahead. */
export const TRUTH_HORIZON_DAYS = 30;

const DAY_MS = 86_400_000;

/** Days past the usual cycle (negative: not yet due), or null for a customer with no usual cycle yet. */
export function overdueDays(c: { last_order_at: Date | null; avg_interval_days: number | null }, now: Date): number | null {
  if (!c.last_order_at || !c.avg_interval_days || c.avg_interval_days <= 0) return null;
  const due = c.last_order_at.getTime() + c.avg_interval_days * LAPSE_FACTOR * DAY_MS;
  return Math.floor((now.getTime() - due) / DAY_MS);
}

export const isLapsing = (c: { last_order_at: Date | null; avg_interval_days: number | null }, now: Date): boolean => (overdueDays(c, now) ?? -1) > 0;

export function isActive(c: { last_order_at: Date | null; last_contact_at: Date | null }, now: Date): boolean {
  const since = now.getTime() - ACTIVE_DAYS * DAY_MS;
  return [c.last_order_at, c.last_contact_at].some((d) => d !== null && d.getTime() >= since);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The Gregorian day ('YYYY-MM-DD') on which the Solar Hijri month holding `day` begins. */
export function jalaliMonthStart(day: string): string {
  const [gy, gm, gd] = day.split("-").map(Number);
  const { jy, jm } = toJalaali(gy, gm, gd);
  const g = toGregorian(jy, jm, 1);
  return `${g.gy}-${pad(g.gm)}-${pad(g.gd)}`;
}

/** Every day from `from` to `to` (inclusive) with its Jalali month start: the rows of insight_days. */
export function calendarDays(from: string, to: string): { day: string; month: string }[] {
  const out: { day: string; month: string }[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push({ day, month: jalaliMonthStart(day) });
  return out;
}

type Numeric = number | string | bigint;

/**
 * Sums summary rows by a key: the numeric fields named are added up (as BigInt, so Rial totals
 * stay exact), the first row's other fields are kept. Groups come back in first-seen order.
 */
export function sumBy<T extends object, F extends keyof T & string>(rows: readonly T[], key: (row: T) => string, fields: readonly F[]): (Omit<T, F> & Record<F, bigint>)[] {
  const groups = new Map<string, Omit<T, F> & Record<F, bigint>>();
  for (const row of rows) {
    const k = key(row);
    let g = groups.get(k);
    if (!g) {
      g = { ...row } as Omit<T, F> & Record<F, bigint>;
      for (const f of fields) (g as Record<string, unknown>)[f] = 0n;
      groups.set(k, g);
    }
    for (const f of fields) (g as Record<string, bigint>)[f] += BigInt(row[f] as unknown as Numeric);
  }
  return [...groups.values()];
}

/** A share in whole per cent of a total, 0 for an empty total. */
export const percentOf = (part: Numeric, whole: Numeric): number => (BigInt(whole) === 0n ? 0 : Number((BigInt(part) * 100n) / BigInt(whole)));

export interface TruthInput {
  today: string;
  /** open needs: each a customer waiting for (at least) one unit */
  openNeeds: number;
  /** units ordered in the recent window and its length in days, for the daily rate of orders */
  recentUnits: number;
  recentDays: number;
  /** summed over the products of the category (or the one product) */
  availability: Availability;
  /** capacity already taken per future day */
  taken: ReadonlyMap<string, number>;
}

export type TruthVerdict =
  | { kind: "no_demand" }
  /** wanted, but nothing in the catalogue delivers it (a service, financing, a product not made yet) */
  | { kind: "no_products"; demand: number }
  | { kind: "enough"; demand: number; deliverable: number; shipBy: string }
  | { kind: "short"; demand: number; deliverable: number; shortfall: number; honestDate: string }
  | { kind: "cannot"; demand: number; deliverable: number; shortfall: number; reason: "out_of_stock" | "no_capacity" | "beyond_horizon" };

/**
 * Can the brand deliver what is asked over the next TRUTH_HORIZON_DAYS? Demand is the open needs
 * plus the recent order rate carried over the horizon; what can be delivered is the free stock plus
 * the capacity not yet taken from the end of the lead time to the horizon. When demand is larger,
 * the honest date is the day the whole demand could ship, counted exactly as an order's promise
 * date is (stock first, then day-by-day capacity after the lead time); none when it cannot be made.
 */
export function judgeCapability(input: TruthInput): TruthVerdict {
  const { today, availability: a, taken } = input;
  const rate = input.recentDays > 0 ? input.recentUnits / input.recentDays : 0;
  const demand = input.openNeeds + Math.ceil(rate * TRUTH_HORIZON_DAYS);
  if (demand <= 0) return { kind: "no_demand" };
  const free = Math.max(0, a.onHand - a.reserved);
  let capacity = 0;
  if (a.fulfilment === "made_to_order") {
    for (let d = a.leadTimeDays; d <= TRUTH_HORIZON_DAYS - a.handlingDays; d++) capacity += Math.max(0, a.dailyCapacity - (taken.get(addDays(today, d)) ?? 0));
  }
  const deliverable = free + capacity;
  const date = shipDate(demand, today, a, taken);
  if (demand <= deliverable) return { kind: "enough", demand, deliverable, shipBy: date.ok ? date.day : addDays(today, TRUTH_HORIZON_DAYS) };
  if (!date.ok) return { kind: "cannot", demand, deliverable, shortfall: demand - deliverable, reason: date.reason };
  return { kind: "short", demand, deliverable, shortfall: demand - deliverable, honestDate: date.day };
}

/** The day `units` could all ship: the free stock first, the rest made from capacity exactly as an order's promise date counts it. */
function shipDate(units: number, today: string, a: Availability, taken: ReadonlyMap<string, number>): { ok: true; day: string } | { ok: false; reason: "out_of_stock" | "no_capacity" | "beyond_horizon" } {
  const remaining = units - Math.max(0, a.onHand - a.reserved);
  if (remaining <= 0) return { ok: true, day: addDays(today, a.handlingDays) };
  const made = promiseDate({ today, quantity: remaining, availability: { ...a, onHand: 0, reserved: 0 }, taken, transitDays: 0 });
  return made.ok ? { ok: true, day: made.shipOn } : made;
}

/**
 * What a category can deliver, from its products: stock and capacity add up; the slowest lead and
 * handling times count (no promise is earlier than the slowest product allows); it is made to order
 * if any of its products is, and only those products' capacity counts.
 */
export function combineAvailability(products: readonly Availability[]): Availability {
  const made = products.filter((p) => p.fulfilment === "made_to_order");
  return {
    fulfilment: made.length > 0 ? "made_to_order" : "stock",
    onHand: products.reduce((s, p) => s + p.onHand, 0),
    reserved: products.reduce((s, p) => s + p.reserved, 0),
    dailyCapacity: made.reduce((s, p) => s + p.dailyCapacity, 0),
    leadTimeDays: Math.max(0, ...made.map((p) => p.leadTimeDays)),
    handlingDays: Math.max(0, ...products.map((p) => p.handlingDays)),
  };
}

// Made once per locale: a formatter costs far more to make than to use (the trend has a label per month).
const monthFormats = {
  fa: new Intl.DateTimeFormat("fa-IR-u-ca-persian", { year: "numeric", month: "long", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-US-u-ca-persian", { year: "numeric", month: "long", timeZone: "UTC" }),
};

// The labels themselves are kept too (a few hundred months at most): the trend names every month
// on each view, and formatToParts in the Persian calendar is slow.
const monthLabels = new Map<string, string>();

/** A Jalali month bucket ('YYYY-MM-DD' of its first day) as its name and year: «مرداد ۱۴۰۴», "Mordad 1404". */
export function monthLabel(month: string, locale: "fa" | "en"): string {
  const key = `${locale}${month.slice(0, 10)}`;
  let label = monthLabels.get(key);
  if (label === undefined) {
    const parts = monthFormats[locale].formatToParts(new Date(`${month.slice(0, 10)}T12:00:00Z`));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    // ICU orders the Persian parts year-first; a Persian reader writes the month first, as in English.
    label = `${part("month")} ${part("year")}`;
    monthLabels.set(key, label);
  }
  return label;
}
