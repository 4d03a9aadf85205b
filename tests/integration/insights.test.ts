import { parse } from "csv-parse/sync";
import { createInstance } from "i18next";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { isActive, isLapsing, jalaliMonthStart, sumBy } from "~/domain/insights";
import type { Actor } from "~/domain/permissions";
import { i18nConfig } from "~/i18n";
import { rebuildInsights } from "~/models/insights/rebuild.server";
import type { InsightFilters } from "~/models/insights/filters";
import { insightData, type MonthRow, type NeedRow } from "~/models/insights/insights.server";
import { TABLES, type TableKey } from "~/models/insights/tables";
import { threeTruths } from "~/models/insights/truths.server";
import * as insightsPage from "~/routes/_app.insights._index";
import * as truthsPage from "~/routes/_app.insights.truths";
import * as insightsCsv from "~/routes/insights[.]csv";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { recordStatements } from "~/utils/sql-log.server";
import { registerAs } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { hit } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
type PageData = Extract<Awaited<ReturnType<typeof insightsPage.loader>>, { ok: true }>;

const NOW = new Date("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
let net: Network;
const cat = { kitchen: newId(), cooling: newId() };
const prod = { oven: newId(), fridge: newId(), fan: newId() };
/** customer id → the partner that registered it */
const holder = new Map<string, string>();

async function seedNetwork() {
  net = await createNetwork();
  const b = net.brandId;
  await db()
    .insertInto("need_categories")
    .values([
      { id: cat.kitchen, brand_id: b, name_fa: "آشپزخانه", name_en: "Kitchen", sort: 1, active: true },
      { id: cat.cooling, brand_id: b, name_fa: "سرمایش", name_en: "Cooling", sort: 2, active: true },
    ])
    .execute();
  await db()
    .insertInto("products")
    .values([
      { id: prod.oven, brand_id: b, sku: `OV-${b.slice(-6)}`, name_fa: "فر", name_en: "Oven", category_id: cat.kitchen, active: true, fulfilment: "stock", stock_on_hand: 5, stock_reserved: 1, handling_days: 1 },
      { id: prod.fridge, brand_id: b, sku: `FR-${b.slice(-6)}`, name_fa: "یخچال", name_en: "Fridge", category_id: cat.kitchen, active: true, fulfilment: "made_to_order", stock_on_hand: 0, daily_capacity: 2, lead_time_days: 3, handling_days: 2 },
      { id: prod.fan, brand_id: b, sku: `FN-${b.slice(-6)}`, name_fa: "پنکه", name_en: "Fan", category_id: cat.cooling, active: true, fulfilment: "stock", stock_on_hand: 500, handling_days: 1 },
    ])
    .execute();

  const registrants: [string, string][] = [
    [net.users.distributorRep.id, net.partners.distributor],
    [net.users.reseller1Rep.id, net.partners.reseller1],
    [net.users.reseller2Admin.id, net.partners.reseller2],
    [net.users.independentRep.id, net.partners.independent],
  ];
  const tiers = ["A", "B", "C", null] as const;
  let k = 0;
  for (const [userId, partnerId] of registrants) {
    for (let i = 0; i < 4; i++, k++) {
      const id = await registerAs(userId, { province: i % 2 ? "isfahan" : "tehran" });
      holder.set(id, partnerId);
      const lastOrder = new Date(NOW.getTime() - (10 + 37 * k) * DAY);
      await db()
        .updateTable("customers")
        .set({
          ltv_rial: BigInt(1_000_000 * (k + 1) + 7 * k),
          value_tier: tiers[(k + i) % 4],
          last_order_at: k % 5 === 4 ? null : lastOrder,
          avg_interval_days: k % 3 === 0 ? null : 15 + k,
          last_contact_at: k % 2 ? new Date(NOW.getTime() - (20 + 30 * k) * DAY) : null,
        })
        .where("id", "=", id)
        .execute();

      // Needs across six months, categories, products and statuses, recorded by the registrant.
      const statuses = ["open", "met", "declined", "open"] as const;
      for (let j = 0; j < 3; j++) {
        const created = new Date(NOW.getTime() - (5 + 29 * ((k + j) % 6)) * DAY - 3 * 3_600_000);
        const category = (k + j) % 3 === 0 ? cat.cooling : cat.kitchen;
        const product = category === cat.cooling ? (j === 2 ? null : prod.fan) : j === 1 ? prod.oven : prod.fridge;
        await db()
          .insertInto("customer_needs")
          .values({ id: newId(), brand_id: b, customer_id: id, partner_id: partnerId, category_id: category, body: "نیاز", priority: "medium", status: statuses[(k + j) % 4], product_id: product, recorded_by_user_id: userId, created_at: created, updated_at: created })
          .execute();
      }

      // One or two orders; every fifth is cancelled and must count nowhere.
      for (let j = 0; j <= k % 2; j++) {
        const orderId = newId();
        const placed = new Date(NOW.getTime() - (3 + 23 * ((k + 2 * j) % 7)) * DAY);
        const cancelled = (k + j) % 5 === 0;
        const shipped = !cancelled && (k + j) % 2 === 0 ? new Date(placed.getTime() + (j + 2) * DAY).toISOString().slice(0, 10) : null;
        await db()
          .insertInto("orders")
          .values({ id: orderId, brand_id: b, partner_id: partnerId, customer_id: id, number: `T-${orderId.slice(-10)}`, status: cancelled ? "cancelled" : shipped ? "shipped" : "confirmed", total_rial: 0n, margin_rial: 0n, placed_at: placed, created_at: placed, shipped_on: shipped })
          .execute();
        for (const [n, productId] of [prod.oven, j ? prod.fan : prod.fridge].entries()) {
          const quantity = 1 + ((k + n) % 3);
          await db()
            .insertInto("order_lines")
            .values({
              id: newId(), brand_id: b, order_id: orderId, product_id: productId, sort: n, options: "[]", personalisation: "{}", quantity,
              unit_list_rial: 100_000n, unit_net_rial: 90_000n, discount_rial: 0n, line_total_rial: BigInt(90_000 * quantity), line_margin_rial: BigInt(20_000 * quantity), source: "stock",
              promised_ship_on: new Date(placed.getTime() + 2 * DAY).toISOString().slice(0, 10),
            })
            .execute();
        }
      }
    }
  }
  for (const [partnerId, userId, count] of [[net.partners.distributor, net.users.distributorRep.id, 3], [net.partners.independent, net.users.independentRep.id, 2]] as const) {
    for (let i = 0; i < count; i++) {
      await db().insertInto("toolkit_events").values({ id: newId(), brand_id: b, toolkit_id: newId(), version: 1, partner_id: partnerId, user_id: userId, kind: i ? "download" : "view", created_at: new Date(NOW.getTime() - (i + 1) * 40 * DAY) }).execute();
    }
  }
  await rebuildInsights(db(), b, NOW);
}

/** The raw rows of the brand, straight from the tables the summaries were built from. */
async function raw() {
  const b = net.brandId;
  const [customers, needs, lines, orders, events] = await Promise.all([
    db().selectFrom("customers").selectAll().where("brand_id", "=", b).execute(),
    db().selectFrom("customer_needs").innerJoin("customers", "customers.id", "customer_needs.customer_id").select(["customer_needs.id", "customer_needs.partner_id", "customer_needs.category_id", "customer_needs.product_id", "customer_needs.status", "customer_needs.customer_id", "customer_needs.created_at", "customers.province"]).where("customer_needs.brand_id", "=", b).execute(),
    db().selectFrom("order_lines").innerJoin("orders", "orders.id", "order_lines.order_id").innerJoin("products", "products.id", "order_lines.product_id").select(["orders.partner_id", "orders.status", "orders.placed_at", "orders.shipped_on", "order_lines.promised_ship_on", "order_lines.quantity", "order_lines.line_total_rial", "order_lines.line_margin_rial", "products.category_id", "order_lines.product_id", "order_lines.order_id"]).where("orders.brand_id", "=", b).execute(),
    db().selectFrom("orders").select(["id", "partner_id", "status", "placed_at"]).where("brand_id", "=", b).execute(),
    db().selectFrom("toolkit_events").select(["partner_id"]).where("brand_id", "=", b).execute(),
  ]);
  const live = <T extends { status: string }>(rows: T[]) => rows.filter((r) => r.status !== "cancelled" && r.status !== "rejected");
  return { customers, needs, lines: live(lines), orders: live(orders), events };
}

const tehranMonth = (d: Date) => jalaliMonthStart(new Date(d.getTime() + 3.5 * 3_600_000).toISOString().slice(0, 10));
const count = <T>(rows: T[], key: (r: T) => string) => rows.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>());

async function page(userId: string, query = ""): Promise<PageData> {
  const out = await hit(insightsPage.loader, `/insights${query}`, {}, { as: userId });
  expect(out.status).toBe(200);
  return out.data as PageData;
}

beforeAll(seedNetwork);

describe("insight numbers equal a direct recount of the raw rows", () => {
  it("needs by category, province and product, open against met", async () => {
    const { tables } = await page(net.users.brandManager.id);
    const { needs } = await raw();
    const tally = (key: (n: (typeof needs)[number]) => string | null) => {
      const out: Record<string, { open: number; met: number; declined: number }> = {};
      for (const n of needs) {
        const k = key(n);
        if (k === null) continue;
        out[k] ??= { open: 0, met: 0, declined: 0 };
        out[k][n.status as "open"] += 1;
      }
      return out;
    };
    const shown = (rows: { key: string; open: number; met: number; declined: number }[]) => Object.fromEntries(rows.map((r) => [r.key, { open: r.open, met: r.met, declined: r.declined }]));
    expect(shown(tables.needs_category)).toEqual(tally((n) => n.category_id));
    expect(shown(tables.needs_province)).toEqual(tally((n) => n.province));
    expect(shown(tables.needs_product)).toEqual(tally((n) => n.product_id));
    expect(tables.needs_category.reduce((s, r) => s + r.open + r.met + r.declined, 0)).toBe(48);
  });

  it("monthly trend: needs, orders, units and revenue per Jalali month, cancelled orders left out", async () => {
    const { tables } = await page(net.users.brandManager.id);
    const { needs, orders, lines } = await raw();
    const needsByMonth = count(needs, (n) => tehranMonth(n.created_at));
    const ordersByMonth = count(orders, (o) => tehranMonth(o.placed_at));
    for (const m of tables.trend) {
      expect(m.needs).toBe(needsByMonth.get(m.month) ?? 0);
      expect(m.orders).toBe(ordersByMonth.get(m.month) ?? 0);
      const monthLines = lines.filter((l) => tehranMonth(l.placed_at) === m.month);
      expect(m.units).toBe(monthLines.reduce((s, l) => s + l.quantity, 0));
      expect(BigInt(m.revenue)).toBe(monthLines.reduce((s, l) => s + BigInt(l.line_total_rial), 0n));
    }
    expect(tables.trend.reduce((s, m) => s + m.orders, 0)).toBe(orders.length);
    expect(tables.trend.map((m) => m.month)).toEqual([...new Set([...needsByMonth.keys(), ...ordersByMonth.keys()])].sort());
  });

  it("customers by value tier: count, active, lapsing beyond their usual cycle and lifetime value", async () => {
    const { tables } = await page(net.users.brandManager.id);
    const { customers } = await raw();
    const expected = new Map<string, { customers: number; active: number; lapsing: number; ltv: bigint }>();
    for (const c of customers) {
      const e = expected.get(c.value_tier ?? "") ?? { customers: 0, active: 0, lapsing: 0, ltv: 0n };
      e.customers += 1;
      e.active += isActive(c, NOW) ? 1 : 0;
      e.lapsing += isLapsing(c, NOW) ? 1 : 0;
      e.ltv += BigInt(c.ltv_rial);
      expected.set(c.value_tier ?? "", e);
    }
    expect(tables.value.map((r) => [r.tier, { customers: r.customers, active: r.active, lapsing: r.lapsing, ltv: BigInt(r.ltv) }])).toEqual(
      ["A", "B", "C", ""].filter((t) => expected.has(t)).map((t) => [t, expected.get(t)]),
    );
    expect(tables.value.reduce((s, r) => s + r.lapsing, 0)).toBeGreaterThan(0);
  });

  it("top customers and lapsing customers: the most valuable first, the same as sorting all of them", async () => {
    const { tables } = await page(net.users.brandManager.id);
    const { customers } = await raw();
    const byValue = [...customers].sort((a, b) => Number(BigInt(b.ltv_rial) - BigInt(a.ltv_rial)));
    expect(tables.top.map((r) => r.id)).toEqual(byValue.slice(0, 10).map((c) => c.id));
    expect(tables.lapsing.map((r) => r.id)).toEqual(byValue.filter((c) => isLapsing(c, NOW)).slice(0, 10).map((c) => c.id));
  });

  it("partner coverage: customers, active ones, needs, toolkit uses and orders per partner and per tier", async () => {
    const { tables } = await page(net.users.brandManager.id);
    const { customers, needs, orders, events } = await raw();
    const per = (rows: { partner_id: string | null }[]) => count(rows, (r) => r.partner_id ?? "");
    const [c, a, n, o, e] = [per(customers.map((x) => ({ partner_id: x.registered_by_partner_id }))), per(customers.filter((x) => isActive(x, NOW)).map((x) => ({ partner_id: x.registered_by_partner_id }))), per(needs), per(orders), per(events)];
    const ids = Object.values(net.partners);
    expect(tables.coverage.map((r) => r.partnerId).sort()).toEqual([...ids].sort());
    for (const r of tables.coverage) {
      expect(r, r.partnerId).toMatchObject({ customers: c.get(r.partnerId) ?? 0, active: a.get(r.partnerId) ?? 0, needs: n.get(r.partnerId) ?? 0, orders: o.get(r.partnerId) ?? 0, toolkitUses: e.get(r.partnerId) ?? 0 });
    }
    // The distributor is gold, the three resellers registered: the tier table adds them up.
    const gold = tables.coverage_tier.find((r) => r.tier === "gold")!;
    const registered = tables.coverage_tier.find((r) => r.tier === "registered")!;
    expect(gold.customers).toBe(4);
    expect(registered.customers).toBe(12);
    expect(registered.orders).toBe(orders.filter((x) => x.partner_id !== net.partners.distributor).length);
  });

  it("filters narrow by customer province, partner tier and whole Jalali months", async () => {
    const { needs, orders } = await raw();
    const tehran = await page(net.users.brandManager.id, "?province=tehran");
    expect(tehran.tables.needs_province.map((r) => r.key)).toEqual(["tehran"]);
    expect(tehran.tables.needs_category.reduce((s, r) => s + r.open + r.met + r.declined, 0)).toBe(needs.filter((x) => x.province === "tehran").length);
    const gold = await page(net.users.brandManager.id, "?tier=gold");
    expect(gold.tables.coverage.map((r) => r.partnerId)).toEqual([net.partners.distributor]);
    // 1405/08/01 is 2026-10-23: from then on, in Jalali months.
    const recent = await page(net.users.brandManager.id, `?from=${encodeURIComponent("۱۴۰۵/۰۸/۱۵")}`);
    expect(recent.tables.trend.every((m) => m.month >= "2026-10-23")).toBe(true);
    expect(recent.tables.trend.reduce((s, m) => s + m.orders, 0)).toBe(orders.filter((o) => tehranMonth(o.placed_at) >= "2026-10-23").length);
  });

  it("three truths of a category: open needs, customers who want it, revenue, margin and what can be delivered", async () => {
    const actor = await actorFor(net.users.brandManager.id);
    const truths = (await threeTruths(actor, { category: cat.kitchen }, {}, NOW))!;
    const { needs, lines, customers } = await raw();
    const kitchenOpen = needs.filter((n) => n.category_id === cat.kitchen && n.status === "open");
    const wanting = new Set(kitchenOpen.map((n) => n.customer_id));
    expect(truths.customer.openNeeds).toBe(kitchenOpen.length);
    expect(truths.customer.customers).toBe(wanting.size);
    expect(BigInt(truths.profit.wantedLtv)).toBe(customers.filter((c) => wanting.has(c.id)).reduce((s, c) => s + BigInt(c.ltv_rial), 0n));
    const kitchenLines = lines.filter((l) => l.category_id === cat.kitchen && tehranMonth(l.placed_at) >= truths.profit.since);
    expect(BigInt(truths.profit.revenue)).toBe(kitchenLines.reduce((s, l) => s + BigInt(l.line_total_rial), 0n));
    expect(BigInt(truths.profit.margin!)).toBe(kitchenLines.reduce((s, l) => s + BigInt(l.line_margin_rial), 0n));
    const shipped = kitchenLines.filter((l) => l.shipped_on);
    expect(truths.capability).toMatchObject({ free: 4, dailyCapacity: 2, leadTimeDays: 3, shipped: shipped.length, onTime: shipped.filter((l) => l.shipped_on! <= l.promised_ship_on!).length });
    // Demand: open needs plus the recent order rate over 30 days; deliverable: 4 free + 2 a day from day 3 to day 28.
    const recentUnits = lines.filter((l) => l.category_id === cat.kitchen && tehranMonth(l.placed_at) >= truths.customer.recentFrom).reduce((s, l) => s + l.quantity, 0);
    const recentDays = (Date.parse("2026-12-01") - Date.parse(truths.customer.recentFrom)) / DAY + 1;
    const demand = kitchenOpen.length + Math.ceil((recentUnits / recentDays) * 30);
    expect(truths.customer.recentUnits).toBe(recentUnits);
    expect(truths.verdict).toMatchObject({ kind: demand > 56 ? "short" : "enough", demand, deliverable: 56 });
  });
});

describe("the rollups the page reads agree with the detailed summaries", () => {
  /** The page's tables recomputed from the detailed summary rows, filtered and summed here. */
  async function fromDetail(actor: Actor, f: InsightFilters) {
    const b = net.brandId;
    const [needs, sales, activity, customers, lists, partners, categories, products] = await Promise.all([
      db().selectFrom("insight_needs").selectAll().where("brand_id", "=", b).execute(),
      db().selectFrom("insight_sales").selectAll().where("brand_id", "=", b).execute(),
      db().selectFrom("insight_activity").selectAll().where("brand_id", "=", b).execute(),
      db().selectFrom("insight_customers").selectAll().where("brand_id", "=", b).execute(),
      db().selectFrom("insight_customer_list").selectAll().where("brand_id", "=", b).execute(),
      db().selectFrom("partners").select(["id", "name_fa", "name_en", "tier"]).where("brand_id", "=", b).execute(),
      db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", b).execute(),
      db().selectFrom("products").select(["id", "name_fa", "name_en"]).where("brand_id", "=", b).execute(),
    ]);
    const partner = new Map(partners.map((p) => [p.id, p]));
    const kept = (r: { partner_id: string; province: string }) =>
      (actor.scope === "network" || actor.scope.includes(r.partner_id)) && (!f.tier || partner.get(r.partner_id)?.tier === f.tier) && (!f.province || r.province === f.province);
    const monthOf = (r: { month: Date | string }) => new Date(r.month).toISOString().slice(0, 10);
    const inWindow = (r: { month: Date | string }) => (!f.fromMonth || monthOf(r) >= f.fromMonth) && (!f.toMonth || monthOf(r) <= f.toMonth);
    const windowed = <T extends { partner_id: string; province: string; month: Date | string }>(rows: T[]) => rows.filter((r) => kept(r) && inWindow(r));
    const byTotal = (a: NeedRow, b: NeedRow) => b.open + b.met + b.declined - (a.open + a.met + a.declined) || a.key.localeCompare(b.key);
    const needsBy = (key: (r: (typeof needs)[number]) => string, names: Map<string, { name_fa: string; name_en: string }> | null) => {
      const out = new Map<string, NeedRow>();
      for (const r of windowed(needs)) {
        const k = key(r);
        const name = names ? names.get(k) : { name_fa: k, name_en: k };
        if (!name) continue;
        const row = out.get(k) ?? { key: k, nameFa: name.name_fa, nameEn: name.name_en, open: 0, met: 0, declined: 0 };
        if (r.status === "open" || r.status === "met" || r.status === "declined") row[r.status] += r.needs;
        out.set(k, row);
      }
      return [...out.values()].sort(byTotal);
    };
    const trend = new Map<string, MonthRow>();
    const month = (m: Date | string) => trend.get(monthOf({ month: m })) ?? trend.set(monthOf({ month: m }), { month: monthOf({ month: m }), needs: 0, met: 0, orders: 0, units: 0, revenue: "0" }).get(monthOf({ month: m }))!;
    for (const r of windowed(needs)) Object.assign(month(r.month), { needs: month(r.month).needs + r.needs, met: month(r.month).met + (r.status === "met" ? r.needs : 0) });
    for (const r of windowed(sales)) Object.assign(month(r.month), { units: month(r.month).units + Number(r.units), revenue: String(BigInt(month(r.month).revenue) + BigInt(r.revenue_rial)) });
    for (const r of windowed(activity)) month(r.month).orders += r.orders;
    const tiers = sumBy(customers.filter(kept), (r) => r.value_tier, ["customers", "active", "lapsing", "ltv_rial"]);
    const listed = (list: "top" | "lapsing") =>
      lists
        .filter((r) => r.list === list && kept(r))
        .sort((a, b) => Number(BigInt(b.ltv_rial) - BigInt(a.ltv_rial)) || a.customer_id.localeCompare(b.customer_id))
        .slice(0, 10)
        .map((r) => [r.customer_id, String(r.ltv_rial)]);
    const coverage = new Map<string, { partnerId: string; customers: number; active: number; needs: number; toolkitUses: number; orders: number }>();
    const cover = (id: string) => coverage.get(id) ?? coverage.set(id, { partnerId: id, customers: 0, active: 0, needs: 0, toolkitUses: 0, orders: 0 }).get(id)!;
    for (const r of customers.filter(kept)) Object.assign(cover(r.partner_id), { customers: cover(r.partner_id).customers + r.customers, active: cover(r.partner_id).active + r.active });
    for (const r of windowed(needs)) cover(r.partner_id).needs += r.needs;
    for (const r of windowed(activity)) Object.assign(cover(r.partner_id), { orders: cover(r.partner_id).orders + r.orders, toolkitUses: cover(r.partner_id).toolkitUses + r.toolkit_uses });
    return {
      needs_category: needsBy((r) => r.category_id, new Map(categories.map((c) => [c.id, c]))),
      needs_product: needsBy((r) => r.product_id, new Map(products.map((c) => [c.id, c]))),
      needs_province: needsBy((r) => r.province, null),
      trend: [...trend.values()].sort((a, b) => a.month.localeCompare(b.month)),
      value: ["A", "B", "C", ""].flatMap((t) => tiers.filter((r) => r.value_tier === t)).map((r) => ({ tier: r.value_tier, customers: Number(r.customers), active: Number(r.active), lapsing: Number(r.lapsing), ltv: String(r.ltv_rial) })),
      top: listed("top"),
      lapsing: listed("lapsing"),
      coverage: [...coverage.values()].sort((a, b) => b.customers - a.customers || b.orders - a.orders || a.partnerId.localeCompare(b.partnerId)),
    };
  }

  it("for the brand, a distributor and resellers, with every filter and their combinations", async () => {
    const months = [...new Set((await db().selectFrom("insight_needs").select("month").where("brand_id", "=", net.brandId).execute()).map((r) => new Date(r.month).toISOString().slice(0, 10)))].sort();
    expect(months.length).toBeGreaterThanOrEqual(5);
    const filters: InsightFilters[] = [
      {},
      { province: "tehran" },
      { tier: "registered" },
      { tier: "gold", province: "isfahan" },
      { fromMonth: months[2] },
      { toMonth: months[3] },
      { fromMonth: months[1], toMonth: months[3], province: "isfahan", tier: "registered" },
    ];
    for (const userId of [net.users.brandManager.id, net.users.distributorAdmin.id, net.users.reseller1Admin.id, net.users.independentAdmin.id]) {
      const actor = await actorFor(userId);
      for (const f of filters) {
        const what = `${userId} ${JSON.stringify(f)}`;
        const shown = (await insightData(actor, f)).tables;
        const expected = await fromDetail(actor, f);
        expect(shown.needs_category, what).toEqual(expected.needs_category);
        expect(shown.needs_product, what).toEqual(expected.needs_product);
        expect(shown.needs_province, what).toEqual(expected.needs_province);
        expect(shown.trend, what).toEqual(expected.trend);
        expect(shown.value, what).toEqual(expected.value);
        expect(shown.top.map((r) => [r.id, r.ltv]), what).toEqual(expected.top);
        expect(shown.lapsing.map((r) => [r.id, r.ltv]), what).toEqual(expected.lapsing);
        expect(shown.coverage.map(({ nameFa: _f, nameEn: _e, tier: _t, ...r }) => r), what).toEqual(expected.coverage);
        // The page's first rows (chosen by the database) are the first of all, and its counts theirs.
        for (const first of [1, 2]) {
          const page = await insightData(actor, f, first);
          for (const key of ["needs_category", "needs_product", "needs_province"] as const) {
            expect(page.tables[key], `${what} ${key} first ${first}`).toEqual(expected[key].slice(0, first));
            expect(page.counts[key], `${what} ${key} count`).toBe(expected[key].length);
          }
        }
      }
    }
  });
});

describe("who sees what", () => {
  it("a partner admin's insights hold only its own partner's customers, needs and orders", async () => {
    const { tables } = await page(net.users.independentAdmin.id);
    const { needs, orders } = await raw();
    const own = (id: string) => holder.get(id) === net.partners.independent;
    expect(tables.coverage.map((r) => r.partnerId)).toEqual([net.partners.independent]);
    expect(tables.top.length).toBeGreaterThan(0);
    expect(tables.top.every((r) => own(r.id))).toBe(true);
    expect(tables.lapsing.every((r) => own(r.id))).toBe(true);
    expect(tables.needs_category.reduce((s, r) => s + r.open + r.met + r.declined, 0)).toBe(needs.filter((n) => n.partner_id === net.partners.independent).length);
    expect(tables.trend.reduce((s, m) => s + m.orders, 0)).toBe(orders.filter((o) => o.partner_id === net.partners.independent).length);
    expect(tables.value.reduce((s, r) => s + r.customers, 0)).toBe(4);
    const truths = await threeTruths(await actorFor(net.users.independentAdmin.id), { category: cat.kitchen }, {}, NOW);
    expect(truths!.customer.openNeeds).toBe(needs.filter((n) => n.partner_id === net.partners.independent && n.category_id === cat.kitchen && n.status === "open").length);
    // The brand's margin is a cost secret: partners see revenue only.
    expect(truths!.profit.margin).toBeNull();
  });

  it("a distributor's admin sees its resellers' too, and no one else's", async () => {
    const { tables } = await page(net.users.distributorAdmin.id);
    const { partners } = net;
    expect(tables.coverage.map((r) => r.partnerId).sort()).toEqual([partners.distributor, partners.reseller1, partners.reseller2].sort());
    expect(tables.top.every((r) => holder.get(r.id) !== partners.independent)).toBe(true);
    expect(tables.value.reduce((s, r) => s + r.customers, 0)).toBe(12);
  });

  it("a reseller's admin does not see its distributor or its sibling", async () => {
    const { tables } = await page(net.users.reseller1Admin.id);
    expect(tables.coverage.map((r) => r.partnerId)).toEqual([net.partners.reseller1]);
    expect(tables.top.every((r) => holder.get(r.id) === net.partners.reseller1)).toBe(true);
  });
});

describe("bad filters", () => {
  const fa = createInstance();
  beforeAll(() => fa.init({ ...i18nConfig, lng: "fa" }));

  for (const [what, query, field] of [
    ["an impossible Jalali date (30 Esfand of a common year)", `?from=${encodeURIComponent("1404/12/30")}`, "from"],
    ["a date that is not a date", "?to=yesterday", "to"],
    ["an end before the start", `?from=${encodeURIComponent("1405/02/01")}&to=${encodeURIComponent("1405/01/01")}`, "to"],
    ["an unknown province", "?province=atlantis", "province"],
    ["an unknown tier", "?tier=diamond", "tier"],
  ] as const) {
    it(`${what}: 400 with a Persian message, and no data`, async () => {
      const out = await hit(insightsPage.loader, `/insights${query}`, {}, { as: net.users.brandManager.id });
      expect(out.status).toBe(400);
      const d = out.data as { ok: boolean; message: string; errors: Record<string, { key: string }> };
      expect(d.ok).toBe(false);
      expect(d.message).toBe("فیلترها درست نیستند؛ خطاهای زیر را برطرف کنید.");
      expect(Object.keys(d.errors)).toEqual([field]);
      expect(fa.t(d.errors[field].key)).toMatch(/[\u0600-\u06FF]/);
      expect(d).not.toHaveProperty("tables");
      const csv = await hit(insightsCsv.loader, `/insights.csv${query}&table=coverage`, {}, { as: net.users.brandManager.id });
      expect(csv.status).toBe(400);
      expect(await csv.response!.text()).toBe("فیلترها درست نیستند؛ خطاهای زیر را برطرف کنید.");
    });
  }

  it("the three truths refuse both a category and a product at once (400) and an unknown one (404)", async () => {
    const both = await hit(truthsPage.loader, `/insights/truths?category=${cat.kitchen}&product=${prod.fan}`, {}, { as: net.users.brandManager.id });
    expect(both.status).toBe(400);
    const unknown = await hit(truthsPage.loader, "/insights/truths?category=01ZZZZZZZZZZZZZZZZZZZZZZZZ", {}, { as: net.users.brandManager.id });
    expect(unknown.status).toBe(404);
  });
});

describe("CSV export", () => {
  for (const key of ["needs_category", "coverage", "value", "trend", "top"] as TableKey[]) {
    it(`${key}: a BOM, Persian headers and exactly the rows and numbers of the table`, async () => {
      const { tables } = await page(net.users.brandManager.id, "?province=isfahan");
      const out = await hit(insightsCsv.loader, `/insights.csv?province=isfahan&table=${key}`, {}, { as: net.users.brandManager.id });
      expect(out.status).toBe(200);
      const bytes = new Uint8Array(await out.response!.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parse(new TextDecoder().decode(bytes)) as string[][];
      expect(header.every((h) => /[\u0600-\u06FF]/.test(h))).toBe(true);
      const t = createInstance();
      await t.init({ ...i18nConfig, lng: "fa", defaultNS: "insights" });
      const columns = TABLES[key] as { value: (row: unknown, ctx: never) => string | number }[];
      const expected = (tables[key] as unknown[]).map((row) => columns.map((c) => String(c.value(row, { t: t.t, locale: "fa" } as never))));
      expect(rows).toEqual(expected);
      expect(rows.length).toBeGreaterThan(0);
    });
  }
});

describe("the rebuild", () => {
  const TABLES = ["insight_needs", "insight_sales", "insight_activity", "insight_customers", "insight_wanted", "insight_customer_list", "insight_need_totals", "insight_month_totals", "insight_tier_totals", "insight_top"];
  async function rows() {
    const out: Record<string, string[]> = {};
    for (const table of TABLES) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where brand_id = ${net.brandId}`.execute(db());
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  }

  it("run again, writes the same rows (each step sums only this run's rows) and leaves the connection's settings as they were", async () => {
    const before = await rows();
    expect(before.insight_need_totals.length).toBeGreaterThan(20);
    const limits = sql<{ tmp: string; heap: string }>`select @@session.tmp_table_size as tmp, @@session.max_heap_table_size as heap`;
    await db()
      .connection()
      .execute(async (conn) => {
        const [was] = (await limits.execute(conn)).rows;
        const setLimits = (l: { tmp: string; heap: string }) => sql`set session tmp_table_size = ${Number(l.tmp)}, max_heap_table_size = ${Number(l.heap)}`.execute(conn);
        // Limits of this connection's own, unlike any the rebuild might set.
        await setLimits({ tmp: "33554432", heap: "34603008" });
        try {
          await rebuildInsights(conn, net.brandId, NOW);
          expect((await limits.execute(conn)).rows[0]).toEqual({ tmp: "33554432", heap: "34603008" });
        } finally {
          await setLimits(was);
        }
      });
    expect(await rows()).toEqual(before);
  });
});

describe("cost of a page view", () => {
  it("reads only the summary tables (and small lookups), never customers, needs or orders", async () => {
    const actor = await actorFor(net.users.brandManager.id);
    const { statements } = await recordStatements(async () => {
      await hit(insightsPage.loader, "/insights", {}, { as: net.users.brandManager.id });
      await threeTruths(actor, { category: cat.kitchen }, {}, NOW);
    });
    expect(statements.length).toBeGreaterThan(5);
    for (const s of statements) expect(s, s).not.toMatch(/\b(from|join)\s+`?(customers|customer_needs|orders|order_lines|toolkit_events)`?\b/i);
  });

  it("each summary read uses the brand-led primary key, not a scan of the table", async () => {
    for (const table of ["insight_needs", "insight_sales", "insight_activity", "insight_customers", "insight_wanted"]) {
      const [plan] = (await sql<{ type: string; key: string | null }>`explain select partner_id, count(*) from ${sql.table(table)} where brand_id = ${net.brandId} group by partner_id`.execute(db())).rows;
      expect(plan.type, table).not.toBe("ALL");
      expect(plan.key, table).toBe("PRIMARY");
    }
  });
});
