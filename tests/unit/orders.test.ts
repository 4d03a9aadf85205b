import { describe, expect, it } from "vitest";
import { canTransition, discountAbove, MAX_ORDER_QUANTITY, ORDER_STATUSES, parseQuickOrder, TRANSITIONS, type OrderStatus } from "~/domain/orders";

describe("parseQuickOrder", () => {
  it("reads SKU and quantity separated by spaces, tabs, commas or semicolons, in any digit set", () => {
    const { lines, errors } = parseQuickOrder("rf-540 ۳\nWM-914\t12\nAF-55, ٤\nTM-210;7");
    expect(errors).toEqual([]);
    expect(lines).toEqual([
      { line: 1, sku: "RF-540", quantity: 3 },
      { line: 2, sku: "WM-914", quantity: 12 },
      { line: 3, sku: "AF-55", quantity: 4 },
      { line: 4, sku: "TM-210", quantity: 7 },
    ]);
  });

  it("accepts the Persian thousands separator and a comma inside the quantity", () => {
    expect(parseQuickOrder("GS-590 ۱٬۲۰۰\nBO-600\t1,500").lines.map((l) => l.quantity)).toEqual([1200, 1500]);
  });

  it("skips blank lines, keeps the file's line numbers, and adds up a SKU given twice", () => {
    const { lines } = parseQuickOrder("\r\nHD-900 2\r\n\r\nhd-900 ۵\r\n");
    expect(lines).toEqual([{ line: 2, sku: "HD-900", quantity: 7 }]);
  });

  it("reports bad lines with their number and a reason key, and keeps the good ones", () => {
    const { lines, errors } = parseQuickOrder(["RF-540", "RF-320 0", "FZ-260 -2", "DW-1412 abc", `EC-7000 ${MAX_ORDER_QUANTITY + 1}`, "AC-24I 2.5", "VC-2200 2"].join("\n"));
    expect(lines).toEqual([{ line: 7, sku: "VC-2200", quantity: 2 }]);
    expect(errors.map((e) => [e.line, e.key])).toEqual([
      [1, "orders:errors.quick_format"],
      [2, "orders:errors.quantity_range"],
      [3, "orders:errors.quantity_range"],
      [4, "orders:errors.quick_quantity"],
      [5, "orders:errors.quantity_range"],
      [6, "orders:errors.quick_quantity"],
    ]);
  });

  it("refuses a sum over the maximum when one SKU is given on many lines", () => {
    const { lines, errors } = parseQuickOrder(`RF-540 ${MAX_ORDER_QUANTITY}\nRF-540 1`);
    expect(lines).toEqual([]);
    expect(errors.map((e) => e.key)).toEqual(["orders:errors.quantity_range"]);
  });

  it("drops invisible direction marks pasted with the text", () => {
    expect(parseQuickOrder("\u200FRF-540 ۲\u200E").lines).toEqual([{ line: 1, sku: "RF-540", quantity: 2 }]);
  });
});

describe("order lifecycle", () => {
  const table: [OrderStatus, OrderStatus, boolean][] = [
    ["submitted", "confirmed", true],
    ["submitted", "awaiting_approval", true],
    ["submitted", "shipped", false],
    ["awaiting_approval", "approved", true],
    ["awaiting_approval", "rejected", true],
    ["awaiting_approval", "confirmed", false],
    ["awaiting_approval", "cancelled", true],
    ["approved", "confirmed", true],
    ["confirmed", "shipped", true],
    ["confirmed", "cancelled", true],
    ["confirmed", "delivered", false],
    ["shipped", "delivered", true],
    ["shipped", "cancelled", false],
    ["delivered", "cancelled", false],
    ["rejected", "confirmed", false],
    ["cancelled", "confirmed", false],
  ];
  for (const [from, to, allowed] of table) {
    it(`${from} → ${to} is ${allowed ? "allowed" : "refused"}`, () => expect(canTransition(from, to)).toBe(allowed));
  }

  it("every status has a row and the final ones lead nowhere", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const s of ["delivered", "rejected", "cancelled"] as const) expect(TRANSITIONS[s]).toEqual([]);
    expect(canTransition("no-such-status", "confirmed")).toBe(false);
  });
});

describe("discountAbove", () => {
  it("compares the discount off list with the threshold in basis points, strictly", () => {
    expect(discountAbove(1_000_000n, 300_000n, 3000)).toBe(false);
    expect(discountAbove(1_000_000n, 300_001n, 3000)).toBe(true);
    expect(discountAbove(0n, 0n, 0)).toBe(false);
  });
});
