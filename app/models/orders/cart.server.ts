// The cart is the order's draft: one per user, for a named end customer the user may see or for the
// partner's own stock. Lines keep the product, choices and quantity only; prices and promise dates
// are computed on the server every time the cart is shown (and again at submit).
import { parse } from "csv-parse/sync";
import type { ShipTo } from "#db/schema";
import { decodeCsv, detectDelimiter } from "~/domain/customer-csv";
import { MAX_ORDER_QUANTITY, parseQuickOrder, type QuickLine, type QuickLineError } from "~/domain/orders";
import type { Actor } from "~/domain/permissions";
import { tehranToday } from "~/domain/promise-date";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "../audit.server";
import { assertAllowed, assertCan, cartOf, customerScope, placedByOwnPartner } from "../scope.server";
import { shown } from "./catalog.server";
import { checkLine, choicesOf, evaluateLines, productsWithOffers, type LineInput } from "./order-lines.server";

/** A cart holds at most this many lines; a bigger order is several orders. */
export const MAX_CART_LINES = 200;

const placingPartner = (actor: Actor): string => {
  assertCan(actor, "orders.place");
  assertAllowed(actor.partnerId !== null);
  return actor.partnerId!;
};

export async function cartLines(actor: Actor, ex = db()): Promise<LineInput[]> {
  const rows = await ex.selectFrom("cart_lines").select(["id", "product_id", "quantity", "options", "personalisation"]).where(cartOf(actor, "cart_lines")).orderBy("created_at").orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, productId: r.product_id, quantity: r.quantity, options: choicesOf(r.options), personalisation: choicesOf(r.personalisation) }));
}

/** The cart page: recipient, lines priced and promised today, and the customers it may be for. */
export async function getCart(actor: Actor, now = new Date()) {
  placingPartner(actor);
  const [cart, lines, customers] = await Promise.all([
    db().selectFrom("carts").select(["customer_id", "ship_to", "hide_prices_on_slip"]).where(cartOf(actor, "carts")).executeTakeFirst(),
    cartLines(actor),
    db().selectFrom("customers").select(["id", "display_name"]).where(customerScope(actor)).orderBy("name_key").orderBy("id").limit(1000).execute(),
  ]);
  const { lines: evaluated } = await evaluateLines(actor, lines, tehranToday(now), db());
  const total = evaluated.reduce((sum, l) => sum + (l.price?.lineTotal ?? 0n), 0n);
  return {
    recipient: { customerId: cart?.customer_id ?? null, shipTo: cart?.ship_to ?? "partner", hidePrices: Boolean(cart?.hide_prices_on_slip) },
    customers,
    lines: evaluated.map((l) => ({
      id: l.line.id,
      quantity: l.line.quantity,
      options: l.line.options,
      personalisation: l.line.personalisation,
      product: l.product ? { id: l.product.id, sku: l.product.sku, name_fa: l.product.name_fa, name_en: l.product.name_en, unit: l.product.unit, offer: { groups: l.product.offer.groups, personalisations: l.product.offer.personalisations } } : null,
      errors: l.errors,
      price: l.price ? shown(l.price) : null,
      promise: l.promise,
    })),
    total: String(total),
    /** Submit is refused while a line has an error or cannot be promised. */
    submittable: evaluated.length > 0 && evaluated.every((l) => l.price && l.promise?.ok),
  };
}

async function ensureCart(actor: Actor, partnerId: string, trx: Parameters<Parameters<typeof transaction>[0]>[0]) {
  await trx.insertInto("carts").values({ user_id: actor.userId, brand_id: actor.brandId, partner_id: partnerId, updated_at: new Date() }).onDuplicateKeyUpdate({ updated_at: new Date() }).execute();
}

/** For whom and where to: a customer must be one the user may see; shipping to a customer needs one. */
export async function setRecipient(actor: Actor, input: { customerId: string | null; shipTo: ShipTo; hidePrices: boolean }): Promise<{ ok: true } | { errors: FieldErrors }> {
  const partnerId = placingPartner(actor);
  if (input.customerId) {
    const visible = await db().selectFrom("customers").select("id").where("customers.id", "=", input.customerId).where(customerScope(actor)).executeTakeFirst();
    if (!visible) return { errors: { customerId: { key: "errors.choice" } } };
  }
  if (input.shipTo === "customer" && !input.customerId) return { errors: { shipTo: { key: "orders:errors.ship_to_needs_customer" } } };
  await transaction(async (trx) => {
    await ensureCart(actor, partnerId, trx);
    await trx.updateTable("carts").set({ customer_id: input.customerId, ship_to: input.shipTo, hide_prices_on_slip: input.hidePrices, updated_at: new Date() }).where(cartOf(actor, "carts")).execute();
  });
  return { ok: true };
}

/** Adds lines (no choices yet) for active products; the same product without choices adds up. */
async function addToCart(actor: Actor, partnerId: string, lines: { productId: string; quantity: number; options?: Record<string, string>; personalisation?: Record<string, string> }[]) {
  await transaction(async (trx) => {
    await ensureCart(actor, partnerId, trx);
    const existing = await trx.selectFrom("cart_lines").select(["id", "product_id", "quantity", "options", "personalisation"]).where(cartOf(actor, "cart_lines")).forUpdate().execute();
    let count = existing.length;
    // One millisecond apart, so the cart lists lines in the order they were typed or ordered before.
    const start = Date.now();
    for (const [i, l] of lines.entries()) {
      const options = JSON.stringify(l.options ?? {});
      const personalisation = JSON.stringify(l.personalisation ?? {});
      const same = existing.find((e) => e.product_id === l.productId && e.options === options && e.personalisation === personalisation);
      if (same) {
        same.quantity = Math.min(MAX_ORDER_QUANTITY, same.quantity + l.quantity);
        await trx.updateTable("cart_lines").set({ quantity: same.quantity }).where("id", "=", same.id).where(cartOf(actor, "cart_lines")).execute();
      } else if (count < MAX_CART_LINES) {
        count++;
        await trx.insertInto("cart_lines").values({ id: newId(), brand_id: actor.brandId, user_id: actor.userId, product_id: l.productId, options, personalisation, quantity: l.quantity, created_at: new Date(start + i) }).execute();
      }
    }
  });
}

/** One configured product from its catalogue page; choices it does not offer are field errors and nothing is written. */
export async function addProductToCart(actor: Actor, productId: string, input: Omit<LineInput, "id" | "productId">): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  const partnerId = placingPartner(actor);
  const product = (await productsWithOffers(actor, [productId], db())).get(productId);
  if (!product || !product.active) return null;
  const { errors } = checkLine(product.offer, input);
  if (input.quantity > MAX_ORDER_QUANTITY) errors.qty = { key: "orders:errors.quantity_range", values: { max: MAX_ORDER_QUANTITY } };
  if (Object.keys(errors).length) return { errors };
  await addToCart(actor, partnerId, [{ productId, ...input }]);
  return { ok: true };
}

export interface QuickPreview {
  valid: (QuickLine & { productId: string; name_fa: string; name_en: string })[];
  errors: QuickLineError[];
}

/** Resolves typed or uploaded "SKU quantity" lines against the active catalogue; nothing is written. */
export async function previewQuickOrder(actor: Actor, input: string): Promise<QuickPreview> {
  placingPartner(actor);
  const parsed = parseQuickOrder(input);
  const skus = parsed.lines.map((l) => l.sku);
  const products = skus.length ? await db().selectFrom("products").select(["id", "sku", "name_fa", "name_en", "active"]).where("brand_id", "=", actor.brandId).where("sku", "in", skus).execute() : [];
  const errors = [...parsed.errors];
  const valid: QuickPreview["valid"] = [];
  for (const l of parsed.lines) {
    const p = products.find((x) => x.sku.toUpperCase() === l.sku);
    if (!p) errors.push({ line: l.line, text: l.sku, key: "orders:errors.unknown_sku", values: { sku: l.sku } });
    else if (!p.active) errors.push({ line: l.line, text: l.sku, key: "orders:errors.inactive_sku", values: { sku: l.sku } });
    else valid.push({ ...l, productId: p.id, name_fa: p.name_fa, name_en: p.name_en });
  }
  return { valid, errors: errors.sort((a, b) => a.line - b.line) };
}

/**
 * The user confirmed the preview: the valid lines are added, lines with errors are left out (they
 * were shown with their reasons and the user chose to go on without them).
 */
export async function confirmQuickOrder(actor: Actor, input: string): Promise<QuickPreview> {
  const partnerId = placingPartner(actor);
  const preview = await previewQuickOrder(actor, input);
  if (preview.valid.length) await addToCart(actor, partnerId, preview.valid);
  return preview;
}

/** A CSV of SKU and quantity (a header row is optional) as quick-order text; null when it is not readable. */
export function csvToQuickText(bytes: Uint8Array): string | null {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return null;
  let rows: string[][];
  try {
    rows = parse(decoded.text, { delimiter: detectDelimiter(decoded.text), relax_column_count: true, skip_empty_lines: true, to: 5000 }) as string[][];
  } catch {
    return null;
  }
  // Each row keeps its line number (an empty string for a header), so errors point at the file's rows.
  return rows.map((r, i) => (i === 0 && !/\d/.test(r[1] ?? "") ? "" : `${(r[0] ?? "").trim()} ${(r[1] ?? "").trim()}`)).join("\n");
}

/** Changes a line's quantity and choices; choices the product does not offer are field errors and nothing is written. */
export async function updateCartLine(actor: Actor, lineId: string, input: Omit<LineInput, "id" | "productId">): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  placingPartner(actor);
  const line = await db().selectFrom("cart_lines").select(["id", "product_id"]).where("id", "=", lineId).where(cartOf(actor, "cart_lines")).executeTakeFirst();
  if (!line) return null;
  const product = (await productsWithOffers(actor, [line.product_id], db())).get(line.product_id);
  if (!product || !product.active) return { errors: { product: { key: "orders:errors.product_unavailable" } } };
  const options = Object.fromEntries(Object.entries(input.options).filter(([, v]) => v !== ""));
  const personalisation = Object.fromEntries(Object.entries(input.personalisation).filter(([, v]) => v !== ""));
  const { errors } = checkLine(product.offer, { options, personalisation });
  if (Object.keys(errors).length) return { errors };
  await db().updateTable("cart_lines").set({ quantity: input.quantity, options: JSON.stringify(options), personalisation: JSON.stringify(personalisation) }).where("id", "=", line.id).where(cartOf(actor, "cart_lines")).execute();
  return { ok: true };
}

export async function removeCartLine(actor: Actor, lineId: string): Promise<boolean> {
  placingPartner(actor);
  const r = await db().deleteFrom("cart_lines").where("id", "=", lineId).where(cartOf(actor, "cart_lines")).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * Reorder: an earlier order of the actor's own partner (not a reseller's, whose terms are its own) is copied into the cart with its choices, priced and
 * promised again today (the cart never keeps old prices). Its customer becomes the cart's when the
 * actor may see them. Products no longer sold are skipped.
 */
export async function reorder(actor: Actor, orderId: string): Promise<{ added: number } | null> {
  const partnerId = placingPartner(actor);
  const order = await db().selectFrom("orders").select(["id", "customer_id", "ship_to"]).where("orders.id", "=", orderId).where(placedByOwnPartner(actor)).executeTakeFirst();
  if (!order) return null;
  const lines = await db()
    .selectFrom("order_lines")
    .innerJoin("products", (j) => j.onRef("products.id", "=", "order_lines.product_id").onRef("products.brand_id", "=", "order_lines.brand_id"))
    .select(["order_lines.product_id", "order_lines.quantity", "order_lines.options", "order_lines.personalisation"])
    .where("order_lines.order_id", "=", order.id)
    .where("products.active", "=", true)
    .orderBy("order_lines.sort")
    .execute();
  const customer = order.customer_id ? await db().selectFrom("customers").select("id").where("customers.id", "=", order.customer_id).where(customerScope(actor)).executeTakeFirst() : undefined;
  await addToCart(actor, partnerId, lines.map((l) => ({ productId: l.product_id, quantity: l.quantity, options: choicesOf(l.options), personalisation: choicesOf(l.personalisation) })));
  if (customer) await db().updateTable("carts").set({ customer_id: customer.id, ship_to: order.ship_to }).where(cartOf(actor, "carts")).execute();
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "order.reordered", targetType: "order", targetId: order.id, details: { lines: lines.length } });
  return { added: lines.length };
}
