import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/permissions";
import {
  getPartner,
  listDistributors,
  listPartners,
  listPartnersForSelect,
  setOwnLogo,
  setPartnerActive,
  setPartnerTier,
  updateOwnProfile,
  updatePartner,
  type PartnerInput,
} from "~/models/partners.server";
import { countUsersByStatus, getUser, listUsers, reissueInvitation, setUserRole, setUserStatus } from "~/models/users.server";
import * as home from "~/routes/_app._index";
import * as partnerPage from "~/routes/_app.partners.$id";
import * as profile from "~/routes/_app.profile";
import * as userPage from "~/routes/_app.users.$id";
import * as usersIndex from "~/routes/_app.users._index";
import { db } from "~/utils/db.server";
import { actorFor, createNetwork } from "../factories";
import { hit } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;

const partnerRow = (id: string) => db().selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const userRow = (id: string) => db().selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const visiblePartners = async (actor: Actor, net: Network) =>
  (await Promise.all(Object.entries(net.partners).map(async ([name, id]) => ((await getPartner(actor, id)) ? name : null)))).filter(Boolean).sort();
const listedUserIds = async (actor: Actor) => (await listUsers(actor, { page: 1 })).rows.map((r) => r.id).sort();
const ids = (net: Network, ...names: (keyof Network["users"])[]) => names.map((n) => net.users[n].id).sort();
const partnerInput = (p: Awaited<ReturnType<typeof partnerRow>>, o: Partial<PartnerInput> = {}): PartnerInput => ({
  nameFa: p.name_fa,
  nameEn: p.name_en,
  type: p.type,
  parentId: p.parent_id,
  tier: p.tier,
  province: p.province,
  city: p.city,
  phone: p.phone,
  address: p.address,
  ...o,
});

describe("partner A and partner B (model functions)", () => {
  it("a partner's users see their own partner and no other", async () => {
    const net = await createNetwork();
    for (const who of ["independentAdmin", "independentRep"] as const) {
      const actor = await actorFor(net.users[who].id);
      expect(actor.scope).toEqual([net.partners.independent]);
      expect(await visiblePartners(actor, net)).toEqual(["independent"]);
      expect((await listPartnersForSelect(actor)).map((p) => p.id)).toEqual([net.partners.independent]);
      expect(await listDistributors(actor)).toEqual([]);
    }
  });

  it("a partner admin lists and opens only their own partner's users, never brand staff", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.independentAdmin.id);
    expect(await listedUserIds(admin)).toEqual(ids(net, "independentAdmin", "independentRep"));
    expect(await getUser(admin, net.users.reseller1Rep.id)).toBeUndefined();
    expect(await getUser(admin, net.users.distributorAdmin.id)).toBeUndefined();
    expect(await getUser(admin, net.users.brandAdmin.id)).toBeUndefined();
    expect(await getUser(admin, net.users.independentRep.id)).toMatchObject({ id: net.users.independentRep.id });
    // Filtering by another partner yields nothing rather than that partner's users.
    expect((await listUsers(admin, { partnerId: net.partners.reseller1, page: 1 })).rows).toEqual([]);
    // Searching by another partner's user's email finds nothing either.
    expect((await listUsers(admin, { q: net.users.reseller1Rep.email, page: 1 })).rows).toEqual([]);
  });

  it("a partner admin cannot change another partner's users", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.independentAdmin.id);
    const victim = net.users.reseller1Rep.id;
    expect(await setUserStatus(admin, victim, "disabled")).toBe(false);
    expect(await setUserRole(admin, victim, "partner_admin")).toBeNull();
    expect(await reissueInvitation(admin, victim)).toBeNull();
    expect(await userRow(victim)).toMatchObject({ status: "active", role: "partner_rep" });
  });

  it("partner users cannot change any partner record, their own included, except through their profile", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.independentAdmin.id);
    const other = await partnerRow(net.partners.reseller1);
    await expect(updatePartner(admin, other.id, partnerInput(other, { nameFa: "ربوده" }))).rejects.toMatchObject({ status: 403 });
    await expect(setPartnerTier(admin, other.id, "platinum")).rejects.toMatchObject({ status: 403 });
    await expect(setPartnerActive(admin, other.id, false)).rejects.toMatchObject({ status: 403 });
    await expect(setPartnerTier(admin, net.partners.independent, "platinum")).rejects.toMatchObject({ status: 403 });
    const rep = await actorFor(net.users.independentRep.id);
    await expect(updateOwnProfile(rep, { phone: null, address: "x", cobrandName: null, cobrandMessage: null, website: null })).rejects.toMatchObject({ status: 403 });
    expect(await partnerRow(other.id)).toEqual(other);
  });

  it("a partner admin's profile update and logo touch only their own partner", async () => {
    const net = await createNetwork();
    const before = await Promise.all(Object.values(net.partners).map(partnerRow));
    const admin = await actorFor(net.users.reseller1Admin.id);
    await updateOwnProfile(admin, { phone: "+982188776655", address: "خیابان ولیعصر", cobrandName: "نام مشترک", cobrandMessage: "پیام", website: "https://example.com" });
    await setOwnLogo(admin, "logos/x/y.png", "image/png");
    for (const p of before) {
      const now = await partnerRow(p.id);
      if (p.id === net.partners.reseller1) {
        expect(now).toMatchObject({ phone: "+982188776655", address: "خیابان ولیعصر", cobrand_name: "نام مشترک", logo_key: "logos/x/y.png", name_fa: p.name_fa, tier: p.tier, parent_id: p.parent_id, active: p.active });
      } else {
        expect(now, p.id).toEqual(p);
      }
    }
  });
});

describe("distributors and resellers (model functions)", () => {
  it("a distributor's users see its resellers' partners", async () => {
    const net = await createNetwork();
    for (const who of ["distributorAdmin", "distributorRep"] as const) {
      const actor = await actorFor(net.users[who].id);
      expect(await visiblePartners(actor, net)).toEqual(["distributor", "reseller1", "reseller2"]);
    }
  });

  it("a distributor's admin sees its resellers' users but manages only its own", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.distributorAdmin.id);
    expect(await listedUserIds(admin)).toEqual(ids(net, "distributorAdmin", "distributorRep", "reseller1Admin", "reseller1Rep", "reseller2Admin"));
    expect(await getUser(admin, net.users.reseller1Rep.id)).toMatchObject({ partner_id: net.partners.reseller1 });
    expect(await getUser(admin, net.users.independentRep.id)).toBeUndefined();
    expect(await setUserStatus(admin, net.users.reseller1Rep.id, "disabled")).toBe(false);
    expect((await userRow(net.users.reseller1Rep.id)).status).toBe("active");
    expect(await setUserStatus(admin, net.users.distributorRep.id, "disabled")).toBe(true);
  });

  it("a reseller sees neither its distributor, nor the distributor's other resellers, nor their users", async () => {
    const net = await createNetwork();
    for (const who of ["reseller1Admin", "reseller1Rep"] as const) {
      const actor = await actorFor(net.users[who].id);
      expect(actor.scope).toEqual([net.partners.reseller1]);
      expect(await visiblePartners(actor, net)).toEqual(["reseller1"]);
    }
    const admin = await actorFor(net.users.reseller1Admin.id);
    expect(await listedUserIds(admin)).toEqual(ids(net, "reseller1Admin", "reseller1Rep"));
    for (const other of ["distributorAdmin", "distributorRep", "reseller2Admin"] as const) expect(await getUser(admin, net.users[other].id), other).toBeUndefined();
  });

  it("the distributor's view follows the network at once when a reseller moves away", async () => {
    const net = await createNetwork();
    const brandAdmin = await actorFor(net.users.brandAdmin.id);
    const reseller = await partnerRow(net.partners.reseller2);
    expect(await updatePartner(brandAdmin, reseller.id, partnerInput(reseller, { parentId: null }))).toEqual({ ok: true });
    const admin = await actorFor(net.users.distributorAdmin.id);
    expect(await visiblePartners(admin, net)).toEqual(["distributor", "reseller1"]);
    expect(await getUser(admin, net.users.reseller2Admin.id)).toBeUndefined();
  });

  it("the home page counts only what the actor may see", async () => {
    const net = await createNetwork();
    const counts = async (who: keyof Network["users"]) => (await hit(home.loader, "/", {}, { as: net.users[who].id })).data as { byType: Record<string, number>; userCounts: Record<string, number> };
    expect(await counts("brandManager")).toMatchObject({ byType: { distributor: 1, reseller: 3 }, userCounts: { active: 10 } });
    expect(await counts("distributorRep")).toMatchObject({ byType: { distributor: 1, reseller: 2 }, userCounts: { active: 5 } });
    expect(await counts("reseller1Rep")).toMatchObject({ byType: { distributor: 0, reseller: 1 }, userCounts: { active: 2 } });
    expect(await counts("independentAdmin")).toMatchObject({ byType: { distributor: 0, reseller: 1 }, userCounts: { active: 2 } });
    const byStatus = await countUsersByStatus(await actorFor(net.users.reseller2Admin.id));
    expect(byStatus.map((r) => [r.status, Number(r.n)])).toEqual([["active", 1]]);
  });
});

describe("brands", () => {
  it("brand roles see their whole network and nothing of another brand", async () => {
    const net = await createNetwork();
    const other = await createNetwork();
    for (const who of ["brandAdmin", "brandManager", "channelManager"] as const) {
      const actor = await actorFor(net.users[who].id);
      expect(actor.scope).toBe("network");
      expect(await visiblePartners(actor, net)).toEqual(["distributor", "independent", "reseller1", "reseller2"]);
      expect(await visiblePartners(actor, other)).toEqual([]);
      const page = await listPartners(actor, { page: 1 });
      expect(page.rows.map((r) => r.id).sort()).toEqual(Object.values(net.partners).sort());
      expect(await getUser(actor, net.users.reseller1Rep.id)).toBeDefined();
      expect(await getUser(actor, other.users.reseller1Rep.id)).toBeUndefined();
    }
    const admin = await actorFor(net.users.brandAdmin.id);
    expect(await listedUserIds(admin)).toEqual(Object.values(net.users).map((u) => u.id).sort());
    expect(await setUserStatus(admin, other.users.reseller1Rep.id, "disabled")).toBe(false);
    expect(await setPartnerActive(admin, other.partners.independent, false)).toBe(false);
    expect(await setPartnerTier(admin, other.partners.independent, "platinum")).toBe(false);
    expect(await updatePartner(admin, other.partners.independent, partnerInput(await partnerRow(other.partners.independent), { nameFa: "ربوده" }))).toBeNull();
    expect(await partnerRow(other.partners.independent)).toMatchObject({ active: 1, tier: "registered" });
  });

  it("a brand admin cannot hang a reseller under another brand's distributor", async () => {
    const net = await createNetwork();
    const other = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const reseller = await partnerRow(net.partners.independent);
    expect(await updatePartner(admin, reseller.id, partnerInput(reseller, { parentId: other.partners.distributor }))).toEqual({ errors: { parentId: { key: "errors.choice" } } });
    expect((await partnerRow(reseller.id)).parent_id).toBeNull();
  });
});

describe("partner A and partner B (routes)", () => {
  it("another partner's user page is a 404, for reading and for changing", async () => {
    const net = await createNetwork();
    const victim = net.users.reseller1Rep.id;
    const as = net.users.independentAdmin.id;
    expect((await hit(userPage.loader, `/users/${victim}`, { id: victim }, { as })).status).toBe(404);
    const forms: Record<string, string>[] = [{ intent: "status", status: "disabled" }, { intent: "role", role: "partner_admin" }, { intent: "reinvite" }];
    for (const form of forms) {
      expect((await hit(userPage.action, `/users/${victim}`, { id: victim }, { as, form })).status, form.intent).toBe(404);
    }
    expect(await userRow(victim)).toMatchObject({ status: "active", role: "partner_rep" });
    // Brand staff are not visible to partner admins either.
    expect((await hit(userPage.loader, `/users/${net.users.brandAdmin.id}`, { id: net.users.brandAdmin.id }, { as })).status).toBe(404);
    // The users list holds only their own partner's users.
    const list = await hit(usersIndex.loader, "/users", {}, { as });
    expect((list.data as { result: { rows: { id: string }[] } }).result.rows.map((r) => r.id).sort()).toEqual(ids(net, "independentAdmin", "independentRep"));
  });

  it("partner users are refused the partner pages, their own partner's and others' alike", async () => {
    const net = await createNetwork();
    for (const who of ["independentAdmin", "independentRep", "distributorAdmin"] as const) {
      for (const id of [net.partners.reseller1, net.partners.independent]) {
        expect((await hit(partnerPage.loader, `/partners/${id}`, { id }, { as: net.users[who].id })).status, `${who} ${id}`).toBe(403);
        const changed = await hit(partnerPage.action, `/partners/${id}`, { id }, { as: net.users[who].id, form: { intent: "tier", tier: "platinum" } });
        expect(changed.status).toBe(403);
      }
    }
    expect((await partnerRow(net.partners.reseller1)).tier).toBe("registered");
  });

  it("another brand's partner page is a 404 for a brand admin, for reading and for changing", async () => {
    const net = await createNetwork();
    const other = await createNetwork();
    const id = other.partners.independent;
    const as = net.users.brandAdmin.id;
    expect((await hit(partnerPage.loader, `/partners/${id}`, { id }, { as })).status).toBe(404);
    expect((await hit(partnerPage.action, `/partners/${id}`, { id }, { as, form: { intent: "tier", tier: "gold" } })).status).toBe(404);
    expect((await hit(partnerPage.action, `/partners/${id}`, { id }, { as, form: { intent: "active", active: "false" } })).status).toBe(404);
    expect((await hit(userPage.loader, `/users/${other.users.independentRep.id}`, { id: other.users.independentRep.id }, { as })).status).toBe(404);
    expect(await partnerRow(id)).toMatchObject({ tier: "registered", active: 1 });
  });

  it("a profile form cannot be pointed at another partner", async () => {
    const net = await createNetwork();
    const target = await partnerRow(net.partners.reseller1);
    const form = { phone: "09121234567", address: "نشانی", cobrandName: "", cobrandMessage: "", website: "", id: target.id, partnerId: target.id };
    const result = await hit(profile.action, "/profile", {}, { as: net.users.independentAdmin.id, form });
    expect(result).toMatchObject({ status: 200, data: { saved: true } });
    expect(await partnerRow(net.partners.independent)).toMatchObject({ phone: "+989121234567", address: "نشانی" });
    expect(await partnerRow(target.id)).toEqual(target);
    // And the profile page shows the actor's own partner only.
    const page = await hit(profile.loader, "/profile", {}, { as: net.users.independentAdmin.id });
    expect((page.data as { partner: { id: string } }).partner.id).toBe(net.partners.independent);
  });
});
