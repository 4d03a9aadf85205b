import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePersonalise } from "~/models/toolkits/forms";
import { getPersonalisable, materialValues } from "~/models/toolkits/personalise.server";
import { materialDocument } from "~/models/toolkits/render.server";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";

/**
 * The live preview: the template filled with the valid values in the query string, as the document
 * the renderer prints (empty fields marked). Shown in a sandboxed frame of the personalise page;
 * server.mjs gives this path the document's own policy (security.mjs).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const tpl = await getPersonalisable(actor, params.id!, params.templateId!);
  invariantResponse(tpl, 404);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const input = parsePersonalise(tpl.config, query, { hasLogo: tpl.partner.hasLogo });
  const { values } = await materialValues(actor, tpl, input);
  return new Response(materialDocument(tpl.source, values, { forPreview: true }), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
