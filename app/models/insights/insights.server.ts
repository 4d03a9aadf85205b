// Reads of the network insights: one read per chart of the rollups (rebuilt by rebuild.server.ts),
// each narrowed by the one tenant filter on the row's holder, so a partner admin sees its own
// partner's rows and a distributor also its resellers'. The brand's unfiltered view reads the rows
// summed over the network, the default window the rows summed over all months, a province filter
// that province's rows: a view reads about as many rows as it shows (times the partners in scope,
// or in the chosen partner tier, and the months chosen), never the customers, needs or orders (a window
// over partners' needs reads their detailed rows of those months), so a
// page view costs the same at 1,000 or 1,000,000 customers. The long need tables (a row per product)
// are cut to the page's first rows in the database: one holder's rows are read in the order shown,
// and a view summing several partners hands over only the first rows of the sums.
import { sql, type Expression, type SqlBool } from "kysely";
import type { Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { assertCan, maySeeCost, partnerScope } from "../scope.server";
import { LIST_SIZE, sumBy } from "~/domain/insights";
import type { InsightFilters } from "./filters";
import { ALL_MONTHS, CALENDAR_FROM, CALENDAR_TO, NETWORK } from "./rebuild.server";

/**
 * The rows of one rollup (`table`: its name or alias) a view sums: the network's sum for the brand's view without a partner
 * tier, else the scope's partners (of the tier chosen); in the province chosen (or summed over all).
 * `perPartner`: every partner's own rows, also for the brand's view (partner coverage).
 */
function holders(actor: Actor, table: string, f: InsightFilters, perPartner = false): Expression<SqlBool> {
  const holder = sql.ref(`${table}.holder`);
  const parts: Expression<SqlBool>[] = [partnerScope(actor, `${table}.holder`, `${table}.brand_id`), sql<SqlBool>`${sql.ref(`${table}.province`)} = ${f.province ?? ""}`];
  if (f.tier) parts.push(sql<SqlBool>`${holder} in (select tp.id from partners tp where tp.brand_id = ${actor.brandId} and tp.tier = ${f.tier})`);
  else if (actor.scope === "network") parts.push(perPartner ? sql<SqlBool>`${holder} <> ${NETWORK}` : sql<SqlBool>`${holder} = ${NETWORK}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** A partner's detailed summary rows in scope (`table`.partner_id), of the tier and province chosen. */
function partnerRows(actor: Actor, table: string, f: InsightFilters): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [partnerScope(actor, `${table}.partner_id`, `${table}.brand_id`)];
  if (f.province) parts.push(sql<SqlBool>`${sql.ref(`${table}.province`)} = ${f.province}`);
  if (f.tier) parts.push(sql<SqlBool>`${sql.ref(`${table}.partner_id`)} in (select tp.id from partners tp where tp.brand_id = ${actor.brandId} and tp.tier = ${f.tier})`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

const monthRange = (table: string, f: InsightFilters) => sql<SqlBool>`${sql.ref(`${table}.month`)} between ${f.fromMonth ?? CALENDAR_FROM} and ${f.toMonth ?? CALENDAR_TO}`;
/** The months of the window: the all-months rows when none is chosen, else the months in range. */
const months = (table: string, f: InsightFilters) => (f.fromMonth || f.toMonth ? monthRange(table, f) : sql<SqlBool>`${sql.ref(`${table}.month`)} = ${ALL_MONTHS}`);

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

/** One dimension's rows, the most needs first (then by key), and how many there are in all. */
export interface NeedList {
  rows: NeedRow[];
  count: number;
}

/**
 * Needs by category, customer province and product, open against met (and declined), the most
 * needs first, in one read. `shown`: only that many first rows of each (the page's), chosen by the
 * database, with the count of all; without it every row (the CSV export).
 */
export async function needsBy(actor: Actor, f: InsightFilters, shown?: number): Promise<Record<NeedDimension, NeedList>> {
  assertCan(actor, "insights.view");
  const windowed = f.fromMonth || f.toMonth;
  const holder = actor.scope === "network" ? NETWORK : actor.scope.length === 1 ? actor.scope[0] : null;
  const { rows } =
    shown !== undefined && !windowed && !f.tier && holder !== null
      ? await firstNeeds(actor.brandId, holder, f.province ?? "", shown)
      : await rankedNeeds(actor, f, shown ?? 2 ** 31 - 1);
  const out: Record<NeedDimension, NeedList> = { category: { rows: [], count: 0 }, province: { rows: [], count: 0 }, product: { rows: [], count: 0 } };
  for (const r of rows) {
    if (r.n !== null) out[r.dim].count = n(r.n);
    if (r.key !== null) out[r.dim].rows.push({ key: r.key, nameFa: r.nameFa!, nameEn: r.nameEn!, open: n(r.open), met: n(r.met), declined: n(r.declined) });
  }
  return out;
}

/** A row of a need read: a shown row (`key`), the number of rows of its dimension (`n`), or both. */
type NeedRead = { dim: NeedDimension; key: string | null; nameFa: string | null; nameEn: string | null; open: string; met: string; declined: string; n: string | null };

/**
 * One holder's all-months rows (the brand's network, or a partner admin's own partner): each
 * dimension's first rows read in the order of insight_need_totals_top, and the number of rows from
 * the same index. (The count is of the rollup's keys: a need is recorded only with a category and
 * product of the brand, and neither is ever deleted, so each of them has its name.)
 */
function firstNeeds(brandId: string, holder: string, province: string, shown: number) {
  const fixed = sql`t.brand_id = ${brandId} and t.province = ${province} and t.holder = ${holder} and t.month = ${ALL_MONTHS}`;
  const first = (dim: NeedDimension, names: string | null) => sql`(
    select ${dim} as dim, t.\`key\`, ${names ? sql`x.name_fa` : sql`t.\`key\``} as nameFa, ${names ? sql`x.name_en` : sql`t.\`key\``} as nameEn, t.open, t.met, t.declined, null as n
    from insight_need_totals t force index (insight_need_totals_top) ${names ? sql`straight_join ${sql.table(names)} x on x.id = t.\`key\`` : sql``}
    where ${fixed} and t.dim = ${dim}
    order by t.total desc, t.\`key\` limit ${shown})`;
  return sql<NeedRead>`${first("category", "need_categories")} union all ${first("product", "products")} union all ${first("province", null)}
    union all (select t.dim, null, null, null, 0, 0, 0, count(*) from insight_need_totals t force index (insight_need_totals_top)
      where ${fixed} and t.dim in ('category', 'product', 'province') group by t.dim)`.execute(db());
}

/** Any other view (several partners, a partner tier, a window of months): summed per key, ranked and cut in the database. */
function rankedNeeds(actor: Actor, f: InsightFilters, shown: number) {
  // The rollup keeps partners' needs for all months only: a window over partners' rows reads their
  // detailed rows of those months instead (insight_needs' key leads with partner and month).
  const perPartnerWindow = (f.fromMonth || f.toMonth) && (f.tier || actor.scope !== "network");
  const source = perPartnerWindow
    ? sql`(select n.brand_id, d.dim, case d.dim when 'category' then n.category_id when 'product' then n.product_id else n.province end as \`key\`,
          case when n.status = 'open' then n.needs else 0 end as open, case when n.status = 'met' then n.needs else 0 end as met,
          case when n.status = 'declined' then n.needs else 0 end as declined
        from insight_needs n
        join (select 'category' as dim union all select 'product' union all select 'province') d on d.dim <> 'product' or n.product_id <> ''
        where n.brand_id = ${actor.brandId} and ${partnerRows(actor, "n", f)} and ${monthRange("n", f)}) t`
    : sql`insight_need_totals t`;
  // Summed first (unsorted: "order by null" spares MariaDB's implicit sort of a group by, the ranking
  // orders them), then named (and kept only if the category or product exists), ranked and counted.
  return sql<NeedRead>`
    select dim, \`key\`, nameFa, nameEn, open, met, declined, n from (
      select g.dim, g.\`key\`, coalesce(nc.name_fa, p.name_fa, g.\`key\`) as nameFa, coalesce(nc.name_en, p.name_en, g.\`key\`) as nameEn, g.open, g.met, g.declined,
        row_number() over (partition by g.dim order by g.open + g.met + g.declined desc, g.\`key\`) as rn, count(*) over (partition by g.dim) as n
      from (
        select t.dim, t.\`key\`, sum(t.open) as open, sum(t.met) as met, sum(t.declined) as declined
        from ${source}
        where t.brand_id = ${actor.brandId} and ${perPartnerWindow ? sql`true` : sql`t.dim in ('category', 'product', 'province') and ${holders(actor, "t", f)} and ${months("t", f)}`}
        group by t.dim, t.\`key\` order by null
      ) g
      left join need_categories nc on g.dim = 'category' and nc.id = g.\`key\`
      left join products p on g.dim = 'product' and p.id = g.\`key\`
      where g.dim = 'province' or nc.id is not null or p.id is not null
    ) r
    where rn <= ${shown}
    order by dim, rn`.execute(db());
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
  const t = "insight_month_totals";
  const rows = await db()
    .selectFrom(t)
    .select((eb) => [
      "insight_month_totals.month",
      eb.fn.sum<string>("needs").as("needs"),
      eb.fn.sum<string>("met").as("met"),
      eb.fn.sum<string>("orders").as("orders"),
      eb.fn.sum<string>("units").as("units"),
      eb.fn.sum<string>("revenue_rial").as("revenue"),
    ])
    .where("insight_month_totals.brand_id", "=", actor.brandId)
    .where(holders(actor, t, f))
    .where(monthRange(t, f))
    .groupBy("insight_month_totals.month")
    .orderBy("insight_month_totals.month")
    .execute();
  return rows.map((r) => ({ month: monthKey(r.month), needs: n(r.needs), met: n(r.met), orders: n(r.orders), units: n(r.units), revenue: money(r.revenue) }));
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
    .selectFrom("insight_tier_totals")
    .select((eb) => [
      "insight_tier_totals.value_tier as tier",
      eb.fn.sum<string>("customers").as("customers"),
      eb.fn.sum<string>("active").as("active"),
      eb.fn.sum<string>("lapsing").as("lapsing"),
      eb.fn.sum<string>("ltv_rial").as("ltv"),
    ])
    .where("insight_tier_totals.brand_id", "=", actor.brandId)
    .where(holders(actor, "insight_tier_totals", f))
    .groupBy("insight_tier_totals.value_tier")
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

/** The ten most valuable customers, and the ten most valuable lapsing beyond their usual cycle, in one read. */
export async function customerLists(actor: Actor, f: InsightFilters): Promise<Record<"top" | "lapsing", ListedCustomer[]>> {
  assertCan(actor, "insights.view");
  const t = "insight_top";
  const { rows } = await sql<Omit<ListedCustomer, "overdueDays"> & { list: "top" | "lapsing"; overdueDays: number | null }>`
    select r.list, r.customer_id as id, r.display_name as name, r.value_tier as tier, r.ltv_rial as ltv, r.last_order_at as lastOrderAt,
      r.overdue_days as overdueDays, pa.name_fa as partnerFa, pa.name_en as partnerEn
    from (
      select insight_top.*, row_number() over (partition by insight_top.list order by insight_top.ltv_rial desc, insight_top.customer_id) as rn
      from insight_top where insight_top.brand_id = ${actor.brandId} and insight_top.list in ('top', 'lapsing') and ${holders(actor, t, f)}
    ) r
    left join partners pa on pa.id = r.partner_id
    where r.rn <= ${LIST_SIZE}
    order by r.list, r.rn`.execute(db());
  const out: Record<"top" | "lapsing", ListedCustomer[]> = { top: [], lapsing: [] };
  for (const { list, ...r } of rows) out[list].push({ ...r, ltv: money(r.ltv), overdueDays: r.overdueDays === null ? null : n(r.overdueDays) });
  return out;
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
  // Customers have no month: they come from the all-months rows, the rest from the window's.
  const windowed = f.fromMonth || f.toMonth;
  const inWindow = windowed ? sql`t.month <> ${ALL_MONTHS}` : sql`true`;
  const { rows } = await sql<{ partnerId: string; nameFa: string | null; nameEn: string | null; tier: Tier | null; customers: string; active: string; needs: string; toolkitUses: string; orders: string }>`
    select t.holder as partnerId, pa.name_fa as nameFa, pa.name_en as nameEn, pa.tier,
      sum(case when t.month = ${ALL_MONTHS} then t.customers else 0 end) as customers, sum(case when t.month = ${ALL_MONTHS} then t.active else 0 end) as active,
      sum(case when ${inWindow} then t.needs else 0 end) as needs, sum(case when ${inWindow} then t.toolkit_uses else 0 end) as toolkitUses,
      sum(case when ${inWindow} then t.orders else 0 end) as orders
    from insight_month_totals t force index (insight_month_totals_month) -- every partner of one window: month before holder
    left join partners pa on pa.id = t.holder and pa.brand_id = t.brand_id
    where t.brand_id = ${actor.brandId} and ${holders(actor, "t", f, true)}
      and ${windowed ? sql`(t.month = ${ALL_MONTHS} or ${monthRange("t", f)})` : sql`t.month = ${ALL_MONTHS}`}
    group by t.holder, pa.name_fa, pa.name_en, pa.tier
    having customers + needs + toolkitUses + orders > 0`.execute(db());
  return rows
    .map((r) => ({ ...r, customers: n(r.customers), active: n(r.active), needs: n(r.needs), toolkitUses: n(r.toolkitUses), orders: n(r.orders) }))
    .sort((a, b) => b.customers - a.customers || b.orders - a.orders || a.partnerId.localeCompare(b.partnerId));
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

/**
 * Everything the insights page shows, by table key, and how many rows each long table has in all.
 * `shown`: the needs tables hold only their first rows (the page's); without it every row (the CSV export).
 */
export async function insightData(actor: Actor, f: InsightFilters, shown?: number) {
  const [needs, trend, value, lists, coverage] = await Promise.all([needsBy(actor, f, shown), monthlyTrend(actor, f), valueByTier(actor, f), customerLists(actor, f), partnerCoverage(actor, f)]);
  return {
    tables: { needs_category: needs.category.rows, needs_province: needs.province.rows, needs_product: needs.product.rows, trend, value, top: lists.top, lapsing: lists.lapsing, coverage, coverage_tier: coverageByTier(coverage) },
    counts: { needs_category: needs.category.count, needs_province: needs.province.count, needs_product: needs.product.count, coverage: coverage.length },
  };
}
