// Order lifecycle and quick-order parsing: pure rules, no database.
import { parseInteger, toAsciiDigits } from "./text";

export const ORDER_STATUSES = ["submitted", "awaiting_approval", "approved", "rejected", "confirmed", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The lifecycle. The cart is the draft (carts/cart_lines), so an order is born "submitted". With
 * nothing to approve it is confirmed in the same transaction; over the partner's credit limit or
 * the brand's discount threshold it waits for the channel team, whose approval is recorded and
 * confirms it at once. Only the brand's operations ship and deliver. Cancelling is possible until
 * the order ships; rejected and cancelled orders give their stock and capacity back.
 */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  submitted: ["awaiting_approval", "confirmed", "cancelled"],
  awaiting_approval: ["approved", "rejected", "cancelled"],
  approved: ["confirmed"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  rejected: [],
  cancelled: [],
};

export const canTransition = (from: string, to: OrderStatus): boolean => (TRANSITIONS as Record<string, readonly OrderStatus[] | undefined>)[from]?.includes(to) ?? false;

/** Statuses whose orders still hold stock or capacity and count against the partner's credit. */
export const OPEN_STATUSES: readonly OrderStatus[] = ["submitted", "awaiting_approval", "approved", "confirmed"];
/** Statuses in which the reservation is given back when the order leaves them for rejected/cancelled. */
export const RELEASES_ON: readonly OrderStatus[] = ["rejected", "cancelled"];

// ---------------------------------------------------------------------------------------------
// Quick order: "SKU quantity" per line, typed or pasted from a spreadsheet.

/** Above this a quantity is a typo, not an order (far below the catalogue's unit limit). */
export const MAX_ORDER_QUANTITY = 100_000;
export const MAX_QUICK_LINES = 200;

export type QuickLine = { line: number; sku: string; quantity: number };
export type QuickLineError = { line: number; text: string; key: string; values?: Record<string, string | number> };

/**
 * One line is a SKU, then a separator (spaces, tabs, a comma or semicolon), then the quantity in any
 * digit set, with thousands separators (٬ , or spaces) allowed inside it. Blank lines are skipped.
 * The same SKU on several lines is added up.
 */
export function parseQuickOrder(input: string): { lines: QuickLine[]; errors: QuickLineError[] } {
  const lines: QuickLine[] = [];
  const errors: QuickLineError[] = [];
  const rows = input.replace(/\r\n?/g, "\n").split("\n");
  rows.forEach((raw, i) => {
    const text = raw.replace(/[\u200E\u200F\u061C\uFEFF]/g, "").trim();
    if (!text) return;
    const line = i + 1;
    if (lines.length + errors.length >= MAX_QUICK_LINES) {
      if (errors.at(-1)?.key !== "orders:errors.too_many_lines") errors.push({ line, text, key: "orders:errors.too_many_lines", values: { max: MAX_QUICK_LINES } });
      return;
    }
    const m = /^([^\s,;\u060C\u061B]+)[\s,;\u060C\u061B]+(.+)$/.exec(text);
    if (!m) return void errors.push({ line, text, key: "orders:errors.quick_format" });
    const sku = toAsciiDigits(m[1]).toUpperCase();
    const quantity = parseInteger(m[2].replace(/[;\u061B]/g, ""));
    if (quantity === null) return void errors.push({ line, text, key: "orders:errors.quick_quantity" });
    if (quantity <= 0 || quantity > MAX_ORDER_QUANTITY) return void errors.push({ line, text, key: "orders:errors.quantity_range", values: { max: MAX_ORDER_QUANTITY } });
    const same = lines.find((l) => l.sku === sku);
    if (same) same.quantity += quantity;
    else lines.push({ line, sku, quantity });
  });
  for (const l of lines) if (l.quantity > MAX_ORDER_QUANTITY) errors.push({ line: l.line, text: l.sku, key: "orders:errors.quantity_range", values: { max: MAX_ORDER_QUANTITY } });
  return { lines: lines.filter((l) => l.quantity <= MAX_ORDER_QUANTITY), errors };
}

/** Whether an order's total discount (list less net, over list) is above the brand's threshold. */
export function discountAbove(listTotal: bigint, discount: bigint, thresholdBp: number): boolean {
  if (listTotal <= 0n) return false;
  return discount * 10_000n > listTotal * BigInt(thresholdBp);
}
