import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB, ValueFitOutcome } from "#db/schema";
import { assignValueTier, computeRfm, estimateLifetimeValue, type OrderFact, type Rfm } from "~/domain/customer-value";
import { fitBrandModels, UNIT_DAYS, valueCustomer, type BrandModel, type FitFailure, type RfmGroup, type SpendGroup } from "~/domain/ltv/brand-fit";
import { summariseCustomers } from "~/domain/ltv/transactions";
import { nextActions, type NextAction } from "~/domain/next-action";
import { can, type Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { rebuildCustomerCounts, trackCustomerCounts } from "./customer-counts.server";
import { customerScopeRowByRow, needVisible, placedByOwnPartner } from "./scope.server";
import { copyToServingRows, rebuildServingRows } from "./serving-rows.server";

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

const DAY_MS = 86_400_000;

/** The brand's model in use: stored parameters, horizon and discount rate; null before any fit. */
type ModelInUse = { model: BrandModel; fittedAt: Date; horizonMonths: number; annualDiscountRate: number };

function valueColumns(orders: OrderFact[], now: Date, thresholds: { a: bigint; b: bigint } | null, modelInUse: ModelInUse | null) {
  const rfm = computeRfm(orders, now);
  const model = modelInUse && orders.length ? modelValue(orders, now, modelInUse) : null;
  const ltv = model ? model.lifetimeValueRial : estimateLifetimeValue(orders, now);
  return {
    order_count: rfm.frequency,
    monetary_rial: rfm.monetaryRial,
    ltv_rial: ltv,
    first_order_at: rfm.firstOrderAt,
    last_order_at: rfm.lastOrderAt,
    avg_interval_days: rfm.averageIntervalDays === null ? null : Math.round(rfm.averageIntervalDays),
    p_alive: model?.pAlive ?? null,
    expected_purchases: model?.expectedPurchases ?? null,
    expected_margin_rial: model?.expectedMarginRial ?? null,
    ltv_fit_at: model ? modelInUse!.fittedAt : null,
    ...(thresholds ? { value_tier: orders.length ? assignValueTier(ltv, thresholds) : null } : {}),
  };
}

/** A customer's frequency, recency and age from their counted orders, the same way the fit counts them. */
function modelValue(orders: OrderFact[], now: Date, { model, horizonMonths, annualDiscountRate }: ModelInUse) {
  const end = Math.floor(now.getTime() / DAY_MS);
  const [summary] = summariseCustomers(
    orders.map((o) => ({ customer: "", day: Math.floor(o.placedAt.getTime() / DAY_MS), amount: Number(o.marginRial) })),
    { end, unitDays: UNIT_DAYS },
  );
  return summary ? valueCustomer(model, summary, { horizonMonths, annualDiscountRate }) : null;
}

type StoredFit = { [K in "fitted_at" | "bg_r" | "bg_alpha" | "bg_a" | "bg_b" | "gg_p" | "gg_q" | "gg_gamma"]: Selectable<DB["brand_value_fits"]>[K] | null };

function modelInUse(fit: StoredFit | undefined, horizonMonths: number, discountBp: number): ModelInUse | null {
  if (!fit?.fitted_at || fit.bg_r === null || fit.bg_alpha === null || fit.bg_a === null || fit.bg_b === null || fit.gg_p === null || fit.gg_q === null || fit.gg_gamma === null) return null;
  return {
    model: { bg: { r: fit.bg_r, alpha: fit.bg_alpha, a: fit.bg_a, b: fit.bg_b }, gg: { p: fit.gg_p, q: fit.gg_q, gamma: fit.gg_gamma } },
    fittedAt: fit.fitted_at,
    horizonMonths,
    annualDiscountRate: discountBp / 10_000,
  };
}

/** After an order changes: one customer's value under the brand's stored fit (no refit), tiered against the brand's last thresholds. */
export async function refreshCustomerValue(executor: Kysely<DB> | Transaction<DB>, brandId: string, customerId: string, now = new Date()): Promise<void> {
  const brand = await executor
    .selectFrom("brands")
    .leftJoin("brand_value_fits as f", "f.brand_id", "brands.id")
    .select(["brands.value_tier_a_rial", "brands.value_tier_b_rial", "brands.ltv_horizon_months", "brands.ltv_discount_bp"])
    .select(["f.fitted_at", "f.horizon_months", "f.discount_bp", "f.bg_r", "f.bg_alpha", "f.bg_a", "f.bg_b", "f.gg_p", "f.gg_q", "f.gg_gamma"])
    .where("brands.id", "=", brandId)
    .executeTakeFirstOrThrow();
  const facts = await orderFacts(executor, [customerId]);
  const thresholds = { a: BigInt(brand.value_tier_a_rial), b: BigInt(brand.value_tier_b_rial) };
  // The horizon and rate of the last run, so this customer stays comparable with the rest until the next.
  const inUse = modelInUse(brand, brand.horizon_months ?? brand.ltv_horizon_months, brand.discount_bp ?? brand.ltv_discount_bp);
  await trackCustomerCounts(executor, brandId, [customerId], () => executor.updateTable("customers").set(valueColumns(facts.get(customerId)!, now, thresholds, inUse)).where("id", "=", customerId).where("brand_id", "=", brandId).execute());
  await copyToServingRows(executor, brandId, [customerId]);
}

/**
 * The (frequency, recency, age) of every buying customer of the brand, counted in SQL and grouped, and
 * the mean repeat margin of those with repeat purchases, grouped in bins of 0.5% — all the fit needs,
 * however many customers the brand has. A purchase is a day with counted orders (UTC days).
 */
async function fitInput(brandId: string, now: Date): Promise<{ rfm: RfmGroup[]; spend: SpendGroup[] }> {
  const counted = sql`brand_id = ${brandId} and customer_id is not null and status not in ('cancelled', 'rejected') and placed_at <= ${now}`;
  const days = sql`select customer_id, to_days(placed_at) as day from orders where ${counted} group by customer_id, to_days(placed_at)`;
  // k numbers a customer's purchase days, so the first one can be left out of the mean.
  const margins = sql`
    select customer_id, sum(margin_rial) as margin, row_number() over (partition by customer_id order by to_days(placed_at)) as k
    from orders where ${counted} group by customer_id, to_days(placed_at)`;
  const today = Math.floor(now.getTime() / DAY_MS) + 719_528; // to_days('1970-01-01')
  const [rfm, spend] = await Promise.all([
    sql<{ x: number; tx: number; age: number; n: number }>`
      select x, tx, age, count(*) as n from (
        select count(*) - 1 as x, max(day) - min(day) as tx, ${today} - min(day) as age from (${days}) d group by customer_id
      ) s group by x, tx, age`.execute(db()),
    sql<{ x: number; mean: number; n: number }>`
      select x, avg(mean) as mean, count(*) as n from (
        select count(*) - 1 as x, sum(case when k > 1 then margin end) / (count(*) - 1) as mean from (${margins}) d
        group by customer_id having count(*) > 1
      ) s where mean > 0 group by x, round(ln(mean) * 200)`.execute(db()),
  ]);
  return {
    rfm: rfm.rows.map((r) => ({ frequency: Number(r.x), recencyDays: Number(r.tx), ageDays: Number(r.age), count: Number(r.n) })),
    spend: spend.rows.map((r) => ({ frequency: Number(r.x), meanMarginRial: Number(r.mean), count: Number(r.n) })),
  };
}

export type ValueRunResult = {
  customers: number;
  thresholds: { a: bigint; b: bigint };
  outcome: ValueFitOutcome;
  reason: FitFailure | null;
};

/**
 * The scheduled pass. Fits BG/NBD and Gamma-Gamma on the brand's counted orders (from SQL
 * summaries); a fit that cannot be trusted keeps the brand's previous one, or — without one — the
 * old estimate, and the reason is stored. Then walks customers in id order, a batch at a time (memory
 * stays flat), storing RFM, P(alive), expected purchases and margin and lifetime value; then the
 * brand-wide quantile thresholds and tiers.
 */
export async function recomputeBrandValues(brandId: string, now = new Date(), batchSize = 1000): Promise<ValueRunResult> {
  const executor = db();
  const [brand, previous, input] = await Promise.all([
    executor.selectFrom("brands").select(["ltv_horizon_months", "ltv_discount_bp"]).where("id", "=", brandId).executeTakeFirstOrThrow(),
    executor.selectFrom("brand_value_fits").selectAll().where("brand_id", "=", brandId).executeTakeFirst(),
    fitInput(brandId, now),
  ]);
  const attempt = fitBrandModels(input.rfm, input.spend);
  const fitted: ModelInUse | null = attempt.ok ? { model: attempt.fit, fittedAt: now, horizonMonths: brand.ltv_horizon_months, annualDiscountRate: brand.ltv_discount_bp / 10_000 } : null;
  const inUse = fitted ?? modelInUse(previous, brand.ltv_horizon_months, brand.ltv_discount_bp);
  const outcome: ValueFitOutcome = fitted ? "fitted" : inUse ? "kept_previous" : "old_estimate";

  let after = "";
  let customers = 0;
  let buyers = 0;
  let active = 0;
  let ltvSum = 0n;
  for (;;) {
    const batch = await executor.selectFrom("customers").select("id").where("brand_id", "=", brandId).where("id", ">", after).orderBy("id").limit(batchSize).execute();
    if (batch.length === 0) break;
    const ids = batch.map((c) => c.id);
    const facts = await orderFacts(executor, ids);
    await transaction(async (trx) => {
      for (const id of ids) {
        const values = valueColumns(facts.get(id)!, now, null, inUse);
        if (values.order_count > 0) {
          buyers++;
          ltvSum += values.ltv_rial;
          if (values.p_alive !== null && values.p_alive >= 0.5) active++;
        }
        // Assignments run left to right: the previous P(alive) is read before it is replaced.
        await trx.updateTable("customers").set({ p_alive_previous: sql`p_alive`, ...values }).where("id", "=", id).execute();
      }
      await copyToServingRows(trx, brandId, ids);
    });
    customers += ids.length;
    after = ids[ids.length - 1];
  }
  const thresholds = await tierThresholds(brandId);
  await transaction(async (trx) => {
    await trx
      .updateTable("customers")
      .set({
        value_tier: sql`case when order_count = 0 then null when ltv_rial > 0 and ltv_rial >= ${thresholds.a} then 'A' when ltv_rial > 0 and ltv_rial >= ${thresholds.b} then 'B' else 'C' end`,
      })
      .where("brand_id", "=", brandId)
      .execute();
    await rebuildServingRows(trx, brandId);
    await trx.updateTable("brands").set({ value_tier_a_rial: thresholds.a, value_tier_b_rial: thresholds.b, values_computed_at: now }).where("id", "=", brandId).execute();
    const run = {
      last_run_at: now,
      last_outcome: outcome,
      last_reason: attempt.ok ? null : attempt.reason,
      active_share: inUse && buyers ? active / buyers : null,
      mean_ltv_rial: buyers ? ltvSum / BigInt(buyers) : null,
    };
    const fit = attempt.ok
      ? {
          fitted_at: now,
          unit_days: UNIT_DAYS,
          horizon_months: brand.ltv_horizon_months,
          discount_bp: brand.ltv_discount_bp,
          customers: attempt.fit.customers,
          repeat_customers: attempt.fit.repeatCustomers,
          bg_r: attempt.fit.bg.r,
          bg_alpha: attempt.fit.bg.alpha,
          bg_a: attempt.fit.bg.a,
          bg_b: attempt.fit.bg.b,
          bg_log_likelihood: attempt.fit.bgLogLikelihood,
          gg_customers: attempt.fit.ggCustomers,
          gg_p: attempt.fit.gg.p,
          gg_q: attempt.fit.gg.q,
          gg_gamma: attempt.fit.gg.gamma,
          gg_log_likelihood: attempt.fit.ggLogLikelihood,
        }
      : { horizon_months: brand.ltv_horizon_months, discount_bp: brand.ltv_discount_bp };
    await trx
      .insertInto("brand_value_fits")
      .values({ brand_id: brandId, unit_days: UNIT_DAYS, ...fit, ...run })
      .onDuplicateKeyUpdate({ ...fit, ...run })
      .execute();
    // Every tier may have moved: the home page's counters are recounted with them.
    await rebuildCustomerCounts(trx, brandId);
  });
  return { customers, thresholds, outcome, reason: attempt.ok ? null : attempt.reason };
}

/**
 * The quantile cut-offs of valueTierThresholds (A from ascending index ⌊0.8·n⌋, B from ⌊0.5·n⌋ of the
 * positive values), read from the (brand, value) index instead of loading every value.
 */
async function tierThresholds(brandId: string): Promise<{ a: bigint; b: bigint }> {
  const positive = () => db().selectFrom("customers").where("brand_id", "=", brandId).where("ltv_rial", ">", "0");
  const { n } = await positive().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const count = Number(n);
  if (count === 0) return { a: 0n, b: 0n };
  const at = async (index: number) => BigInt((await positive().select("ltv_rial").orderBy("ltv_rial").limit(1).offset(index).executeTakeFirstOrThrow()).ltv_rial);
  const [a, b] = await Promise.all([at(Math.floor((count * 4) / 5)), at(Math.floor(count / 2))]);
  return { a, b };
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
  p_alive: number | null;
  p_alive_previous: number | null;
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
        // Probed per customer: as a semi-join the database may read all of a partner's serving rows first.
        .where(customerScopeRowByRow(actor))
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
        alive: { pAlive: c.p_alive, pAlivePrevious: c.p_alive_previous },
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
