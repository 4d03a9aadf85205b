// Orders after submit: the list and the order page through the one data door (partnerScope), the
// lifecycle's transitions as conditional updates on the current status, and the money rules the
// channel team sets (credit limits, the discount threshold).
import { sql, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { canTransition, ORDER_STATUSES, type OrderStatus } from "~/domain/orders";
import { can, type Actor } from "~/domain/permissions";
import { tehranToday, toDay } from "~/domain/promise-date";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "../audit.server";
import { refreshCustomerValue } from "../customer-value.server";
import { notify } from "../notifications.server";
import { assertAllowed, assertCan, customerScope, pageOf, PAGE_SIZE, partnerScope } from "../scope.server";
import { enqueueErpHandoff } from "./erp.server";
import { choicesOf, productsWithOffers } from "./order-lines.server";

/** A DATE column as 'YYYY-MM-DD' (it is read back as midnight UTC of that day). */

const inScope = (actor: Actor) => partnerScope(actor, "orders.partner_id", "orders.brand_id");

/**
 * The orders list, optionally of one status and of one customer. A customer outside the actor's
 * customer scope gives an empty list; within it, still only the orders of the actor's partners.
 */
export async function listOrders(actor: Actor, f: { status: OrderStatus | null; customer?: string | null }, page: number) {
  assertCan(actor, "orders.view");
  let query = db()
    .selectFrom("orders")
    .innerJoin("partners", "partners.id", "orders.partner_id")
    .leftJoin("customers", "customers.id", "orders.customer_id")
    .where(inScope(actor));
  if (f.status) query = query.where("orders.status", "=", f.status);
  if (f.customer) query = query.where("orders.customer_id", "=", f.customer).where(customerScope(actor, "orders.customer_id", "orders.brand_id"));
  const [rows, total] = await Promise.all([
    query
      .select(["orders.id", "orders.number", "orders.status", "orders.placed_at", "orders.total_rial", "orders.promised_ship_on", "orders.shipped_on", "partners.name_fa as partner_fa", "partners.name_en as partner_en", "customers.display_name as customer"])
      .orderBy("orders.placed_at", "desc")
      .orderBy("orders.id", "desc")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(
    rows.map((r) => ({ ...r, promised_ship_on: toDay(r.promised_ship_on), shipped_on: toDay(r.shipped_on) })),
    total.n,
    page,
  );
}

/** One order in the actor's scope (another partner's → null, a 404), with its lines and history. */
export async function getOrder(actor: Actor, id: string) {
  assertCan(actor, "orders.view");
  const order = await db()
    .selectFrom("orders")
    .innerJoin("partners", "partners.id", "orders.partner_id")
    .leftJoin("customers", "customers.id", "orders.customer_id")
    .selectAll("orders")
    .select(["partners.name_fa as partner_fa", "partners.name_en as partner_en", "customers.display_name as customer"])
    .where("orders.id", "=", id)
    .where(inScope(actor))
    .executeTakeFirst();
  if (!order) return null;
  const [lines, history] = await Promise.all([
    db()
      .selectFrom("order_lines")
      .innerJoin("products", "products.id", "order_lines.product_id")
      .select(["order_lines.id", "order_lines.product_id", "order_lines.quantity", "order_lines.options", "order_lines.personalisation", "order_lines.unit_net_rial", "order_lines.line_total_rial", "order_lines.discount_rial", "order_lines.source", "order_lines.promised_ship_on", "order_lines.promised_delivery_on", "products.sku", "products.name_fa", "products.name_en"])
      .where("order_lines.order_id", "=", order.id)
      .where("order_lines.brand_id", "=", actor.brandId)
      .orderBy("order_lines.sort")
      .execute(),
    db()
      .selectFrom("order_status_history")
      .leftJoin("users", "users.id", "order_status_history.user_id")
      .select(["order_status_history.id", "order_status_history.status", "order_status_history.reason", "order_status_history.created_at", "users.display_name as who"])
      .where("order_status_history.order_id", "=", order.id)
      .where("order_status_history.brand_id", "=", actor.brandId)
      .orderBy("order_status_history.created_at")
      .orderBy("order_status_history.id")
      .execute(),
  ]);
  const offers = await productsWithOffers(actor, lines.map((l) => l.product_id), db());
  // Choices as the labels the product offers (ids alone mean nothing to a reader).
  const labelled = lines.map((l) => {
    const offer = offers.get(l.product_id)?.offer;
    const options = Object.entries(choicesOf(l.options)).map(([g, v]) => {
      const group = offer?.groups.find((x) => x.id === g);
      const value = offer?.values.find((x) => x.id === v);
      return { fa: `${group?.name_fa ?? "?"}: ${value?.label_fa ?? "?"}`, en: `${group?.name_en ?? "?"}: ${value?.label_en ?? "?"}` };
    });
    const personalisation = Object.entries(choicesOf(l.personalisation)).map(([p, text]) => {
      const field = offer?.personalisations.find((x) => x.id === p);
      return { fa: `${field?.label_fa ?? "?"}: ${text}`, en: `${field?.label_en ?? "?"}: ${text}` };
    });
    return { ...l, options, personalisation, promised_ship_on: toDay(l.promised_ship_on), promised_delivery_on: toDay(l.promised_delivery_on) };
  });
  const { idempotency_key: _key, ...header } = order;
  return {
    order: { ...header, promised_ship_on: toDay(order.promised_ship_on), promised_delivery_on: toDay(order.promised_delivery_on), shipped_on: toDay(order.shipped_on), delivered_on: toDay(order.delivered_on) },
    lines: labelled,
    history,
    actions: actionsFor(actor, order),
  };
}

export const ORDER_ACTIONS = ["approve", "reject", "cancel", "ship", "deliver"] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Where each action leads and from where (the first step is the conditional update's guard). */
const STEPS: Record<OrderAction, { from: readonly OrderStatus[]; to: OrderStatus; via?: OrderStatus }> = {
  // The approval is recorded, and an approved order is confirmed at once.
  approve: { from: ["awaiting_approval"], to: "confirmed", via: "approved" },
  reject: { from: ["awaiting_approval"], to: "rejected" },
  cancel: { from: ["submitted", "awaiting_approval", "confirmed"], to: "cancelled" },
  ship: { from: ["confirmed"], to: "shipped" },
  deliver: { from: ["shipped"], to: "delivered" },
};

/** Who may take an action on this order: the channel team decides, operations fulfil, the placing partner cancels its own. */
function mayAct(actor: Actor, order: { partner_id: string }, action: OrderAction): boolean {
  if (action === "approve" || action === "reject") return can(actor, "orders.approve");
  if (action === "ship" || action === "deliver") return can(actor, "orders.fulfil");
  return can(actor, "orders.approve") || (can(actor, "orders.place") && actor.partnerId === order.partner_id);
}

function actionsFor(actor: Actor, order: { partner_id: string; status: string }): OrderAction[] {
  return ORDER_ACTIONS.filter((a) => mayAct(actor, order, a) && STEPS[a].from.includes(order.status as OrderStatus));
}

/** Gives back what an order holds: reserved stock and the production days it took (never below zero). */
async function release(trx: Transaction<DB>, brandId: string, orderId: string) {
  const lines = await trx.selectFrom("order_lines").select(["product_id", "quantity", "source", "production"]).where("order_id", "=", orderId).where("brand_id", "=", brandId).orderBy("product_id").execute();
  for (const l of lines) {
    if (l.source === "stock") {
      await sql`update products set stock_reserved = stock_reserved - ${l.quantity} where id = ${l.product_id} and brand_id = ${brandId} and stock_reserved >= ${l.quantity}`.execute(trx);
      continue;
    }
    for (const p of JSON.parse(l.production ?? "[]") as { day: string; units: number }[]) {
      await sql`update capacity_ledger set units_taken = units_taken - ${p.units} where brand_id = ${brandId} and product_id = ${l.product_id} and day = ${p.day} and units_taken >= ${p.units}`.execute(trx);
    }
  }
}

/** Shipped stock leaves the shelf: on hand and reserved go down together. */
async function ship(trx: Transaction<DB>, brandId: string, orderId: string) {
  const lines = await trx.selectFrom("order_lines").select(["product_id", "quantity"]).where("order_id", "=", orderId).where("brand_id", "=", brandId).where("source", "=", "stock").orderBy("product_id").execute();
  for (const l of lines) {
    await sql`update products set stock_on_hand = stock_on_hand - ${l.quantity}, stock_reserved = stock_reserved - ${l.quantity}
      where id = ${l.product_id} and brand_id = ${brandId} and stock_reserved >= ${l.quantity} and stock_on_hand >= ${l.quantity}`.execute(trx);
  }
}

const NOTIFY_PARTNER: Partial<Record<OrderAction, string>> = { approve: "order_approved", reject: "order_rejected", ship: "order_shipped" };

export type TransitionResult = { ok: true } | { ok: false; key: string };

/**
 * One step of the lifecycle. The update names the status the order must still be in, so two people
 * acting at once cannot both succeed (the second is told the order changed meanwhile).
 */
export async function transitionOrder(actor: Actor, orderId: string, action: OrderAction, reason: string | null, now = new Date()): Promise<TransitionResult | null> {
  assertCan(actor, "orders.view");
  const order = await db().selectFrom("orders").select(["id", "partner_id", "customer_id", "status", "number"]).where("orders.id", "=", orderId).where(inScope(actor)).executeTakeFirst();
  if (!order) return null;
  assertAllowed(mayAct(actor, order, action));
  const step = STEPS[action];
  if (!step.from.includes(order.status as OrderStatus)) return { ok: false, key: "orders:errors.status_changed" };
  if (action === "reject" && !reason) return { ok: false, key: "orders:errors.reason_required" };
  const today = tehranToday(now);
  return transaction(async (trx) => {
    const from = order.status as OrderStatus;
    const path = step.via ? [step.via, step.to] : [step.to];
    if (!path.every((s, i) => canTransition(i === 0 ? from : path[i - 1], s))) return { ok: false, key: "orders:errors.status_changed" };
    const decided = action === "approve" || action === "reject" ? { decided_by_user_id: actor.userId, decided_at: now, decision_reason: reason } : {};
    const dates = action === "ship" ? { shipped_on: today } : action === "deliver" ? { delivered_on: today } : {};
    const r = await trx
      .updateTable("orders")
      .set({ status: step.to, updated_at: now, ...decided, ...dates })
      .where("id", "=", order.id)
      .where("brand_id", "=", actor.brandId)
      .where("status", "=", from)
      .executeTakeFirst();
    if (r.numUpdatedRows !== 1n) return { ok: false as const, key: "orders:errors.status_changed" };
    if (step.to === "cancelled" || step.to === "rejected") await release(trx, actor.brandId, order.id);
    if (step.to === "shipped") await ship(trx, actor.brandId, order.id);
    if (step.to === "confirmed") await enqueueErpHandoff(trx, actor.brandId, order.id, now);
    await trx
      .insertInto("order_status_history")
      .values(path.map((s, i) => ({ id: newId(), brand_id: actor.brandId, order_id: order.id, status: s, user_id: actor.userId, reason: i === 0 ? reason : null, created_at: new Date(now.getTime() + i) })))
      .execute();
    const kind = NOTIFY_PARTNER[action];
    if (kind) await notify(trx, { brandId: actor.brandId, partnerId: order.partner_id, kind, params: { number: order.number, ...(reason ? { reason } : {}) }, link: `/orders/${order.id}` });
    if (order.customer_id && (step.to === "cancelled" || step.to === "rejected")) await refreshCustomerValue(trx, actor.brandId, order.customer_id, now);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: order.partner_id, action: `order.${action}`, targetType: "order", targetId: order.id, details: { number: order.number, from, to: step.to, ...(reason ? { reason } : {}) } }, trx);
    return { ok: true as const };
  });
}

/** A partner's credit limit (null: none); the channel team sets it. */
export async function setCreditLimit(actor: Actor, partnerId: string, limit: bigint | null): Promise<boolean> {
  assertCan(actor, "orders.approve");
  return transaction(async (trx) => {
    const r = await trx.updateTable("partners").set({ credit_limit_rial: limit }).where("id", "=", partnerId).where("brand_id", "=", actor.brandId).executeTakeFirst();
    if (r.numUpdatedRows === 0n) {
      const exists = await trx.selectFrom("partners").select("id").where("id", "=", partnerId).where("brand_id", "=", actor.brandId).executeTakeFirst();
      if (!exists) return false;
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "partner.credit_limit_set", targetType: "partner", targetId: partnerId, details: { limit: limit === null ? null : String(limit) } }, trx);
    return true;
  });
}

export const isOrderStatus = (s: string | null): s is OrderStatus => s !== null && (ORDER_STATUSES as readonly string[]).includes(s);

/** Above this discount off list (basis points) an order waits for the channel team. */
export async function setDiscountThreshold(actor: Actor, bp: number): Promise<void> {
  assertCan(actor, "settings.manage");
  await transaction(async (trx) => {
    await trx.updateTable("brands").set({ discount_approval_bp: bp }).where("id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.discount_threshold_set", details: { bp } }, trx);
  });
}
