import { hash, verify } from "@node-rs/argon2";
import { sql } from "kysely";
import { sha256 } from "~/utils/crypto.server";
import { db } from "~/utils/db.server";
import { audit } from "./audit.server";

export const LOCK_WINDOW_MINUTES = 15;
const EMAIL_FAILURE_LIMIT = 5;
const IP_FAILURE_LIMIT = 30;

// @node-rs/argon2 defaults to Argon2id with OWASP-level cost.
export const hashPassword = (password: string) => hash(password);

// Verified against when the email is unknown, so both paths cost the same time.
const DUMMY_HASH = hash("timing-equaliser-password");

const throttleKeys = (email: string, ip: string | null) => [
  { key: sha256(`email:${email}`), limit: EMAIL_FAILURE_LIMIT },
  ...(ip ? [{ key: sha256(`ip:${ip}`), limit: IP_FAILURE_LIMIT }] : []),
];

async function lockedMinutes(keys: { key: string }[], now: Date): Promise<number> {
  const rows = await db()
    .selectFrom("login_throttle")
    .select("locked_until")
    .where("key_hash", "in", keys.map((k) => k.key))
    .where("locked_until", ">", now)
    .execute();
  const until = Math.max(0, ...rows.map((r) => r.locked_until!.getTime()));
  return until ? Math.ceil((until - now.getTime()) / 60_000) : 0;
}

// One conditional upsert per key: safe under concurrent attempts, no read-then-write.
// MariaDB applies the assignments left to right, so locked_until sees the old counters.
async function recordFailure(keys: { key: string; limit: number }[], now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - LOCK_WINDOW_MINUTES * 60_000);
  const lockUntil = new Date(now.getTime() + LOCK_WINDOW_MINUTES * 60_000);
  for (const { key, limit } of keys) {
    await sql`
      insert into login_throttle (key_hash, failures, window_started_at, locked_until) values (${key}, 1, ${now}, null)
      on duplicate key update
        locked_until = if(window_started_at > ${windowStart} and failures + 1 >= ${limit}, ${lockUntil}, locked_until),
        failures = if(window_started_at > ${windowStart}, failures + 1, 1),
        window_started_at = if(window_started_at > ${windowStart}, window_started_at, ${now})`.execute(db());
  }
}

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "locked"; minutes: number };

export async function signIn(input: { email: string; password: string; ip: string | null }, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys = throttleKeys(email, input.ip);
  const minutes = await lockedMinutes(keys, now);
  if (minutes > 0) return { ok: false, reason: "locked", minutes };

  const user = await db()
    .selectFrom("users")
    .leftJoin("partners", "partners.id", "users.partner_id")
    .select(["users.id", "users.brand_id", "users.password_hash", "users.status", "users.partner_id", "partners.active as partner_active"])
    .where("users.email", "=", email)
    .executeTakeFirst();
  const passwordOk = await verify(user?.password_hash ?? (await DUMMY_HASH), input.password);
  const allowed = user && passwordOk && user.status === "active" && (user.partner_id === null || Boolean(user.partner_active));
  if (!allowed) {
    await recordFailure(keys, now);
    await audit({ brandId: user?.brand_id ?? null, actorUserId: user?.id ?? null, action: "auth.sign_in_failed", ip: input.ip, details: { email } });
    return { ok: false, reason: "invalid" };
  }
  await db().deleteFrom("login_throttle").where("key_hash", "=", keys[0].key).execute();
  await audit({ brandId: user.brand_id, actorUserId: user.id, partnerId: user.partner_id, action: "auth.sign_in", ip: input.ip });
  return { ok: true, userId: user.id };
}
