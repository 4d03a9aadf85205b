// ERP hand-off: a confirmed order becomes an 'erp' outbox message in the transaction that confirms
// it, so the ERP hears of exactly the orders that were confirmed; the outbox delivers them (signed,
// app/utils/erp.server.ts) in order per partner and retries until the ERP acknowledges.
import { sql, type Transaction } from "kysely";
import type { DB, OutboxStatus } from "#db/schema";
import { can, type Actor } from "~/domain/permissions";
import { toDay } from "~/domain/promise-date";
import { env } from "~/utils/env.server";
import { db } from "~/utils/db.server";
import { enqueue } from "../outbox.server";

/** Queues the order for the ERP; nothing when no ERP is configured (nothing is to be sent). */
export async function enqueueErpHandoff(trx: Transaction<DB>, brandId: string, orderId: string, now: Date): Promise<void> {
  if (!env().ERP_URL) return;
  const order = await trx
    .selectFrom("orders")
    .innerJoin("partners", "partners.id", "orders.partner_id")
    .select(["orders.id", "orders.number", "orders.partner_id", "partners.name_fa", "partners.name_en", "orders.customer_id", "orders.ship_to", "orders.total_rial", "orders.discount_rial", "orders.placed_at", "orders.promised_ship_on", "orders.promised_delivery_on"])
    .where("orders.id", "=", orderId)
    .where("orders.brand_id", "=", brandId)
    .executeTakeFirstOrThrow();
  const lines = await trx
    .selectFrom("order_lines")
    .innerJoin("products", "products.id", "order_lines.product_id")
    .select(["products.sku", "order_lines.quantity", "order_lines.unit_net_rial", "order_lines.line_total_rial", "order_lines.options", "order_lines.personalisation", "order_lines.promised_ship_on", "order_lines.promised_delivery_on"])
    .where("order_lines.order_id", "=", orderId)
    .where("order_lines.brand_id", "=", brandId)
    .orderBy("order_lines.sort")
    .execute();
  // Money as strings of integer Rial: exact in any JSON reader, whatever its number type.
  const payload = {
    orderId: order.id,
    number: order.number,
    partner: { id: order.partner_id, name_fa: order.name_fa, name_en: order.name_en },
    customerId: order.customer_id,
    shipTo: order.ship_to,
    placedAt: new Date(order.placed_at).toISOString(),
    promisedShipOn: toDay(order.promised_ship_on),
    promisedDeliveryOn: toDay(order.promised_delivery_on),
    lines: lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitNetRial: String(l.unit_net_rial),
      lineTotalRial: String(l.line_total_rial),
      options: JSON.parse(l.options ?? "{}") as unknown,
      personalisation: JSON.parse(l.personalisation ?? "{}") as unknown,
      promisedShipOn: toDay(l.promised_ship_on),
      promisedDeliveryOn: toDay(l.promised_delivery_on),
    })),
    totals: { discountRial: String(order.discount_rial), totalRial: String(order.total_rial) },
  };
  await enqueue(trx, { brandId, channel: "erp", orderingKey: order.partner_id, payload }, now);
}

export interface ErpHandoff {
  status: OutboxStatus;
  attempts: number;
  sentAt: Date | null;
  error: string | null;
}

/** Where the order's hand-off stands, for the brand's operations staff (null for others, or when none was queued). */
export async function erpHandoffOf(actor: Actor, orderId: string): Promise<ErpHandoff | null> {
  if (!can(actor, "orders.fulfil")) return null;
  const row = await db()
    .selectFrom("outbox")
    .select(["status", "attempts", "sent_at", "last_error"])
    .where("brand_id", "=", actor.brandId)
    .where("channel", "=", "erp")
    .where(sql<string>`json_value(payload, '$.orderId')`, "=", orderId)
    .executeTakeFirst();
  return row ? { status: row.status, attempts: row.attempts, sentAt: row.sent_at, error: row.last_error } : null;
}
