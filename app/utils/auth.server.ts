import type { Actor, Permission } from "~/domain/permissions";
import { can } from "~/domain/permissions";
import { requireActor } from "./session.server";

/** The signed-in actor when they hold the permission; otherwise 403 (or the sign-in page when signed out). */
export async function requirePermission(request: Request, permission: Permission): Promise<Actor> {
  const actor = await requireActor(request);
  if (!can(actor, permission)) throw new Response("Forbidden", { status: 403 });
  return actor;
}
