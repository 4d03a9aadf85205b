import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { twoFactorRequired, type Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { decryptSecret, encryptSecret, hashRecoveryCode, matchingStep, newRecoveryCodes, newTotpSecret, normaliseCode } from "~/utils/two-factor.server";
import { audit } from "./audit.server";

type Db = Kysely<DB> | Transaction<DB>;
export type SecondFactor = "totp" | "recovery";

/** Wrong codes a user may type in the window, on any page; a stolen password or session cannot buy endless guesses. */
export const CODE_ATTEMPTS = 10;
export const CODE_WINDOW_MINUTES = 15;

/**
 * Takes one attempt from the user's allowance before a code is checked: one conditional update,
 * safe under parallel requests (MariaDB assigns left to right, so failures sees the old window).
 */
async function takeAttempt(userId: string, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - CODE_WINDOW_MINUTES * 60_000);
  const result = await sql`
    update user_two_factor set
      failures = if(failures_since > ${windowStart}, failures + 1, 1),
      failures_since = if(failures_since > ${windowStart}, failures_since, ${now})
    where user_id = ${userId} and (failures_since is null or failures_since <= ${windowStart} or failures < ${CODE_ATTEMPTS})`.execute(db());
  return Number(result.numAffectedRows) === 1;
}

const forgiveAttempts = (userId: string, trx: Db = db()) =>
  trx.updateTable("user_two_factor").set({ failures: 0, failures_since: null }).where("user_id", "=", userId).execute();

/** Runs a code check within the user's allowance; a correct code clears the count. */
async function withinAllowance<T>(userId: string, now: Date, check: () => Promise<T | null>): Promise<T | null | "locked"> {
  if (!(await takeAttempt(userId, now))) return "locked";
  const result = await check();
  if (result !== null) await forgiveAttempts(userId);
  return result;
}

/** The user's two-factor state, and whether the brand makes it compulsory for them. */
export async function twoFactorState(userId: string) {
  const row = await db()
    .selectFrom("users")
    .innerJoin("brands", "brands.id", "users.brand_id")
    .leftJoin("user_two_factor", "user_two_factor.user_id", "users.id")
    .select(["users.id", "users.brand_id", "users.partner_id", "users.email", "users.role", "brands.require_two_factor", "user_two_factor.secret_enc", "user_two_factor.enabled_at"])
    .select((eb) =>
      eb.selectFrom("user_recovery_codes").select((e) => e.fn.countAll<number>().as("n")).whereRef("user_recovery_codes.user_id", "=", "users.id").where("used_at", "is", null).as("recovery_left"),
    )
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  const enabled = row.enabled_at !== null;
  return {
    userId: row.id,
    brandId: row.brand_id,
    partnerId: row.partner_id,
    email: row.email,
    enabled,
    enabledAt: row.enabled_at,
    required: twoFactorRequired(row.role, Boolean(row.require_two_factor)),
    /** The secret being set up, until a code confirms it. */
    pendingSecret: !enabled && row.secret_enc ? decryptSecret(row.secret_enc, row.id) : null,
    recoveryLeft: Number(row.recovery_left ?? 0),
  };
}
export type TwoFactorState = Awaited<ReturnType<typeof twoFactorState>>;

/**
 * Starts (or, with restart, starts over) setting up two-factor with a new secret. Nothing is
 * enabled yet, and an enabled setup is never touched here.
 */
export async function beginSetup(userId: string, { restart }: { restart: boolean }): Promise<void> {
  const secret = encryptSecret(newTotpSecret(), userId);
  const now = new Date();
  const keep = restart ? sql`if(enabled_at is null, values(secret_enc), secret_enc)` : sql`secret_enc`;
  await sql`
    insert into user_two_factor (user_id, secret_enc, last_step, enabled_at, created_at) values (${userId}, ${secret}, 0, null, ${now})
    on duplicate key update secret_enc = ${keep}`.execute(db());
}

async function replaceRecoveryCodes(trx: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const now = new Date();
  await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
  await trx
    .insertInto("user_recovery_codes")
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), used_at: null, created_at: now })))
    .execute();
  return codes;
}

/**
 * Confirms the pending setup with a code from the app: enables two-factor and returns the recovery
 * codes (shown once); null for a wrong code, "locked" when the user is out of attempts.
 */
export async function confirmSetup(userId: string, input: string, ip: string | null, now = Date.now()): Promise<string[] | null | "locked"> {
  const row = await db().selectFrom("users").innerJoin("user_two_factor", "user_two_factor.user_id", "users.id").select(["users.brand_id", "users.partner_id", "secret_enc", "enabled_at"]).where("users.id", "=", userId).executeTakeFirst();
  if (!row || row.enabled_at) return null;
  return withinAllowance(userId, new Date(now), () => enable(userId, row, input, ip, now));
}

async function enable(userId: string, row: { brand_id: string; partner_id: string | null; secret_enc: string }, input: string, ip: string | null, now: number): Promise<string[] | null> {
  const step = matchingStep(decryptSecret(row.secret_enc, userId), normaliseCode(input), now);
  if (step === null) return null;
  return transaction(async (trx) => {
    // Conditional on the very secret the code was checked against: a setup restarted meanwhile is not enabled.
    const result = await trx
      .updateTable("user_two_factor")
      .set({ enabled_at: new Date(now), last_step: step })
      .where("user_id", "=", userId)
      .where("enabled_at", "is", null)
      .where("secret_enc", "=", row.secret_enc)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return null;
    const codes = await replaceRecoveryCodes(trx, userId);
    await audit({ brandId: row.brand_id, actorUserId: userId, partnerId: row.partner_id, action: "two_factor.enabled", targetType: "user", targetId: userId, ip }, trx);
    return codes;
  });
}

/** A current code from the app, accepted once: its step (and every earlier one) is spent by a conditional update. */
async function spendTotp(userId: string, code: string, now: number): Promise<boolean> {
  const row = await db().selectFrom("user_two_factor").select(["secret_enc"]).where("user_id", "=", userId).where("enabled_at", "is not", null).executeTakeFirst();
  if (!row) return false;
  const step = matchingStep(decryptSecret(row.secret_enc, userId), code, now);
  if (step === null) return false;
  const result = await db()
    .updateTable("user_two_factor")
    .set({ last_step: step })
    .where("user_id", "=", userId)
    .where("enabled_at", "is not", null)
    .where("last_step", "<", String(step))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function spendRecoveryCode(userId: string, code: string): Promise<boolean> {
  const result = await db()
    .updateTable("user_recovery_codes")
    .set({ used_at: new Date() })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hashRecoveryCode(code))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Checks a code typed by the user: six digits are an app code, anything else a recovery code.
 * Either is spent when accepted; a used recovery code is audited.
 */
export async function spendSecondFactor(
  user: { userId: string; brandId: string; partnerId: string | null },
  input: string,
  o: { ip: string | null; allowRecovery?: boolean; now?: number },
): Promise<SecondFactor | null | "locked"> {
  const now = o.now ?? Date.now();
  const code = normaliseCode(input);
  return withinAllowance(user.userId, new Date(now), async () => {
    if (/^\d{6}$/.test(code)) return (await spendTotp(user.userId, code, now)) ? "totp" : null;
    if (o.allowRecovery === false || code.length === 0 || code.length > 20) return null;
    if (!(await spendRecoveryCode(user.userId, code))) return null;
    await audit({ brandId: user.brandId, actorUserId: user.userId, partnerId: user.partnerId, action: "two_factor.recovery_code_used", targetType: "user", targetId: user.userId, ip: o.ip });
    return "recovery";
  });
}

/** New recovery codes (the old ones stop working), after a current code from the app. */
export async function regenerateRecoveryCodes(actor: Actor, input: string, ip: string | null): Promise<string[] | null | "locked"> {
  const user = { userId: actor.userId, brandId: actor.brandId, partnerId: actor.partnerId };
  const used = await spendSecondFactor(user, input, { ip, allowRecovery: false });
  if (used === null || used === "locked") return used;
  return transaction(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, actor.userId);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "two_factor.recovery_codes_renewed", targetType: "user", targetId: actor.userId, ip }, trx);
    return codes;
  });
}

/** Removes every trace of a user's two-factor setup: secret, step and recovery codes. */
export async function clearTwoFactor(userId: string, trx: Db = db()): Promise<void> {
  await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
  await trx.deleteFrom("user_two_factor").where("user_id", "=", userId).execute();
}

/** Turns two-factor off with a current code or a recovery code; never while the brand requires it of the user. */
export async function disableTwoFactor(actor: Actor, input: string, ip: string | null): Promise<"disabled" | "required" | "invalid" | "locked"> {
  const state = await twoFactorState(actor.userId);
  if (state.required) return "required";
  if (!state.enabled) return "invalid";
  const used = await spendSecondFactor(state, input, { ip });
  if (used === null || used === "locked") return used ?? "invalid";
  await transaction(async (trx) => {
    await clearTwoFactor(actor.userId, trx);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "two_factor.disabled", targetType: "user", targetId: actor.userId, ip }, trx);
  });
  return "disabled";
}
