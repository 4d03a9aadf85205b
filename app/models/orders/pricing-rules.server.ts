// The brand's pricing rules and transit days, as its managers edit them. Partners never read these
// through here: the catalogue applies them on the server (catalog.server.ts).
import { TIERS, type Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { PROVINCES } from "~/domain/provinces";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { assertCan } from "../scope.server";

export async function pricingRulesPage(actor: Actor) {
  assertCan(actor, "catalog.manage");
  const brand = actor.brandId;
  const [categories, discounts, partnerPrices, breaks, transit, defaults, partners, products] = await Promise.all([
    db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brand).where("active", "=", true).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("tier_discounts").select(["tier", "category_id", "discount_bp"]).where("brand_id", "=", brand).execute(),
    db()
      .selectFrom("partner_prices")
      .innerJoin("partners", (j) => j.onRef("partners.id", "=", "partner_prices.partner_id").onRef("partners.brand_id", "=", "partner_prices.brand_id"))
      .innerJoin("products", (j) => j.onRef("products.id", "=", "partner_prices.product_id").onRef("products.brand_id", "=", "partner_prices.brand_id"))
      .select(["partner_prices.partner_id", "partner_prices.product_id", "partner_prices.net_price_rial", "partners.name_fa as partner_fa", "partners.name_en as partner_en", "products.sku", "products.list_price_rial"])
      .where("partner_prices.brand_id", "=", brand)
      .orderBy("partners.name_fa").orderBy("products.sku")
      .execute(),
    db()
      .selectFrom("volume_breaks")
      .leftJoin("products", "products.id", "volume_breaks.product_id")
      .leftJoin("need_categories", "need_categories.id", "volume_breaks.category_id")
      .select(["volume_breaks.id", "volume_breaks.min_quantity", "volume_breaks.discount_bp", "products.sku", "need_categories.name_fa as category_fa", "need_categories.name_en as category_en"])
      .where("volume_breaks.brand_id", "=", brand)
      .orderBy("products.sku").orderBy("need_categories.name_fa").orderBy("volume_breaks.min_quantity")
      .execute(),
    db().selectFrom("brand_transit_days").select(["province", "days"]).where("brand_id", "=", brand).execute(),
    db().selectFrom("brands").select("default_transit_days").where("id", "=", brand).executeTakeFirstOrThrow(),
    db().selectFrom("partners").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brand).where("active", "=", true).orderBy("name_fa").execute(),
    db().selectFrom("products").select(["id", "sku", "name_fa", "name_en"]).where("brand_id", "=", brand).orderBy("sku").execute(),
  ]);
  return { categories, discounts, partnerPrices, breaks, transit, defaultTransitDays: defaults.default_transit_days, partners, products };
}

/** Replaces the whole tier × category grid (0 removes a cell). */
export async function saveTierDiscounts(actor: Actor, cells: { tier: Tier; categoryId: string; bp: number }[]): Promise<void> {
  assertCan(actor, "catalog.manage");
  const categories = new Set((await db().selectFrom("need_categories").select("id").where("brand_id", "=", actor.brandId).execute()).map((c) => c.id));
  const rows = cells.filter((c) => c.bp > 0 && categories.has(c.categoryId) && TIERS.includes(c.tier)).map((c) => ({ brand_id: actor.brandId, tier: c.tier, category_id: c.categoryId, discount_bp: c.bp }));
  await transaction(async (trx) => {
    await trx.deleteFrom("tier_discounts").where("brand_id", "=", actor.brandId).execute();
    if (rows.length) await trx.insertInto("tier_discounts").values(rows).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "pricing.tier_discounts_saved", details: { cells: rows.map((r) => [r.tier, r.category_id, r.discount_bp]) } }, trx);
  });
}

export async function setPartnerPrice(actor: Actor, input: { partnerId: string; productId: string; netPrice: bigint }): Promise<{ ok: true } | { errors: FieldErrors }> {
  assertCan(actor, "catalog.manage");
  const [partner, product] = await Promise.all([
    db().selectFrom("partners").select("id").where("id", "=", input.partnerId).where("brand_id", "=", actor.brandId).executeTakeFirst(),
    db().selectFrom("products").select("id").where("id", "=", input.productId).where("brand_id", "=", actor.brandId).executeTakeFirst(),
  ]);
  if (!partner) return { errors: { partnerId: { key: "errors.choice" } } };
  if (!product) return { errors: { productId: { key: "errors.choice" } } };
  await transaction(async (trx) => {
    await trx
      .insertInto("partner_prices")
      .values({ brand_id: actor.brandId, partner_id: partner.id, product_id: product.id, net_price_rial: input.netPrice })
      .onDuplicateKeyUpdate({ net_price_rial: input.netPrice })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: partner.id, action: "pricing.partner_price_set", targetType: "product", targetId: product.id, details: { netPrice: String(input.netPrice) } }, trx);
  });
  return { ok: true };
}

export async function removePartnerPrice(actor: Actor, partnerId: string, productId: string): Promise<boolean> {
  assertCan(actor, "catalog.manage");
  return transaction(async (trx) => {
    const r = await trx.deleteFrom("partner_prices").where("brand_id", "=", actor.brandId).where("partner_id", "=", partnerId).where("product_id", "=", productId).executeTakeFirst();
    if (r.numDeletedRows === 0n) return false;
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "pricing.partner_price_removed", targetType: "product", targetId: productId }, trx);
    return true;
  });
}

export async function addVolumeBreak(actor: Actor, input: { productId: string | null; categoryId: string | null; minQuantity: number; discount: number }): Promise<{ ok: true } | { errors: FieldErrors }> {
  assertCan(actor, "catalog.manage");
  const target = input.productId
    ? await db().selectFrom("products").select("id").where("id", "=", input.productId).where("brand_id", "=", actor.brandId).executeTakeFirst()
    : await db().selectFrom("need_categories").select("id").where("id", "=", input.categoryId!).where("brand_id", "=", actor.brandId).executeTakeFirst();
  if (!target) return { errors: { [input.productId ? "productId" : "categoryId"]: { key: "errors.choice" } } };
  const id = newId();
  await transaction(async (trx) => {
    await trx.insertInto("volume_breaks").values({ id, brand_id: actor.brandId, product_id: input.productId, category_id: input.categoryId, min_quantity: input.minQuantity, discount_bp: input.discount }).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "pricing.volume_break_added", targetType: "volume_break", targetId: id, details: { ...input } }, trx);
  });
  return { ok: true };
}

export async function removeVolumeBreak(actor: Actor, id: string): Promise<boolean> {
  assertCan(actor, "catalog.manage");
  return transaction(async (trx) => {
    const r = await trx.deleteFrom("volume_breaks").where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
    if (r.numDeletedRows === 0n) return false;
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "pricing.volume_break_removed", targetType: "volume_break", targetId: id }, trx);
    return true;
  });
}

/** The default transit days and the provinces that differ from it (null: use the default). */
export async function saveTransitDays(actor: Actor, defaultDays: number, byProvince: Partial<Record<string, number | null>>): Promise<void> {
  assertCan(actor, "catalog.manage");
  const rows = PROVINCES.flatMap((p) => {
    const days = byProvince[p];
    return days === null || days === undefined ? [] : [{ brand_id: actor.brandId, province: p, days }];
  });
  await transaction(async (trx) => {
    await trx.updateTable("brands").set({ default_transit_days: defaultDays }).where("id", "=", actor.brandId).execute();
    await trx.deleteFrom("brand_transit_days").where("brand_id", "=", actor.brandId).execute();
    if (rows.length) await trx.insertInto("brand_transit_days").values(rows).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "pricing.transit_saved", details: { defaultDays, provinces: Object.fromEntries(rows.map((r) => [r.province, r.days])) } }, trx);
  });
}
