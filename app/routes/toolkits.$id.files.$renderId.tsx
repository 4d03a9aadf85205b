import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOwnRender } from "~/models/toolkits/personalise.server";
import { requirePermission } from "~/utils/auth.server";
import { attachment, invariantResponse } from "~/utils/http.server";
import { storage } from "~/utils/storage.server";

/** A file the partner made earlier, from whichever version of the toolkit: its own files only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "toolkits.view");
  const render = await getOwnRender(actor, params.id!, params.renderId!);
  invariantResponse(render, 404);
  const body = await storage().stream(render.storage_key);
  invariantResponse(body, 404);
  return new Response(body, {
    headers: { "Content-Type": render.mime, "Content-Disposition": attachment(render.file_name, `cobrand.${render.mime === "application/pdf" ? "pdf" : "png"}`), "Cache-Control": "private, no-store" },
  });
}
