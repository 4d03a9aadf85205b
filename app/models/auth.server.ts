import { hash, verify } from "@node-rs/argon2";
import { sql } from "kysely";
import { sha256 } from "~/utils/crypto.server";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { audit } from "./audit.server";
import { notify } from "./notifications.server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Failures older than this (since the key's last failure) are forgotten. */
export const THROTTLE_WINDOW_MINUTES = 60;

/**
 * How a key slows attempts: the first `free` failures cost nothing; from then on the next attempt
 * waits `baseMs × growth^(failures − free)`, at most `capMs`.
 */
export interface Rule {
  free: number;
  baseMs: number;
  growth: 1 | 2;
  capMs: number;
}

/** One e-mail from one address: a few typos are free, then each further guess waits twice as long. */
export const PAIR_RULE: Rule = { free: 3, baseMs: 2 * SECOND, growth: 2, capMs: 15 * MINUTE };
/** One address across e-mails (password spraying): a busy office gets room, a sprayer growing delays. */
export const ADDRESS_RULE: Rule = { free: 30, baseMs: 2 * SECOND, growth: 2, capMs: 15 * MINUTE };
/**
 * One e-mail from anywhere (guesses spread over many addresses): past the ceiling it SLOWS to one
 * attempt per 30 seconds rather than locking, so the real user still gets a turn.
 */
export const EMAIL_RULE: Rule = { free: 10, baseMs: 30 * SECOND, growth: 1, capMs: 30 * SECOND };

/** After this many failures for an e-mail its account holders are told, at most once per ALERT_EVERY_HOURS. */
export const ALERT_AFTER_FAILURES = 5;
export const ALERT_EVERY_HOURS = 24;

/** Sign-ins that come without an address share one bucket, so a missing address skips nothing. */
const UNKNOWN_ADDRESS = "unknown";

// @node-rs/argon2 defaults to Argon2id with OWASP-level cost.
export const hashPassword = (password: string) => hash(password);

// Verified against when the email is unknown, so both paths cost the same time.
const DUMMY_HASH = hash("timing-equaliser-password");

export const delayAfter = (failures: number, rule: Rule): number =>
  failures < rule.free ? 0 : Math.min(rule.baseMs * rule.growth ** (failures - rule.free), rule.capMs);

/**
 * Takes one step on the key for this attempt, counting it as a failure in advance, unless the key is
 * still waiting. One conditional upsert decides (concurrent attempts cannot all slip through), and
 * the read inside the same transaction sees the row under that upsert's lock. MariaDB applies the
 * assignments left to right, so each line sees the values assigned above it.
 * Returns null when the step is taken, else the time the key opens again.
 */
async function takeStep(key: string, rule: Rule, attempt: string, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MINUTES * MINUTE);
  const firstDelay = delayAfter(1, rule);
  const mine = sql<boolean>`claim = ${attempt}`;
  return transaction(async (trx) => {
    await sql`
      insert into login_throttle (key_hash, failures, last_failure_at, blocked_until, claim, prev_failures)
      values (${key}, 1, ${now}, ${firstDelay ? new Date(now.getTime() + firstDelay) : null}, ${attempt}, 0)
      on duplicate key update
        claim = if(blocked_until is null or blocked_until <= ${now}, ${attempt}, claim),
        prev_failures = if(${mine}, failures, prev_failures),
        prev_last_failure_at = if(${mine}, last_failure_at, prev_last_failure_at),
        prev_blocked_until = if(${mine}, blocked_until, prev_blocked_until),
        failures = if(${mine}, if(last_failure_at > ${windowStart}, failures + 1, 1), failures),
        last_failure_at = if(${mine}, ${now}, last_failure_at),
        blocked_until = if(${mine},
          if(failures < ${rule.free}, null,
            date_add(${now}, interval cast(least(${rule.baseMs} * pow(${rule.growth}, failures - ${rule.free}), ${rule.capMs}) * 1000 as signed) microsecond)),
          blocked_until)`.execute(trx);
    const row = await trx.selectFrom("login_throttle").select(["claim", "blocked_until"]).where("key_hash", "=", key).executeTakeFirstOrThrow();
    return row.claim === attempt ? null : row.blocked_until;
  });
}

/** Undoes this attempt's step (it succeeded, or another key refused it); a later step by another attempt stays. */
async function giveBack(key: string, attempt: string): Promise<void> {
  await db()
    .updateTable("login_throttle")
    .set((eb) => ({
      failures: eb.ref("prev_failures"),
      last_failure_at: sql`coalesce(prev_last_failure_at, last_failure_at)`,
      blocked_until: eb.ref("prev_blocked_until"),
      claim: null,
    }))
    .where("key_hash", "=", key)
    .where("claim", "=", attempt)
    .execute();
}

/**
 * Takes a step on each key in turn; when one refuses, the steps already taken are given back and the
 * answer is the seconds to wait, else null.
 */
export async function takeSteps(keys: { key: string; rule: Rule }[], attempt: string, now: Date): Promise<number | null> {
  for (const [i, { key, rule }] of keys.entries()) {
    const openAt = await takeStep(key, rule, attempt, now);
    if (openAt) {
      await Promise.all(keys.slice(0, i).map((k) => giveBack(k.key, attempt)));
      return Math.max(1, Math.ceil((openAt.getTime() - now.getTime()) / SECOND));
    }
  }
  return null;
}

/**
 * Tells the account holders once per ALERT_EVERY_HOURS that their sign-in is being guessed at. The
 * conditional update picks the one failing attempt that sends the warning.
 */
async function warnAccountHolders(emailKey: string, accounts: { id: string; brand_id: string; status: string }[], now: Date): Promise<void> {
  const holders = accounts.filter((a) => a.status === "active");
  if (holders.length === 0) return;
  const quietSince = new Date(now.getTime() - ALERT_EVERY_HOURS * 60 * MINUTE);
  await transaction(async (trx) => {
    const claimed = await trx
      .updateTable("login_throttle")
      .set({ alerted_at: now })
      .where("key_hash", "=", emailKey)
      .where("failures", ">=", ALERT_AFTER_FAILURES)
      .where((eb) => eb.or([eb("alerted_at", "is", null), eb("alerted_at", "<=", quietSince)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    for (const a of holders) await notify(trx, { brandId: a.brand_id, partnerId: null, userId: a.id, kind: "sign_in_failures", link: "/account/security" });
  });
}

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks the password against the e-mail's accounts (an address may have one per brand). When it
 * matches more than one usable account, the oldest one is signed in.
 */
export async function signIn(input: { email: string; password: string; ip: string | null }, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const address = input.ip ?? UNKNOWN_ADDRESS;
  // Pair first: a guesser already made to wait there never touches the e-mail's shared turn.
  const keys = [
    { key: sha256(`pair:${email}|${address}`), rule: PAIR_RULE },
    { key: sha256(`ip:${address}`), rule: ADDRESS_RULE },
    { key: sha256(`email:${email}`), rule: EMAIL_RULE },
  ];
  const [pairKey, addressKey, emailKey] = keys.map((k) => k.key);
  const attempt = newId();
  const retryAfterSeconds = await takeSteps(keys, attempt, now);
  if (retryAfterSeconds) return { ok: false, reason: "throttled", retryAfterSeconds };

  const accounts = await db()
    .selectFrom("users")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .select(["users.id", "users.brand_id", "users.password_hash", "users.status", "users.partner_id", "partners.active as partner_active"])
    .where("users.email", "=", email)
    .orderBy("users.id")
    .execute();
  let user: (typeof accounts)[number] | undefined;
  // Every account is checked, whichever matches first; an unknown e-mail costs one check, like one account.
  for (const account of accounts.length > 0 ? accounts : [undefined]) {
    const passwordOk = await verify(account?.password_hash ?? (await DUMMY_HASH), input.password);
    const usable = account && account.status === "active" && (account.partner_id === null || Boolean(account.partner_active));
    if (passwordOk && usable && !user) user = account;
  }

  if (!user) {
    for (const a of accounts.length > 0 ? accounts : [undefined]) {
      await audit({ brandId: a?.brand_id ?? null, actorUserId: a?.id ?? null, action: "auth.sign_in_failed", ip: input.ip, details: { email } });
    }
    await warnAccountHolders(emailKey, accounts, now);
    return { ok: false, reason: "invalid" };
  }
  // A success clears this address's count for the e-mail and takes back its steps elsewhere.
  await db().deleteFrom("login_throttle").where("key_hash", "=", pairKey).execute();
  await Promise.all([giveBack(addressKey, attempt), giveBack(emailKey, attempt)]);
  await audit({ brandId: user.brand_id, actorUserId: user.id, partnerId: user.partner_id, action: "auth.sign_in", ip: input.ip });
  return { ok: true, userId: user.id };
}
