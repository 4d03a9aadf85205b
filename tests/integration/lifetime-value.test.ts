// The value job's BG/NBD + Gamma-Gamma fit: what it stores per brand and per customer, how it falls
// back, what an order refresh uses, and who sees the values.
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "#db/seed/random";
import { estimateLifetimeValue } from "~/domain/customer-value";
import { summaryInWeeks, valueCustomer } from "~/domain/ltv/brand-fit";
import { recomputeBrandValues, refreshCustomerValue } from "~/models/customer-value.server";
import { getCustomer } from "~/models/customers.server";
import { dailyActions } from "~/models/daily-actions.server";
import { addServingRows, copyToServingRows } from "~/models/serving-rows.server";
import * as profileRoute from "~/routes/_app.customers.$id";
import * as settingsRoute from "~/routes/_app.settings";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { actorFor, createNetwork } from "../factories";
import { hit } from "../routes";

const DAY = 86_400_000;
const now = new Date("2026-11-01T09:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);

type Network = Awaited<ReturnType<typeof createNetwork>>;

let phones = 0;
async function customer(net: Network, partnerId: string): Promise<string> {
  const id = newId();
  phones++;
  const phone = `+98935${String(Date.now() % 10_000).padStart(4, "0")}${String(phones).padStart(3, "0")}`;
  await db()
    .insertInto("customers")
    .values({ id, brand_id: net.brandId, kind: "person", display_name: `مشتری ${phones}`, name_key: `mshtry ${phones}`, name_alt_key: `${phones}`, phone, province: "tehran", city: "تهران", city_key: "thran", preferred_locale: "fa", preferred_channel: "phone", consent_partner_contact: true, consent_brand_contact: false, consent_share_partners: false, registered_by_partner_id: partnerId, registered_at: ago(900), created_at: ago(900), updated_at: ago(900) })
    .execute();
  await addServingRows(db(), net.brandId, partnerId, [id], ago(900));
  return id;
}

async function order(net: Network, partnerId: string, customerId: string, daysAgo: number, totalRial: bigint, marginRial = totalRial / 5n, status: "delivered" | "cancelled" = "delivered") {
  await db()
    .insertInto("orders")
    .values({ id: newId(), brand_id: net.brandId, partner_id: partnerId, customer_id: customerId, number: `LTV-${newId().slice(-12)}`, status, total_rial: totalRial, margin_rial: marginRial, placed_at: ago(daysAgo), created_at: ago(daysAgo) })
    .execute();
}

/**
 * A brand's buyers as the model pictures them: each buys at their own rate (Gamma-distributed) while
 * active and drops out after a purchase with their own probability (Beta-distributed); first
 * purchases spread over the last 500 days; margins of a few million Rial, Gamma-distributed around
 * each customer's own level.
 */
async function population(net: Network, partnerId: string, count: number, seed: number) {
  const random = mulberry32(seed);
  const gamma = (shape: number) => -Math.log(Array.from({ length: shape }, random).reduce((x, y) => x * y, 1)); // Gamma(shape, 1)
  for (let i = 0; i < count; i++) {
    const id = await customer(net, partnerId);
    const rate = (gamma(2) / 2) * (1 / 45); // purchases a day, mean one per 45 days
    const g = gamma(2);
    const dropout = g / (g + gamma(8)); // Beta(2, 8): one in five on average, more for some
    const level = 2_000_000 + Math.floor(random() * 8_000_000);
    let day = Math.floor(random() * 500) + 1;
    for (;;) {
      await order(net, partnerId, id, day, BigInt(level * 5), BigInt(Math.round((level * gamma(4)) / 4)));
      if (random() < dropout) break;
      day -= Math.ceil(-Math.log(1 - random()) / rate);
      if (day < 1) break;
    }
  }
}

const stored = (id: string) =>
  db().selectFrom("customers").select(["ltv_rial", "value_tier", "p_alive", "p_alive_previous", "expected_purchases", "expected_margin_rial", "ltv_fit_at", "order_count"]).where("id", "=", id).executeTakeFirstOrThrow();
const fitOf = (brandId: string) => db().selectFrom("brand_value_fits").selectAll().where("brand_id", "=", brandId).executeTakeFirst();
const TIER_ORDER = { A: 0, B: 1, C: 2 } as const;

describe("lifetime value job (BG/NBD + Gamma-Gamma)", () => {
  let net: Network;
  let one: string;
  let five: string;

  beforeAll(async () => {
    net = await createNetwork();
    await population(net, net.partners.reseller1, 80, 12);
    // The demo's pair: one order of 74M three weeks ago; five orders totalling 228M over a year.
    one = await customer(net, net.partners.reseller1);
    await order(net, net.partners.reseller1, one, 21, 74_000_000n);
    five = await customer(net, net.partners.reseller1);
    for (const [days, total] of [[380, 40_000_000n], [290, 52_000_000n], [200, 38_000_000n], [110, 50_000_000n], [25, 48_000_000n]] as const) {
      await order(net, net.partners.reseller1, five, days, total);
    }
  });

  it("fits the brand, stores the parameters and every buyer's P(alive), expected purchases and margin, and ranks the five-order customer above the one-order one", async () => {
    const result = await recomputeBrandValues(net.brandId, now, 25);
    expect(result).toMatchObject({ outcome: "fitted", reason: null, customers: 82 });

    const fit = (await fitOf(net.brandId))!;
    expect(fit).toMatchObject({ fitted_at: now, last_run_at: now, last_outcome: "fitted", last_reason: null, unit_days: 7, horizon_months: 36, discount_bp: 2000, customers: 82 });
    for (const v of [fit.bg_r, fit.bg_alpha, fit.bg_a, fit.bg_b, fit.gg_p, fit.gg_q, fit.gg_gamma]) expect(v).toBeGreaterThan(0);
    expect(fit.gg_q).toBeGreaterThan(1);
    expect(fit.repeat_customers).toBeGreaterThanOrEqual(10);
    expect(fit.bg_log_likelihood).toBeLessThan(0);
    expect(fit.gg_log_likelihood).toBeLessThan(0);
    expect(fit.active_share).toBeGreaterThan(0);
    expect(fit.active_share).toBeLessThanOrEqual(1);

    const [a, b] = [await stored(one), await stored(five)];
    for (const c of [a, b]) {
      expect(c.p_alive).toBeGreaterThan(0);
      expect(c.p_alive).toBeLessThanOrEqual(1);
      expect(c.expected_purchases).toBeGreaterThan(0);
      expect(BigInt(c.expected_margin_rial!)).toBeGreaterThan(0n);
      expect(c.ltv_fit_at).toEqual(now);
    }
    // The old estimate put the single order first (a high rate from one fresh purchase).
    const old = (orders: [number, bigint][]) => estimateLifetimeValue(orders.map(([d, t]) => ({ placedAt: ago(d), totalRial: t, marginRial: t / 5n })), now);
    expect(old([[21, 74_000_000n]])).toBeGreaterThan(old([[380, 40_000_000n], [290, 52_000_000n], [200, 38_000_000n], [110, 50_000_000n], [25, 48_000_000n]]));
    expect(BigInt(b.ltv_rial)).toBeGreaterThan(BigInt(a.ltv_rial));
    expect(b.expected_purchases!).toBeGreaterThan(a.expected_purchases!);
    expect(TIER_ORDER[b.value_tier!]).toBeLessThanOrEqual(TIER_ORDER[a.value_tier!]);

    // Stored values are the model's: recomputed from the stored parameters they agree.
    const model = { bg: { r: fit.bg_r!, alpha: fit.bg_alpha!, a: fit.bg_a!, b: fit.bg_b! }, gg: { p: fit.gg_p!, q: fit.gg_q!, gamma: fit.gg_gamma! } };
    const expected = valueCustomer(model, { ...summaryInWeeks(0, 0, 21), meanValue: 0 }, { horizonMonths: 36, annualDiscountRate: 0.2 });
    expect(a.p_alive).toBe(1);
    expect(a.expected_purchases).toBeCloseTo(expected.expectedPurchases, 9);
    expect(a.ltv_rial).toBe(String(expected.lifetimeValueRial));
  });

  it("the brand's settings page reads the stored fit; partners cannot open it", async () => {
    const page = await hit(settingsRoute.loader, "/settings", {}, { as: net.users.brandAdmin.id });
    expect(page.status).toBe(200);
    const { valueFit } = page.data as { valueFit: { fitted_at: Date; customers: number; bg_r: number; last_outcome: string } };
    expect(valueFit).toMatchObject({ fitted_at: now, customers: 82, last_outcome: "fitted" });
    expect(valueFit.bg_r).toBeGreaterThan(0);
    expect((await hit(settingsRoute.loader, "/settings", {}, { as: net.users.reseller1Admin.id })).status).toBe(403);
  });

  it("tiers by the brand's quantiles of the model's value: a higher value never sits in a lower tier", async () => {
    const rows = await db().selectFrom("customers").select(["ltv_rial", "value_tier"]).where("brand_id", "=", net.brandId).where("order_count", ">", 0).execute();
    const sorted = rows.map((r) => ({ v: BigInt(r.ltv_rial), t: TIER_ORDER[r.value_tier!] })).sort((x, y) => (x.v < y.v ? -1 : x.v > y.v ? 1 : 0));
    for (let k = 1; k < sorted.length; k++) expect(sorted[k].t).toBeLessThanOrEqual(sorted[k - 1].t);
    expect(new Set(sorted.map((s) => s.t))).toEqual(new Set([0, 1, 2]));
  });

  it("an order refreshes the customer with the stored parameters, without refitting", async () => {
    const before = (await fitOf(net.brandId))!;
    const later = new Date(now.getTime() + 2 * DAY);
    await order(net, net.partners.reseller1, one, -1, 30_000_000n);
    await refreshCustomerValue(db(), net.brandId, one, later);
    const after = (await fitOf(net.brandId))!;
    expect(after).toEqual(before);
    const model = { bg: { r: before.bg_r!, alpha: before.bg_alpha!, a: before.bg_a!, b: before.bg_b! }, gg: { p: before.gg_p!, q: before.gg_q!, gamma: before.gg_gamma! } };
    // Two purchase days, 22 days apart; age 23 days on the refresh day.
    const expected = valueCustomer(model, { ...summaryInWeeks(1, 22, 23), meanValue: 6_000_000 }, { horizonMonths: 36, annualDiscountRate: 0.2 });
    const c = await stored(one);
    expect(c.order_count).toBe(2);
    expect(c.p_alive).toBeCloseTo(expected.pAlive, 9);
    expect(c.expected_purchases).toBeCloseTo(expected.expectedPurchases, 9);
    expect(c.expected_margin_rial).toBe(String(expected.expectedMarginRial));
    expect(c.ltv_rial).toBe(String(expected.lifetimeValueRial));
    expect(c.ltv_fit_at).toEqual(before.fitted_at);
  });

  it("a partner sees the model's values of its own customers only", async () => {
    const own = await hit(profileRoute.loader, `/customers/${five}`, { id: five }, { as: net.users.reseller1Rep.id });
    expect(own.status).toBe(200);
    const shown = (own.data as { customer: { p_alive: number; expected_purchases: number; ltv_fit_at: string | Date; ltv_horizon_months: number } }).customer;
    expect(shown.p_alive).toBeGreaterThan(0);
    expect(shown.expected_purchases).toBeGreaterThan(0);
    expect(shown.ltv_horizon_months).toBe(36);
    const other = await hit(profileRoute.loader, `/customers/${five}`, { id: five }, { as: net.users.independentRep.id });
    expect(other.status).toBe(404);
    expect(await getCustomer(await actorFor(net.users.reseller2Admin.id), five)).toBeUndefined();
  });

  it("a customer the model says is probably lapsing joins the serving rep's actions for today, with the percentages as reason", async () => {
    const id = await customer(net, net.partners.reseller1);
    await order(net, net.partners.reseller1, id, 300, 20_000_000n);
    // As the value job leaves a buyer: a tier beside the model's values (the day's list reads tier by tier).
    await db().updateTable("customers").set({ order_count: 1, value_tier: "C", last_contact_at: ago(1), p_alive: 0.55, p_alive_previous: 0.9 }).where("id", "=", id).execute();
    await copyToServingRows(db(), net.brandId, [id]);
    const today = await dailyActions(await actorFor(net.users.reseller1Rep.id), 500, now);
    expect(today.find((c) => c.customer.id === id)?.actions).toEqual([{ code: "probably_lapsing", priority: 2, params: { percent: 55, previousPercent: 90, thresholdPercent: 30 } }]);
    // Not on another partner's list.
    expect((await dailyActions(await actorFor(net.users.independentRep.id), 500, now)).map((c) => c.customer.id)).not.toContain(id);
  });

  it("a later run that cannot fit keeps the previous parameters, says why, and still values every customer with them", async () => {
    const before = (await fitOf(net.brandId))!;
    // Most orders cancelled: too few buyers left to fit.
    const keep = await db().selectFrom("orders").select("id").where("brand_id", "=", net.brandId).orderBy("id").limit(20).execute();
    await db().updateTable("orders").set({ status: "cancelled" }).where("brand_id", "=", net.brandId).where("id", "not in", keep.map((k) => k.id)).execute();
    const later = new Date(now.getTime() + 7 * DAY);
    const result = await recomputeBrandValues(net.brandId, later);
    expect(result).toMatchObject({ outcome: "kept_previous", reason: "too_few_customers" });
    const after = (await fitOf(net.brandId))!;
    expect(after).toMatchObject({ fitted_at: before.fitted_at, bg_r: before.bg_r, gg_gamma: before.gg_gamma, last_run_at: later, last_outcome: "kept_previous", last_reason: "too_few_customers" });
    const buyer = await db().selectFrom("orders").innerJoin("customers", "customers.id", "orders.customer_id").select(["customers.p_alive", "customers.ltv_fit_at"]).where("orders.id", "=", keep[0].id).executeTakeFirstOrThrow();
    expect(buyer.p_alive).toBeGreaterThan(0);
    expect(buyer.ltv_fit_at).toEqual(before.fitted_at);
  });
});

describe("lifetime value job without enough data", () => {
  it("falls back to the old estimate and records why, never failing the run", async () => {
    const net = await createNetwork();
    const ids = [await customer(net, net.partners.independent), await customer(net, net.partners.independent)];
    await order(net, net.partners.independent, ids[0], 100, 50_000_000n);
    await order(net, net.partners.independent, ids[0], 10, 50_000_000n);
    await order(net, net.partners.independent, ids[1], 5, 20_000_000n);
    const result = await recomputeBrandValues(net.brandId, now);
    expect(result).toMatchObject({ outcome: "old_estimate", reason: "too_few_customers", customers: 2 });
    expect(await fitOf(net.brandId)).toMatchObject({ fitted_at: null, bg_r: null, last_outcome: "old_estimate", last_reason: "too_few_customers", customers: 0 });
    const c = await stored(ids[0]);
    expect(c).toMatchObject({ p_alive: null, expected_purchases: null, ltv_fit_at: null, value_tier: "A" });
    expect(c.ltv_rial).toBe(String(estimateLifetimeValue([{ placedAt: ago(100), totalRial: 50_000_000n, marginRial: 10_000_000n }, { placedAt: ago(10), totalRial: 50_000_000n, marginRial: 10_000_000n }], now)));
  });
});
