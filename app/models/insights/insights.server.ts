// Reads of the network insights: grouped reads of the summary tables only (rebuilt by
// rebuild.server.ts), each narrowed by the one tenant filter on the row's partner, so a partner
// admin sees its own partner's rows and a distributor also its resellers'. Nothing here touches
// customers, customer_needs or orders: a page view costs the same at 1,000 or 1,000,000 customers.
import { sql, type Expression, type SqlBool } from "kysely";
import type { Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { assertCan, maySeeCost, partnerScope } from "../scope.server";
import { sumBy } from "~/domain/insights";
import type { InsightFilters } from "./filters";

type SummaryTable = "insight_needs" | "insight_sales" | "insight_activity" | "insight_customers" | "insight_wanted" | "insight_customer_list";

/** The scope, province and partner-tier filters of one summary table, plus its month range when it has months. */
function narrowed(actor: Actor, table: SummaryTable, f: InsightFilters, months = false): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [partnerScope(actor, `${table}.partner_id`, `${table}.brand_id`)];
  if (f.province) parts.push(sql<SqlBool>`${sql.ref(`${table}.province`)} = ${f.province}`);
  if (f.tier) parts.push(sql<SqlBool>`${sql.ref(`${table}.partner_id`)} in (select tp.id from partners tp where tp.brand_id = ${actor.brandId} and tp.tier = ${f.tier})`);
  if (months && f.fromMonth) parts.push(sql<SqlBool>`${sql.ref(`${table}.month`)} >= ${f.fromMonth}`);
  if (months && f.toMonth) parts.push(sql<SqlBool>`${sql.ref(`${table}.month`)} <= ${f.toMonth}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

const n = (v: unknown) => Number(v ?? 0);
const money = (v: unknown) => String(v ?? "0");
const monthKey = (d: Date | string) => (typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));

export type NeedDimension = "category" | "province" | "product";

export interface NeedRow {
  key: string;
  nameFa: string;
  nameEn: string;
  open: number;
  met: number;
  declined: number;
}

/** Needs by category, customer province or product, open against met (and declined). */
export async function needsBy(actor: Actor, f: InsightFilters, dimension: NeedDimension): Promise<NeedRow[]> {
  assertCan(actor, "insights.view");
  const counts = sql`sum(case when insight_needs.status = 'open' then needs else 0 end) as open,
    sum(case when insight_needs.status = 'met' then needs else 0 end) as met,
    sum(case when insight_needs.status = 'declined' then needs else 0 end) as declined`;
  const where = narrowed(actor, "insight_needs", f, true);
  const { rows } =
    dimension === "category"
      ? await sql<{ key: string; nameFa: string; nameEn: string; open: string; met: string; declined: string }>`
        select insight_needs.category_id as \`key\`, nc.name_fa as nameFa, nc.name_en as nameEn, ${counts}
        from insight_needs join need_categories nc on nc.id = insight_needs.category_id
        where ${where} group by insight_needs.category_id, nc.name_fa, nc.name_en`.execute(db())
      : dimension === "product"
        ? await sql<{ key: string; nameFa: string; nameEn: string; open: string; met: string; declined: string }>`
        select insight_needs.product_id as \`key\`, p.name_fa as nameFa, p.name_en as nameEn, ${counts}
        from insight_needs join products p on p.id = insight_needs.product_id
        where ${where} and insight_needs.product_id <> '' group by insight_needs.product_id, p.name_fa, p.name_en`.execute(db())
        : await sql<{ key: string; nameFa: string; nameEn: string; open: string; met: string; declined: string }>`
        select insight_needs.province as \`key\`, insight_needs.province as nameFa, insight_needs.province as nameEn, ${counts}
        from insight_needs where ${where} group by insight_needs.province`.execute(db());
  return rows
    .map((r) => ({ key: r.key, nameFa: r.nameFa, nameEn: r.nameEn, open: n(r.open), met: n(r.met), declined: n(r.declined) }))
    .sort((a, b) => b.open + b.met + b.declined - (a.open + a.met + a.declined) || a.key.localeCompare(b.key));
}

export interface MonthRow {
  month: string;
  needs: number;
  met: number;
  orders: number;
  units: number;
  revenue: string;
}

/** Per Jalali month: needs recorded (and how many of them are met by now), orders, units and revenue. */
export async function monthlyTrend(actor: Actor, f: InsightFilters): Promise<MonthRow[]> {
  assertCan(actor, "insights.view");
  const [needs, sales, activity] = await Promise.all([
    db()
      .selectFrom("insight_needs")
      .select((eb) => ["insight_needs.month", eb.fn.sum<string>("needs").as("needs"), sql<string>`sum(case when status = 'met' then needs else 0 end)`.as("met")])
      .where(narrowed(actor, "insight_needs", f, true))
      .groupBy("insight_needs.month")
      .execute(),
    db()
      .selectFrom("insight_sales")
      .select((eb) => ["insight_sales.month", eb.fn.sum<string>("units").as("units"), eb.fn.sum<string>("revenue_rial").as("revenue")])
      .where(narrowed(actor, "insight_sales", f, true))
      .groupBy("insight_sales.month")
      .execute(),
    db()
      .selectFrom("insight_activity")
      .select((eb) => ["insight_activity.month", eb.fn.sum<string>("orders").as("orders")])
      .where(narrowed(actor, "insight_activity", f, true))
      .groupBy("insight_activity.month")
      .execute(),
  ]);
  const byMonth = new Map<string, MonthRow>();
  const row = (m: Date | string) => {
    const month = monthKey(m);
    let r = byMonth.get(month);
    if (!r) byMonth.set(month, (r = { month, needs: 0, met: 0, orders: 0, units: 0, revenue: "0" }));
    return r;
  };
  for (const r of needs) Object.assign(row(r.month), { needs: n(r.needs), met: n(r.met) });
  for (const r of sales) Object.assign(row(r.month), { units: n(r.units), revenue: money(r.revenue) });
  for (const r of activity) row(r.month).orders = n(r.orders);
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}

export interface TierRow {
  tier: string;
  customers: number;
  active: number;
  lapsing: number;
  ltv: string;
}

/** Customers by value tier ('' = not yet valued): how many, how many active or lapsing, and their lifetime value. */
export async function valueByTier(actor: Actor, f: InsightFilters): Promise<TierRow[]> {
  assertCan(actor, "insights.view");
  const rows = await db()
    .selectFrom("insight_customers")
    .select((eb) => [
      "insight_customers.value_tier as tier",
      eb.fn.sum<string>("customers").as("customers"),
      eb.fn.sum<string>("active").as("active"),
      eb.fn.sum<string>("lapsing").as("lapsing"),
      eb.fn.sum<string>("ltv_rial").as("ltv"),
    ])
    .where(narrowed(actor, "insight_customers", f))
    .groupBy("insight_customers.value_tier")
    .execute();
  const order = ["A", "B", "C", ""];
  return rows
    .map((r) => ({ tier: r.tier, customers: n(r.customers), active: n(r.active), lapsing: n(r.lapsing), ltv: money(r.ltv) }))
    .sort((a, b) => order.indexOf(a.tier) - order.indexOf(b.tier));
}

export interface ListedCustomer {
  id: string;
  name: string;
  tier: string;
  ltv: string;
  lastOrderAt: Date | null;
  overdueDays: number | null;
  partnerFa: string | null;
  partnerEn: string | null;
}

/** The ten most valuable customers, or the ten most valuable lapsing beyond their usual cycle. */
export async function customerList(actor: Actor, f: InsightFilters, list: "top" | "lapsing", limit = 10): Promise<ListedCustomer[]> {
  assertCan(actor, "insights.view");
  const rows = await db()
    .selectFrom("insight_customer_list")
    .leftJoin("partners", "partners.id", "insight_customer_list.partner_id")
    .select([
      "insight_customer_list.customer_id as id",
      "insight_customer_list.display_name as name",
      "insight_customer_list.value_tier as tier",
      "insight_customer_list.ltv_rial as ltv",
      "insight_customer_list.last_order_at as lastOrderAt",
      "insight_customer_list.overdue_days as overdueDays",
      "partners.name_fa as partnerFa",
      "partners.name_en as partnerEn",
    ])
    .where("insight_customer_list.list", "=", list)
    .where(narrowed(actor, "insight_customer_list", f))
    .orderBy("insight_customer_list.ltv_rial", "desc")
    .orderBy("insight_customer_list.customer_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, ltv: money(r.ltv), overdueDays: r.overdueDays === null ? null : n(r.overdueDays) }));
}

export interface CoverageRow {
  partnerId: string;
  nameFa: string | null;
  nameEn: string | null;
  tier: Tier | null;
  customers: number;
  active: number;
  needs: number;
  toolkitUses: number;
  orders: number;
}

/** Per partner (and '' for the brand's own records): customers held, active ones, needs recorded, toolkit uses and orders. */
export async function partnerCoverage(actor: Actor, f: InsightFilters): Promise<CoverageRow[]> {
  assertCan(actor, "insights.view");
  const [customers, needs, activity] = await Promise.all([
    db()
      .selectFrom("insight_customers")
      .select((eb) => ["insight_customers.partner_id", eb.fn.sum<string>("customers").as("customers"), eb.fn.sum<string>("active").as("active")])
      .where(narrowed(actor, "insight_customers", f))
      .groupBy("insight_customers.partner_id")
      .execute(),
    db()
      .selectFrom("insight_needs")
      .select((eb) => ["insight_needs.partner_id", eb.fn.sum<string>("needs").as("needs")])
      .where(narrowed(actor, "insight_needs", f, true))
      .groupBy("insight_needs.partner_id")
      .execute(),
    db()
      .selectFrom("insight_activity")
      .select((eb) => ["insight_activity.partner_id", eb.fn.sum<string>("orders").as("orders"), eb.fn.sum<string>("toolkit_uses").as("uses")])
      .where(narrowed(actor, "insight_activity", f, true))
      .groupBy("insight_activity.partner_id")
      .execute(),
  ]);
  const rows = new Map<string, CoverageRow>();
  const row = (partnerId: string) => {
    let r = rows.get(partnerId);
    if (!r) rows.set(partnerId, (r = { partnerId, nameFa: null, nameEn: null, tier: null, customers: 0, active: 0, needs: 0, toolkitUses: 0, orders: 0 }));
    return r;
  };
  for (const r of customers) Object.assign(row(r.partner_id), { customers: n(r.customers), active: n(r.active) });
  for (const r of needs) row(r.partner_id).needs = n(r.needs);
  for (const r of activity) Object.assign(row(r.partner_id), { orders: n(r.orders), toolkitUses: n(r.uses) });
  const ids = [...rows.keys()].filter(Boolean);
  if (ids.length) {
    const partners = await db().selectFrom("partners").select(["id", "name_fa", "name_en", "tier"]).where("brand_id", "=", actor.brandId).where("id", "in", ids).execute();
    for (const p of partners) Object.assign(row(p.id), { nameFa: p.name_fa, nameEn: p.name_en, tier: p.tier });
  }
  return [...rows.values()].sort((a, b) => b.customers - a.customers || b.orders - a.orders || a.partnerId.localeCompare(b.partnerId));
}

/** When the summaries were last rebuilt for the actor's brand; null before the first run. */
export async function insightsAsOf(brandId: string): Promise<Date | null> {
  const run = await db().selectFrom("insight_runs").select("computed_at").where("brand_id", "=", brandId).executeTakeFirst();
  return run?.computed_at ?? null;
}

/** Margin is the brand's secret (it reveals cost): only brand roles get it. */
export const showsMargin = maySeeCost;

/** Coverage summed per partner tier (the brand's own records on a row of their own). */
export function coverageByTier(rows: readonly CoverageRow[]) {
  const order = ["platinum", "gold", "silver", "registered", ""];
  return sumBy(rows, (r) => r.tier ?? "", ["customers", "active", "needs", "toolkitUses", "orders"])
    .map((r) => ({ tier: r.tier, customers: Number(r.customers), active: Number(r.active), needs: Number(r.needs), toolkitUses: Number(r.toolkitUses), orders: Number(r.orders) }))
    .sort((a, b) => order.indexOf(a.tier ?? "") - order.indexOf(b.tier ?? ""));
}

/** Everything the insights page shows, by table key (the CSV export reads the same). */
export async function insightData(actor: Actor, f: InsightFilters) {
  const [needs_category, needs_province, needs_product, trend, value, top, lapsing, coverage] = await Promise.all([
    needsBy(actor, f, "category"),
    needsBy(actor, f, "province"),
    needsBy(actor, f, "product"),
    monthlyTrend(actor, f),
    valueByTier(actor, f),
    customerList(actor, f, "top"),
    customerList(actor, f, "lapsing"),
    partnerCoverage(actor, f),
  ]);
  return { needs_category, needs_province, needs_product, trend, value, top, lapsing, coverage, coverage_tier: coverageByTier(coverage) };
}
