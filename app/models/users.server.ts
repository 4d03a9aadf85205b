import type { Kysely, Transaction } from "kysely";
import type { DB, Role, UserStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { assignableRoles, canManageUser, inviteRolesFor, roleNeedsPartner } from "~/domain/permissions";
import { toSearchKey } from "~/domain/text";
import { randomToken, sha256 } from "~/utils/crypto.server";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { endAllSessions } from "~/utils/session.server";
import type { FieldErrors } from "~/utils/validation";
import type { Locale } from "~/i18n";
import { appUrl, composeEmail, mailLocale, mailT } from "~/utils/mail.server";
import { audit } from "./audit.server";
import { hashPassword } from "./auth.server";
import { enqueue } from "./outbox.server";
import { clearTwoFactor } from "./two-factor.server";
import { assertCan, canSeePartner, pageOf, PAGE_SIZE, partnerScope } from "./scope.server";

export const INVITATION_DAYS = 7;

/** Brand staff have no partner; for partner users the shared tenant scope decides who is visible. */
function visibleUsers(actor: Actor) {
  const query = db().selectFrom("users").leftJoin("partners", "partners.id", "users.partner_id");
  return actor.scope === "network"
    ? query.where("users.brand_id", "=", actor.brandId)
    : query.where(partnerScope(actor, "users.partner_id", "users.brand_id"));
}

export async function listUsers(actor: Actor, f: { q?: string; partnerId?: string; status?: UserStatus; page: number }) {
  assertCan(actor, "users.manage");
  let query = visibleUsers(actor);
  const key = f.q ? toSearchKey(f.q) : "";
  if (key) query = query.where((eb) => eb.or([eb("users.name_key", "like", `${key.replace(/[%_\\]/g, "\\$&")}%`), eb("users.email", "like", `${f.q!.trim().toLowerCase().replace(/[%_\\]/g, "\\$&")}%`)]));
  if (f.partnerId) query = query.where("users.partner_id", "=", f.partnerId);
  if (f.status) query = query.where("users.status", "=", f.status);
  const [rows, count] = await Promise.all([
    query
      .select(["users.id", "users.email", "users.display_name", "users.role", "users.status", "users.partner_id", "users.created_at", "partners.name_fa as partner_name_fa", "partners.name_en as partner_name_en"])
      .orderBy("users.name_key")
      .orderBy("users.id")
      .limit(PAGE_SIZE)
      .offset((f.page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows, count.n, f.page);
}

export async function getUser(actor: Actor, id: string) {
  return visibleUsers(actor)
    .select(["users.id", "users.email", "users.display_name", "users.role", "users.status", "users.partner_id", "users.created_at", "partners.name_fa as partner_name_fa", "partners.name_en as partner_name_en"])
    .where("users.id", "=", id)
    .executeTakeFirst();
}

export async function countUsersByStatus(actor: Actor) {
  return visibleUsers(actor)
    .select(["users.status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("users.status")
    .execute();
}

/**
 * The invitation e-mail, queued in the invitation's own transaction. It is written in the inviter's
 * language (the invitee has none yet, and is given the same one); the link is still shown to the
 * inviter to pass on, in case the mail does not arrive.
 */
async function queueInvitationEmail(trx: Kysely<DB> | Transaction<DB>, actor: Actor, invitee: { id: string; email: string; displayName: string }, token: string): Promise<void> {
  const context = await trx
    .selectFrom("users")
    .innerJoin("brands", "brands.id", "users.brand_id")
    .select(["users.locale", "brands.name_fa", "brands.name_en"])
    .where("users.id", "=", actor.userId)
    .executeTakeFirstOrThrow();
  const locale = mailLocale(context.locale);
  const t = mailT(locale);
  const brand = locale === "fa" ? context.name_fa : context.name_en;
  await trx.updateTable("users").set({ locale }).where("id", "=", invitee.id).where("status", "=", "invited").execute();
  const mail = composeEmail(invitee.email, {
    locale,
    subject: t("mail:invitation.subject", { brand }),
    greeting: t("mail:greeting", { name: invitee.displayName }),
    paragraphs: [t("mail:invitation.body", { inviter: actor.displayName, brand }), t("mail:invitation.body_expiry", { count: INVITATION_DAYS })],
    action: { label: t("mail:invitation.action"), url: appUrl(`/invite/${token}`) },
    footer: t("mail:footer", { brand }),
  });
  await enqueue(trx, { brandId: actor.brandId, channel: "email", payload: mail, sensitive: true });
}

/** The language of the user's e-mails follows the one they last used the portal in. */
export async function setUserLocale(userId: string, locale: Locale): Promise<void> {
  await db().updateTable("users").set({ locale }).where("id", "=", userId).where("locale", "<>", locale).execute();
}

export interface InviteInput {
  email: string;
  displayName: string;
  role: Role;
  partnerId: string | null;
}

/** Creates an invited user and a single-use link; returns the raw token (only its hash is stored). */
export async function inviteUser(actor: Actor, input: InviteInput): Promise<{ token: string; userId: string } | { errors: FieldErrors }> {
  assertCan(actor, "users.manage");
  if (!inviteRolesFor(actor.role).includes(input.role)) return { errors: { role: { key: "errors.choice" } } };
  const partnerId = actor.role === "partner_admin" ? actor.partnerId : roleNeedsPartner(input.role) ? input.partnerId : null;
  if (roleNeedsPartner(input.role)) {
    const partner = partnerId && canSeePartner(actor, partnerId)
      ? await db().selectFrom("partners").select("id").where("id", "=", partnerId).where("brand_id", "=", actor.brandId).where("active", "=", true).executeTakeFirst()
      : undefined;
    if (!partner) return { errors: { partnerId: { key: "errors.choice" } } };
  }
  // E-mails are unique per brand: another brand's account with this address is none of this brand's business.
  const taken = await db().selectFrom("users").select("id").where("brand_id", "=", actor.brandId).where("email", "=", input.email).executeTakeFirst();
  if (taken) return { errors: { email: { key: "errors.email_taken" } } };

  const userId = newId();
  const token = randomToken();
  const now = new Date();
  try {
    await transaction(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id: userId,
          brand_id: actor.brandId,
          partner_id: partnerId,
          email: input.email,
          display_name: input.displayName,
          name_key: toSearchKey(input.displayName).slice(0, 240),
          role: input.role,
          status: "invited",
          password_hash: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto("invitations")
        .values({ id: newId(), brand_id: actor.brandId, user_id: userId, token_hash: sha256(token), invited_by: actor.userId, expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000), used_at: null, created_at: now })
        .execute();
      await queueInvitationEmail(trx, actor, { id: userId, email: input.email, displayName: input.displayName }, token);
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId, action: "user.invited", targetType: "user", targetId: userId, details: { role: input.role } }, trx);
    });
  } catch (e) {
    // Two admins inviting the same address at once: the unique (brand, email) index decides.
    if ((e as { code?: string }).code === "ER_DUP_ENTRY") return { errors: { email: { key: "errors.email_taken" } } };
    throw e;
  }
  return { token, userId };
}

/** A fresh link for a user still in "invited" state; earlier links stop working. */
export async function reissueInvitation(actor: Actor, userId: string): Promise<string | null> {
  const user = await getUser(actor, userId);
  if (!user || user.status !== "invited" || !canManageUser(actor, { id: user.id, role: user.role, partnerId: user.partner_id })) return null;
  const token = randomToken();
  const now = new Date();
  await transaction(async (trx) => {
    await trx.updateTable("invitations").set({ expires_at: now }).where("user_id", "=", userId).where("used_at", "is", null).execute();
    await trx
      .insertInto("invitations")
      .values({ id: newId(), brand_id: actor.brandId, user_id: userId, token_hash: sha256(token), invited_by: actor.userId, expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000), used_at: null, created_at: now })
      .execute();
    await queueInvitationEmail(trx, actor, { id: userId, email: user.email, displayName: user.display_name }, token);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: user.partner_id, action: "user.invitation_reissued", targetType: "user", targetId: userId }, trx);
  });
  return token;
}

export async function findInvitation(token: string, now = new Date()) {
  return db()
    .selectFrom("invitations")
    .innerJoin("users", "users.id", "invitations.user_id")
    .select(["invitations.id", "invitations.user_id", "invitations.expires_at", "invitations.used_at", "users.email", "users.display_name", "users.status"])
    .where("invitations.token_hash", "=", sha256(token))
    .where("invitations.used_at", "is", null)
    .where("invitations.expires_at", ">", now)
    .where("users.status", "=", "invited")
    .executeTakeFirst();
}

/** Sets the password and activates the user; the conditional update makes the link single-use even under a double submit. */
export async function acceptInvitation(token: string, password: string, now = new Date()): Promise<string | null> {
  const passwordHash = await hashPassword(password);
  return transaction(async (trx) => {
    const invitation = await trx
      .selectFrom("invitations")
      .select(["id", "user_id", "brand_id"])
      .where("token_hash", "=", sha256(token))
      .executeTakeFirst();
    if (!invitation) return null;
    const used = await trx
      .updateTable("invitations")
      .set({ used_at: now })
      .where("id", "=", invitation.id)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return null;
    const activated = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, status: "active", updated_at: now })
      .where("id", "=", invitation.user_id)
      .where("status", "=", "invited")
      .executeTakeFirst();
    if (Number(activated.numUpdatedRows) !== 1) throw new Error("invitation-user-mismatch");
    await audit({ brandId: invitation.brand_id, actorUserId: invitation.user_id, action: "user.invitation_accepted", targetType: "user", targetId: invitation.user_id }, trx);
    return invitation.user_id;
  })
    .catch((e: Error) => {
      if (e.message === "invitation-user-mismatch") return null;
      throw e;
    });
}

/** Disabling ends every session and pending sign-in of the user at once, and deletes their two-factor secret and recovery codes. */
export async function setUserStatus(actor: Actor, id: string, status: Exclude<UserStatus, "invited">): Promise<boolean> {
  assertCan(actor, "users.manage");
  const user = await getUser(actor, id);
  if (!user || user.status === "invited" || !canManageUser(actor, { id: user.id, role: user.role, partnerId: user.partner_id })) return false;
  await transaction(async (trx) => {
    await trx.updateTable("users").set({ status, updated_at: new Date() }).where("id", "=", id).where("brand_id", "=", actor.brandId).execute();
    if (status === "disabled") {
      await clearTwoFactor(id, trx);
      await trx.deleteFrom("sign_in_challenges").where("user_id", "=", id).execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: user.partner_id, action: status === "disabled" ? "user.disabled" : "user.enabled", targetType: "user", targetId: id }, trx);
  });
  if (status === "disabled") await endAllSessions(id);
  return true;
}

export async function setUserRole(actor: Actor, id: string, role: Role): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  assertCan(actor, "users.manage");
  const user = await getUser(actor, id);
  const target = user && { id: user.id, role: user.role, partnerId: user.partner_id };
  if (!user || !target || !canManageUser(actor, target)) return null;
  if (!assignableRoles(actor, target).includes(role)) return { errors: { role: { key: "errors.choice" } } };
  await transaction(async (trx) => {
    await trx.updateTable("users").set({ role, updated_at: new Date() }).where("id", "=", id).where("brand_id", "=", actor.brandId).execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: user.partner_id, action: "user.role_changed", targetType: "user", targetId: id, details: { from: user.role, to: role } }, trx);
  });
  await endAllSessions(id);
  return { ok: true };
}
