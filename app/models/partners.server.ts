import type { PartnerType, PartnerUpdate, Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { rebuildCustomerCounts } from "./customer-counts.server";
import { audit } from "./audit.server";
import { assertCan, pageOf, PAGE_SIZE, partnerScope } from "./scope.server";

export interface PartnerFilters {
  q?: string;
  type?: PartnerType;
  tier?: Tier;
  province?: string;
  status?: "active" | "inactive";
  page: number;
}

export async function listPartners(actor: Actor, f: PartnerFilters) {
  assertCan(actor, "partners.view");
  let query = db().selectFrom("partners").where(partnerScope(actor, "partners.id", "partners.brand_id"));
  const key = f.q ? toSearchKey(f.q).replace(/[%_\\]/g, "\\$&") : "";
  // Columns are qualified: the row query joins the parent partner, which has the same columns.
  // The key holds the Persian and the English name, so a search matches the start of any word.
  if (key) query = query.where((eb) => eb.or([eb("partners.name_key", "like", `${key}%`), eb("partners.name_key", "like", `% ${key}%`)]));
  if (f.type) query = query.where("partners.type", "=", f.type);
  if (f.tier) query = query.where("partners.tier", "=", f.tier);
  if (f.province) query = query.where("partners.province", "=", f.province);
  if (f.status) query = query.where("partners.active", "=", f.status === "active");
  const [rows, count] = await Promise.all([
    query
      .leftJoin("partners as parent", "parent.id", "partners.parent_id")
      .select(["partners.id", "partners.name_fa", "partners.name_en", "partners.type", "partners.tier", "partners.province", "partners.city", "partners.active", "parent.name_fa as parent_name_fa", "parent.name_en as parent_name_en"])
      .orderBy("partners.name_key")
      .orderBy("partners.id")
      .limit(PAGE_SIZE)
      .offset((f.page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows, count.n, f.page);
}

/** A partner the actor may see, or undefined (the route answers 404, never another partner's data). */
export async function getPartner(actor: Actor, id: string) {
  return db()
    .selectFrom("partners")
    .leftJoin("partners as parent", "parent.id", "partners.parent_id")
    .selectAll("partners")
    .select(["parent.name_fa as parent_name_fa", "parent.name_en as parent_name_en"])
    .where("partners.id", "=", id)
    .where(partnerScope(actor, "partners.id", "partners.brand_id"))
    .executeTakeFirst();
}

export async function listDistributors(actor: Actor) {
  return db()
    .selectFrom("partners")
    .select(["id", "name_fa", "name_en"])
    .where(partnerScope(actor, "partners.id", "partners.brand_id"))
    .where("type", "=", "distributor")
    .orderBy("name_key")
    .execute();
}

export async function partnersByTier(actor: Actor) {
  return db()
    .selectFrom("partners")
    .select(["tier", "type", (eb) => eb.fn.countAll<number>().as("n")])
    .where(partnerScope(actor, "partners.id", "partners.brand_id"))
    .where("active", "=", true)
    .groupBy(["tier", "type"])
    .execute();
}

export interface PartnerInput {
  nameFa: string;
  nameEn: string;
  type: PartnerType;
  parentId: string | null;
  tier: Tier;
  province: string;
  city: string;
  phone: string | null;
  address: string | null;
}

/** Only a reseller may sit under a distributor of the same brand; a distributor with resellers stays one. */
async function checkStructure(actor: Actor, input: Pick<PartnerInput, "type" | "parentId">, selfId?: string): Promise<FieldErrors> {
  if (input.type === "distributor") {
    if (input.parentId) return { parentId: { key: "errors.parent_for_distributor" } };
    return {};
  }
  if (selfId) {
    const child = await db().selectFrom("partners").select("id").where("brand_id", "=", actor.brandId).where("parent_id", "=", selfId).executeTakeFirst();
    if (child) return { type: { key: "errors.has_resellers" } };
  }
  if (input.parentId) {
    const parent = await db()
      .selectFrom("partners")
      .select("id")
      .where("id", "=", input.parentId)
      .where("brand_id", "=", actor.brandId)
      .where("type", "=", "distributor")
      .executeTakeFirst();
    if (!parent || parent.id === selfId) return { parentId: { key: "errors.choice" } };
  }
  return {};
}

const keyOf = (input: Pick<PartnerInput, "nameFa" | "nameEn">) => toSearchKey(`${input.nameFa} ${input.nameEn}`).slice(0, 400);

/** The columns a brand admin's partner form sets, for create and edit alike. */
const partnerColumns = (input: PartnerInput) => ({
  name_fa: input.nameFa,
  name_en: input.nameEn,
  name_key: keyOf(input),
  type: input.type,
  parent_id: input.type === "reseller" ? input.parentId : null,
  tier: input.tier,
  province: input.province,
  city: input.city,
  phone: input.phone,
  address: input.address,
});

export async function createPartner(actor: Actor, input: PartnerInput): Promise<{ id: string } | { errors: FieldErrors }> {
  assertCan(actor, "partners.manage");
  const errors = await checkStructure(actor, input);
  if (Object.keys(errors).length) return { errors };
  const id = newId();
  const now = new Date();
  await transaction(async (trx) => {
    await trx
      .insertInto("partners")
      .values({
        id,
        brand_id: actor.brandId,
        ...partnerColumns(input),
        active: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: id, action: "partner.created", targetType: "partner", targetId: id }, trx);
  });
  return { id };
}

/** Writes one partner row of the actor's brand and its audit entry, all or nothing. */
async function changePartner(actor: Actor, id: string, set: PartnerUpdate, action: string, details?: Record<string, unknown>, regroups = false): Promise<void> {
  await transaction(async (trx) => {
    await trx.updateTable("partners").set({ ...set, updated_at: new Date() }).where("id", "=", id).where("brand_id", "=", actor.brandId).execute();
    // A reseller moved to another distributor moves its customers between the distributors' counts.
    if (regroups) await rebuildCustomerCounts(trx, actor.brandId);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: id, action, targetType: "partner", targetId: id, details }, trx);
  });
}

export async function updatePartner(actor: Actor, id: string, input: PartnerInput): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  assertCan(actor, "partners.manage");
  const current = await getPartner(actor, id);
  if (!current) return null;
  const errors = await checkStructure(actor, input, id);
  if (Object.keys(errors).length) return { errors };
  const set = partnerColumns(input);
  const regroups = (current.parent_id ?? null) !== (set.parent_id ?? null);
  await changePartner(actor, id, set, "partner.updated", { tier: [current.tier, input.tier], parentId: [current.parent_id, input.parentId], type: [current.type, input.type] }, regroups);
  return { ok: true };
}

export async function setPartnerTier(actor: Actor, id: string, tier: Tier): Promise<boolean> {
  assertCan(actor, "partners.tier");
  const current = await getPartner(actor, id);
  if (!current) return false;
  await changePartner(actor, id, { tier }, "partner.tier_changed", { from: current.tier, to: tier });
  return true;
}

/** Deactivating a partner ends its users' access at their next request (the session check reads partner.active). */
export async function setPartnerActive(actor: Actor, id: string, active: boolean): Promise<boolean> {
  assertCan(actor, "partners.manage");
  if (!(await getPartner(actor, id))) return false;
  await changePartner(actor, id, { active }, active ? "partner.activated" : "partner.deactivated");
  return true;
}

export interface ProfileInput {
  phone: string | null;
  address: string | null;
  cobrandName: string | null;
  cobrandMessage: string | null;
  website: string | null;
}

/** A partner admin edits the contact and co-brand details of their own partner, nothing else. */
export async function updateOwnProfile(actor: Actor, input: ProfileInput): Promise<void> {
  assertCan(actor, "profile.edit");
  const set = { phone: input.phone, address: input.address, cobrand_name: input.cobrandName, cobrand_message: input.cobrandMessage, website: input.website };
  await changePartner(actor, actor.partnerId!, set, "partner.profile_updated");
}

export async function setOwnLogo(actor: Actor, key: string, mime: string): Promise<void> {
  assertCan(actor, "profile.edit");
  await changePartner(actor, actor.partnerId!, { logo_key: key, logo_mime: mime }, "partner.logo_updated");
}

/** The active partners the actor may see, by name; with `id`, only that one (none if it is not among them). */
export async function listPartnersForSelect(actor: Actor, id?: string) {
  return db()
    .selectFrom("partners")
    .select(["id", "name_fa", "name_en", "type"])
    .where(partnerScope(actor, "partners.id", "partners.brand_id"))
    .where("active", "=", true)
    .$if(id !== undefined, (q) => q.where("id", "=", id!))
    .orderBy("name_key")
    .execute();
}
