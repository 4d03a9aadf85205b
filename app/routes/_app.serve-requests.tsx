import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { REASON_MAX } from "~/domain/serve-requests";
import { requestToServe } from "~/models/serve-requests.server";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData, text } from "~/utils/validation";

/**
 * Where the duplicate notice of the registration page sends a request to serve. Meant for a
 * fetcher: field errors come back as a 400 to show beside the form, success as a redirect.
 */
const schema = z.object({
  customerId: z.string().min(1).max(40),
  reason: text(REASON_MAX, { multiline: true }),
});

export const loader = () => redirect("/customers");

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  const parsed = parseFormData(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const result = await requestToServe(actor, parsed.data.customerId, parsed.data.reason);
  invariantResponse(result, 404);
  if ("errors" in result) return data({ errors: result.errors }, { status: 400 });
  // Granted at once (no protection left): the customer is now the requester's to open.
  if (result.status === "approved") return redirect(`/customers/${parsed.data.customerId}`);
  return redirect("/customers/new?requested=1");
}
