// The catalogue as people order from it: each partner sees its OWN net price (computed here, on the
// server, by the one pricing function), suggested retail and margin, and an honest promise date for
// its province. Cost is selected for brand roles only; partner prices only through partnerPriceScope.
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Tier } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { priceLine, type Price, type PricingRules } from "~/domain/pricing";
import { promiseDate, tehranToday, type DatePromise } from "~/domain/promise-date";
import { charLength } from "~/domain/text";
import { db } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/validation";
import { assertCan, maySeeCost, pageOf, partnerPriceScope, PAGE_SIZE } from "../scope.server";
import { filteredProducts, type ProductFilters } from "./products.server";

const PUBLIC_COLUMNS = [
  "products.id",
  "products.sku",
  "products.name_fa",
  "products.name_en",
  "products.description_fa",
  "products.description_en",
  "products.category_id",
  "products.unit",
  "products.list_price_rial",
  "products.retail_price_rial",
  "products.image_key",
  "products.fulfilment",
  "products.stock_on_hand",
  "products.stock_reserved",
  "products.daily_capacity",
  "products.lead_time_days",
  "products.handling_days",
] as const;

/** The selected columns, with cost only for those who may see it (never fetched for a partner). */
const catalogColumns = (actor: Actor) => (maySeeCost(actor) ? [...PUBLIC_COLUMNS, "products.cost_rial"] : PUBLIC_COLUMNS) as typeof PUBLIC_COLUMNS;
const costOf = (row: object): string | null => ("cost_rial" in row ? String(row.cost_rial) : null);

type Executor = Kysely<DB> | Transaction<DB>;

export interface Viewer {
  partner: { id: string; tier: Tier; province: string } | null;
}

export async function viewerOf(actor: Actor, ex: Executor = db()): Promise<Viewer> {
  if (!actor.partnerId) return { partner: null };
  const p = await ex.selectFrom("partners").select(["id", "tier", "province"]).where("id", "=", actor.partnerId).where("brand_id", "=", actor.brandId).executeTakeFirstOrThrow();
  return { partner: p };
}

/** The rules that may apply to these products for this viewer: its tier's discounts, its own prices, the breaks. */
export async function rulesFor(actor: Actor, viewer: Viewer, products: { id: string; category_id: string | null }[], ex: Executor = db()) {
  const ids = products.map((p) => p.id);
  const categories = [...new Set(products.map((p) => p.category_id).filter((c): c is string => c !== null))];
  if (!viewer.partner || ids.length === 0) return { tierDiscounts: [], partnerPrices: new Map<string, bigint>(), volumeBreaks: [] };
  const [tierDiscounts, partnerPrices, volumeBreaks] = await Promise.all([
    ex.selectFrom("tier_discounts").select(["tier", "category_id as categoryId", "discount_bp as discountBp"]).where("brand_id", "=", actor.brandId).where("tier", "=", viewer.partner.tier).execute(),
    ex.selectFrom("partner_prices").select(["product_id", "net_price_rial"]).where(partnerPriceScope(actor)).where("partner_id", "=", viewer.partner.id).where("product_id", "in", ids).execute(),
    ex
      .selectFrom("volume_breaks")
      .select(["product_id as productId", "category_id as categoryId", "min_quantity as minQuantity", "discount_bp as discountBp"])
      .where("brand_id", "=", actor.brandId)
      .where((eb) => eb.or([eb("product_id", "in", ids), ...(categories.length ? [eb("category_id", "in", categories)] : [])]))
      .orderBy("min_quantity")
      .execute(),
  ]);
  return { tierDiscounts, partnerPrices: new Map(partnerPrices.map((p) => [p.product_id, BigInt(p.net_price_rial)])), volumeBreaks };
}

export type Rules = Awaited<ReturnType<typeof rulesFor>>;
const rulesOf = (rules: Rules, productId: string): PricingRules => ({ tierDiscounts: rules.tierDiscounts, partnerPrice: rules.partnerPrices.get(productId) ?? null, volumeBreaks: rules.volumeBreaks });

/** A price as strings: bigint does not cross to the browser. */
export function shown(p: Price) {
  return {
    unitList: String(p.unitList),
    unitNet: String(p.unitNet),
    lineTotal: String(p.lineTotal),
    unitDiscount: String(p.unitDiscount),
    unitRetail: String(p.unitRetail),
    unitMargin: String(p.unitMargin),
    lineMargin: String(p.lineMargin),
    marginBp: p.marginBp,
    rules: p.rules,
  };
}

export function price(viewer: Viewer, rules: Rules, product: { id: string; category_id: string | null; list_price_rial: string; retail_price_rial: string }, quantity: number, extras: { options?: bigint[]; personalisation?: bigint[] } = {}) {
  return priceLine({
    product: { id: product.id, categoryId: product.category_id, listPrice: BigInt(product.list_price_rial), retailPrice: BigInt(product.retail_price_rial) },
    partner: viewer.partner,
    rules: rulesOf(rules, product.id),
    optionDeltas: extras.options,
    personalisationExtras: extras.personalisation,
    quantity,
  });
}

/** The active catalogue page with each product's price for one unit, for this viewer. */
export async function listCatalog(actor: Actor, f: Omit<ProductFilters, "active">, page: number) {
  assertCan(actor, "catalog.view");
  const query = filteredProducts(actor, { ...f, active: true });
  const [rows, total, viewer] = await Promise.all([
    query
      .leftJoin("need_categories", "need_categories.id", "products.category_id")
      .select([...catalogColumns(actor), "need_categories.name_fa as category_fa", "need_categories.name_en as category_en"])
      .orderBy("products.sku")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    viewerOf(actor),
  ]);
  const rules = await rulesFor(actor, viewer, rows);
  return pageOf(
    rows.map((r) => ({ ...r, cost: costOf(r), available: Math.max(0, r.stock_on_hand - r.stock_reserved), price: shown(price(viewer, rules, r, 1)) })),
    total.n,
    page,
  );
}

export interface Quote {
  quantity: number;
  /** group id → chosen value id */
  options: Record<string, string>;
  /** personalisation field id → text */
  personalisation: Record<string, string>;
}

export async function transitDaysTo(actor: Actor, province: string | null, ex: Executor = db()): Promise<number> {
  const [brand, row] = await Promise.all([
    ex.selectFrom("brands").select("default_transit_days").where("id", "=", actor.brandId).executeTakeFirstOrThrow(),
    province ? ex.selectFrom("brand_transit_days").select("days").where("brand_id", "=", actor.brandId).where("province", "=", province).executeTakeFirst() : undefined,
  ]);
  return row?.days ?? brand.default_transit_days;
}

/** Production already promised per day from today on (the next slice's submits fill the ledger). */
export async function capacityTaken(actor: Actor, productId: string, today: string, ex: Executor = db()) {
  const rows = await ex
    .selectFrom("capacity_ledger")
    .select([sql<string>`date_format(day, '%Y-%m-%d')`.as("day"), "units_taken"])
    .where("brand_id", "=", actor.brandId)
    .where("product_id", "=", productId)
    .where("day", ">=", today)
    .execute();
  return new Map(rows.map((r) => [r.day, r.units_taken]));
}

/**
 * One active product with its options, personalisation fields and breaks, and — for a quantity and
 * choices — the viewer's price and the promise date to the viewer's province (the brand's default
 * transit for brand roles). Choices that the product does not offer come back as field errors.
 */
export async function getCatalogProduct(actor: Actor, id: string, quote: Quote | null, now = new Date()) {
  assertCan(actor, "catalog.view");
  const product = await db()
    .selectFrom("products")
    .leftJoin("need_categories", "need_categories.id", "products.category_id")
    .select([...catalogColumns(actor), "need_categories.name_fa as category_fa", "need_categories.name_en as category_en"])
    .where("products.id", "=", id)
    .where("products.brand_id", "=", actor.brandId)
    .where("products.active", "=", true)
    .executeTakeFirst();
  if (!product) return null;
  const [groups, values, personalisations, viewer] = await Promise.all([
    db().selectFrom("product_option_groups").select(["id", "name_fa", "name_en"]).where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("product_option_values").select(["id", "group_id", "label_fa", "label_en", "price_delta_rial"]).where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
    db().selectFrom("product_personalisations").select(["id", "label_fa", "label_en", "max_length", "extra_price_rial", "required"]).where("brand_id", "=", actor.brandId).where("product_id", "=", id).orderBy("sort").orderBy("id").execute(),
    viewerOf(actor),
  ]);
  const rules = await rulesFor(actor, viewer, [product]);
  const ownBreaks = rules.volumeBreaks.filter((b) => b.productId === product.id);
  const breaks = ownBreaks.length ? ownBreaks : rules.volumeBreaks.filter((b) => b.productId === null && b.categoryId === product.category_id);
  const detail = {
    product: { ...product, cost: costOf(product), available: Math.max(0, product.stock_on_hand - product.stock_reserved) },
    groups: groups.map((g) => ({ ...g, values: values.filter((v) => v.group_id === g.id) })),
    personalisations,
    breaks,
    unitPrice: shown(price(viewer, rules, product, 1)),
  };
  if (!quote) return { ...detail, quote: null };

  const { errors, optionDeltas, personalisationExtras } = checkChoices({ groups, values, personalisations }, quote);
  if (Object.keys(errors).length) return { ...detail, quote: { errors, price: null, promise: null } };

  const today = tehranToday(now);
  const [transitDays, taken] = await Promise.all([transitDaysTo(actor, viewer.partner?.province ?? null), capacityTaken(actor, id, today)]);
  const linePrice = price(viewer, rules, product, quote.quantity, { options: optionDeltas, personalisation: personalisationExtras });
  const promise: DatePromise = promiseDate({
    today,
    quantity: quote.quantity,
    availability: { fulfilment: product.fulfilment, onHand: product.stock_on_hand, reserved: product.stock_reserved, handlingDays: product.handling_days, dailyCapacity: product.daily_capacity, leadTimeDays: product.lead_time_days },
    taken,
    transitDays,
  });
  return { ...detail, quote: { errors: undefined, price: shown(linePrice), promise: promise.ok ? { ok: true as const, source: promise.source, shipOn: promise.shipOn, deliverOn: promise.deliverOn } : promise } };
}

export interface Offer {
  groups: { id: string }[];
  values: { id: string; group_id: string; price_delta_rial: string }[];
  personalisations: { id: string; max_length: number; extra_price_rial: string; required: boolean | number }[];
}

/**
 * Choices checked against what the product offers: a value of another group or product, a group or
 * field it does not have, text over the field's length are field errors (`opt.<group>`, `pers.<field>`).
 */
export function checkChoices({ groups, values, personalisations }: Offer, quote: Pick<Quote, "options" | "personalisation">) {
  const errors: FieldErrors = {};
  const optionDeltas: bigint[] = [];
  for (const g of groups) {
    const chosen = quote.options[g.id];
    if (!chosen) continue;
    const value = values.find((v) => v.group_id === g.id && v.id === chosen);
    if (value) optionDeltas.push(BigInt(value.price_delta_rial));
    else errors[`opt.${g.id}`] = { key: "errors.choice" };
  }
  // A choice for a group this product does not have is not offered either.
  for (const groupId of Object.keys(quote.options)) if (!groups.some((g) => g.id === groupId)) errors[`opt.${groupId}`] = { key: "errors.choice" };
  for (const fieldId of Object.keys(quote.personalisation)) if (!personalisations.some((p) => p.id === fieldId)) errors[`pers.${fieldId}`] = { key: "errors.choice" };
  const personalisationExtras: bigint[] = [];
  for (const p of personalisations) {
    const text = quote.personalisation[p.id] ?? "";
    if (charLength(text) > p.max_length) errors[`pers.${p.id}`] = { key: "errors.too_long", values: { max: p.max_length } };
    // A required field is always made (and charged), an optional one only when filled in.
    if (text || p.required) personalisationExtras.push(BigInt(p.extra_price_rial));
  }
  return { errors, optionDeltas, personalisationExtras };
}

/** The stored image of an active product of the actor's brand. */
export async function productImage(actor: Actor, id: string) {
  assertCan(actor, "catalog.view");
  return db().selectFrom("products").select(["image_key", "image_mime"]).where("id", "=", id).where("brand_id", "=", actor.brandId).executeTakeFirst();
}
