import { describe, expect, it } from "vitest";
import { addNeed, setNeedStatus } from "~/models/customer-activity.server";
import { rebuildCustomerCounts, recountCustomerCounts } from "~/models/customer-counts.server";
import { customerStats, registerCustomer, setConsents } from "~/models/customers.server";
import { getPartner, updatePartner } from "~/models/partners.server";
import { decideAsOwner, decideServeRequest, requestToServe } from "~/models/serve-requests.server";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { customerInput, registerAs, setValueTier } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";

/** The counters as stored (rows that hold a customer), and as a fresh count from the rows says they should be. */
async function storedAndRecounted(brandId: string) {
  const key = (r: { scope_id: string; metric: string; bucket: string; n: number | string }) => `${r.scope_id || "network"} ${r.metric} ${r.bucket} ${Number(r.n)}`;
  const stored = await db().selectFrom("customer_counts").select(["scope_id", "metric", "bucket", "n"]).where("brand_id", "=", brandId).where("n", "!=", 0).execute();
  return { stored: stored.map(key).sort(), recounted: (await recountCustomerCounts(db(), brandId)).map(key).sort() };
}

describe("home page counters", () => {
  it("equal a fresh recount after registrations, needs, consents, serving requests, tiers and a reseller's move", async () => {
    const net = await createNetwork();
    const [r1Rep, distRep, indRep, manager] = await Promise.all([actorFor(net.users.reseller1Rep.id), actorFor(net.users.distributorRep.id), actorFor(net.users.independentRep.id), actorFor(net.users.channelManager.id)]);
    const fridges = newId();
    const ovens = newId();
    await db()
      .insertInto("need_categories")
      .values([
        { id: fridges, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true },
        { id: ovens, brand_id: net.brandId, name_fa: "اجاق", name_en: "Ovens", sort: 2, active: true },
      ])
      .execute();

    const a = await registerAs(net.users.reseller1Rep.id);
    const b = await registerAs(net.users.reseller1Rep.id, { consents: { partner_contact: true, brand_contact: true, share_partners: true } });
    const c = await registerAs(net.users.distributorRep.id);
    const shared = customerInput();
    const registered = await registerCustomer(indRep, shared);
    if (!("id" in registered)) throw new Error("registration failed");
    const d = registered.id;

    await addNeed(r1Rep, a, { categoryId: fridges, body: "یخچال", priority: "high", productId: null });
    await addNeed(r1Rep, a, { categoryId: fridges, body: "یخچال دوم", priority: "low", productId: null });
    const need = await addNeed(r1Rep, b, { categoryId: ovens, body: "اجاق", priority: "low", productId: null });
    await addNeed(distRep, c, { categoryId: ovens, body: "اجاق", priority: "medium", productId: null });
    await addNeed(indRep, d, { categoryId: fridges, body: "یخچال", priority: "medium", productId: null });
    if (!need || !("id" in need)) throw new Error("need not recorded");
    await setNeedStatus(r1Rep, need.id, "met");
    await setNeedStatus(r1Rep, need.id, "open");
    await setValueTier(net.brandId, a, "A");
    await setValueTier(net.brandId, c, "B");

    // The distributor asks to serve the independent's customer and the owner agrees; then reseller 1
    // asks for it too and the channel team transfers it: the distributor's family counts it once.
    const identity = { match: "phone" as const, phone: shared.phone, email: shared.email, displayName: shared.displayName, city: shared.city };
    const reason = "مشتری خودش به فروشگاه ما آمده است.";
    expect(await requestToServe(distRep, identity, reason)).toEqual({ sent: true });
    const first = await db().selectFrom("serve_requests").select("id").where("customer_id", "=", d).where("partner_id", "=", net.partners.distributor).executeTakeFirstOrThrow();
    expect(await decideAsOwner(await actorFor(net.users.independentAdmin.id), first.id, "approve", "")).toMatchObject({ status: "approved" });
    expect(await requestToServe(r1Rep, identity, reason)).toEqual({ sent: true });
    const second = await db().selectFrom("serve_requests").select("id").where("customer_id", "=", d).where("partner_id", "=", net.partners.reseller1).executeTakeFirstOrThrow();
    await db().updateTable("serve_requests").set({ owner_deadline: new Date(Date.now() - 60_000) }).where("id", "=", second.id).execute();
    expect(await decideServeRequest(manager, second.id, "transfer", "مشتری به فروشگاه نزدیک‌تر رفته است.")).toMatchObject({ status: "transferred" });

    // Sharing consent opens reseller 1's view of the needs other partners recorded.
    await setConsents(await actorFor(net.users.reseller1Rep.id), d, { partner_contact: true, brand_contact: false, share_partners: true }, { channel: "in_person", givenAt: new Date(), note: null });

    let counts = await storedAndRecounted(net.brandId);
    expect(counts.stored.length).toBeGreaterThan(0);
    expect(counts.stored).toEqual(counts.recounted);
    const distributor = await customerStats(distRep);
    expect(distributor.byTier).toEqual({ A: 1, B: 1, C: 0, none: 2 });

    // Reseller 1 leaves the distributor: its customers leave the distributor's numbers.
    const admin = await actorFor(net.users.brandAdmin.id);
    const r1 = (await getPartner(admin, net.partners.reseller1))!;
    expect(await updatePartner(admin, r1.id, { nameFa: r1.name_fa, nameEn: r1.name_en, type: "reseller", parentId: null, tier: r1.tier, province: r1.province, city: r1.city, phone: r1.phone, address: r1.address })).toEqual({ ok: true });
    counts = await storedAndRecounted(net.brandId);
    expect(counts.stored).toEqual(counts.recounted);
    expect((await customerStats(await actorFor(net.users.distributorRep.id))).byTier).toEqual({ A: 0, B: 1, C: 0, none: 0 });

    // The rebuild used by the migration and the generator writes the same rows.
    await rebuildCustomerCounts(db(), net.brandId);
    expect((await storedAndRecounted(net.brandId)).stored).toEqual(counts.stored);
  });
});
