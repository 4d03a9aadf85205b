import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/utils/session.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("errorPage.not_found.title");

// Any address no other route knows: "not found" inside the app's layout, with the menu around it.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  throw new Response(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
