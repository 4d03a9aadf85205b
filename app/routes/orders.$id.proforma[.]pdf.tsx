import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale, i18nServer } from "~/i18n.server";
import { proformaPdf } from "~/models/orders/proforma.server";
import { RenderError } from "~/models/toolkits/render.server";
import { requirePermission } from "~/utils/auth.server";
import { attachment, invariantResponse } from "~/utils/http.server";

// A busy or missing renderer is "try later", a render past its limit a gateway timeout.
const RENDER_STATUS: Record<RenderError["reason"], number> = { unavailable: 503, timeout: 504, failed: 500 };

/** The order's proforma PDF in the reader's language; visible exactly where the order page is. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "orders.view");
  const locale = await getLocale(request);
  const t = await i18nServer.getFixedT(request, ["orders", "common"]);
  let result;
  try {
    result = await proformaPdf(actor, params.id!, locale, (key) => t(key));
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    return new Response(t(e.messageKey, { ns: "toolkits" }), { status: RENDER_STATUS[e.reason], headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  invariantResponse(result, 404);
  return new Response(Buffer.from(result.file.bytes), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": attachment(`${t("orders:proforma.title")} ${result.number}.pdf`, `proforma-${result.number}.pdf`), "Cache-Control": "private, no-store" },
  });
}
