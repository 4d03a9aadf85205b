import { z } from "zod";
import { SHIP_TO } from "#db/schema";
import { MAX_ORDER_QUANTITY } from "~/domain/orders";
import { checkbox, choice, id, optionalId, text } from "~/utils/validation";
import { count, percent, rial } from "./product-forms";


export const recipientSchema = z.object({ customerId: optionalId(), shipTo: choice(SHIP_TO), hidePrices: checkbox() });
export const quickOrderSchema = z.object({ lines: text(20_000, { multiline: true }) });
export const lineSchema = z.object({ lineId: id(), quantity: count(1, MAX_ORDER_QUANTITY) });
export const removeLineSchema = z.object({ lineId: id() });
/** The checkout key the cart page made; a retry sends the same one. */
export const submitSchema = z.object({ key: z.string({ message: "errors.required" }).regex(/^[0-9A-Z]{26}$/, { message: "errors.invalid" }) });
export const reorderSchema = z.object({ orderId: id() });
export const reasonSchema = z.object({ reason: text(500, { optional: true, multiline: true }) });
/** Empty means no limit. */
export const creditLimitSchema = z.object({ creditLimit: z.union([z.literal("").transform(() => null), rial()]) });
export const discountThresholdSchema = z.object({ discountApproval: percent() });

/** The choices of a product form or query string: `opt.<group>` and `pers.<field>` entries; an empty box is no choice. */
export function choicesFrom(entries: FormData | URLSearchParams) {
  const pick = (prefix: string) =>
    Object.fromEntries(
      [...entries.entries()].filter((e): e is [string, string] => e[0].startsWith(prefix) && typeof e[1] === "string" && e[1].trim() !== "").map(([k, v]) => [k.slice(prefix.length), v.trim()]),
    );
  return { options: pick("opt."), personalisation: pick("pers.") };
}
