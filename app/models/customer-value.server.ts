import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { assignValueTier, computeRfm, estimateLifetimeValue, valueTierThresholds, type OrderFact, type Rfm } from "~/domain/customer-value";
import { nextActions, type NextAction } from "~/domain/next-action";
import { can, type Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { rebuildCustomerCounts, trackCustomerCounts } from "./customer-counts.server";
import { customerScope, needVisible, placedByOwnPartner } from "./scope.server";

// Orders that count towards value: everything not cancelled or rejected (never bought).
const COUNTED = sql<boolean>`orders.status not in ('cancelled', 'rejected')`;

async function orderFacts(executor: Kysely<DB>, customerIds: string[]): Promise<Map<string, OrderFact[]>> {
  const byCustomer = new Map<string, OrderFact[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return byCustomer;
  const rows = await executor
    .selectFrom("orders")
    .select(["customer_id", "placed_at", "total_rial", "margin_rial"])
    .where("customer_id", "in", customerIds)
    .where(COUNTED)
    .execute();
  for (const r of rows) byCustomer.get(r.customer_id!)!.push({ placedAt: r.placed_at, totalRial: BigInt(r.total_rial), marginRial: BigInt(r.margin_rial) });
  return byCustomer;
}

function valueColumns(orders: OrderFact[], now: Date, thresholds: { a: bigint; b: bigint } | null) {
  const rfm = computeRfm(orders, now);
  const ltv = estimateLifetimeValue(orders, now);
  return {
    order_count: rfm.frequency,
    monetary_rial: rfm.monetaryRial,
    ltv_rial: ltv,
    first_order_at: rfm.firstOrderAt,
    last_order_at: rfm.lastOrderAt,
    avg_interval_days: rfm.averageIntervalDays === null ? null : Math.round(rfm.averageIntervalDays),
    ...(thresholds ? { value_tier: orders.length ? assignValueTier(ltv, thresholds) : null } : {}),
  };
}

/** After an order changes: one customer's value, tiered against the brand's last computed thresholds. */
export async function refreshCustomerValue(executor: Kysely<DB> | Transaction<DB>, brandId: string, customerId: string, now = new Date()): Promise<void> {
  const brand = await executor.selectFrom("brands").select(["value_tier_a_rial", "value_tier_b_rial"]).where("id", "=", brandId).executeTakeFirstOrThrow();
  const facts = await orderFacts(executor, [customerId]);
  const thresholds = { a: BigInt(brand.value_tier_a_rial), b: BigInt(brand.value_tier_b_rial) };
  await trackCustomerCounts(executor, brandId, [customerId], () => executor.updateTable("customers").set(valueColumns(facts.get(customerId)!, now, thresholds)).where("id", "=", customerId).where("brand_id", "=", brandId).execute());
}

/**
 * The scheduled pass: every customer's RFM and lifetime value, then brand-wide quantile
 * thresholds and tiers. Walks customers in id order, a batch at a time, so memory stays flat.
 */
export async function recomputeBrandValues(brandId: string, now = new Date(), batchSize = 1000): Promise<{ customers: number; thresholds: { a: bigint; b: bigint } }> {
  const executor = db();
  let after = "";
  let customers = 0;
  for (;;) {
    const batch = await executor.selectFrom("customers").select("id").where("brand_id", "=", brandId).where("id", ">", after).orderBy("id").limit(batchSize).execute();
    if (batch.length === 0) break;
    const ids = batch.map((c) => c.id);
    const facts = await orderFacts(executor, ids);
    await transaction(async (trx) => {
      for (const id of ids) {
        const orders = facts.get(id)!;
        await trx.updateTable("customers").set(valueColumns(orders, now, null)).where("id", "=", id).execute();
      }
    });
    customers += ids.length;
    after = ids[ids.length - 1];
  }
  const values = await executor.selectFrom("customers").select("ltv_rial").where("brand_id", "=", brandId).where("ltv_rial", ">", "0").execute();
  const thresholds = valueTierThresholds(values.map((v) => BigInt(v.ltv_rial)));
  await transaction(async (trx) => {
    await trx
      .updateTable("customers")
      .set({
        value_tier: sql`case when order_count = 0 then null when ltv_rial > 0 and ltv_rial >= ${thresholds.a} then 'A' when ltv_rial > 0 and ltv_rial >= ${thresholds.b} then 'B' else 'C' end`,
      })
      .where("brand_id", "=", brandId)
      .execute();
    await trx.updateTable("brands").set({ value_tier_a_rial: thresholds.a, value_tier_b_rial: thresholds.b, values_computed_at: now }).where("id", "=", brandId).execute();
    // Every tier may have moved: the home page's counters are recounted with them.
    await rebuildCustomerCounts(trx, brandId);
  });
  return { customers, thresholds };
}

type CustomerValueRow = {
  id: string;
  value_tier: "A" | "B" | "C" | null;
  last_contact_at: Date | null;
  order_count: number;
  monetary_rial: string;
  first_order_at: Date | null;
  last_order_at: Date | null;
  avg_interval_days: number | null;
};

function rfmOf(c: CustomerValueRow, now: Date): Rfm {
  return {
    recencyDays: c.last_order_at ? Math.floor((now.getTime() - c.last_order_at.getTime()) / 86_400_000) : null,
    frequency: c.order_count,
    monetaryRial: BigInt(c.monetary_rial),
    firstOrderAt: c.first_order_at,
    lastOrderAt: c.last_order_at,
    averageIntervalDays: c.avg_interval_days,
  };
}

type OpenNeedRow = { id: string; customer_id: string; status: "open" | "met" | "declined"; category_id: string; product_id: string | null; product_active: number | boolean | null; created_at: Date; last_follow_up_at: Date | null };

/**
 * Next best actions for customers the actor may see, from the stored value columns and visible needs.
 * `readNeeds`: the customers' visible needs when the caller has read them already (the profile).
 */
export async function nextActionsFor(actor: Actor, customers: CustomerValueRow[], now = new Date(), readNeeds?: OpenNeedRow[]): Promise<Map<string, NextAction[]>> {
  const ids = customers.map((c) => c.id);
  const needs: OpenNeedRow[] = readNeeds
    ? readNeeds.filter((n) => n.status === "open")
    : ids.length
    ? await db()
        .selectFrom("customer_needs")
        .innerJoin("customers", "customers.id", "customer_needs.customer_id")
        .leftJoin("products", "products.id", "customer_needs.product_id")
        .select(["customer_needs.id", "customer_needs.customer_id", "customer_needs.status", "customer_needs.category_id", "customer_needs.product_id", "products.active as product_active", "customer_needs.created_at", "customer_needs.last_follow_up_at"])
        .where("customer_needs.customer_id", "in", ids)
        .where("customer_needs.status", "=", "open")
        .where(customerScope(actor))
        .where(needVisible(actor))
        .execute()
    : [];
  const result = new Map<string, NextAction[]>();
  for (const c of customers) {
    result.set(
      c.id,
      nextActions({
        now,
        valueTier: c.value_tier,
        lastContactAt: c.last_contact_at,
        rfm: rfmOf(c, now),
        needs: needs
          .filter((n) => n.customer_id === c.id)
          .map((n) => ({ id: n.id, status: n.status, categoryId: n.category_id, productId: n.product_id, productActive: n.product_active === null ? null : Boolean(n.product_active), createdAt: n.created_at, lastFollowUpAt: n.last_follow_up_at })),
      }),
    );
  }
  // A customer past their usual buying cycle: offer their last order again, repriced today.
  const overdue = [...result].filter(([, actions]) => actions.some((a) => a.code === "overdue_reorder")).map(([id]) => id);
  if (overdue.length && can(actor, "orders.place")) {
    const last = await lastOrders(actor, overdue);
    for (const [id, actions] of result) {
      const orderId = last.get(id);
      if (orderId) result.set(id, actions.map((a) => (a.code === "overdue_reorder" ? { ...a, reorderOrderId: orderId } : a)));
    }
  }
  return result;
}

/** Each customer's latest order placed by the actor's own partner that went ahead (not rejected or cancelled). */
async function lastOrders(actor: Actor, customerIds: string[]): Promise<Map<string, string>> {
  const rows = await db()
    .selectFrom("orders")
    .select(["orders.id", "orders.customer_id"])
    .where("orders.customer_id", "in", customerIds)
    .where("orders.status", "not in", ["rejected", "cancelled"])
    .where(placedByOwnPartner(actor))
    .orderBy("orders.placed_at", "desc")
    .orderBy("orders.id", "desc")
    .execute();
  const last = new Map<string, string>();
  for (const r of rows) if (r.customer_id && !last.has(r.customer_id)) last.set(r.customer_id, r.id);
  return last;
}
