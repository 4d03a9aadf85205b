// The three truths of one category or product, side by side: the customer's (open needs, who wants
// it, recent demand), the profit's (revenue, margin, the lifetime value of those who want it) and
// the capability's (stock, capacity, lead time, promised against shipped), with the judgement of
// app/domain/insights.ts on whether the demand can be delivered and from when.
import { sql } from "kysely";
import type { Actor } from "~/domain/permissions";
import { addDays, tehranToday, type Availability } from "~/domain/promise-date";
import { combineAvailability, jalaliMonthStart, judgeCapability, percentOf, TRUTH_HORIZON_DAYS, type TruthVerdict } from "~/domain/insights";
import { db } from "~/utils/db.server";
import { assertCan, maySeeCost, partnerScope } from "../scope.server";
import type { InsightFilters } from "./filters";

export type TruthSubject = { category: string } | { product: string };

/** Recent demand is the order rate since the start of the Jalali month three months back. */
const RECENT_DAYS = 90;
const PROFIT_DAYS = 365;

export async function threeTruths(actor: Actor, subject: TruthSubject, f: InsightFilters, now = new Date()) {
  assertCan(actor, "insights.view");
  const brandId = actor.brandId;
  const today = tehranToday(now);
  const subjectRow =
    "category" in subject
      ? await db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("id", "=", subject.category).executeTakeFirst()
      : await db().selectFrom("products").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("id", "=", subject.product).executeTakeFirst();
  if (!subjectRow) return null;

  const scoped = (table: string) => {
    const parts = [partnerScope(actor, `${table}.partner_id`, `${table}.brand_id`)];
    if (f.province) parts.push(sql`${sql.ref(`${table}.province`)} = ${f.province}`);
    if (f.tier) parts.push(sql`${sql.ref(`${table}.partner_id`)} in (select tp.id from partners tp where tp.brand_id = ${brandId} and tp.tier = ${f.tier})`);
    parts.push("category" in subject ? sql`${sql.ref(`${table}.category_id`)} = ${subject.category}` : sql`${sql.ref(`${table}.product_id`)} = ${subject.product}`);
    return sql.join(parts, sql` and `);
  };
  const recentFrom = jalaliMonthStart(addDays(today, -RECENT_DAYS));
  const profitFrom = jalaliMonthStart(addDays(today, -PROFIT_DAYS));
  const recentDays = Math.max(1, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${recentFrom}T00:00:00Z`)) / 86_400_000) + 1);

  const [needs, wanted, recent, profit, products] = await Promise.all([
    sql<{ open: string | null; met: string | null }>`select sum(case when status = 'open' then needs else 0 end) as open, sum(case when status = 'met' then needs else 0 end) as met
      from insight_needs where ${scoped("insight_needs")}`.execute(db()),
    // A category's customers are its '' rows: a customer wanting two of its products counts once.
    sql<{ customers: string | null; ltv: string | null }>`select sum(customers) as customers, sum(ltv_rial) as ltv from insight_wanted
      where ${scoped("insight_wanted")} and ${"category" in subject ? sql`insight_wanted.product_id = ''` : sql`true`}`.execute(db()),
    sql<{ units: string | null }>`select sum(units) as units from insight_sales where ${scoped("insight_sales")} and insight_sales.month >= ${recentFrom}`.execute(db()),
    sql<{ orders: string | null; units: string | null; revenue: string | null; margin: string | null; shipped: string | null; onTime: string | null }>`
      select sum(orders) as orders, sum(units) as units, sum(revenue_rial) as revenue, sum(margin_rial) as margin, sum(shipped_lines) as shipped, sum(on_time_lines) as onTime
      from insight_sales where ${scoped("insight_sales")} and insight_sales.month >= ${profitFrom}`.execute(db()),
    db()
      .selectFrom("products")
      .select(["id", "sku", "name_fa", "name_en", "fulfilment", "stock_on_hand", "stock_reserved", "daily_capacity", "lead_time_days", "handling_days"])
      .where("brand_id", "=", brandId)
      .where("active", "=", true)
      .where("category" in subject ? "category_id" : "id", "=", "category" in subject ? subject.category : subject.product)
      .orderBy("sku")
      .execute(),
  ]);

  const availability: Availability[] = products.map((p) => ({
    fulfilment: p.fulfilment,
    onHand: p.stock_on_hand,
    reserved: p.stock_reserved,
    dailyCapacity: p.daily_capacity,
    leadTimeDays: p.lead_time_days,
    handlingDays: p.handling_days,
  }));
  const combined = combineAvailability(availability);
  const madeToOrder = products.filter((p) => p.fulfilment === "made_to_order").map((p) => p.id);
  const takenRows = madeToOrder.length
    ? await db()
        .selectFrom("capacity_ledger")
        .select([sql<string>`date_format(day, '%Y-%m-%d')`.as("day"), (eb) => eb.fn.sum<string>("units_taken").as("units")])
        .where("brand_id", "=", brandId)
        .where("product_id", "in", madeToOrder)
        .where("day", ">=", today)
        .groupBy("day")
        .execute()
    : [];
  const taken = new Map(takenRows.map((r) => [r.day, Number(r.units)]));

  const open = Number(needs.rows[0]?.open ?? 0);
  const recentUnits = Number(recent.rows[0]?.units ?? 0);
  const p = profit.rows[0];
  const verdict: TruthVerdict = products.length
    ? judgeCapability({ today, openNeeds: open, recentUnits, recentDays, availability: combined, taken })
    : { kind: "no_products", demand: open + Math.ceil((recentUnits / recentDays) * TRUTH_HORIZON_DAYS) };
  return {
    subject: { kind: "category" in subject ? ("category" as const) : ("product" as const), id: subjectRow.id, nameFa: subjectRow.name_fa, nameEn: subjectRow.name_en },
    customer: { openNeeds: open, metNeeds: Number(needs.rows[0]?.met ?? 0), customers: Number(wanted.rows[0]?.customers ?? 0), recentUnits, recentFrom },
    profit: {
      orders: Number(p?.orders ?? 0),
      units: Number(p?.units ?? 0),
      revenue: String(p?.revenue ?? "0"),
      margin: maySeeCost(actor) ? String(p?.margin ?? "0") : null,
      wantedLtv: String(wanted.rows[0]?.ltv ?? "0"),
      since: profitFrom,
    },
    capability: {
      free: Math.max(0, combined.onHand - combined.reserved),
      dailyCapacity: combined.dailyCapacity,
      leadTimeDays: combined.leadTimeDays,
      shipped: Number(p?.shipped ?? 0),
      onTime: Number(p?.onTime ?? 0),
      onTimePercent: percentOf(p?.onTime ?? 0, p?.shipped ?? 0),
      products: products.map((r) => ({ id: r.id, sku: r.sku, nameFa: r.name_fa, nameEn: r.name_en, fulfilment: r.fulfilment, free: Math.max(0, r.stock_on_hand - r.stock_reserved), dailyCapacity: r.daily_capacity, leadTimeDays: r.lead_time_days })),
    },
    verdict,
    today,
  };
}
