import { describe, expect, it } from "vitest";
import { calendarDays, combineAvailability, isActive, isLapsing, jalaliMonthStart, judgeCapability, monthLabel, overdueDays, percentOf, sumBy } from "~/domain/insights";
import type { Availability } from "~/domain/promise-date";

const today = "2026-12-01";
const STOCK: Availability = { fulfilment: "stock", onHand: 50, reserved: 10, handlingDays: 1, dailyCapacity: 0, leadTimeDays: 0 };
const MADE: Availability = { fulfilment: "made_to_order", onHand: 10, reserved: 0, handlingDays: 2, dailyCapacity: 5, leadTimeDays: 3 };
const none = new Map<string, number>();

describe("judgeCapability (the three truths' capability judgement)", () => {
  it("says there is nothing to promise when nobody wants it", () => {
    expect(judgeCapability({ today, openNeeds: 0, recentUnits: 0, recentDays: 90, availability: STOCK, taken: none })).toEqual({ kind: "no_demand" });
  });

  it("counts open needs plus the recent order rate carried over 30 days, and says yes when free stock covers it", () => {
    // 30 units in 30 days is one a day: 30 more over the horizon, plus 4 open needs.
    expect(judgeCapability({ today, openNeeds: 4, recentUnits: 30, recentDays: 30, availability: STOCK, taken: none })).toEqual({ kind: "enough", demand: 34, deliverable: 40, shipBy: "2026-12-02" });
  });

  it("rounds a partial unit of demand up: promising less than is asked is the error to avoid", () => {
    const v = judgeCapability({ today, openNeeds: 0, recentUnits: 10, recentDays: 90, availability: STOCK, taken: none });
    expect(v).toMatchObject({ kind: "enough", demand: 4 });
  });

  it("when demand exceeds stock and 30 days of capacity, says how short and the day all of it could honestly ship", () => {
    // free 10 + capacity 5/day from day 3 to day 28 (26 days) = 140; the other 190 take 38 production days from day 3 → day 40, shipped 2 days later.
    expect(judgeCapability({ today, openNeeds: 200, recentUnits: 0, recentDays: 90, availability: MADE, taken: none })).toEqual({ kind: "short", demand: 200, deliverable: 140, shortfall: 60, honestDate: "2027-01-12" });
  });

  it("leaves out capacity that earlier orders already took, in both the amount and the date", () => {
    const taken = new Map([["2026-12-04", 5]]);
    expect(judgeCapability({ today, openNeeds: 200, recentUnits: 0, recentDays: 90, availability: MADE, taken })).toEqual({ kind: "short", demand: 200, deliverable: 135, shortfall: 65, honestDate: "2027-01-13" });
  });

  it("promises no date for a stock-only product beyond its stock, or a made-to-order one without capacity", () => {
    expect(judgeCapability({ today, openNeeds: 10, recentUnits: 0, recentDays: 90, availability: { ...STOCK, onHand: 5, reserved: 0 }, taken: none })).toEqual({ kind: "cannot", demand: 10, deliverable: 5, shortfall: 5, reason: "out_of_stock" });
    expect(judgeCapability({ today, openNeeds: 20, recentUnits: 0, recentDays: 90, availability: { ...MADE, dailyCapacity: 0 }, taken: none })).toMatchObject({ kind: "cannot", reason: "no_capacity" });
  });

  it("sums a category's products: stock and capacity add up, the slowest lead time counts, capacity only of made-to-order products", () => {
    expect(combineAvailability([STOCK, MADE, { ...MADE, dailyCapacity: 2, leadTimeDays: 7, handlingDays: 1 }])).toEqual({ fulfilment: "made_to_order", onHand: 70, reserved: 10, dailyCapacity: 7, leadTimeDays: 7, handlingDays: 2 });
    expect(combineAvailability([STOCK, { ...STOCK, dailyCapacity: 9 }])).toMatchObject({ fulfilment: "stock", dailyCapacity: 0 });
    expect(combineAvailability([])).toMatchObject({ onHand: 0, dailyCapacity: 0, fulfilment: "stock" });
  });
});

describe("lapsing and active customers", () => {
  const c = { last_order_at: new Date("2026-01-01T00:00:00Z"), avg_interval_days: 20 };
  it("is lapsing once more than one and a half usual intervals have passed since the last order", () => {
    expect(overdueDays(c, new Date("2026-02-10T00:00:00Z"))).toBe(10);
    expect(isLapsing(c, new Date("2026-02-10T00:00:00Z"))).toBe(true);
    expect(overdueDays(c, new Date("2026-01-31T12:00:00Z"))).toBe(0);
    expect(isLapsing(c, new Date("2026-01-31T12:00:00Z"))).toBe(false);
  });
  it("has no cycle to lapse from without a usual interval", () => {
    expect(overdueDays({ ...c, avg_interval_days: null }, new Date("2027-01-01"))).toBeNull();
    expect(isLapsing({ last_order_at: null, avg_interval_days: 30 }, new Date("2027-01-01"))).toBe(false);
  });
  it("is active with an order or a contact in the last 180 days", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(isActive({ last_order_at: null, last_contact_at: new Date("2026-06-05T00:00:00Z") }, now)).toBe(true);
    expect(isActive({ last_order_at: new Date("2026-06-01T00:00:00Z"), last_contact_at: null }, now)).toBe(false);
    expect(isActive({ last_order_at: null, last_contact_at: null }, now)).toBe(false);
  });
});

describe("Jalali month buckets", () => {
  it("finds the Gregorian day a Solar Hijri month starts on", () => {
    expect(jalaliMonthStart("2025-08-10")).toBe("2025-07-23"); // 1 Mordad 1404
    expect(jalaliMonthStart("2025-07-22")).toBe("2025-06-22"); // 31 Tir → 1 Tir
    expect(jalaliMonthStart("2025-03-20")).toBe("2025-02-19"); // last day of Esfand 1403
    expect(jalaliMonthStart("2025-03-21")).toBe("2025-03-21"); // Nowruz 1404
  });
  it("gives every day of a range its month, changing exactly on the 1st", () => {
    const days = calendarDays("2025-03-19", "2025-03-22");
    expect(days).toEqual([
      { day: "2025-03-19", month: "2025-02-19" },
      { day: "2025-03-20", month: "2025-02-19" },
      { day: "2025-03-21", month: "2025-03-21" },
      { day: "2025-03-22", month: "2025-03-21" },
    ]);
  });
  it("names a month in the reader's calendar and digits", () => {
    expect(monthLabel("2025-07-23", "fa")).toBe("مرداد ۱۴۰۴");
    expect(monthLabel("2025-07-23", "en")).toBe("Mordad 1404");
    // Kept once made: the same answer again, per language.
    expect([monthLabel("2025-07-23", "fa"), monthLabel("2025-07-23", "en")]).toEqual(["مرداد ۱۴۰۴", "Mordad 1404"]);
  });
});

describe("aggregation helpers", () => {
  it("sums rows by key exactly, Rial totals beyond 2^53 included", () => {
    const rows = [
      { tier: "gold", customers: 2, ltv: "9007199254740993" },
      { tier: "silver", customers: 1, ltv: "5" },
      { tier: "gold", customers: 3, ltv: "10" },
    ];
    expect(sumBy(rows, (r) => r.tier, ["customers", "ltv"])).toEqual([
      { tier: "gold", customers: 5n, ltv: 9007199254741003n },
      { tier: "silver", customers: 1n, ltv: 5n },
    ]);
  });
  it("gives whole per cents, and 0 of nothing", () => {
    expect(percentOf(2, 3)).toBe(66);
    expect(percentOf("5", "5")).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });
});
