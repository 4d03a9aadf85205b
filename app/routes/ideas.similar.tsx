import type { LoaderFunctionArgs } from "@remix-run/node";
import { similarTitles } from "~/models/ideas/board.server";
import { requirePermission } from "~/utils/auth.server";

/** Ideas whose titles look like `?title=` (duplicate suggestions while typing), as JSON. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "ideas.view");
  const url = new URL(request.url);
  const title = (url.searchParams.get("title") ?? "").slice(0, 400);
  const except = url.searchParams.get("except") ?? undefined;
  return Response.json({ ideas: await similarTitles(actor, title, except) }, { headers: { "Cache-Control": "private, no-store" } });
}
