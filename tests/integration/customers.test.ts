import { CompiledQuery } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { addInteraction, addNeed, listNeeds, setNeedStatus, timeline } from "~/models/customer-activity.server";
import { recomputeBrandValues, refreshCustomerValue } from "~/models/customer-value.server";
import { customerStats, filteredCustomers, findDuplicates, getCustomer, registerCustomer, setConsents, updateCustomer } from "~/models/customers.server";
import { searchCustomers } from "~/models/customer-list.server";
import * as profileRoute from "~/routes/_app.customers.$id";
import * as listRoute from "~/routes/_app.customers._index";
import * as newRoute from "~/routes/_app.customers.new";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { customerInput, registerAs } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";
import { addServingRows } from "~/models/serving-rows.server";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let categoryId: string;
let productId: string;

const count = async (brandId: string) => Number((await db().selectFrom("customers").select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", brandId).executeTakeFirstOrThrow()).n);
const search = async (userId: string, q: string) => (await searchCustomers(await actorFor(userId), { q, sort: "name" })).rows;
const told = { channel: "in_person" as const, givenAt: new Date(), note: null };
const serveToo = (customerId: string, partnerId: string) => addServingRows(db(), net.brandId, partnerId, [customerId], new Date());

beforeAll(async () => {
  net = await createNetwork();
  categoryId = newId();
  productId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true }).execute();
  await db().insertInto("products").values({ id: productId, brand_id: net.brandId, sku: "RF-540", name_fa: "یخچال ۵۴۰", name_en: "Fridge 540", category_id: categoryId, active: true }).execute();
});

describe("registration and duplicates", () => {
  it("finds the same customer registered by another partner by phone, email or name and city, and writes nothing", async () => {
    const first = customerInput({ displayName: "پرویز سلیمانی", city: "کرج" });
    await registerAs(net.users.reseller1Rep.id, first);
    const before = await count(net.brandId);
    const other = await actorFor(net.users.independentRep.id);

    const byPhone = await registerCustomer(other, customerInput({ phone: first.phone }));
    expect(byPhone).toMatchObject({ duplicates: [{ match: "phone", servedByYou: false }] });
    expect(JSON.stringify(byPhone)).not.toContain(first.displayName);
    const byEmail = await registerCustomer(other, customerInput({ email: first.email }));
    expect(byEmail).toMatchObject({ duplicates: [{ match: "email", servedByYou: false }] });
    // Arabic-keyboard letters and extra spaces still make the same name.
    const byName = await registerCustomer(other, customerInput({ displayName: "پرويز   سليماني", city: "كرج" }));
    expect(byName).toMatchObject({ duplicates: [{ match: "name_city" }] });
    expect(await count(net.brandId)).toBe(before);

    const forced = await registerCustomer(other, customerInput({ displayName: "پرویز سلیمانی", city: "کرج" }), { force: true });
    expect(forced).toHaveProperty("id");
    // A phone match is never forced through.
    expect(await registerCustomer(other, customerInput({ phone: first.phone }), { force: true })).toHaveProperty("duplicates");
  });

  it("tells a partner that already serves the customer who it is", async () => {
    const input = customerInput();
    const id = await registerAs(net.users.reseller1Rep.id, input);
    const dupes = await findDuplicates(await actorFor(net.users.reseller1Admin.id), input);
    expect(dupes).toEqual([expect.objectContaining({ id, servedByYou: true, displayName: input.displayName })]);
    expect(dupes[0].protectedUntil).not.toBeNull();
  });

  it("the registration form stores the display form and answers bad input with field errors in 400, writing nothing", async () => {
    const before = await count(net.brandId);
    const bad = await hit(newRoute.action, "/customers/new", {}, {
      as: net.users.reseller1Rep.id,
      form: { kind: "person", displayName: `علی\u202Eرضا`, phone: "12345", email: "nope", province: "tehran", city: "x".repeat(101), preferredLocale: "fa", preferredChannel: "phone" },
    });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toMatchObject({ displayName: "errors.control_chars", phone: "errors.phone", email: "errors.email", city: "errors.too_long" });
    const long = await hit(newRoute.action, "/customers/new", {}, { as: net.users.reseller1Rep.id, form: { ...customerFormOf(customerInput()), displayName: "ن".repeat(201) } });
    expect(errorKeys(long)).toMatchObject({ displayName: "errors.too_long" });
    expect(await count(net.brandId)).toBe(before);

    const ok = await hit(newRoute.action, "/customers/new", {}, { as: net.users.reseller1Rep.id, form: { ...customerFormOf(customerInput()), displayName: "علي  كاظمي", phone: "۰۹۳۵ ۱۲۳ ۴۵۶۷" } });
    expect(ok.status).toBe(302);
    const stored = await db().selectFrom("customers").select(["display_name", "phone"]).where("phone", "=", "+989351234567").executeTakeFirstOrThrow();
    expect(stored).toEqual({ display_name: "علی کاظمی", phone: "+989351234567" });
  });

  it("partners users only; a brand role may not register", async () => {
    const res = await hit(newRoute.action, "/customers/new", {}, { as: net.users.brandAdmin.id, form: customerFormOf(customerInput()) });
    expect(res.status).toBe(403);
  });
});

function customerFormOf(input: ReturnType<typeof customerInput>): Record<string, string> {
  return { kind: input.kind, displayName: input.displayName, phone: input.phone, email: input.email ?? "", province: input.province, city: input.city, preferredLocale: input.preferredLocale, preferredChannel: input.preferredChannel };
}

describe("search", () => {
  it("finds a name typed with ي/ك by either spelling, by surname prefix, and a phone typed in Persian digits", async () => {
    const id = await registerAs(net.users.reseller1Rep.id, customerInput({ displayName: "كيميا يزداني", phone: "+989127770011" }));
    for (const q of ["کیمیا یزدانی", "كيميا", "یزدان", "  کیمیا  "]) expect((await search(net.users.reseller1Rep.id, q)).map((r) => r.id)).toContain(id);
    for (const q of ["۰۹۱۲۷۷۷۰۰۱۱", "+98 912 777 0011", "٠٩١٢-٧٧٧-٠٠١١"]) expect((await search(net.users.reseller1Rep.id, q)).map((r) => r.id)).toEqual([id]);
    expect(await search(net.users.independentRep.id, "کیمیا یزدانی")).toEqual([]);
  });

  it("does not match a phone the viewer may not see", async () => {
    const phone = "+989127770022";
    const id = await registerAs(net.users.reseller1Rep.id, customerInput({ phone }));
    await serveToo(id, net.partners.independent);
    expect(await search(net.users.independentRep.id, phone)).toEqual([]);
  });

  it("finds a mobile by its last four or more digits, in any digit set, and only with four or more", async () => {
    const id = await registerAs(net.users.reseller1Rep.id, customerInput({ displayName: "ساناز بهرامی", phone: "+989127773049" }));
    const near = await registerAs(net.users.reseller1Rep.id, customerInput({ phone: "+989127773048" }));
    for (const q of ["۳۰۴۹", "٣٠٤٩", "3049", "73049", "۷۷۷ ۳۰۴۹", "127773049"]) expect((await search(net.users.reseller1Rep.id, q)).map((r) => r.id), q).toEqual([id]);
    expect((await search(net.users.reseller1Rep.id, "۷۳۰۴")).map((r) => r.id)).not.toContain(id);
    // Three digits are too few to mean a phone: they search names and cities, as before.
    expect((await search(net.users.reseller1Rep.id, "049")).map((r) => r.id)).toEqual([]);
    expect((await search(net.users.reseller1Rep.id, "3048")).map((r) => r.id)).toEqual([near]);
    // The distributor above the reseller sees the number; a partner outside does not find it.
    expect((await search(net.users.distributorAdmin.id, "3049")).map((r) => r.id)).toEqual([id]);
    expect(await search(net.users.independentRep.id, "3049")).toEqual([]);
  });

  it("never matches the last digits of a phone the viewer may not see", async () => {
    const id = await registerAs(net.users.reseller1Rep.id, customerInput({ phone: "+989127775161" }));
    await serveToo(id, net.partners.independent);
    // The independent reseller serves the customer too, but without consent to share its contact.
    expect((await searchCustomers(await actorFor(net.users.independentRep.id), { sort: "name" })).rows.map((r) => r.id)).toContain(id);
    expect(await search(net.users.independentRep.id, "5161")).toEqual([]);
    expect((await search(net.users.reseller1Rep.id, "5161")).map((r) => r.id)).toEqual([id]);
  });

  it("finds last digits through the (brand, reversed phone) index, not a scan", async () => {
    for (const userId of [net.users.brandManager.id, net.users.reseller1Rep.id]) {
      const compiled = filteredCustomers(await actorFor(userId), { q: "3049", sort: "name" }).select("customers.id").compile();
      const plan = await db().executeQuery<{ table: string; key: string | null; type: string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      expect(plan.rows.find((r) => r.table === "customers"), userId).toMatchObject({ key: "customers_brand_phone_rev", type: "range" });
    }
  });

  it("the list route reports an impossible Jalali date as a field error", async () => {
    const res = await hit(listRoute.loader, "/customers?contactFrom=1403/13/01&contactTo=1404/12/30", {}, { as: net.users.reseller1Rep.id });
    expect(res.status).toBe(200);
    expect((res.data as { errors: Record<string, { key: string }> }).errors).toEqual({ contactFrom: { key: "errors.date_impossible" }, contactTo: { key: "errors.date_impossible" } });
  });
});

describe("tenant scope and consent", () => {
  it("another partner's customer is a 404, a distributor sees its resellers' customers, a sibling reseller does not", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    expect(await getCustomer(await actorFor(net.users.distributorRep.id), id)).toBeDefined();
    expect(await getCustomer(await actorFor(net.users.reseller2Admin.id), id)).toBeUndefined();
    for (const user of [net.users.reseller2Admin.id, net.users.independentRep.id]) {
      const res = await hit(profileRoute.loader, `/customers/${id}`, { id }, { as: user });
      expect(res.status).toBe(404);
      const write = await hit(profileRoute.action, `/customers/${id}`, { id }, { as: user, form: { intent: "interaction", kind: "call", channel: "phone", note: "x" } });
      expect(write.status).toBe(404);
    }
    expect(await db().selectFrom("interactions").select("id").where("customer_id", "=", id).execute()).toEqual([]);
  });

  it("consent-restricted fields are absent from another serving partner's loader data until the customer agrees", async () => {
    const input = customerInput({ phone: "+989127770033", email: "secret-person@test.example", preferredTimes: "عصرها" });
    const id = await registerAs(net.users.reseller1Rep.id, input);
    await serveToo(id, net.partners.independent);
    const asOther = await hit(profileRoute.loader, `/customers/${id}`, { id }, { as: net.users.independentRep.id });
    expect(asOther.status).toBe(200);
    const text = JSON.stringify(asOther.data);
    expect(text).not.toContain("7770033");
    expect(text).not.toContain("secret-person");
    expect(text).not.toContain("عصرها");
    const asBrand = JSON.stringify((await hit(profileRoute.loader, `/customers/${id}`, { id }, { as: net.users.brandManager.id })).data);
    expect(asBrand).not.toContain("7770033");
    const asOwner = JSON.stringify((await hit(profileRoute.loader, `/customers/${id}`, { id }, { as: net.users.reseller1Rep.id })).data);
    expect(asOwner).toContain("7770033");

    await setConsents(await actorFor(net.users.reseller1Rep.id), id, { partner_contact: true, brand_contact: true, share_partners: true }, told);
    expect((await getCustomer(await actorFor(net.users.independentRep.id), id))?.phone).toBe(input.phone);
    expect((await getCustomer(await actorFor(net.users.brandManager.id), id))?.email).toBe(input.email);
    const events = await db().selectFrom("consent_events").select(["purpose", "granted", "user_id"]).where("customer_id", "=", id).execute();
    expect(events).toEqual(expect.arrayContaining([{ purpose: "share_partners", granted: 1, user_id: net.users.reseller1Rep.id }]));
  });

  it("needs are shared only with consent; interactions stay with the partner that recorded them", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    await serveToo(id, net.partners.independent);
    const owner = await actorFor(net.users.reseller1Rep.id);
    const other = await actorFor(net.users.independentRep.id);
    await addNeed(owner, id, { categoryId, body: "ماشین لباسشویی ۹ کیلویی", priority: "high", productId: null });
    await addInteraction(owner, id, { kind: "call", channel: "phone", note: "یادداشت خصوصی", occurredAt: new Date(), needId: null });
    expect(await listNeeds(other, id)).toEqual([]);
    expect(await timeline(other, id)).toEqual([]);
    expect((await timeline(await actorFor(net.users.brandManager.id), id)).length).toBe(2);
    await setConsents(owner, id, { partner_contact: true, brand_contact: false, share_partners: true }, told);
    expect((await listNeeds(other, id)).map((n) => n.body)).toEqual(["ماشین لباسشویی ۹ کیلویی"]);
    expect(await timeline(other, id)).toEqual([]);
  });
});

describe("needs, interactions and value", () => {
  it("records a need and an interaction through the profile form; last contact only moves forward", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    const as = { as: net.users.reseller1Rep.id };
    const need = await hit(profileRoute.action, `/customers/${id}`, { id }, { ...as, form: { intent: "need", categoryId, body: "کولر گازی برای مغازه", priority: "high", productId } });
    expect(need.status).toBe(200);
    const call = await hit(profileRoute.action, `/customers/${id}`, { id }, { ...as, form: { intent: "interaction", kind: "call", channel: "phone", note: "پیگیری شد", occurredOn: "۱۴۰۳/۰۱/۱۵" } });
    expect(call.status).toBe(200);
    const earlier = await hit(profileRoute.action, `/customers/${id}`, { id }, { ...as, form: { intent: "interaction", kind: "visit", channel: "in_person", occurredOn: "1402/06/01" } });
    expect(earlier.status).toBe(200);
    const row = await db().selectFrom("customers").select("last_contact_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.last_contact_at?.toISOString()).toBe("2024-04-02T20:30:00.000Z");
    const kinds = (await timeline(await actorFor(net.users.reseller1Rep.id), id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["need_recorded", "call", "visit"]));

    const profile = await hit(profileRoute.loader, `/customers/${id}`, { id }, as);
    expect((profile.data as { actions: { code: string }[] }).actions.map((a) => a.code)).toContain("offer_product_for_need");
  });

  it("the profile sends the latest five touchpoints and their count; ?timeline=all sends them all", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    const as = { as: net.users.reseller1Rep.id };
    const rep = await actorFor(net.users.reseller1Rep.id);
    for (let i = 0; i < 7; i++) await addInteraction(rep, id, { kind: "call", channel: "phone", note: `تماس ${i}`, occurredAt: new Date(Date.UTC(2025, 0, 1 + i)), needId: null });
    const all = (await timeline(rep, id)).map((e) => e.id);
    type Events = { events: { id: string }[]; eventsTotal: number };
    const latest = (await hit(profileRoute.loader, `/customers/${id}`, { id }, as)).data as Events;
    expect(latest.events.map((e) => e.id)).toEqual(all.slice(0, 5));
    expect(latest.eventsTotal).toBe(all.length);
    const whole = (await hit(profileRoute.loader, `/customers/${id}?timeline=all`, { id }, as)).data as Events;
    expect(whole.events.map((e) => e.id)).toEqual(all);
    expect(whole.eventsTotal).toBe(all.length);
  });

  it("refuses impossible and future dates and unknown kinds with 400, writing nothing", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    const as = { as: net.users.reseller1Rep.id };
    const cases: [Record<string, string>, string, string][] = [
      [{ occurredOn: "۱۴۰۴/۱۲/۳۰" }, "occurredOn", "errors.date_impossible"],
      [{ occurredOn: "1499/01/01" }, "occurredOn", "errors.date_future"],
      [{ occurredOn: "yesterday" }, "occurredOn", "errors.date_format"],
      [{ kind: "order" }, "kind", "errors.choice"],
      [{ note: "x".repeat(2001) }, "note", "errors.too_long"],
    ];
    for (const [form, field, key] of cases) {
      const res = await hit(profileRoute.action, `/customers/${id}`, { id }, { ...as, form: { intent: "interaction", kind: "call", channel: "phone", ...form } });
      expect(res.status).toBe(400);
      expect(errorKeys(res)[field]).toBe(key);
    }
    expect(await db().selectFrom("interactions").select("id").where("customer_id", "=", id).execute()).toEqual([]);
  });

  it("computes RFM and lifetime value from orders and tiers customers brand-wide", async () => {
    const ids = [await registerAs(net.users.reseller1Rep.id), await registerAs(net.users.reseller1Rep.id), await registerAs(net.users.reseller1Rep.id)];
    const now = new Date("2026-11-01T00:00:00Z");
    const order = (customerId: string, daysAgo: number, total: bigint) =>
      db()
        .insertInto("orders")
        .values({ id: newId(), brand_id: net.brandId, partner_id: net.partners.reseller1, customer_id: customerId, number: `T-${newId().slice(-10)}`, status: "delivered", total_rial: total, margin_rial: total / 5n, placed_at: new Date(now.getTime() - daysAgo * 86_400_000), created_at: now })
        .execute();
    await order(ids[0], 400, 900_000_000n);
    await order(ids[0], 200, 900_000_000n);
    await order(ids[0], 10, 900_000_000n);
    await order(ids[1], 30, 50_000_000n);
    await recomputeBrandValues(net.brandId, now);
    const rows = await db().selectFrom("customers").select(["id", "order_count", "monetary_rial", "ltv_rial", "value_tier", "avg_interval_days"]).where("id", "in", ids).execute();
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[ids[0]]).toMatchObject({ order_count: 3, monetary_rial: "2700000000", value_tier: "A", avg_interval_days: 195 });
    expect(BigInt(byId[ids[0]].ltv_rial)).toBeGreaterThan(BigInt(byId[ids[1]].ltv_rial));
    expect(byId[ids[2]]).toMatchObject({ order_count: 0, value_tier: null });

    await order(ids[2], 1, 5_000_000_000n);
    await refreshCustomerValue(db(), net.brandId, ids[2], now);
    expect(await db().selectFrom("customers").select(["order_count", "value_tier"]).where("id", "=", ids[2]).executeTakeFirstOrThrow()).toEqual({ order_count: 1, value_tier: "A" });
  });

  it("a hidden need neither filters the list nor counts on the home page of another serving partner", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    await serveToo(id, net.partners.independent);
    const other = await actorFor(net.users.independentRep.id);
    const statsBefore = await customerStats(other);
    await addNeed(await actorFor(net.users.reseller1Rep.id), id, { categoryId, body: "نیاز خصوصی", priority: "low", productId: null });
    expect((await searchCustomers(other, { needCategory: categoryId, sort: "name" })).rows.map((r) => r.id)).not.toContain(id);
    expect((await customerStats(other)).topNeeds).toEqual(statsBefore.topNeeds);
    expect((await searchCustomers(await actorFor(net.users.reseller1Rep.id), { needCategory: categoryId, sort: "name" })).rows.map((r) => r.id)).toContain(id);
  });

  it("an interaction may only point at a visible need of the same customer; bad ids are 400, not 500", async () => {
    const mine = await registerAs(net.users.reseller1Rep.id);
    const need = await addNeed(await actorFor(net.users.reseller1Rep.id), mine, { categoryId, body: "نیاز الف", priority: "low", productId: null });
    const other = await registerAs(net.users.reseller1Rep.id);
    const as = { as: net.users.reseller1Rep.id };
    for (const needId of [(need as { id: string }).id, "x".repeat(30)]) {
      const res = await hit(profileRoute.action, `/customers/${other}`, { id: other }, { ...as, form: { intent: "interaction", kind: "call", channel: "phone", needId } });
      expect(res.status).toBe(400);
      expect(errorKeys(res).needId).toBe("errors.choice");
    }
    expect(await db().selectFrom("interactions").select("id").where("customer_id", "=", other).execute()).toEqual([]);
  });

  it("two clicks on 'met' record the need as met once", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    const actor = await actorFor(net.users.reseller1Rep.id);
    const need = (await addNeed(actor, id, { categoryId, body: "نیاز ب", priority: "low", productId: null })) as { id: string };
    await Promise.all([setNeedStatus(actor, need.id, "met"), setNeedStatus(actor, need.id, "met")]);
    expect((await timeline(actor, id)).filter((e) => e.kind === "need_met")).toHaveLength(1);
  });

  it("concurrent consent saves leave events that match the final state", async () => {
    const id = await registerAs(net.users.reseller1Rep.id);
    const actor = await actorFor(net.users.reseller1Rep.id);
    const on = { partner_contact: true, brand_contact: true, share_partners: false };
    const off = { partner_contact: true, brand_contact: false, share_partners: false };
    await Promise.all([setConsents(actor, id, on, told), setConsents(actor, id, off, told), setConsents(actor, id, on, told)]);
    const state = await db().selectFrom("customers").select("consent_brand_contact").where("id", "=", id).executeTakeFirstOrThrow();
    const last = await db().selectFrom("consent_events").select("granted").where("customer_id", "=", id).where("purpose", "=", "brand_contact").orderBy("recorded_at", "desc").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(Boolean(last.granted)).toBe(Boolean(state.consent_brand_contact));
  });

  it("editing a customer to another's phone is a field error, also when two edits race", async () => {
    const a = customerInput();
    const aId = await registerAs(net.users.reseller1Rep.id, a);
    const bId = await registerAs(net.users.reseller1Rep.id);
    const cId = await registerAs(net.users.reseller1Rep.id);
    const actor = await actorFor(net.users.reseller1Rep.id);
    const { consents: _, ...identity } = customerInput({ phone: a.phone });
    expect(await updateCustomer(actor, bId, identity)).toEqual({ errors: { phone: { key: "customers:errors.phone_taken" } } });
    const fresh = customerInput();
    const { consents: __, ...same } = fresh;
    const results = await Promise.all([updateCustomer(actor, bId, same), updateCustomer(actor, cId, { ...same, email: null })]);
    expect(results.filter((r) => r && "ok" in r)).toHaveLength(1);
    expect(results.filter((r) => r && "errors" in r)).toEqual([{ errors: { phone: { key: "customers:errors.phone_taken" } } }]);
    expect(aId).toBeTruthy();
  });
});
