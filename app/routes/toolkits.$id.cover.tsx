import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCoverFile } from "~/models/toolkits/library.server";
import { invariantResponse } from "~/utils/http.server";
import { requireActor } from "~/utils/session.server";
import { storage } from "~/utils/storage.server";

// A toolkit's cover image, only for those who may open the toolkit.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const cover = await getCoverFile(actor, params.id!);
  invariantResponse(cover?.cover_key && cover.cover_mime, 404);
  const body = await storage().stream(cover.cover_key);
  invariantResponse(body, 404);
  return new Response(body, { headers: { "Content-Type": cover.cover_mime, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" } });
}
