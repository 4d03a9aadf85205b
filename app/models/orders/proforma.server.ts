import type { Locale } from "~/domain/format";
import { buildProformaDocument, type ProformaInput } from "~/domain/order-document";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { renderDocumentPdf, vazirmatnFaces, type RenderedFile } from "../toolkits/render.server";
import { getOrder } from "./orders.server";

const LABELS = ["title", "brand", "partner", "customer", "number", "date", "sku", "product", "quantity", "unit_net", "line_total", "promised_ship", "promised_delivery", "discount", "total"] as const;

/**
 * The order's proforma as a PDF in the reader's language, or null when the order is not in the
 * actor's scope (the same door as the order page, so another partner's order is a 404).
 */
export async function proformaPdf(actor: Actor, orderId: string, locale: Locale, t: (key: string) => string): Promise<{ number: string; file: RenderedFile } | null> {
  const found = await getOrder(actor, orderId);
  if (!found) return null;
  const { order, lines } = found;
  const brand = await db().selectFrom("brands").select(["name_fa", "name_en", "money_unit"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow();
  const fa = locale === "fa";
  const labels = Object.fromEntries(LABELS.map((k) => [k, t(`orders:proforma.${k}`)])) as ProformaInput["labels"];
  labels.money_unit = t(`common:money.${brand.money_unit}`);
  const html = buildProformaDocument(
    {
      locale,
      moneyUnit: brand.money_unit,
      brand: fa ? brand.name_fa : brand.name_en,
      partner: fa ? order.partner_fa : order.partner_en,
      customer: order.customer,
      number: order.number,
      placedAt: order.placed_at,
      promisedShipOn: order.promised_ship_on,
      promisedDeliveryOn: order.promised_delivery_on,
      discountRial: String(order.discount_rial),
      totalRial: String(order.total_rial),
      lines: lines.map((l) => ({
        sku: l.sku,
        name: fa ? l.name_fa : l.name_en,
        options: [...l.options, ...l.personalisation].map((x) => (fa ? x.fa : x.en)),
        quantity: l.quantity,
        unitNetRial: String(l.unit_net_rial),
        lineTotalRial: String(l.line_total_rial),
        promisedShipOn: l.promised_ship_on,
      })),
      labels,
    },
    vazirmatnFaces(),
  );
  return { number: order.number, file: await renderDocumentPdf(html) };
}
