import { randomToken, sha256 } from "~/utils/crypto.server";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { appUrl, composeEmail, mailLocale, mailT } from "~/utils/mail.server";
import { endAllSessions } from "~/utils/session.server";
import { audit } from "./audit.server";
import { hashPassword, takeSteps, type Rule } from "./auth.server";
import { enqueue } from "./outbox.server";

export const RESET_MINUTES = 45;
const MINUTE = 60_000;

/** One address, from anywhere: three requests an hour, then one per 15 minutes, so nobody can flood an inbox. */
export const RESET_EMAIL_RULE: Rule = { free: 3, baseMs: 15 * MINUTE, growth: 1, capMs: 15 * MINUTE };
/** One client address across e-mails: room for an office, then growing waits for someone trying many addresses. */
export const RESET_ADDRESS_RULE: Rule = { free: 10, baseMs: MINUTE, growth: 2, capMs: 60 * MINUTE };

export type ResetRequestResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Sends a link to every active account of the address (e-mails are unique per brand, so a person
 * may have one per brand). Known and unknown addresses get the same answer, and the mail leaves
 * through the outbox, so the answer's timing does not depend on it either. Earlier links of the
 * user stop working.
 */
export async function requestPasswordReset(input: { email: string; ip: string | null }, now = new Date()): Promise<ResetRequestResult> {
  const email = input.email.trim().toLowerCase();
  const retryAfterSeconds = await takeSteps(
    [
      { key: sha256(`reset-email:${email}`), rule: RESET_EMAIL_RULE },
      { key: sha256(`reset-ip:${input.ip ?? "unknown"}`), rule: RESET_ADDRESS_RULE },
    ],
    newId(),
    now,
  );
  if (retryAfterSeconds) return { ok: false, retryAfterSeconds };

  const accounts = await db()
    .selectFrom("users")
    .innerJoin("brands", "brands.id", "users.brand_id")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .select(["users.id", "users.brand_id", "users.partner_id", "users.email", "users.display_name", "users.locale", "brands.name_fa", "brands.name_en"])
    .where("users.email", "=", email)
    .where("users.status", "=", "active")
    .where((eb) => eb.or([eb("users.partner_id", "is", null), eb("partners.active", "=", true)]))
    .execute();
  for (const user of accounts) {
    const token = randomToken();
    const locale = mailLocale(user.locale);
    const t = mailT(locale);
    const brand = locale === "fa" ? user.name_fa : user.name_en;
    await transaction(async (trx) => {
      await trx.updateTable("password_resets").set({ expires_at: now }).where("user_id", "=", user.id).where("used_at", "is", null).where("expires_at", ">", now).execute();
      await trx
        .insertInto("password_resets")
        .values({ id: newId(), brand_id: user.brand_id, user_id: user.id, token_hash: sha256(token), expires_at: new Date(now.getTime() + RESET_MINUTES * MINUTE), created_at: now })
        .execute();
      const mail = composeEmail(user.email, {
        locale,
        subject: t("mail:reset.subject"),
        greeting: t("mail:greeting", { name: user.display_name }),
        paragraphs: [t("mail:reset.body", { brand, count: RESET_MINUTES }), t("mail:reset.ignore")],
        action: { label: t("mail:reset.action"), url: appUrl(`/login/reset/${token}`) },
        footer: t("mail:footer", { brand }),
      });
      await enqueue(trx, { brandId: user.brand_id, channel: "email", payload: mail, sensitive: true }, now);
      await audit({ brandId: user.brand_id, actorUserId: user.id, partnerId: user.partner_id, action: "auth.password_reset_requested", targetType: "user", targetId: user.id, ip: input.ip }, trx);
    });
  }
  return { ok: true };
}

/** The account a reset link is for, while the link is unused, unexpired and the account active. */
export async function findPasswordReset(token: string, now = new Date()) {
  return db()
    .selectFrom("password_resets")
    .innerJoin("users", "users.id", "password_resets.user_id")
    .select(["password_resets.id", "users.id as user_id", "users.email"])
    .where("password_resets.token_hash", "=", sha256(token))
    .where("password_resets.used_at", "is", null)
    .where("password_resets.expires_at", ">", now)
    .where("users.status", "=", "active")
    .executeTakeFirst();
}

/**
 * Sets the new password. The link is spent by a conditional update, so of two submits one wins.
 * Every session and pending sign-in of the user ends: whoever knew the old password is out, and
 * the user signs in again (with their second factor, if they have one).
 */
export async function resetPassword(token: string, password: string, ip: string | null, now = new Date()): Promise<string | null> {
  const passwordHash = await hashPassword(password);
  const userId = await transaction(async (trx) => {
    const reset = await trx
      .selectFrom("password_resets")
      .innerJoin("users", "users.id", "password_resets.user_id")
      .select(["password_resets.id", "password_resets.user_id", "password_resets.brand_id", "users.partner_id"])
      .where("password_resets.token_hash", "=", sha256(token))
      .where("users.status", "=", "active")
      .executeTakeFirst();
    if (!reset) return null;
    const spent = await trx
      .updateTable("password_resets")
      .set({ used_at: now })
      .where("id", "=", reset.id)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return null;
    await trx.updateTable("password_resets").set({ expires_at: now }).where("user_id", "=", reset.user_id).where("used_at", "is", null).execute();
    await trx.updateTable("users").set({ password_hash: passwordHash, updated_at: now }).where("id", "=", reset.user_id).execute();
    await trx.deleteFrom("sign_in_challenges").where("user_id", "=", reset.user_id).execute();
    await audit({ brandId: reset.brand_id, actorUserId: reset.user_id, partnerId: reset.partner_id, action: "auth.password_reset", targetType: "user", targetId: reset.user_id, ip }, trx);
    return reset.user_id;
  });
  if (userId) await endAllSessions(userId);
  return userId;
}
