import type { LoaderFunctionArgs } from "@remix-run/node";
import { activeProducts } from "~/models/customer-activity.server";
import { requirePermission } from "~/utils/auth.server";

/** The brand's active products (id, SKU, names) as JSON: the choices of a customer need's form, loaded when it opens. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  return Response.json({ products: await activeProducts(actor.brandId) }, { headers: { "Cache-Control": "private, no-store" } });
}
