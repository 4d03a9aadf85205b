import type { LoaderFunctionArgs } from "@remix-run/node";
import { productImage } from "~/models/orders/catalog.server";
import { invariantResponse } from "~/utils/http.server";
import { requirePermission } from "~/utils/auth.server";
import { storage } from "~/utils/storage.server";

// A product's re-encoded image, for anyone who may see the brand's catalogue.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.view");
  const product = await productImage(actor, params.id!);
  invariantResponse(product?.image_key && product.image_mime, 404);
  const body = await storage().stream(product.image_key);
  invariantResponse(body, 404);
  return new Response(body, { headers: { "Content-Type": product.image_mime, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" } });
}
