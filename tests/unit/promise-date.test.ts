import { describe, expect, it } from "vitest";
import { addDays, promiseDate, tehranToday, type Availability } from "~/domain/promise-date";

const STOCK: Availability = { fulfilment: "stock", onHand: 10, reserved: 4, handlingDays: 1, dailyCapacity: 0, leadTimeDays: 0 };
const MADE: Availability = { fulfilment: "made_to_order", onHand: 2, reserved: 0, handlingDays: 2, dailyCapacity: 5, leadTimeDays: 3 };
const today = "2026-12-01";

describe("promiseDate", () => {
  it("ships from stock after handling and delivers after the province's transit", () => {
    expect(promiseDate({ today, quantity: 6, availability: STOCK, taken: {}, transitDays: 3 })).toEqual({ ok: true, source: "stock", shipOn: "2026-12-02", deliverOn: "2026-12-05" });
    expect(promiseDate({ today, quantity: 6, availability: STOCK, taken: {}, transitDays: 7 })).toMatchObject({ deliverOn: "2026-12-09" });
  });

  it("never promises a stock-only product beyond what is free (on hand − reserved)", () => {
    expect(promiseDate({ today, quantity: 7, availability: STOCK, taken: {}, transitDays: 3 })).toEqual({ ok: false, reason: "out_of_stock" });
  });

  it("makes a partly covered made-to-order line entirely from capacity (one source per line)", () => {
    const p = promiseDate({ today, quantity: 12, availability: MADE, taken: {}, transitDays: 1 });
    expect(p).toEqual({
      ok: true,
      source: "capacity",
      production: [{ day: "2026-12-04", units: 5 }, { day: "2026-12-05", units: 5 }, { day: "2026-12-06", units: 2 }],
      shipOn: "2026-12-08",
      deliverOn: "2026-12-09",
    });
    expect(promiseDate({ today, quantity: 2, availability: MADE, taken: {}, transitDays: 1 })).toMatchObject({ source: "stock", shipOn: "2026-12-03" });
  });

  it("skips capacity earlier orders took, and never uses a full day", () => {
    const taken = new Map([["2026-12-04", 5], ["2026-12-05", 4], ["2026-12-06", 9]]);
    const p = promiseDate({ today, quantity: 4, availability: MADE, taken, transitDays: 0 });
    expect(p).toMatchObject({ source: "capacity", production: [{ day: "2026-12-05", units: 1 }, { day: "2026-12-07", units: 3 }], shipOn: "2026-12-09" });
  });

  it("cannot promise without capacity or beyond the horizon", () => {
    expect(promiseDate({ today, quantity: 3, availability: { ...MADE, dailyCapacity: 0 }, taken: {}, transitDays: 0 })).toEqual({ ok: false, reason: "no_capacity" });
    expect(promiseDate({ today, quantity: 5 * 400, availability: MADE, taken: {}, transitDays: 0 })).toEqual({ ok: false, reason: "beyond_horizon" });
  });

  it("rejects bad input", () => {
    expect(() => promiseDate({ today, quantity: 0, availability: STOCK, taken: {}, transitDays: 0 })).toThrow(RangeError);
    expect(() => promiseDate({ today: "1405/09/10", quantity: 1, availability: STOCK, taken: {}, transitDays: 0 })).toThrow(RangeError);
    expect(() => promiseDate({ today, quantity: 1, availability: STOCK, taken: {}, transitDays: -1 })).toThrow(RangeError);
  });

  it("counts calendar days in Asia/Tehran across month ends", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    // 21:00 UTC on 1 December is already 2 December in Tehran (UTC+3:30).
    expect(tehranToday(new Date("2026-12-01T21:00:00Z"))).toBe("2026-12-02");
  });
});
