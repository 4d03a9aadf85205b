import { describe, expect, it } from "vitest";
import { listPartners } from "~/models/partners.server";
import { listUsers } from "~/models/users.server";
import * as partnersIndex from "~/routes/_app.partners._index";
import { actorFor, createBrand, createNetwork, createPartner, createUser } from "../factories";
import { hit } from "../routes";

const ids = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id).sort();

describe("partner directory search and filters", () => {
  async function directory() {
    const brandId = await createBrand();
    const kish = await createPartner(brandId, { nameFa: "کیش پخش", type: "distributor", tier: "gold", province: "hormozgan" });
    const kavir = await createPartner(brandId, { nameFa: "کویر کالا", parentId: kish, tier: "silver", province: "yazd" });
    const shiraz = await createPartner(brandId, { nameFa: "پخش شیراز", tier: "silver", province: "fars" });
    const admin = await actorFor((await createUser(brandId, "brand_manager")).id);
    // Another brand's partner of the same name never shows up.
    const elsewhere = await createBrand();
    await createPartner(elsewhere, { nameFa: "کیش پخش", type: "distributor", tier: "gold", province: "hormozgan" });
    return { admin, kish, kavir, shiraz };
  }

  it("filters by type, tier and province, alone and together", async () => {
    const d = await directory();
    expect(ids(await listPartners(d.admin, { type: "distributor", page: 1 }))).toEqual([d.kish]);
    expect(ids(await listPartners(d.admin, { tier: "silver", page: 1 }))).toEqual([d.kavir, d.shiraz].sort());
    expect(ids(await listPartners(d.admin, { province: "yazd", page: 1 }))).toEqual([d.kavir]);
    expect(ids(await listPartners(d.admin, { type: "reseller", tier: "silver", province: "fars", page: 1 }))).toEqual([d.shiraz]);
    const page = await listPartners(d.admin, { tier: "silver", page: 1 });
    expect(page.total).toBe(2);
  });

  it("finds a partner by the start of its Persian name, typed on an Arabic keyboard too", async () => {
    const d = await directory();
    expect(ids(await listPartners(d.admin, { q: "کیش", page: 1 }))).toEqual([d.kish]);
    expect(ids(await listPartners(d.admin, { q: "كيش", page: 1 }))).toEqual([d.kish]); // Arabic kaf and yeh
    expect(ids(await listPartners(d.admin, { q: "ک", page: 1 }))).toEqual([d.kish, d.kavir].sort());
    expect(ids(await listPartners(d.admin, { q: "ک", tier: "gold", page: 1 }))).toEqual([d.kish]);
    expect(ids(await listPartners(d.admin, { q: "%", page: 1 }))).toEqual([]); // wildcards are literal
  });

  it("finds a partner by a later word of its name, and by its English name", async () => {
    const d = await directory();
    expect(ids(await listPartners(d.admin, { q: "شیراز", page: 1 }))).toEqual([d.shiraz]);
    // The factory names partners "Partner <last 5 of id>" in English.
    expect(ids(await listPartners(d.admin, { q: `Partner ${d.kavir.slice(-5)}`, page: 1 }))).toEqual([d.kavir]);
    expect(ids(await listPartners(d.admin, { q: `partner ${d.kavir.slice(-5).toLowerCase()}`, page: 1 }))).toEqual([d.kavir]);
  });

  it("the directory route answers a search with filters", async () => {
    const net = await createNetwork();
    const outcome = await hit(partnersIndex.loader, "/partners?q=%D8%B4%D8%B1%DB%8C%DA%A9&type=distributor&tier=gold&province=tehran", {}, { as: net.users.channelManager.id });
    expect(outcome.status).toBe(200);
    expect(ids((outcome.data as { result: { rows: { id: string }[] } }).result)).toEqual([net.partners.distributor]);
  });
});

describe("user search", () => {
  it("finds users by the start of their name or email, within what the actor may see", async () => {
    const net = await createNetwork();
    const brandId = net.brandId;
    const sara = await createUser(brandId, "partner_rep", net.partners.reseller1, { name: "سارا محمدی" });
    const other = await createNetwork();
    await createUser(other.brandId, "partner_rep", other.partners.reseller1, { name: "سارا محمدی" });
    const admin = await actorFor(net.users.brandAdmin.id);
    expect(ids(await listUsers(admin, { q: "سارا", page: 1 }))).toEqual([sara.id]);
    // 20 characters: "u-", the 10 time characters of the id and 8 random ones, so no other user shares them.
    expect(ids(await listUsers(admin, { q: sara.email.slice(0, 20).toUpperCase(), page: 1 }))).toEqual([sara.id]);
    // A partner admin elsewhere in the network does not find her.
    expect(ids(await listUsers(await actorFor(net.users.independentAdmin.id), { q: "سارا", page: 1 }))).toEqual([]);
    expect(ids(await listUsers(await actorFor(net.users.reseller1Admin.id), { q: "سارا", page: 1 }))).toEqual([sara.id]);
  });
});
