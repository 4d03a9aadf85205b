import { verify } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { hashPassword, LOCK_WINDOW_MINUTES, signIn } from "~/models/auth.server";
import { setPartnerActive } from "~/models/partners.server";
import { setUserRole, setUserStatus } from "~/models/users.server";
import { action as logoutAction } from "~/routes/logout";
import { db } from "~/utils/db.server";
import { getActor, pruneSessions, SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES, startSession } from "~/utils/session.server";
import { actorFor, createBrand, createNetwork, createPartner, createUser, PASSWORD, signedInCookie } from "../factories";

const MINUTE = 60_000;
const withCookie = (cookie: string | null) => new Request("http://localhost/", { headers: cookie ? { Cookie: cookie } : {} });
const sessionsOf = async (userId: string) => db().selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
const cookiePair = (setCookie: string) => setCookie.split(";")[0];

async function someUser(role: "brand_admin" | "partner_rep" = "partner_rep") {
  const brandId = await createBrand();
  const partnerId = role === "partner_rep" ? await createPartner(brandId) : null;
  return { brandId, partnerId, ...(await createUser(brandId, role, partnerId)) };
}

describe("sign-in", () => {
  it("succeeds with the right password, whatever the case and spacing of the email", async () => {
    const user = await someUser();
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null })).toEqual({ ok: true, userId: user.id });
    expect(await signIn({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD, ip: null })).toEqual({ ok: true, userId: user.id });
    const audit = await db().selectFrom("audit_log").select("action").where("actor_user_id", "=", user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["auth.sign_in", "auth.sign_in"]);
  });

  it("refuses a wrong password, and answers an unknown email exactly the same way", async () => {
    const user = await someUser();
    const wrong = await signIn({ email: user.email, password: "not-the-password", ip: null });
    const unknown = await signIn({ email: `nobody-${user.id.toLowerCase()}@test.example`, password: PASSWORD, ip: null });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("stores passwords as argon2id hashes with at least OWASP cost", async () => {
    const stored = await hashPassword("a long enough password");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(stored)!;
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(await verify(stored, "a long enough password")).toBe(true);
    expect(stored).not.toBe(await hashPassword("a long enough password")); // salted

    const user = await someUser();
    await db().updateTable("users").set({ password_hash: stored }).where("id", "=", user.id).execute();
    expect(await signIn({ email: user.email, password: "a long enough password", ip: null })).toMatchObject({ ok: true });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null })).toMatchObject({ ok: false });
  });
});

describe("lockout", () => {
  it("locks the email after 5 failures, even against the right password, and says for how long", async () => {
    const user = await someUser();
    const now = new Date();
    for (let i = 0; i < 5; i++) expect(await signIn({ email: user.email, password: `wrong-${i}`, ip: null }, now)).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, now)).toEqual({ ok: false, reason: "locked", minutes: LOCK_WINDOW_MINUTES });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, new Date(now.getTime() + 14 * MINUTE))).toEqual({ ok: false, reason: "locked", minutes: 1 });
    // The lock is for the email, whichever way it is typed.
    expect(await signIn({ email: user.email.toUpperCase(), password: PASSWORD, ip: null }, now)).toMatchObject({ reason: "locked" });
  });

  it("five failures at the same moment still lock (the counter is one atomic upsert)", async () => {
    const user = await someUser();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => signIn({ email: user.email, password: `wrong-${i}`, ip: null }, now)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, now)).toEqual({ ok: false, reason: "locked", minutes: LOCK_WINDOW_MINUTES });
  });

  it("lifts the lock once the window has passed", async () => {
    const user = await someUser();
    const now = new Date();
    for (let i = 0; i < 5; i++) await signIn({ email: user.email, password: "wrong-password", ip: null }, now);
    const later = new Date(now.getTime() + LOCK_WINDOW_MINUTES * MINUTE + 1000);
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, later)).toEqual({ ok: true, userId: user.id });
  });

  it("four failures do not lock, and a success starts the count again", async () => {
    const user = await someUser();
    const now = new Date();
    for (let i = 0; i < 4; i++) await signIn({ email: user.email, password: "wrong-password", ip: null }, now);
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, now)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await signIn({ email: user.email, password: "wrong-password", ip: null }, now);
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, now)).toMatchObject({ ok: true });
  });

  it("failures spread over more than the window do not add up", async () => {
    const user = await someUser();
    const start = Date.now();
    for (let i = 0; i < 4; i++) await signIn({ email: user.email, password: "wrong-password", ip: null }, new Date(start + i * MINUTE));
    // The fifth failure comes after the first window ended: it starts a new count instead of locking.
    await signIn({ email: user.email, password: "wrong-password", ip: null }, new Date(start + (LOCK_WINDOW_MINUTES + 1) * MINUTE));
    expect(await signIn({ email: user.email, password: PASSWORD, ip: null }, new Date(start + (LOCK_WINDOW_MINUTES + 2) * MINUTE))).toMatchObject({ ok: true });
  });

  it("locks an address that tries many emails, without locking those emails elsewhere", async () => {
    const user = await someUser();
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}-${user.id}`; // unique per run
    const now = new Date();
    for (let i = 0; i < 30; i++) await signIn({ email: `spray-${i}-${user.id.toLowerCase()}@test.example`, password: "wrong-password", ip }, now);
    expect(await signIn({ email: user.email, password: PASSWORD, ip }, now)).toMatchObject({ ok: false, reason: "locked" });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: "203.0.113.7" }, now)).toEqual({ ok: true, userId: user.id });
  });

  it("an unknown email locks the same way, so the lock reveals nothing", async () => {
    const email = `ghost-${Date.now()}-${Math.random().toString(36).slice(2)}@test.example`;
    const now = new Date();
    for (let i = 0; i < 5; i++) await signIn({ email, password: "wrong-password", ip: null }, now);
    expect(await signIn({ email, password: "wrong-password", ip: null }, now)).toEqual({ ok: false, reason: "locked", minutes: LOCK_WINDOW_MINUTES });
  });
});

describe("sessions", () => {
  it("a sign-in starts a new session and ends the one the browser still carried", async () => {
    const user = await someUser();
    const oldCookie = await signedInCookie(user.id);
    expect(await sessionsOf(user.id)).toHaveLength(1);
    const newCookie = cookiePair(await startSession(withCookie(oldCookie), user.id));
    expect(newCookie).not.toBe(oldCookie);
    expect(await sessionsOf(user.id)).toHaveLength(1);
    expect(await getActor(withCookie(oldCookie))).toBeNull();
    expect(await getActor(withCookie(newCookie))).toMatchObject({ userId: user.id });
  });

  it("a planted (unsigned or tampered) cookie is ignored", async () => {
    const user = await someUser();
    const cookie = await signedInCookie(user.id);
    expect(await getActor(withCookie(`${cookie.slice(0, -2)}xx`))).toBeNull();
    expect(await getActor(withCookie("__session=abcdefghijklmnopqrstuvwxyz0123456789"))).toBeNull();
    expect(await getActor(withCookie(cookie))).toMatchObject({ userId: user.id });
  });

  it("sign-out ends the session on the server, not only in the browser", async () => {
    const user = await someUser();
    const cookie = await signedInCookie(user.id);
    const other = await signedInCookie(user.id); // another device stays signed in
    const response = await logoutAction({ request: new Request("http://localhost/logout", { method: "POST", headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
    expect(response.headers.get("Set-Cookie")).toMatch(/__session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await getActor(withCookie(other))).toMatchObject({ userId: user.id });
    expect(await sessionsOf(user.id)).toHaveLength(1);
  });

  it("an idle session ends after the idle timeout; activity keeps it alive", async () => {
    const user = await someUser();
    const idle = await signedInCookie(user.id);
    await db().updateTable("sessions").set({ last_seen_at: new Date(Date.now() - (SESSION_IDLE_MINUTES + 1) * MINUTE) }).where("user_id", "=", user.id).execute();
    expect(await getActor(withCookie(idle))).toBeNull();
    expect(await sessionsOf(user.id)).toHaveLength(0); // and the row is gone

    const active = await signedInCookie(user.id);
    await db().updateTable("sessions").set({ last_seen_at: new Date(Date.now() - (SESSION_IDLE_MINUTES - 5) * MINUTE) }).where("user_id", "=", user.id).execute();
    expect(await getActor(withCookie(active))).toMatchObject({ userId: user.id });
    const [row] = await sessionsOf(user.id);
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(MINUTE); // touched
  });

  it("a session ends after its absolute lifetime, however active", async () => {
    const user = await someUser();
    const cookie = await signedInCookie(user.id);
    await db()
      .updateTable("sessions")
      .set({ created_at: new Date(Date.now() - SESSION_ABSOLUTE_HOURS * 60 * MINUTE - MINUTE), last_seen_at: new Date() })
      .where("user_id", "=", user.id)
      .execute();
    expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await sessionsOf(user.id)).toHaveLength(0);
  });

  it("pruning removes only sessions past their lifetime", async () => {
    const user = await someUser();
    const ids = async () => (await sessionsOf(user.id)).map((r) => r.id);
    await signedInCookie(user.id);
    const [idleId] = await ids();
    await db().updateTable("sessions").set({ last_seen_at: new Date(Date.now() - (SESSION_IDLE_MINUTES + 1) * MINUTE) }).where("id", "=", idleId).execute();
    const live = await signedInCookie(user.id);
    const liveId = (await ids()).find((id) => id !== idleId)!;
    await signedInCookie(user.id);
    const oldId = (await ids()).find((id) => id !== idleId && id !== liveId)!;
    await db().updateTable("sessions").set({ created_at: new Date(Date.now() - (SESSION_ABSOLUTE_HOURS + 1) * 60 * MINUTE) }).where("id", "=", oldId).execute();
    await pruneSessions();
    expect(await ids()).toEqual([liveId]);
    expect(await getActor(withCookie(live))).toMatchObject({ userId: user.id });
  });
});

describe("disabled users and partners", () => {
  it("disabling a user ends their sessions at once and refuses their sign-in", async () => {
    const net = await createNetwork();
    const target = net.users.independentRep;
    const cookies = [await signedInCookie(target.id), await signedInCookie(target.id)];
    const admin = await actorFor(net.users.brandAdmin.id);
    expect(await setUserStatus(admin, target.id, "disabled")).toBe(true);
    expect(await sessionsOf(target.id)).toHaveLength(0);
    for (const cookie of cookies) expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await signIn({ email: target.email, password: PASSWORD, ip: null })).toEqual({ ok: false, reason: "invalid" });

    expect(await setUserStatus(admin, target.id, "active")).toBe(true);
    expect(await signIn({ email: target.email, password: PASSWORD, ip: null })).toMatchObject({ ok: true });
  });

  it("a session of a user disabled behind the app's back is refused too", async () => {
    const user = await someUser();
    const cookie = await signedInCookie(user.id);
    await db().updateTable("users").set({ status: "disabled" }).where("id", "=", user.id).execute();
    expect(await getActor(withCookie(cookie))).toBeNull();
  });

  it("a role change ends the user's sessions, so the new role applies at once", async () => {
    const net = await createNetwork();
    const cookie = await signedInCookie(net.users.independentRep.id);
    const admin = await actorFor(net.users.brandAdmin.id);
    expect(await setUserRole(admin, net.users.independentRep.id, "partner_admin")).toEqual({ ok: true });
    expect(await getActor(withCookie(cookie))).toBeNull();
  });

  it("a deactivated partner's users cannot sign in and lose their sessions", async () => {
    const net = await createNetwork();
    const rep = net.users.independentRep;
    const cookie = await signedInCookie(rep.id);
    const otherPartner = await signedInCookie(net.users.reseller1Rep.id);
    expect(await setPartnerActive(await actorFor(net.users.brandAdmin.id), net.partners.independent, false)).toBe(true);
    expect(await getActor(withCookie(cookie))).toBeNull();
    expect(await signIn({ email: rep.email, password: PASSWORD, ip: null })).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn({ email: net.users.independentAdmin.email, password: PASSWORD, ip: null })).toEqual({ ok: false, reason: "invalid" });
    // Other partners and the brand are unaffected.
    expect(await getActor(withCookie(otherPartner))).toMatchObject({ userId: net.users.reseller1Rep.id });
    expect(await signIn({ email: net.users.brandManager.email, password: PASSWORD, ip: null })).toMatchObject({ ok: true });
  });
});
