import type { Locale } from "~/domain/format";
import { getLocale, i18nServer } from "~/i18n.server";
import { buildProformaDocument, type ProformaInput } from "~/domain/order-document";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/auth.server";
import { attachment, invariantResponse } from "~/utils/http.server";
import { RenderError, renderDocumentPdf, vazirmatnFaces, type RenderedFile } from "../toolkits/render.server";
import { getOrder } from "./orders.server";

const LABELS = ["title", "brand", "partner", "customer", "number", "date", "sku", "product", "quantity", "unit_net", "line_total", "promised_ship", "promised_delivery", "discount", "total"] as const;

export type OrderPdfKind = "proforma" | "slip";

/**
 * The order's proforma, or its packing slip (without prices when the order asked for that), as a
 * PDF in the reader's language; null when the order is not in the actor's scope (the same door as
 * the order page, so another partner's order is a 404).
 */
export async function orderPdf(actor: Actor, orderId: string, kind: OrderPdfKind, locale: Locale, t: (key: string) => string): Promise<{ number: string; file: RenderedFile } | null> {
  const found = await getOrder(actor, orderId);
  if (!found) return null;
  const { order, lines } = found;
  const brand = await db().selectFrom("brands").select(["name_fa", "name_en", "money_unit"]).where("id", "=", actor.brandId).executeTakeFirstOrThrow();
  const fa = locale === "fa";
  const labels = Object.fromEntries(LABELS.map((k) => [k, t(`orders:proforma.${k}`)])) as ProformaInput["labels"];
  labels.money_unit = t(`common:money.${brand.money_unit}`);
  if (kind === "slip") labels.title = t("orders:proforma.slip_title");
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
      showPrices: kind === "proforma" || !order.hide_prices_on_slip,
      labels,
    },
    vazirmatnFaces(),
  );
  return { number: order.number, file: await renderDocumentPdf(html) };
}

// A busy or missing renderer is "try later", a render past its limit a gateway timeout.
const RENDER_STATUS: Record<RenderError["reason"], number> = { unavailable: 503, timeout: 504, failed: 500 };
const FILE_NAMES: Record<OrderPdfKind, { title: string; ascii: string }> = {
  proforma: { title: "orders:proforma.title", ascii: "proforma" },
  slip: { title: "orders:proforma.slip_title", ascii: "packing-slip" },
};

/** The answer of an order's PDF route: the file, a 404 outside the actor's scope, or the renderer's trouble in the reader's language. */
export async function orderPdfResponse(request: Request, orderId: string, kind: OrderPdfKind): Promise<Response> {
  const actor = await requirePermission(request, "orders.view");
  const locale = await getLocale(request);
  const t = await i18nServer.getFixedT(request, ["orders", "common"]);
  let result;
  try {
    result = await orderPdf(actor, orderId, kind, locale, (key) => t(key));
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    return new Response(t(e.messageKey, { ns: "toolkits" }), { status: RENDER_STATUS[e.reason], headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  invariantResponse(result, 404);
  const name = FILE_NAMES[kind];
  return new Response(Buffer.from(result.file.bytes), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": attachment(`${t(name.title)} ${result.number}.pdf`, `${name.ascii}-${result.number}.pdf`), "Cache-Control": "private, no-store" },
  });
}
