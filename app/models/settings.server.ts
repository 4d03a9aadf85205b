import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "./audit.server";
import { assertCan } from "./scope.server";

/** Brand-wide settings and the lists the brand defines; always the actor's own brand. */
export async function brandSettings(actor: Actor) {
  assertCan(actor, "settings.manage");
  const [brand, categories, preferenceKeys] = await Promise.all([
    db().selectFrom("brands").select(["protection_days", "money_unit"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow(),
    db().selectFrom("need_categories").select(["id", "name_fa", "name_en", "sort", "active"]).where("brand_id", "=", actor.brandId).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("preference_keys").select(["id", "label_fa", "label_en", "sort"]).where("brand_id", "=", actor.brandId).orderBy("sort").orderBy("id").execute(),
  ]);
  return { brand, categories, preferenceKeys };
}

export async function updateBrandSettings(actor: Actor, input: { protectionDays: number; moneyUnit: "rial" | "toman" }): Promise<void> {
  assertCan(actor, "settings.manage");
  await transaction(async (trx) => {
    await trx.updateTable("brands").set({ protection_days: input.protectionDays, money_unit: input.moneyUnit }).where("id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.updated", details: input }, trx);
  });
}

export interface NamedInput {
  nameFa: string;
  nameEn: string;
  sort: number;
}

/** Adds a need category, or renames/reorders/(de)activates one of this brand's; false when the id is not the brand's. */
export async function saveNeedCategory(actor: Actor, id: string | null, input: NamedInput & { active: boolean }): Promise<boolean> {
  assertCan(actor, "settings.manage");
  const values = { name_fa: input.nameFa, name_en: input.nameEn, sort: input.sort, active: input.active };
  return transaction(async (trx) => {
    if (id) {
      const result = await trx.updateTable("need_categories").set(values).where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
    } else {
      id = newId();
      await trx.insertInto("need_categories").values({ id, brand_id: actor.brandId, ...values }).execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.need_category_saved", targetType: "need_category", targetId: id }, trx);
    return true;
  });
}

export async function savePreferenceKey(actor: Actor, id: string | null, input: NamedInput): Promise<boolean> {
  assertCan(actor, "settings.manage");
  const values = { label_fa: input.nameFa, label_en: input.nameEn, sort: input.sort };
  return transaction(async (trx) => {
    if (id) {
      const result = await trx.updateTable("preference_keys").set(values).where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
    } else {
      id = newId();
      await trx.insertInto("preference_keys").values({ id, brand_id: actor.brandId, ...values }).execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.preference_key_saved", targetType: "preference_key", targetId: id }, trx);
    return true;
  });
}
