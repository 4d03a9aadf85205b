import type { ActionFunctionArgs } from "@remix-run/node";
import { SAMPLE_VALUES } from "~/domain/toolkit-templates";
import { templatePreviewSchema } from "~/models/toolkits/forms";
import { editableToolkit } from "~/models/toolkits/manage.server";
import { materialDocument } from "~/models/toolkits/render.server";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData } from "~/utils/validation";

/**
 * The template editor's live preview: the HTML and CSS being edited, filled with sample partner
 * values, posted from the editor into a sandboxed frame (a template is too long for a query string).
 * server.mjs gives this path the document's own policy (security.mjs). Nothing is stored.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.manage");
  invariantResponse(await editableToolkit(actor, params.id!), 404);
  const parsed = parseFormData(templatePreviewSchema, await request.formData());
  invariantResponse(parsed.ok, 400);
  const { lang, html, css } = parsed.data;
  const document = materialDocument({ id: "preview", version: 0, lang, html, css }, { text: SAMPLE_VALUES[lang], logo: null }, { forPreview: true });
  return new Response(document, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" } });
}
