import { randomToken, sha256 } from "~/utils/crypto.server";
import { db } from "~/utils/db.server";
import { audit } from "./audit.server";
import { twoFactorState } from "./two-factor.server";

export const CHALLENGE_MINUTES = 5;
/** Wrong codes allowed in one pending sign-in; then the password must be given again. */
export const CHALLENGE_ATTEMPTS = 5;

const minutesFrom = (now: Date, minutes: number) => new Date(now.getTime() + minutes * 60_000);

/** After a correct password: does this user need a second step (a code, or setting two-factor up first)? */
export async function needsSecondStep(userId: string): Promise<boolean> {
  const state = await twoFactorState(userId);
  return state.enabled || state.required;
}

/** Opens a pending sign-in; returns the token for the browser's cookie (only its hash is stored). */
export async function openChallenge(userId: string, redirectTo: string, now = new Date()): Promise<string> {
  const token = randomToken();
  // Expired challenges are useless; clearing the user's own keeps the table small.
  await db().deleteFrom("sign_in_challenges").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
  await db()
    .insertInto("sign_in_challenges")
    .values({ id: sha256(token), user_id: userId, redirect_to: redirectTo, failures: 0, expires_at: minutesFrom(now, CHALLENGE_MINUTES), created_at: now })
    .execute();
  return token;
}

/** The pending sign-in behind a token: unexpired, with attempts left, for a user who may still sign in. */
export async function findChallenge(token: string, now = new Date()) {
  const row = await db()
    .selectFrom("sign_in_challenges")
    .innerJoin("users", "users.id", "sign_in_challenges.user_id")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .select(["sign_in_challenges.id", "sign_in_challenges.user_id", "sign_in_challenges.redirect_to", "users.status", "users.partner_id", "partners.active as partner_active"])
    .where("sign_in_challenges.id", "=", sha256(token))
    .where("sign_in_challenges.expires_at", ">", now)
    .where("sign_in_challenges.failures", "<", CHALLENGE_ATTEMPTS)
    .executeTakeFirst();
  if (!row || row.status !== "active" || (row.partner_id !== null && !row.partner_active)) return null;
  return { id: row.id, redirectTo: row.redirect_to, user: await twoFactorState(row.user_id) };
}
export type Challenge = NonNullable<Awaited<ReturnType<typeof findChallenge>>>;

/**
 * Takes one attempt before the code is checked (a conditional update, so parallel requests cannot
 * get more than the limit); returns the attempts left after this one, or null when none was left.
 */
export async function claimAttempt(challenge: Challenge): Promise<number | null> {
  const result = await db()
    .updateTable("sign_in_challenges")
    .set((eb) => ({ failures: eb("failures", "+", 1) }))
    .where("id", "=", challenge.id)
    .where("failures", "<", CHALLENGE_ATTEMPTS)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  const row = await db().selectFrom("sign_in_challenges").select("failures").where("id", "=", challenge.id).executeTakeFirst();
  return CHALLENGE_ATTEMPTS - (row?.failures ?? CHALLENGE_ATTEMPTS);
}

export async function auditWrongCode(challenge: Challenge, ip: string | null): Promise<void> {
  const { user } = challenge;
  await audit({ brandId: user.brandId, actorUserId: user.userId, partnerId: user.partnerId, action: "auth.two_factor_failed", ip });
}

/** Ends the pending sign-in; true only for the one request that ends it, so it yields one session. */
export async function closeChallenge(challenge: Challenge, how: "totp" | "recovery" | "enrolled", ip: string | null): Promise<boolean> {
  const result = await db().deleteFrom("sign_in_challenges").where("id", "=", challenge.id).executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) return false;
  const { user } = challenge;
  await audit({ brandId: user.brandId, actorUserId: user.userId, partnerId: user.partnerId, action: "auth.two_factor_passed", details: { method: how }, ip });
  return true;
}
