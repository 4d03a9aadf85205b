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

async function segment(userId: string, name: string, filters: string, locale: "fa" | "en" = "fa") {
  const result = await createSegment(await actorFor(userId), { name, filters }, locale);
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

  it("keeps only the filters the list understands, with dates stored as ISO and shown in the viewer's calendar", async () => {
    expect(storedFilters("?q=%D8%B9%D9%84%DB%8C&province=tehran&bogus=1&page=3&sort=value", "fa")).toEqual({ ok: true, filters: "q=%D8%B9%D9%84%DB%8C&province=tehran&sort=value" });
    const jalali = storedFilters("contactFrom=۱۴۰۳/۰۱/۰۱&contactTo=1403/01/15", "fa");
    expect(jalali).toEqual({ ok: true, filters: "contactFrom=2024-03-20&contactTo=2024-04-03" });
    expect(storedFilters("contactFrom=2024-03-20", "en")).toEqual({ ok: true, filters: "contactFrom=2024-03-20" });
    expect(customersQuery("contactFrom=2024-03-20&province=fars", "fa")).toBe("contactFrom=1403%2F01%2F01&province=fars");
    expect(customersQuery("contactFrom=2024-03-20", "en")).toBe("contactFrom=2024-03-20");
    expect(segmentFilters("contactFrom=2024-03-20&contactTo=2024-04-03")).toMatchObject({
      contactFrom: new Date("2024-03-19T20:30:00Z"),
      contactTo: new Date("2024-04-03T20:30:00Z"),
    });
    expect(storedFilters("contactFrom=1402/12/30", "fa")).toEqual({ ok: false, errors: { filters: { key: "imports:segments.errors.filters" } } });
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
    expect(await createSegment(actor, { name: " ", filters: "" }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.required" } } });
    expect(await createSegment(actor, { name: "ن".repeat(121), filters: "" }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.too_long", values: { max: 120 } } } });
    expect(await createSegment(actor, { name: "بد\u202E", filters: "" }, "fa")).toMatchObject({ ok: false, errors: { name: { key: "errors.control_chars" } } });
    expect(await createSegment(actor, { name: "طولانی", filters: `q=${"x".repeat(2001)}` }, "fa")).toMatchObject({ ok: false, errors: { filters: { key: "imports:segments.errors.filters_long" } } });
    expect(await createSegment(actor, { name: "ن".repeat(120), filters: "" }, "fa")).toMatchObject({ ok: true });
  });
});

describe("segments (route)", () => {
  it("creates from the customer list's form post and deletes", async () => {
    const net = await network();
    const created = await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { name: "تهرانی‌ها", filters: "province=tehran&valueTier=A" } });
    expect(created.status).toBe(302);
    const id = new URL(created.location!, "http://localhost").searchParams.get("saved")!;
    const page = await hit(segmentsRoute.loader, "/segments", {}, { as: net.users.a.id });
    expect((page.data as { segments: { id: string; filters: string }[] }).segments).toMatchObject([{ id, filters: "valueTier=A&province=tehran" }]);

    const bad = await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { name: "", filters: "province=tehran" } });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ name: "errors.required" });

    expect((await hit(segmentsRoute.action, "/segments", {}, { as: net.users.b.id, form: { intent: "delete", id } })).status).toBe(404);
    expect((await hit(segmentsRoute.action, "/segments", {}, { as: net.users.a.id, form: { intent: "delete", id } })).location).toBe("/segments?deleted=1");
    expect(await db().selectFrom("segments").select("id").where("id", "=", id).execute()).toEqual([]);
  });
});
