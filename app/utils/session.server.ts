import { createCookie, redirect } from "@remix-run/node";
import { sql } from "kysely";
import type { PartnerType, Role } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { isBrandRole } from "~/domain/permissions";
import { randomToken, sha256 } from "./crypto.server";
import { db } from "./db.server";
import { cookieSecure, env } from "./env.server";
import { memo } from "./request-memo.server";
import { unreadOfUser } from "~/models/notifications.server";

export const SESSION_IDLE_MINUTES = 120;
export const SESSION_ABSOLUTE_HOURS = 12;
const TOUCH_EVERY_MS = 60_000;

const minutesAgo = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

function sessionCookie() {
  return createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cookieSecure(),
    secrets: [env().SESSION_SECRET],
    maxAge: SESSION_ABSOLUTE_HOURS * 3600,
  });
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

/** Starts a fresh session (a new id every sign-in, so a planted cookie is worthless) and ends the old one. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const previous = await readToken(request);
  if (previous) await db().deleteFrom("sessions").where("id", "=", sha256(previous)).execute();
  const token = randomToken();
  const now = new Date();
  await db().insertInto("sessions").values({ id: sha256(token), user_id: userId, created_at: now, last_seen_at: now }).execute();
  return sessionCookie().serialize(token);
}

export async function endSession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await db().deleteFrom("sessions").where("id", "=", sha256(token)).execute();
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function endAllSessions(userId: string): Promise<void> {
  await db().deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** What the signed-in shell shows besides the actor: the brand, the user's partner and the unread notifications. */
export interface Shell {
  brand: { name_fa: string; name_en: string; money_unit: string };
  partner: { nameFa: string; nameEn: string } | null;
  unread: number;
}

/** The signed-in actor and the shell's data, or null when there is no live session (expired, idle, user or partner disabled). */
export async function getSession(request: Request): Promise<{ actor: Actor; shell: Shell } | null> {
  const token = await readToken(request);
  if (!token) return null;
  return memo(`session:${token}`, () => sessionOf(sha256(token)));
}

export async function getActor(request: Request): Promise<Actor | null> {
  return (await getSession(request))?.actor ?? null;
}

async function sessionOf(id: string): Promise<{ actor: Actor; shell: Shell } | null> {
  const now = new Date();
  // One statement for every page: a distributor's resellers come with the session, one row each, and
  // so do the names and the unread count the shell shows.
  const rows = await db()
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .innerJoin("brands", "brands.id", "users.brand_id")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .leftJoin("partners as resellers", (join) => join.onRef("resellers.brand_id", "=", "users.brand_id").onRef("resellers.parent_id", "=", "partners.id").on("partners.type", "=", "distributor"))
    .select([
      "brands.name_fa as brand_fa",
      "brands.name_en as brand_en",
      "brands.money_unit",
      "partners.name_fa as partner_fa",
      "partners.name_en as partner_en",
      unreadOfUser({ id: "users.id", brandId: "users.brand_id", partnerId: "users.partner_id", role: "users.role" }).as("unread"),
      "sessions.created_at",
      "sessions.last_seen_at",
      "users.id as user_id",
      "users.brand_id",
      "users.role",
      "users.email",
      "users.display_name",
      "users.status",
      "users.partner_id",
      "partners.type as partner_type",
      "partners.active as partner_active",
      "resellers.id as reseller_id",
    ])
    .where("sessions.id", "=", id)
    .execute();
  const row = rows[0];
  if (!row) return null;
  const expired =
    row.created_at < minutesAgo(now, SESSION_ABSOLUTE_HOURS * 60) || row.last_seen_at < minutesAgo(now, SESSION_IDLE_MINUTES);
  const partnerOk = isBrandRole(row.role) || (row.partner_id !== null && Boolean(row.partner_active));
  if (expired || row.status !== "active" || !partnerOk) {
    await db().deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db().updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
  }
  const resellerIds = rows.flatMap((r) => (r.reseller_id ? [r.reseller_id] : []));
  const actor = await actorOfUser({ id: row.user_id, brand_id: row.brand_id, role: row.role, email: row.email, display_name: row.display_name, partner_id: row.partner_id, partner_type: row.partner_type }, resellerIds);
  return {
    actor,
    shell: {
      brand: { name_fa: row.brand_fa, name_en: row.brand_en, money_unit: row.money_unit },
      partner: row.partner_fa !== null && row.partner_en !== null ? { nameFa: row.partner_fa, nameEn: row.partner_en } : null,
      unread: Number(row.unread),
    },
  };
}

/**
 * What a user may see: brand roles the brand's network, partner users their partner and, for a
 * distributor, its resellers (read here unless the caller already has them).
 */
export async function actorOfUser(user: { id: string; brand_id: string; role: Role; email: string; display_name: string; partner_id: string | null; partner_type: PartnerType | null }, knownResellerIds?: string[]): Promise<Actor> {
  let scope: Actor["scope"] = "network";
  if (!isBrandRole(user.role) && user.partner_id) {
    scope = [user.partner_id];
    if (user.partner_type === "distributor") {
      const resellers = knownResellerIds ?? (await db().selectFrom("partners").select("id").where("brand_id", "=", user.brand_id).where("parent_id", "=", user.partner_id).execute()).map((r) => r.id);
      scope.push(...resellers);
    }
  }
  return {
    userId: user.id,
    brandId: user.brand_id,
    role: user.role,
    email: user.email,
    displayName: user.display_name,
    partnerId: user.partner_id,
    partnerType: user.partner_type ?? null,
    scope,
  };
}

export async function requireSession(request: Request): Promise<{ actor: Actor; shell: Shell }> {
  const session = await getSession(request);
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

export async function requireActor(request: Request): Promise<Actor> {
  return (await requireSession(request)).actor;
}

/** Sessions past their absolute lifetime are useless; clearing them keeps the table small. */
export async function pruneSessions(now = new Date()): Promise<void> {
  await db()
    .deleteFrom("sessions")
    .where(sql<boolean>`created_at < ${minutesAgo(now, SESSION_ABSOLUTE_HOURS * 60)} or last_seen_at < ${minutesAgo(now, SESSION_IDLE_MINUTES)}`)
    .execute();
}
