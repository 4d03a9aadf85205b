// The brand's catalogue, as its managers edit it: products with prices, cost, stock and capacity,
// option groups and personalisation fields. Every write is one transaction with its audit entry.
import { sql, type Transaction } from "kysely";
import type { DB, Fulfilment } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { isDuplicateKey } from "../customers.server";
import { assertCan, pageOf, PAGE_SIZE } from "../scope.server";
import type { ProductInput } from "./product-forms";

export const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

/** What a search matches: the start of the SKU or of any word of the names (Persian normalised). */
export const productSearchKey = (p: { sku: string; nameFa: string; nameEn: string }) => toSearchKey(`${p.sku} ${p.nameFa} ${p.nameEn}`);

export interface ProductFilters {
  q?: string;
  categoryId?: string;
  active?: boolean;
  inStock?: boolean;
}

/** The brand's products matching the filters; the prefix of the whole key uses the index, a later word does not. */
export function filteredProducts(actor: Actor, f: ProductFilters) {
  let query = db().selectFrom("products").where("products.brand_id", "=", actor.brandId);
  const key = f.q ? toSearchKey(f.q) : "";
  if (key) query = query.where((eb) => eb.or([eb("products.search_key", "like", `${escapeLike(key)}%`), eb("products.search_key", "like", `% ${escapeLike(key)}%`)]));
  if (f.categoryId) query = query.where("products.category_id", "=", f.categoryId);
  if (f.active !== undefined) query = query.where("products.active", "=", f.active);
  if (f.inStock) query = query.where((eb) => eb.or([sql<boolean>`products.stock_on_hand > products.stock_reserved`, eb.and([eb("products.fulfilment", "=", "made_to_order"), eb("products.daily_capacity", ">", 0)])]));
  return query;
}

export async function listProductsForManage(actor: Actor, f: ProductFilters, page: number) {
  assertCan(actor, "catalog.manage");
  const query = filteredProducts(actor, f);
  const [rows, total] = await Promise.all([
    query
      .leftJoin("need_categories", "need_categories.id", "products.category_id")
      .select(["products.id", "products.sku", "products.name_fa", "products.name_en", "products.active", "products.unit", "products.fulfilment", "products.list_price_rial", "products.cost_rial", "products.stock_on_hand", "products.stock_reserved", "products.daily_capacity", "need_categories.name_fa as category_fa", "need_categories.name_en as category_en"])
      .orderBy("products.sku")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows, total.n, page);
}

export async function getProductForManage(actor: Actor, id: string) {
  assertCan(actor, "catalog.manage");
  const product = await db().selectFrom("products").selectAll().where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
  if (!product) return null;
  const [groups, values, personalisations] = await Promise.all([
    db().selectFrom("product_option_groups").selectAll().where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("product_option_values").selectAll().where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("product_personalisations").selectAll().where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
  ]);
  return { product, groups: groups.map((g) => ({ ...g, values: values.filter((v) => v.group_id === g.id) })), personalisations };
}

/** The brand's active need categories, for the category pickers. */
export async function productCategories(actor: Actor) {
  return db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", actor.brandId).where("active", "=", true).orderBy("sort").orderBy("id").execute();
}

/** Product columns from a form or a CSV row: search key rewritten, reserved stock never touched. */
export function productColumns(input: ProductInput) {
  return {
    sku: input.sku,
    name_fa: input.nameFa,
    name_en: input.nameEn,
    description_fa: input.descriptionFa,
    description_en: input.descriptionEn,
    category_id: input.categoryId,
    unit: input.unit,
    list_price_rial: input.listPrice,
    retail_price_rial: input.retailPrice,
    cost_rial: input.cost,
    fulfilment: input.fulfilment as Fulfilment,
    stock_on_hand: input.stockOnHand,
    daily_capacity: input.dailyCapacity,
    lead_time_days: input.leadTimeDays,
    handling_days: input.handlingDays,
    active: input.active,
    search_key: productSearchKey(input),
    updated_at: new Date(),
  };
}

async function checkProduct(actor: Actor, input: ProductInput, trx: Transaction<DB>, id?: string): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.categoryId) {
    const category = await trx.selectFrom("need_categories").select("id").where("id", "=", input.categoryId).where("brand_id", "=", actor.brandId).executeTakeFirst();
    if (!category) errors.categoryId = { key: "errors.choice" };
  }
  if (id) {
    // Stock already promised to orders cannot be taken away by lowering what is on hand.
    const current = await trx.selectFrom("products").select("stock_reserved").where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    if (input.stockOnHand < current.stock_reserved) errors.stockOnHand = { key: "errors.below_reserved", values: { reserved: current.stock_reserved } };
  }
  return errors;
}

class Invalid extends Error {
  constructor(readonly errors: FieldErrors) {
    super("invalid");
  }
}

/** Runs a product write; field problems found inside the transaction roll it back and come back as errors. */
async function productWrite<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T | { errors: FieldErrors }> {
  try {
    return await transaction(fn);
  } catch (e) {
    if (e instanceof Invalid) return { errors: e.errors };
    if (isDuplicateKey(e)) return { errors: { sku: { key: "errors.sku_taken" } } };
    throw e;
  }
}

export async function createProduct(actor: Actor, input: ProductInput): Promise<{ id: string } | { errors: FieldErrors }> {
  assertCan(actor, "catalog.manage");
  const id = newId();
  return productWrite(async (trx) => {
    const errors = await checkProduct(actor, input, trx);
    if (Object.keys(errors).length) throw new Invalid(errors);
    await trx.insertInto("products").values({ id, brand_id: actor.brandId, ...productColumns(input) }).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "product.created", targetType: "product", targetId: id, details: { sku: input.sku } }, trx);
    return { id };
  });
}

export async function updateProduct(actor: Actor, id: string, input: ProductInput): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  assertCan(actor, "catalog.manage");
  const current = await db().selectFrom("products").select(["sku", "list_price_rial", "stock_on_hand"]).where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
  if (!current) return null;
  return productWrite(async (trx) => {
    const errors = await checkProduct(actor, input, trx, id);
    if (Object.keys(errors).length) throw new Invalid(errors);
    await trx.updateTable("products").set(productColumns(input)).where("id", "=", id).where("brand_id", "=", actor.brandId).execute();
    await audit(
      {
        brandId: actor.brandId,
        actorUserId: actor.userId,
        action: "product.updated",
        targetType: "product",
        targetId: id,
        details: { sku: [current.sku, input.sku], listPrice: [current.list_price_rial, String(input.listPrice)], stockOnHand: [current.stock_on_hand, input.stockOnHand] },
      },
      trx,
    );
    return { ok: true as const };
  });
}

export async function setProductImage(actor: Actor, id: string, key: string, mime: string): Promise<boolean> {
  assertCan(actor, "catalog.manage");
  return transaction(async (trx) => {
    const result = await trx.updateTable("products").set({ image_key: key, image_mime: mime, updated_at: new Date() }).where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "product.image_set", targetType: "product", targetId: id }, trx);
    return true;
  });
}

type Part =
  | { kind: "group"; nameFa: string; nameEn: string }
  | { kind: "value"; groupId: string; labelFa: string; labelEn: string; priceDelta: bigint }
  | { kind: "personalisation"; labelFa: string; labelEn: string; maxLength: number; extraPrice: bigint; required: boolean };

const nextSort = (trx: Transaction<DB>, table: "product_option_groups" | "product_option_values" | "product_personalisations", productId: string) =>
  trx.selectFrom(table).select((eb) => eb.fn.coalesce(eb.fn.max("sort"), sql<number>`0`).as("s")).where("product_id", "=", productId).executeTakeFirstOrThrow().then((r) => Number(r.s) + 10);

/** Adds an option group, an option value or a personalisation field to one of the brand's products. */
export async function addProductPart(actor: Actor, productId: string, part: Part): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  assertCan(actor, "catalog.manage");
  const product = await db().selectFrom("products").select("id").where("id", "=", productId).where("brand_id", "=", actor.brandId).executeTakeFirst();
  if (!product) return null;
  return productWrite(async (trx) => {
    const id = newId();
    const base = { id, brand_id: actor.brandId, product_id: productId };
    if (part.kind === "group") {
      await trx.insertInto("product_option_groups").values({ ...base, name_fa: part.nameFa, name_en: part.nameEn, sort: await nextSort(trx, "product_option_groups", productId) }).execute();
    } else if (part.kind === "value") {
      const group = await trx.selectFrom("product_option_groups").select("id").where("id", "=", part.groupId).where("product_id", "=", productId).where("brand_id", "=", actor.brandId).executeTakeFirst();
      if (!group) throw new Invalid({ groupId: { key: "errors.choice" } });
      await trx
        .insertInto("product_option_values")
        .values({ ...base, group_id: group.id, label_fa: part.labelFa, label_en: part.labelEn, price_delta_rial: part.priceDelta, sort: await nextSort(trx, "product_option_values", productId) })
        .execute();
    } else {
      await trx
        .insertInto("product_personalisations")
        .values({ ...base, label_fa: part.labelFa, label_en: part.labelEn, max_length: part.maxLength, extra_price_rial: part.extraPrice, required: part.required, sort: await nextSort(trx, "product_personalisations", productId) })
        .execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: `product.${part.kind}_added`, targetType: "product", targetId: productId, details: { id } }, trx);
    return { ok: true as const };
  });
}

/** Removes an option group (with its values), an option value or a personalisation field; false if not the product's. */
export async function removeProductPart(actor: Actor, productId: string, kind: "group" | "value" | "personalisation", id: string): Promise<boolean> {
  assertCan(actor, "catalog.manage");
  return transaction(async (trx) => {
    const table = kind === "group" ? "product_option_groups" : kind === "value" ? "product_option_values" : "product_personalisations";
    const result = await trx.deleteFrom(table).where("id", "=", id).where("product_id", "=", productId).where("brand_id", "=", actor.brandId).executeTakeFirst();
    if (result.numDeletedRows === 0n) return false;
    if (kind === "group") await trx.deleteFrom("product_option_values").where("group_id", "=", id).where("brand_id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: `product.${kind}_removed`, targetType: "product", targetId: productId, details: { id } }, trx);
    return true;
  });
}
