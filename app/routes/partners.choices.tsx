import type { LoaderFunctionArgs } from "@remix-run/node";
import { listPartnersForSelect } from "~/models/partners.server";
import { requirePermission } from "~/utils/auth.server";

/** The active partners the actor's network holds (id, names) as JSON: the customer list's serving-partner choices, loaded when the filter is about to be used. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  return Response.json({ partners: actor.scope === "network" ? await listPartnersForSelect(actor) : [] }, { headers: { "Cache-Control": "private, no-store" } });
}
