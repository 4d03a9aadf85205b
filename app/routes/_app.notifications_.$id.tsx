import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { openNotification } from "~/models/notifications.server";
import { invariantResponse } from "~/utils/http.server";
import { requireActor } from "~/utils/session.server";

/** Only a path on this site: "//host" and "/\host" would leave it, and a stored link never should. */
const samePath = (link: string | null) => (link && /^\/(?![/\\])/.test(link) ? link : null);

/** Opening a notification marks it read and goes to what it is about (or back to the list). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const opened = await openNotification(actor, params.id!);
  invariantResponse(opened, 404);
  return redirect(samePath(opened.link) ?? "/notifications");
}
