// What a cart line or an order line is made of: the product as it is offered today, the partner's
// price for the configuration (the one pricing function) and the promise date from the stock and
// capacity there are now. The cart shows it; the submit recomputes it inside its transaction.
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { promiseDate, type DatePromise } from "~/domain/promise-date";
import { hasControlCharacters } from "~/domain/text";
import type { FieldErrors } from "~/utils/validation";
import { capacityTaken, checkChoices, price, rulesFor, transitDaysTo, viewerOf, type Offer } from "./catalog.server";

type Executor = Kysely<DB> | Transaction<DB>;

export interface LineInput {
  id: string;
  productId: string;
  quantity: number;
  options: Record<string, string>;
  personalisation: Record<string, string>;
}

/** The JSON maps stored on a line; anything unreadable counts as no choice. */
export function choicesOf(raw: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    // fall through
  }
  return {};
}

const PRODUCT_COLUMNS = ["id", "sku", "name_fa", "name_en", "category_id", "unit", "list_price_rial", "retail_price_rial", "fulfilment", "stock_on_hand", "stock_reserved", "daily_capacity", "lead_time_days", "handling_days", "active"] as const;

/** The products (of the actor's brand) with what each offers: option groups, values, personalisation fields. */
export async function productsWithOffers(actor: Actor, productIds: string[], ex: Executor) {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map<string, never>();
  const [products, groups, values, personalisations] = await Promise.all([
    ex.selectFrom("products").select(PRODUCT_COLUMNS).where("brand_id", "=", actor.brandId).where("id", "in", ids).execute(),
    ex.selectFrom("product_option_groups").select(["id", "product_id", "name_fa", "name_en"]).where("brand_id", "=", actor.brandId).where("product_id", "in", ids).orderBy("sort").orderBy("id").execute(),
    ex.selectFrom("product_option_values").select(["id", "product_id", "group_id", "label_fa", "label_en", "price_delta_rial"]).where("brand_id", "=", actor.brandId).where("product_id", "in", ids).orderBy("sort").orderBy("id").execute(),
    ex.selectFrom("product_personalisations").select(["id", "product_id", "label_fa", "label_en", "max_length", "extra_price_rial", "required"]).where("brand_id", "=", actor.brandId).where("product_id", "in", ids).orderBy("sort").orderBy("id").execute(),
  ]);
  return new Map(
    products.map((p) => {
      const own = <T extends { product_id: string }>(rows: T[]) => rows.filter((r) => r.product_id === p.id);
      const offer = { groups: own(groups).map((g) => ({ ...g, values: own(values).filter((v) => v.group_id === g.id) })), values: own(values), personalisations: own(personalisations) };
      return [p.id, { ...p, offer }];
    }),
  );
}

export type ProductWithOffer = ReturnType<Awaited<ReturnType<typeof productsWithOffers>>["get"]> & object;

/**
 * Choices checked against the offer. Personalisation is made as typed, so control and direction
 * characters are refused, and a required field left empty is an error here (it must be made).
 */
export function checkLine(offer: Offer, line: Pick<LineInput, "options" | "personalisation">) {
  const checked = checkChoices(offer, line);
  for (const [id, text] of Object.entries(line.personalisation)) if (hasControlCharacters(text)) checked.errors[`pers.${id}`] ??= { key: "errors.control_chars" };
  for (const p of offer.personalisations) if (p.required && !line.personalisation[p.id]?.trim()) checked.errors[`pers.${p.id}`] ??= { key: "errors.required" };
  return checked;
}

export interface EvaluatedLine {
  line: LineInput;
  product: ProductWithOffer | null;
  errors: FieldErrors;
  price: ReturnType<typeof price> | null;
  promise: DatePromise | null;
}

/**
 * Each line priced for the actor's partner and promised from today's availability, in the order
 * given. A product gone from the catalogue or choices it no longer offers are line errors.
 */
export async function evaluateLines(actor: Actor, lines: LineInput[], today: string, ex: Executor) {
  const products = await productsWithOffers(actor, lines.map((l) => l.productId), ex);
  const viewer = await viewerOf(actor, ex);
  const [rules, transitDays] = await Promise.all([rulesFor(actor, viewer, [...products.values()], ex), transitDaysTo(actor, viewer.partner?.province ?? null, ex)]);
  const evaluated: EvaluatedLine[] = [];
  for (const line of lines) {
    const product = products.get(line.productId) ?? null;
    if (!product || !product.active) {
      evaluated.push({ line, product, errors: { product: { key: "orders:errors.product_unavailable" } }, price: null, promise: null });
      continue;
    }
    const { errors, optionDeltas, personalisationExtras } = checkLine(product.offer, line);
    if (Object.keys(errors).length) {
      evaluated.push({ line, product, errors, price: null, promise: null });
      continue;
    }
    const linePrice = price(viewer, rules, product, line.quantity, { options: optionDeltas, personalisation: personalisationExtras });
    const promise = promiseDate({
      today,
      quantity: line.quantity,
      availability: { fulfilment: product.fulfilment, onHand: product.stock_on_hand, reserved: product.stock_reserved, handlingDays: product.handling_days, dailyCapacity: product.daily_capacity, leadTimeDays: product.lead_time_days },
      taken: product.fulfilment === "made_to_order" ? await capacityTaken(actor, product.id, today, ex) : new Map(),
      transitDays,
    });
    evaluated.push({ line, product, errors: {}, price: linePrice, promise });
  }
  return { lines: evaluated, viewer, transitDays };
}
