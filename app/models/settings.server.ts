import { sql } from "kysely";
import { BRAND_ROLES, type Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "./audit.server";
import { assertCan } from "./scope.server";

/** The unit the brand shows money in, and so the unit its people type prices in. */
export async function brandMoneyUnit(actor: Actor): Promise<"rial" | "toman"> {
  return (await db().selectFrom("brands").select("money_unit").where("id", "=", actor.brandId).executeTakeFirstOrThrow()).money_unit;
}

/** Brand-wide settings and the lists the brand defines; always the actor's own brand. */
export async function brandSettings(actor: Actor) {
  assertCan(actor, "settings.manage");
  const [brand, valueFit, categories, preferenceKeys] = await Promise.all([
    db().selectFrom("brands").select(["protection_days", "owner_decision_days", "money_unit", "require_two_factor", "discount_approval_bp", "ltv_horizon_months", "ltv_discount_bp"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow(),
    db().selectFrom("brand_value_fits").selectAll().where("brand_id", "=", actor.brandId).executeTakeFirst(),
    db().selectFrom("need_categories").select(["id", "name_fa", "name_en", "sort", "active"]).where("brand_id", "=", actor.brandId).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("preference_keys").select(["id", "label_fa", "label_en", "sort"]).where("brand_id", "=", actor.brandId).orderBy("sort").orderBy("id").execute(),
  ]);
  return { brand, valueFit: valueFit ?? null, categories, preferenceKeys };
}

export async function updateBrandSettings(actor: Actor, input: { protectionDays: number; ownerDecisionDays: number; moneyUnit: "rial" | "toman" }): Promise<void> {
  assertCan(actor, "settings.manage");
  await transaction(async (trx) => {
    await trx.updateTable("brands").set({ protection_days: input.protectionDays, owner_decision_days: input.ownerDecisionDays, money_unit: input.moneyUnit }).where("id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.updated", details: input }, trx);
  });
}

/** How the value job values customers: the horizon in months and the annual discount rate; used from its next run. */
export async function updateValueSettings(actor: Actor, input: { horizonMonths: number; discountBp: number }): Promise<void> {
  assertCan(actor, "settings.manage");
  await transaction(async (trx) => {
    await trx.updateTable("brands").set({ ltv_horizon_months: input.horizonMonths, ltv_discount_bp: input.discountBp }).where("id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.value_model_updated", details: input }, trx);
  });
}

/**
 * Requires (or stops requiring) two-factor sign-in of the brand's staff. Turning it on needs the
 * admin's own two-factor first, so the person setting the rule is never the one locked out by it;
 * staff sessions without two-factor end, so the rule holds from now, not from their next sign-in.
 */
export async function setTwoFactorRequirement(actor: Actor, required: boolean): Promise<"saved" | "own_first"> {
  assertCan(actor, "security.manage");
  return transaction(async (trx) => {
    if (required) {
      const own = await trx.selectFrom("user_two_factor").select("user_id").where("user_id", "=", actor.userId).where("enabled_at", "is not", null).executeTakeFirst();
      if (!own) return "own_first";
    }
    await trx.updateTable("brands").set({ require_two_factor: required }).where("id", "=", actor.brandId).execute();
    if (required) {
      await sql`
        delete from sessions where user_id in (
          select u.id from users u
          where u.brand_id = ${actor.brandId} and u.role in (${sql.join([...BRAND_ROLES])})
            and not exists (select 1 from user_two_factor t where t.user_id = u.id and t.enabled_at is not null))`.execute(trx);
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "settings.two_factor_required", details: { required } }, trx);
    return "saved";
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
