import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { PartnerType, Role, Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { toSearchKey } from "~/domain/text";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { getActor, startSession } from "~/utils/session.server";

export const PASSWORD = "correct-horse-battery";
let passwordHash: Promise<string> | undefined;

/** Each test file builds its own brand, so files never see each other's rows. */
export async function createBrand() {
  const id = newId();
  await db().insertInto("brands").values({ id, name_fa: "برند آزمایشی", name_en: "Test brand", money_unit: "rial", created_at: new Date() }).execute();
  return id;
}

export async function createPartner(brandId: string, o: { type?: PartnerType; parentId?: string | null; tier?: Tier; nameFa?: string; province?: string; active?: boolean } = {}) {
  const id = newId();
  const nameFa = o.nameFa ?? `شریک ${id.slice(-5)}`;
  const now = new Date();
  await db()
    .insertInto("partners")
    .values({
      id,
      brand_id: brandId,
      name_fa: nameFa,
      name_en: `Partner ${id.slice(-5)}`,
      name_key: toSearchKey(`${nameFa} Partner ${id.slice(-5)}`),
      type: o.type ?? "reseller",
      parent_id: o.parentId ?? null,
      tier: o.tier ?? "registered",
      province: o.province ?? "tehran",
      city: "تهران",
      phone: null,
      address: null,
      active: o.active ?? true,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function createUser(brandId: string, role: Role, partnerId: string | null = null, o: { status?: "active" | "invited" | "disabled"; name?: string } = {}) {
  const id = newId();
  const email = `u-${id.toLowerCase()}@test.example`;
  passwordHash ??= hash(PASSWORD);
  const now = new Date();
  const name = o.name ?? `کاربر ${id.slice(-4)}`;
  await db()
    .insertInto("users")
    .values({ id, brand_id: brandId, partner_id: partnerId, email, display_name: name, name_key: toSearchKey(name), role, status: o.status ?? "active", password_hash: await passwordHash, created_at: now, updated_at: now })
    .execute();
  return { id, email };
}

/** A client address no other test uses (IPv6 documentation range), so sign-in limits never leak between tests. */
export function testAddress(): string {
  return `2001:db8:${randomBytes(12).toString("hex").match(/.{4}/g)!.join(":")}`;
}

/** A request carrying a live session cookie for the user, as a browser would send it. */
export async function signedInCookie(userId: string): Promise<string> {
  const setCookie = await startSession(new Request("http://localhost/"), userId);
  return setCookie.split(";")[0];
}

export async function actorFor(userId: string): Promise<Actor> {
  const actor = await getActor(new Request("http://localhost/", { headers: { Cookie: await signedInCookie(userId) } }));
  if (!actor) throw new Error("no actor");
  return actor;
}

/** A small network: distributor D with resellers R1, R2; an independent reseller X; users for each role. */
export async function createNetwork() {
  const brandId = await createBrand();
  const distributor = await createPartner(brandId, { type: "distributor", tier: "gold" });
  const reseller1 = await createPartner(brandId, { parentId: distributor });
  const reseller2 = await createPartner(brandId, { parentId: distributor });
  const independent = await createPartner(brandId);
  const users = {
    brandAdmin: await createUser(brandId, "brand_admin"),
    brandManager: await createUser(brandId, "brand_manager"),
    channelManager: await createUser(brandId, "channel_manager"),
    distributorAdmin: await createUser(brandId, "partner_admin", distributor),
    distributorRep: await createUser(brandId, "partner_rep", distributor),
    reseller1Admin: await createUser(brandId, "partner_admin", reseller1),
    reseller1Rep: await createUser(brandId, "partner_rep", reseller1),
    reseller2Admin: await createUser(brandId, "partner_admin", reseller2),
    independentAdmin: await createUser(brandId, "partner_admin", independent),
    independentRep: await createUser(brandId, "partner_rep", independent),
  };
  return { brandId, partners: { distributor, reseller1, reseller2, independent }, users };
}
