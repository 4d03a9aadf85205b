import { confirmQuickOrder, setRecipient } from "~/models/orders/cart.server";
import { submitOrder } from "~/models/orders/submit.server";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";

/** An in-stock product of the brand, priced at `list` Rial. */
export async function createStockProduct(brandId: string, list = 1_000_000n) {
  const id = newId();
  const sku = `E-${id.slice(-8)}`;
  await db()
    .insertInto("products")
    .values({ id, brand_id: brandId, sku, name_fa: `دفتر یادداشت ${sku}`, name_en: `Notebook ${sku}`, category_id: null, active: true, list_price_rial: list, retail_price_rial: (list * 12n) / 10n, fulfilment: "stock", stock_on_hand: 1000, daily_capacity: 0, lead_time_days: 0, handling_days: 1 })
    .execute();
  return { id, sku };
}

/** Puts `lines` (quick-order text) in the actor's cart and submits it. */
export async function placeOrder(actor: Actor, lines: string, customerId: string | null = null) {
  await db().deleteFrom("cart_lines").where("user_id", "=", actor.userId).execute();
  const preview = await confirmQuickOrder(actor, lines);
  if (preview.errors.length) throw new Error(JSON.stringify(preview.errors));
  await setRecipient(actor, { customerId, shipTo: customerId ? "customer" : "partner", hidePrices: false });
  const r = await submitOrder(actor, { key: newId() });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
}
