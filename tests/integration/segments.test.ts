import { describe, expect, it } from "vitest";
import { createSegment, customersQuery, deleteSegment, getSegment, listSegments, segmentFilters, storedFilters } from "~/models/segments.server";
import * as segmentsRoute from "~/routes/_app.segments._index";
import { db } from "~/utils/db.server";
import { registerAs } from "../customer-factories";
import { actorFor, createBrand, createPartner, createUser } from "../factories";
import { errorKeys, hit } from "../routes";

async function network() {
  const brandId = await createBrand();
  const distributor = await createPartner(brandId, { type: "distributor" });
  const reseller = await createPartner(brandId, { parentId: distributor });
  const a = await createPartner(brandId);
  const b = await createPartner(brandId);
  const users = {
    a: await createUser(brandId, "partner_rep", a),
    aAdmin: await createUser(brandId, "partner_admin", a),
    b: await createUser(brandId, "partner_admin", b),
    distributor: await createUser(brandId, "partner_admin", distributor),
    reseller: await createUser(brandId, "partner_rep", reseller),
    brand: await createUser(brandId, "channel_manager"),
  };
  return { brandId, partners: { a, b, distributor, reseller }, users };
}

/** Creates a segment as the form would post it: the name and the filter fields of a query string. */
async function segment(userId: string, name: string, filters: string, locale: "fa" | "en" = "fa") {
  const result = await createSegment(await actorFor(userId), { name, ...Object.fromEntries(new URLSearchParams(filters)) }, locale);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.id;
}

describe("segments", () => {
  it("counts live, in the viewer's scope", async () => {
    const net = await network();
    await registerAs(net.users.a.id, { province: "fars", city: "شیراز" });
    await registerAs(net.users.a.id, { province: "fars", city: "مرودشت" });
    await registerAs(net.users.b.id, { province: "fars", city: "شیراز" });
    const id = await segment(net.users.a.id, "فارس", "province=fars");
    const before = await listSegments(await actorFor(net.users.a.id), "fa");
    expect(before).toMatchObject([{ id, name: "فارس", filters: "province=fars", count: 2, query: "province=fars", own: true }]);

    await registerAs(net.users.aAdmin.id, { province: "fars", city: "فسا" });
    expect((await listSegments(await actorFor(net.users.a.id), "fa"))[0].count).toBe(3);

    const brandSegment = await segment(net.users.brand.id, "فارس شبکه", "province=fars");
    expect(await listSegments(await actorFor(net.users.brand.id), "fa")).toMatchObject([{ id: brandSegment, count: 4, own: true }]);
  });

  it("stores what the form chose, with dates as ISO shown in the viewer's calendar", async () => {
    const net = await network();
    const actor = await actorFor(net.users.a.id);
    const stored = (query: string, locale: "fa" | "en" = "fa") => storedFilters(actor, new URLSearchParams(query), locale);
    expect(await stored("q=%D8%B9%D9%84%DB%8C&province=tehran&sort=value&valueTier=&needStatus=")).toEqual({ ok: true, filters: "q=%D8%B9%D9%84%DB%8C&province=tehran&sort=value" });
    expect(await stored("contactFrom=۱۴۰۳/۰۱/۰۱&contactTo=1403/01/15")).toEqual({ ok: true, filters: "contactFrom=2024-03-20&contactTo=2024-04-03" });
    expect(await stored("contactFrom=2024-03-20", "en")).toEqual({ ok: true, filters: "contactFrom=2024-03-20" });
    expect(customersQuery("contactFrom=2024-03-20&province=fars", "fa")).toBe("contactFrom=1403%2F01%2F01&province=fars");
    expect(customersQuery("contactFrom=2024-03-20", "en")).toBe("contactFrom=2024-03-20");
    expect(segmentFilters("contactFrom=2024-03-20&contactTo=2024-04-03")).toMatchObject({
      contactFrom: new Date("2024-03-19T20:30:00Z"),
      contactTo: new Date("2024-04-03T20:30:00Z"),
    });
  });

  it("refuses values that are not among the choices instead of dropping them", async () => {
    const net = await network();
    const partner = await actorFor(net.users.a.id);
    const brand = await actorFor(net.users.brand.id);
    const refused = async (actor: typeof partner, query: string) => {
      const result = await storedFilters(actor, new URLSearchParams(query), "fa");
      return result.ok ? result : Object.fromEntries(Object.entries(result.errors).map(([k, e]) => [k, e.key]));
    };
    expect(await refused(partner, "province=atlantis&valueTier=Z&needStatus=lost&sort=random")).toEqual({
      form: "imports:segments.errors.filters",
      province: "customers:errors.filter_value",
      valueTier: "customers:errors.filter_value",
      needStatus: "customers:errors.filter_value",
      sort: "customers:errors.filter_value",
    });
    expect(await refused(partner, "contactFrom=1402/12/30")).toEqual({ form: "imports:segments.errors.filters", contactFrom: "errors.date_impossible" });
    expect(await refused(partner, `q=${"x".repeat(101)}`)).toEqual({ form: "imports:segments.errors.filters", q: "errors.too_long" });
    // A well-formed id that is no category of the brand, and a partner filter from a partner user.
    expect(await refused(partner, `needCategory=${"0".repeat(26)}&partnerId=${net.partners.a}`)).toEqual({
      form: "imports:segments.errors.filters",
      needCategory: "customers:errors.filter_value",
      partnerId: "customers:errors.filter_value",
    });
    expect(await storedFilters(brand, new URLSearchParams(`partnerId=${net.partners.a}`), "fa")).toEqual({ ok: true, filters: `partnerId=${net.partners.a}` });
    const otherBrandPartner = await createPartner(await createBrand());
    expect(await refused(brand, `partnerId=${otherBrandPartner}`)).toMatchObject({ partnerId: "customers:errors.filter_value" });
  });

  it("a partner never sees another partner's segment, nor a brand segment; the brand sees only brand segments", async () => {
    const net = await network();
    const aSegment = await segment(net.users.a.id, "بخش الف", "");
    const bSegment = await segment(net.users.b.id, "بخش ب", "");
    const brandSegment = await segment(net.users.brand.id, "بخش برند", "");
    const ids = async (userId: string) => (await listSegments(await actorFor(userId), "fa")).map((s) => s.id);

    expect(await ids(net.users.a.id)).toEqual([aSegment]);
    expect(await ids(net.users.aAdmin.id)).toEqual([aSegment]);
    expect(await ids(net.users.b.id)).toEqual([bSegment]);
    expect(await ids(net.users.brand.id)).toEqual([brandSegment]);
    expect(await getSegment(await actorFor(net.users.b.id), aSegment)).toBeUndefined();
    expect(await getSegment(await actorFor(net.users.a.id), brandSegment)).toBeUndefined();
    expect(await getSegment(await actorFor(net.users.brand.id), aSegment)).toBeUndefined();
    expect(await getSegment(await actorFor(net.users.a.id), aSegment)).toMatchObject({ id: aSegment, name: "بخش الف" });

    const other = await createBrand();
    const stranger = await createUser(other, "brand_admin");
    expect(await getSegment(await actorFor(stranger.id), brandSegment)).toBeUndefined();
  });

  it("a distributor sees its resellers' segments but deletes only its own", async () => {
    const net = await network();
    const resellerSegment = await segment(net.users.reseller.id, "فروشنده", "");
    const distributor = await actorFor(net.users.distributor.id);
    expect(await listSegments(distributor, "fa")).toMatchObject([{ id: resellerSegment, own: false }]);
    expect(await deleteSegment(distributor, resellerSegment)).toBe(false);
    expect(await deleteSegment(await actorFor(net.users.b.id), resellerSegment)).toBe(false);
    expect(await deleteSegment(await actorFor(net.users.reseller.id), resellerSegment)).toBe(true);
    expect(await db().selectFrom("segments").select("id").where("id", "=", resellerSegment).execute()).toEqual([]);
  });

  it("validates the name and the filters", async () => {
    const net = await network();
    const actor = await actorFor(net.users.a.id);
    expect(await createSegment(actor, { name: " " }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.required" } } });
    expect(await createSegment(actor, { name: "ن".repeat(121) }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.too_long", values: { max: 120 } } } });
    expect(await createSegment(actor, { name: "بد\u202E" }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.control_chars" } } });
    // Both the name and the filters are reported at once, and nothing is written.
    expect(await createSegment(actor, { name: "", province: "atlantis" }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.required" }, province: { key: "customers:errors.filter_value" } } });
    expect(await createSegment(actor, { name: "ن".repeat(120) }, "fa")).toMatchObject({ ok: true });
    expect(await db().selectFrom("segments").select("name").where("partner_id", "=", net.partners.a).execute()).toEqual([{ name: "ن".repeat(120) }]);
  });
});

describe("segments (route)", () => {
  it("creates from the customer list's form post and deletes", async () => {
    const net = await network();
    const created = await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { name: "تهرانی‌ها", q: "", province: "tehran", valueTier: "A", needStatus: "", sort: "name" } });
    expect(created.status).toBe(302);
    const id = new URL(created.location!, "http://localhost").searchParams.get("saved")!;
    const page = await hit(segmentsRoute.loader, "/segments", {}, { as: net.users.a.id });
    expect((page.data as { segments: { id: string; filters: string }[] }).segments).toMatchObject([{ id, filters: "valueTier=A&province=tehran" }]);

    const bad = await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { name: "", province: "tehran" } });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ name: "errors.required" });
    const unknown = await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { name: "نامعلوم", province: "tehran", valueTier: "D" } });
    expect(unknown.status).toBe(400);
    expect(errorKeys(unknown)).toEqual({ form: "imports:segments.errors.filters", valueTier: "customers:errors.filter_value" });
    expect((unknown.data as { values: Record<string, string> }).values).toMatchObject({ name: "نامعلوم", province: "tehran", valueTier: "D" });

    expect((await hit(segmentsRoute.action, "/segments", {}, { as: net.users.b.id, form: { intent: "delete", id } })).status).toBe(404);
    expect((await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { intent: "delete", id } })).location).toBe("/segments?deleted=1");
    expect(await db().selectFrom("segments").select("id").where("id", "=", id).execute()).toEqual([]);
  });
});
