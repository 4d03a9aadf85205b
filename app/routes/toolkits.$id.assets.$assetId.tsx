import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAssetFile, recordToolkitEvent } from "~/models/toolkits/library.server";
import { invariantResponse } from "~/utils/http.server";
import { requireActor } from "~/utils/session.server";
import { storage } from "~/utils/storage.server";

// A toolkit asset as it was uploaded, only for those who may open the toolkit; a partner's download is counted.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const asset = await getAssetFile(actor, params.id!, params.assetId!);
  invariantResponse(asset, 404);
  const body = await storage().stream(asset.storage_key);
  invariantResponse(body, 404);
  await recordToolkitEvent(actor, { toolkitId: params.id!, version: asset.version, kind: "download", assetId: asset.id });
  return new Response(body, {
    headers: {
      "Content-Type": asset.mime,
      "Content-Length": String(asset.size_bytes),
      // RFC 6266: an ASCII fallback and the real (Persian) name percent-encoded.
      "Content-Disposition": `attachment; filename="${asset.file_name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(asset.file_name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
