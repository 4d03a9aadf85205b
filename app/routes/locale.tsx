import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLocale } from "~/i18n";
import { localeCookie } from "~/i18n.server";
import { safeRedirect } from "~/utils/request.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get("lng");
  if (!isLocale(lng)) return new Response("Unsupported language", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await localeCookie.serialize(lng) } });
}

export const loader = () => redirect("/");
