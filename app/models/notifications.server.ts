import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { BRAND_ROLES, can } from "~/domain/permissions";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { addressedToUser, pageOf, PAGE_SIZE, partnerScope } from "./scope.server";

/** Values a notification's text is built from; the page renders `conflicts:kinds.<kind>` with them. */
export type NotificationParams = Record<string, string | number>;

export interface NotificationInput {
  brandId: string;
  /** null: addressed to the brand's channel team (the holders of conflicts.resolve) */
  partnerId: string | null;
  /** set: addressed to this one user alone (e.g. a warning about their own sign-in) */
  userId?: string | null;
  kind: string;
  params?: NotificationParams;
  link?: string | null;
}

/** Written inside the caller's transaction, so a notification exists only if the change it tells of does. */
export async function notify(trx: Kysely<DB> | Transaction<DB>, n: NotificationInput): Promise<void> {
  await trx
    .insertInto("notifications")
    .values({
      id: newId(),
      brand_id: n.brandId,
      partner_id: n.partnerId,
      user_id: n.userId ?? null,
      kind: n.kind,
      params: n.params ? JSON.stringify(n.params) : null,
      link: n.link ?? null,
      created_at: new Date(),
    })
    .execute();
}

/**
 * Everyone sees what is addressed to them personally. Besides that, partner users see their
 * partners' notifications (a distributor's scope includes its resellers); the brand's channel team
 * sees those addressed to the brand; other brand roles see none.
 */
function visibleNotifications(actor: Actor): Expression<SqlBool> {
  const personal = addressedToUser(actor, "notifications.user_id", "notifications.brand_id");
  return sql<SqlBool>`(${personal} or (notifications.user_id is null and ${sharedNotifications(actor)}))`;
}

function sharedNotifications(actor: Actor): Expression<SqlBool> {
  // Addressed to one partner: a distributor does not read (or mark read) its resellers' mail.
  if (actor.scope !== "network") return partnerScope({ ...actor, scope: [actor.partnerId!] }, "notifications.partner_id", "notifications.brand_id");
  if (can(actor, "conflicts.resolve")) return sql<SqlBool>`(notifications.brand_id = ${actor.brandId} and notifications.partner_id is null)`;
  return sql<SqlBool>`false`;
}

/**
 * The same rule as `visibleNotifications`, counting the unread ones, over a user's own columns
 * rather than a known actor: the session's read (app/utils/session.server.ts) counts them for the
 * signed-in shell in its one statement. Personal ones, plus a partner user's own partner's (not its
 * resellers') or, for the brand's channel team, those addressed to the brand; each sum reads its own
 * index (notifications_user, notifications_brand_partner).
 */
export function unreadOfUser(columns: { id: string; brandId: string; partnerId: string; role: string }): RawBuilder<number> {
  const [id, brand, partner, role] = [columns.id, columns.brandId, columns.partnerId, columns.role].map((c) => sql.ref(c));
  const brandRole = sql`${role} in (${sql.join(BRAND_ROLES)})`;
  const team = BRAND_ROLES.filter((r) => can({ role: r }, "conflicts.resolve"));
  return sql<number>`((select count(*) from notifications where notifications.user_id = ${id} and notifications.brand_id = ${brand} and notifications.read_at is null)
    + (select count(*) from notifications where notifications.brand_id = ${brand} and notifications.partner_id <=> (case when ${brandRole} then null else ${partner} end)
        and notifications.user_id is null and notifications.read_at is null and (case when ${brandRole} then ${role} in (${sql.join(team)}) else ${partner} is not null end)))`;
}

function parseParams(raw: string | null): NotificationParams {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" ? (value as NotificationParams) : {};
  } catch {
    return {};
  }
}

export async function listNotifications(actor: Actor, page: number) {
  const query = db().selectFrom("notifications").where(visibleNotifications(actor));
  const [rows, count] = await Promise.all([
    query
      .select(["notifications.id", "notifications.kind", "notifications.params", "notifications.link", "notifications.read_at", "notifications.created_at"])
      .orderBy("notifications.created_at", "desc")
      .orderBy("notifications.id", "desc")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(
    rows.map((r) => ({ ...r, params: parseParams(r.params) })),
    count.n,
    page,
  );
}

export async function unreadCount(actor: Actor): Promise<number> {
  const row = await db()
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(visibleNotifications(actor))
    .where("notifications.read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest unread notifications the actor can see (for the daily e-mail). */
export async function latestUnread(actor: Actor, limit: number) {
  const rows = await db()
    .selectFrom("notifications")
    .select(["notifications.id", "notifications.kind", "notifications.params", "notifications.created_at"])
    .where(visibleNotifications(actor))
    .where("notifications.read_at", "is", null)
    .orderBy("notifications.created_at", "desc")
    .orderBy("notifications.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, params: parseParams(r.params) }));
}

/**
 * Opens one notification the actor can see: marks it read and returns where it leads (null: nowhere,
 * the list). Undefined for anyone else's, which stays as it was.
 */
export async function openNotification(actor: Actor, id: string, at = new Date()): Promise<{ link: string | null } | undefined> {
  const found = await db().selectFrom("notifications").select("notifications.link").where("notifications.id", "=", id).where(visibleNotifications(actor)).executeTakeFirst();
  if (!found) return undefined;
  await db().updateTable("notifications").set({ read_at: at }).where("notifications.id", "=", id).where(visibleNotifications(actor)).where("notifications.read_at", "is", null).execute();
  return { link: found.link };
}

/** Marks read only what this actor can see; returns how many were unread. */
export async function markAllRead(actor: Actor, at = new Date()): Promise<number> {
  const result = await db()
    .updateTable("notifications")
    .set({ read_at: at })
    .where(visibleNotifications(actor))
    .where("notifications.read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
