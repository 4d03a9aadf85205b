import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPartner } from "~/models/partners.server";
import { invariantResponse } from "~/utils/http.server";
import { requireActor } from "~/utils/session.server";
import { storage } from "~/utils/storage.server";

// A partner's logo, only for those who may see the partner.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const partner = await getPartner(actor, params.id!);
  invariantResponse(partner?.logo_key && partner.logo_mime, 404);
  const body = await storage().stream(partner.logo_key);
  invariantResponse(body, 404);
  return new Response(body, {
    headers: { "Content-Type": partner.logo_mime, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" },
  });
}
