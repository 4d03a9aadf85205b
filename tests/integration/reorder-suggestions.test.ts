import { beforeAll, describe, expect, it } from "vitest";
import type { NextAction } from "~/domain/next-action";
import type { Actor } from "~/domain/permissions";
import { refreshCustomerValue } from "~/models/customer-value.server";
import * as profile from "~/routes/_app.customers.$id";
import * as today from "~/routes/_app.customers.today";
import * as orderPage from "~/routes/_app.orders.$id";
import { db } from "~/utils/db.server";
import { registerAs } from "../customer-factories";
import { createStockProduct, placeOrder } from "../erp-helpers";
import { actorFor, createNetwork } from "../factories";
import { hit } from "../routes";

const DAY = 86_400_000;
let net: Awaited<ReturnType<typeof createNetwork>>;
let product = { id: "", sku: "" };

/** Two orders for the customer, 100 and 65 days ago: a 35-day cycle, now well past it (65 > 1.5 × 35). */
async function lapsedBuyer(actor: Actor, registeredBy: string) {
  const customerId = await registerAs(registeredBy);
  const first = await placeOrder(actor, `${product.sku} 1`, customerId);
  const last = await placeOrder(actor, `${product.sku} 4`, customerId);
  const now = Date.now();
  await db().updateTable("orders").set({ placed_at: new Date(now - 100 * DAY) }).where("id", "=", first.orderId).execute();
  await db().updateTable("orders").set({ placed_at: new Date(now - 65 * DAY) }).where("id", "=", last.orderId).execute();
  await refreshCustomerValue(db(), net.brandId, customerId);
  return { customerId, lastOrderId: last.orderId };
}

type TodayItem = { customer: { id: string }; actions: NextAction[] };
const todayFor = async (userId: string) => ((await hit(today.loader, "/customers/today", {}, { as: userId })).data as { items: TodayItem[] }).items;

let ours: Awaited<ReturnType<typeof lapsedBuyer>>;
let theirs: Awaited<ReturnType<typeof lapsedBuyer>>;

beforeAll(async () => {
  net = await createNetwork();
  product = await createStockProduct(net.brandId, 800_000n);
  ours = await lapsedBuyer(await actorFor(net.users.independentRep.id), net.users.independentRep.id);
  theirs = await lapsedBuyer(await actorFor(net.users.reseller1Rep.id), net.users.reseller1Rep.id);
});

describe("reorder suggestions for customers past their buying cycle", () => {
  it("today's actions offer the customer's last order again, and the offer fills the rep's cart", async () => {
    const items = await todayFor(net.users.independentRep.id);
    const mine = items.find((i) => i.customer.id === ours.customerId);
    expect(mine?.actions.find((a) => a.code === "overdue_reorder")).toMatchObject({ reorderOrderId: ours.lastOrderId });
    // Another partner's lapsed customer never shows up for this rep.
    expect(items.map((i) => i.customer.id)).not.toContain(theirs.customerId);

    await db().deleteFrom("cart_lines").where("user_id", "=", net.users.independentRep.id).execute();
    const r = await hit(orderPage.action, `/orders/${ours.lastOrderId}`, { id: ours.lastOrderId }, { as: net.users.independentRep.id, form: { intent: "reorder" } });
    expect([r.status, r.location]).toEqual([303, "/cart"]);
    expect(await db().selectFrom("cart_lines").select(["product_id", "quantity"]).where("user_id", "=", net.users.independentRep.id).execute()).toEqual([{ product_id: product.id, quantity: 4 }]);
    expect((await db().selectFrom("carts").select("customer_id").where("user_id", "=", net.users.independentRep.id).executeTakeFirstOrThrow()).customer_id).toBe(ours.customerId);
  });

  it("the customer profile offers the same reorder", async () => {
    const r = await hit(profile.loader, `/customers/${ours.customerId}`, { id: ours.customerId }, { as: net.users.independentRep.id });
    expect((r.data as { actions: NextAction[] }).actions.find((a) => a.code === "overdue_reorder")).toMatchObject({ reorderOrderId: ours.lastOrderId });
  });

  it("offers only orders of the rep's own partner: the distributor sees its reseller's lapsed customer but no reorder of the reseller's order, brand staff none", async () => {
    const item = (await todayFor(net.users.distributorRep.id)).find((i) => i.customer.id === theirs.customerId);
    const overdue = item?.actions.find((a) => a.code === "overdue_reorder");
    expect(overdue).toBeDefined();
    expect(overdue?.reorderOrderId).toBeUndefined();
    // The reseller's own rep is offered it.
    expect((await todayFor(net.users.reseller1Rep.id)).find((i) => i.customer.id === theirs.customerId)?.actions.find((a) => a.code === "overdue_reorder")).toMatchObject({ reorderOrderId: theirs.lastOrderId });
    const brand = await hit(profile.loader, `/customers/${theirs.customerId}`, { id: theirs.customerId }, { as: net.users.channelManager.id });
    expect(brand.status).toBe(200);
    const brandOverdue = (brand.data as { actions: NextAction[] }).actions.find((a) => a.code === "overdue_reorder");
    expect(brandOverdue).toBeDefined();
    expect(brandOverdue?.reorderOrderId).toBeUndefined();
  });
});
