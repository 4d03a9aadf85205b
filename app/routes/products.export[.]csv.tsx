import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale } from "~/i18n.server";
import { exportProductsCsv } from "~/models/orders/product-csv.server";
import { requirePermission } from "~/utils/auth.server";
import { csvDownload } from "~/utils/http.server";

/** Every product of the brand with prices, cost and stock, in the columns the import reads back. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const { fileName, body } = await exportProductsCsv(actor, await getLocale(request));
  return csvDownload(body, fileName, "products.csv");
}
