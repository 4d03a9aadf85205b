// Submitting the cart: one transaction that prices every line again on the server, reserves stock
// or takes production capacity with conditional updates (never more than there is), dates the
// order from what was actually reserved, and decides whether the channel team must approve it.
// Idempotent per checkout: the cart page's key finds the order an earlier attempt made.
import { sql, type Transaction } from "kysely";
import { toJalaali } from "jalaali-js";
import type { DB } from "#db/schema";
import { discountAbove, OPEN_STATUSES, type OrderStatus } from "~/domain/orders";
import type { Actor } from "~/domain/permissions";
import { addDays, CAPACITY_HORIZON_DAYS, promiseDate, tehranToday } from "~/domain/promise-date";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { refreshCustomerValue } from "../customer-value.server";
import { isDuplicateKey } from "../customers.server";
import { notify } from "../notifications.server";
import { assertAllowed, assertCan, cartOf, customerScope } from "../scope.server";
import { cartLines } from "./cart.server";
import { enqueueErpHandoff } from "./erp.server";
import { evaluateLines, type EvaluatedLine } from "./order-lines.server";

export interface LineProblem {
  lineId: string;
  sku: string;
  key: string;
  values?: Record<string, string | number>;
}

export type SubmitResult = { ok: true; orderId: string; status: OrderStatus; duplicate: boolean } | { ok: false; errors: FieldErrors; lines: LineProblem[] };

/** Thrown inside the transaction so that nothing of the attempt is written. */
class Refused extends Error {
  constructor(readonly result: Extract<SubmitResult, { ok: false }>) {
    super("order refused");
  }
}

const refuse = (errors: FieldErrors, lines: LineProblem[] = []): never => {
  throw new Refused({ ok: false, errors, lines });
};

type Trx = Transaction<DB>;

interface Reserved {
  source: "stock" | "capacity";
  shipOn: string;
  deliverOn: string;
  production: { day: string; units: number }[] | null;
}

/** Free stock taken with one conditional update: it succeeds only while on hand − reserved covers the quantity. */
async function reserveStock(trx: Trx, brandId: string, productId: string, quantity: number): Promise<boolean> {
  const r = await sql`update products set stock_reserved = stock_reserved + ${quantity}
    where id = ${productId} and brand_id = ${brandId} and active = 1 and stock_on_hand - stock_reserved >= ${quantity}`.execute(trx);
  return r.numAffectedRows === 1n;
}

/**
 * Production days taken for a made-to-order line. The ledger rows from today on are read with a
 * locking read (latest committed, and no one else's insert into the range until we commit), the plan
 * is made from them, and each day is taken with a conditional upsert that never goes over the day's
 * capacity. A day that still refuses means the plan is stale: the line is reported and the whole
 * transaction is rolled back, so nothing is written.
 */
async function takeCapacity(trx: Trx, brandId: string, product: { id: string; daily_capacity: number; lead_time_days: number; handling_days: number }, quantity: number, today: string, transitDays: number): Promise<Reserved | null> {
  const rows = await trx
    .selectFrom("capacity_ledger")
    .select([sql<string>`date_format(day, '%Y-%m-%d')`.as("day"), "units_taken"])
    .where("brand_id", "=", brandId)
    .where("product_id", "=", product.id)
    .where("day", ">=", today)
    .where("day", "<=", addDays(today, product.lead_time_days + CAPACITY_HORIZON_DAYS))
    .forUpdate()
    .execute();
  const plan = promiseDate({
    today,
    quantity,
    // Capacity only: free stock was already refused to this line.
    availability: { fulfilment: "made_to_order", onHand: 0, reserved: 0, handlingDays: product.handling_days, dailyCapacity: product.daily_capacity, leadTimeDays: product.lead_time_days },
    taken: new Map(rows.map((r) => [r.day, r.units_taken])),
    transitDays,
  });
  if (!plan.ok || plan.source !== "capacity") return null;
  for (const p of plan.production) {
    // The day's row exists first; then the units are added only while they fit (an update's WHERE,
    // so the affected-row count answers "did it fit" whatever the client's found-rows setting).
    await sql`insert into capacity_ledger (brand_id, product_id, day, units_taken) values (${brandId}, ${product.id}, ${p.day}, 0) on duplicate key update units_taken = units_taken`.execute(trx);
    const r = await sql`update capacity_ledger set units_taken = units_taken + ${p.units}
      where brand_id = ${brandId} and product_id = ${product.id} and day = ${p.day} and units_taken + ${p.units} <= ${product.daily_capacity}`.execute(trx);
    if (r.numAffectedRows !== 1n) return null;
  }
  return { source: "capacity", shipOn: plan.shipOn, deliverOn: plan.deliverOn, production: plan.production };
}

function orderNumber(now: Date): string {
  const { jy } = toJalaali(now);
  // Random, not a sequence: a brand-wide counter would make every submit of the brand wait on one row.
  return `SO-${jy}-${newId().slice(-7)}`;
}

async function existingOrder(trx: Trx | ReturnType<typeof db>, actor: Actor, key: string) {
  return trx.selectFrom("orders").select(["id", "status"]).where("brand_id", "=", actor.brandId).where("created_by_user_id", "=", actor.userId).where("idempotency_key", "=", key).executeTakeFirst();
}

/**
 * `seen` is the promise (ship day) the cart page showed for each line: a line that can now only be
 * promised later (someone took the last units) is refused with its new date rather than silently
 * moved. Without it (an API client), what was actually reserved is accepted.
 */
export async function submitOrder(actor: Actor, input: { key: string; seen?: Record<string, string> }, now = new Date()): Promise<SubmitResult> {
  assertCan(actor, "orders.place");
  assertAllowed(actor.partnerId !== null);
  const partnerId = actor.partnerId!;
  const today = tehranToday(now);
  try {
    return await transaction(async (trx) => {
      // Submits of one partner take turns: the credit check below must see the orders before it.
      const partner = await trx.selectFrom("partners").select(["id", "credit_limit_rial"]).where("id", "=", partnerId).where("brand_id", "=", actor.brandId).forUpdate().executeTakeFirstOrThrow();
      const existing = await existingOrder(trx, actor, input.key);
      if (existing) return { ok: true as const, orderId: existing.id, status: existing.status as OrderStatus, duplicate: true };

      const cart = await trx.selectFrom("carts").select(["customer_id", "ship_to", "hide_prices_on_slip"]).where(cartOf(actor, "carts")).executeTakeFirst();
      const lines = await cartLines(actor, trx);
      if (!cart || lines.length === 0) refuse({ form: { key: "orders:errors.cart_empty" } });
      if (cart!.customer_id) {
        const visible = await trx.selectFrom("customers").select("id").where("customers.id", "=", cart!.customer_id).where(customerScope(actor)).executeTakeFirst();
        if (!visible) refuse({ customerId: { key: "errors.choice" } });
      }
      const { lines: evaluated, transitDays } = await evaluateLines(actor, lines, today, trx);
      const invalid = evaluated.filter((l) => !l.price);
      if (invalid.length) refuse({ form: { key: "orders:errors.fix_lines" } }, invalid.map((l) => ({ lineId: l.line.id, sku: l.product?.sku ?? "", key: Object.values(l.errors)[0]?.key ?? "errors.invalid" })));

      // Reserve in product order, so two carts with the same products wait rather than deadlock.
      const reserved = new Map<string, Reserved>();
      const problems: LineProblem[] = [];
      for (const l of [...evaluated].sort((a, b) => a.line.productId.localeCompare(b.line.productId))) {
        const p = l.product!;
        let r: Reserved | null = null;
        if (await reserveStock(trx, actor.brandId, p.id, l.line.quantity)) {
          const shipOn = addDays(today, p.handling_days);
          r = { source: "stock", shipOn, deliverOn: addDays(shipOn, transitDays), production: null };
        } else if (p.fulfilment === "made_to_order" && p.daily_capacity > 0) {
          r = await takeCapacity(trx, actor.brandId, p, l.line.quantity, today, transitDays);
        }
        const seen = input.seen?.[l.line.id];
        if (!r) problems.push({ lineId: l.line.id, sku: p.sku, key: "orders:errors.no_longer_available" });
        else if (seen && r.shipOn > seen) problems.push({ lineId: l.line.id, sku: p.sku, key: "orders:errors.promise_moved", values: { date: r.shipOn } });
        else reserved.set(l.line.id, r);
      }
      if (problems.length) refuse({ form: { key: "orders:errors.availability_changed" } }, problems);
      return await writeOrder(trx, actor, partner, cart!, evaluated, reserved, input.key, now);
    });
  } catch (e) {
    if (e instanceof Refused) return e.result;
    // A retry that raced the first attempt past the lookup: the unique key says the order exists.
    if (isDuplicateKey(e)) {
      const existing = await existingOrder(db(), actor, input.key);
      if (existing) return { ok: true, orderId: existing.id, status: existing.status as OrderStatus, duplicate: true };
    }
    throw e;
  }
}

async function writeOrder(
  trx: Trx,
  actor: Actor,
  partner: { id: string; credit_limit_rial: string | null },
  cart: { customer_id: string | null; ship_to: "customer" | "partner"; hide_prices_on_slip: boolean | number },
  lines: EvaluatedLine[],
  reserved: Map<string, Reserved>,
  key: string,
  now: Date,
): Promise<SubmitResult> {
  const sum = (f: (l: EvaluatedLine) => bigint) => lines.reduce((s, l) => s + f(l), 0n);
  const total = sum((l) => l.price!.lineTotal);
  const margin = sum((l) => l.price!.lineMargin);
  const discount = sum((l) => l.price!.unitDiscount * BigInt(l.line.quantity));
  const listTotal = sum((l) => l.price!.unitList * BigInt(l.line.quantity));

  const [open, brand] = await Promise.all([
    trx.selectFrom("orders").select((eb) => eb.fn.coalesce(eb.fn.sum<string>("total_rial"), sql<string>`0`).as("n")).where("brand_id", "=", actor.brandId).where("partner_id", "=", partner.id).where("status", "in", OPEN_STATUSES).executeTakeFirstOrThrow(),
    trx.selectFrom("brands").select("discount_approval_bp").where("id", "=", actor.brandId).executeTakeFirstOrThrow(),
  ]);
  const overCredit = partner.credit_limit_rial !== null && BigInt(open.n) + total > BigInt(partner.credit_limit_rial);
  const approvalReason = overCredit ? "credit_limit" : discountAbove(listTotal, discount, brand.discount_approval_bp) ? "discount" : null;
  const status: OrderStatus = approvalReason ? "awaiting_approval" : "confirmed";

  const id = newId();
  const number = orderNumber(now);
  const dates = [...reserved.values()];
  const latest = (f: (r: Reserved) => string) => dates.map(f).sort().at(-1)!;
  await trx
    .insertInto("orders")
    .values({
      id,
      brand_id: actor.brandId,
      partner_id: partner.id,
      customer_id: cart.customer_id,
      number,
      status,
      total_rial: total,
      margin_rial: margin,
      discount_rial: discount,
      placed_at: now,
      created_at: now,
      updated_at: now,
      created_by_user_id: actor.userId,
      ship_to: cart.ship_to,
      hide_prices_on_slip: Boolean(cart.hide_prices_on_slip),
      idempotency_key: key,
      approval_reason: approvalReason,
      promised_ship_on: latest((r) => r.shipOn),
      promised_delivery_on: latest((r) => r.deliverOn),
    })
    .execute();
  await trx
    .insertInto("order_lines")
    .values(
      lines.map((l, i) => {
        const r = reserved.get(l.line.id)!;
        return {
          id: newId(),
          brand_id: actor.brandId,
          order_id: id,
          product_id: l.line.productId,
          sort: i,
          options: JSON.stringify(l.line.options),
          personalisation: JSON.stringify(l.line.personalisation),
          quantity: l.line.quantity,
          unit_list_rial: l.price!.unitList,
          unit_net_rial: l.price!.unitNet,
          discount_rial: l.price!.unitDiscount * BigInt(l.line.quantity),
          line_total_rial: l.price!.lineTotal,
          line_margin_rial: l.price!.lineMargin,
          source: r.source,
          production: r.production ? JSON.stringify(r.production) : null,
          promised_ship_on: r.shipOn,
          promised_delivery_on: r.deliverOn,
        };
      }),
    )
    .execute();
  const history = (s: OrderStatus, at: Date) => ({ id: newId(), brand_id: actor.brandId, order_id: id, status: s, user_id: actor.userId, reason: s === "awaiting_approval" ? approvalReason : null, created_at: at });
  // The confirmation is a millisecond later so the history reads in order.
  await trx.insertInto("order_status_history").values([history("submitted", now), history(status, new Date(now.getTime() + 1))]).execute();
  await trx.deleteFrom("cart_lines").where(cartOf(actor, "cart_lines")).execute();
  if (cart.customer_id) {
    await trx
      .insertInto("interactions")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: cart.customer_id, partner_id: partner.id, user_id: actor.userId, kind: "order", channel: "web", note: number, need_id: null, occurred_at: now, created_at: now })
      .execute();
    await trx.updateTable("customers").set({ last_contact_at: now }).where("id", "=", cart.customer_id).where("brand_id", "=", actor.brandId).where((eb) => eb.or([eb("last_contact_at", "is", null), eb("last_contact_at", "<", now)])).execute();
    await refreshCustomerValue(trx, actor.brandId, cart.customer_id, now);
  }
  if (status === "confirmed") await enqueueErpHandoff(trx, actor.brandId, id, now);
  if (approvalReason) await notify(trx, { brandId: actor.brandId, partnerId: null, kind: "order_awaiting_approval", params: { number, reason: approvalReason }, link: `/orders/${id}` });
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: partner.id, action: "order.submitted", targetType: "order", targetId: id, details: { number, status, total: String(total), lines: lines.length } }, trx);
  return { ok: true, orderId: id, status, duplicate: false };
}
