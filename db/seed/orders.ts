// Demo orders as the order pages show them: each order of the demo brand without lines gets one
// line of a real demo product at the order's own total (spread over the active products by the
// order's id, so the same order always gets the same product) and a history entry for its status.
// The line and history ids reuse the order's id, as the orders migration does for existing orders.
import type { Kysely } from "kysely";
import type { DB } from "../schema";
import { deliveryDays } from "./customers";
import { DEMO_BRAND_ID } from "./foundation";

export async function seedOrderLines(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const products = await trx.selectFrom("products").select("id").where("brand_id", "=", DEMO_BRAND_ID).where("active", "=", true).orderBy("sku").execute();
    if (products.length === 0) return 0;
    const orders = await trx
      .selectFrom("orders")
      .select(["id", "status", "total_rial", "margin_rial", "placed_at"])
      .where("brand_id", "=", DEMO_BRAND_ID)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("order_lines").select("order_lines.id").whereRef("order_lines.order_id", "=", "orders.id"))))
      .execute();
    for (const o of orders) {
      const pick = [...o.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7) % products.length;
      await trx
        .insertInto("order_lines")
        .values({ id: o.id, brand_id: DEMO_BRAND_ID, order_id: o.id, product_id: products[pick].id, sort: 0, options: "{}", personalisation: "{}", quantity: 1, unit_list_rial: o.total_rial, unit_net_rial: o.total_rial, discount_rial: 0n, line_total_rial: o.total_rial, line_margin_rial: o.margin_rial, source: "stock" })
        .execute();
      await trx.insertInto("order_status_history").values({ id: o.id, brand_id: DEMO_BRAND_ID, order_id: o.id, status: o.status, user_id: null, reason: null, created_at: o.placed_at }).onDuplicateKeyUpdate({ status: o.status }).execute();
    }
    return orders.length;
  });
}

/** Delivered demo orders of a database seeded before the orders had their days get them now; the rest are left alone. */
export async function seedDeliveryDays(db: Kysely<DB>, now = new Date()): Promise<number> {
  const orders = await db.selectFrom("orders").select(["id", "placed_at"]).where("brand_id", "=", DEMO_BRAND_ID).where("status", "=", "delivered").where("shipped_on", "is", null).execute();
  for (const o of orders) await db.updateTable("orders").set(deliveryDays(o.placed_at, now)).where("id", "=", o.id).where("shipped_on", "is", null).execute();
  return orders.length;
}
