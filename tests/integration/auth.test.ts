import { verify } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { ADDRESS_RULE, ALERT_AFTER_FAILURES, ALERT_EVERY_HOURS, delayAfter, EMAIL_RULE, hashPassword, PAIR_RULE, signIn, THROTTLE_WINDOW_MINUTES } from "~/models/auth.server";
import { listNotifications, markAllRead, unreadCount } from "~/models/notifications.server";
import { setPartnerActive } from "~/models/partners.server";
import { setUserRole, setUserStatus } from "~/models/users.server";
import { action as logoutAction } from "~/routes/logout";
import { db } from "~/utils/db.server";
import { getActor, getSession, pruneSessions, SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES, startSession } from "~/utils/session.server";
import { newId } from "~/utils/ids";
import { actorFor, createBrand, createNetwork, createPartner, createUser, PASSWORD, signedInCookie, testAddress } from "../factories";

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
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: user.id });
    expect(await signIn({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: user.id });
    const audit = await db().selectFrom("audit_log").select("action").where("actor_user_id", "=", user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["auth.sign_in", "auth.sign_in"]);
  });

  it("refuses a wrong password, and answers an unknown email exactly the same way", async () => {
    const user = await someUser();
    const wrong = await signIn({ email: user.email, password: "not-the-password", ip: testAddress() });
    const unknown = await signIn({ email: `nobody-${user.id.toLowerCase()}@test.example`, password: PASSWORD, ip: testAddress() });
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
    expect(await signIn({ email: user.email, password: "a long enough password", ip: testAddress() })).toMatchObject({ ok: true });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() })).toMatchObject({ ok: false });
  });
});

describe("throttling", () => {
  const SECOND = 1000;
  const at = (start: Date, ms: number) => new Date(start.getTime() + ms);
  const ghostEmail = () => `ghost-${newId().toLowerCase()}@test.example`;

  it("one address guessing one e-mail: three tries free, then each further one waits twice as long", async () => {
    const user = await someUser();
    const ip = testAddress();
    const start = new Date();
    for (let i = 0; i < 3; i++) expect(await signIn({ email: user.email, password: `wrong-${i}`, ip }, start)).toEqual({ ok: false, reason: "invalid" });
    // Even the right password waits: a guesser must not learn anything before the delay is over.
    expect(await signIn({ email: user.email, password: PASSWORD, ip }, start)).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 2 });
    let t = 2 * SECOND;
    for (const wait of [4, 8, 16, 32]) {
      expect(await signIn({ email: user.email, password: "wrong", ip }, at(start, t))).toEqual({ ok: false, reason: "invalid" });
      expect(await signIn({ email: user.email, password: PASSWORD, ip }, at(start, t + SECOND))).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: wait - 1 });
      t += wait * SECOND;
    }
    // The right password works when its turn comes, and a success starts the count again.
    expect(await signIn({ email: user.email, password: PASSWORD, ip }, at(start, t))).toEqual({ ok: true, userId: user.id });
    for (let i = 0; i < 3; i++) expect(await signIn({ email: user.email, password: "wrong", ip }, at(start, t))).toEqual({ ok: false, reason: "invalid" });
  });

  it("the delay is capped at 15 minutes, and failures are forgotten after a quiet hour", async () => {
    const user = await someUser();
    const ip = testAddress();
    let t = new Date();
    for (let i = 0; i < 14; i++) {
      expect(await signIn({ email: user.email, password: "wrong", ip }, t)).toEqual({ ok: false, reason: "invalid" });
      t = at(t, Math.min(2 ** Math.max(0, i - 1) * 2 * SECOND, 15 * 60 * SECOND));
    }
    expect(delayAfter(14, PAIR_RULE)).toBe(15 * 60 * SECOND);
    expect(await signIn({ email: user.email, password: PASSWORD, ip }, at(t, -SECOND))).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 1 });
    const later = at(t, THROTTLE_WINDOW_MINUTES * 60 * SECOND + SECOND);
    for (let i = 0; i < 3; i++) expect(await signIn({ email: user.email, password: "wrong", ip }, later)).toEqual({ ok: false, reason: "invalid" });
  });

  it("ten guesses at the same moment from one address get only the three free checks (one atomic step each)", async () => {
    const user = await someUser();
    const ip = testAddress();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn({ email: user.email, password: `wrong-${i}`, ip }, now)));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(7);
    const failed = await db().selectFrom("audit_log").select("id").where("actor_user_id", "=", user.id).where("action", "=", "auth.sign_in_failed").execute();
    expect(failed).toHaveLength(3);
  });

  it("someone else's guesses from one address do not stop the real user on another address", async () => {
    const user = await someUser();
    const attacker = testAddress();
    const now = new Date();
    for (let i = 0; i < 3; i++) await signIn({ email: user.email, password: `wrong-${i}`, ip: attacker }, now);
    for (let i = 0; i < 5; i++) expect(await signIn({ email: user.email, password: "wrong", ip: attacker }, now)).toMatchObject({ reason: "throttled" });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, now)).toEqual({ ok: true, userId: user.id });
    // The attacker's own wait is untouched by the user's success.
    expect(await signIn({ email: user.email, password: PASSWORD, ip: attacker }, now)).toMatchObject({ reason: "throttled" });
  });

  it("guesses at one e-mail from many addresses slow it to one attempt per 30 s, and the right password gets its turn", async () => {
    const user = await someUser();
    const start = new Date();
    for (let i = 0; i < EMAIL_RULE.free; i++) expect(await signIn({ email: user.email, password: "wrong", ip: testAddress() }, start)).toEqual({ ok: false, reason: "invalid" });
    // Past the ceiling a fresh address does not help: one attempt per 30 seconds for this e-mail, from anywhere.
    expect(await signIn({ email: user.email, password: "wrong", ip: testAddress() }, at(start, 10 * SECOND))).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 20 });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, at(start, 10 * SECOND))).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 20 });
    // A refused attempt takes no turn: it neither counts against its address nor pushes the e-mail's turn back.
    const next = at(start, 30 * SECOND);
    expect(await signIn({ email: user.email, password: "wrong", ip: testAddress() }, next)).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, at(next, 29 * SECOND))).toMatchObject({ reason: "throttled", retryAfterSeconds: 1 });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, at(next, 30 * SECOND))).toEqual({ ok: true, userId: user.id });
    // It slows, it never locks: the user's success gives its turn back, so the next attempt waits no longer than before.
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, at(next, 30 * SECOND))).toEqual({ ok: true, userId: user.id });
  });

  it("one address trying many e-mails (password spraying) is slowed down, those e-mails elsewhere are not", async () => {
    const user = await someUser();
    const sprayer = testAddress();
    const now = new Date();
    for (let i = 0; i < ADDRESS_RULE.free; i++) await signIn({ email: ghostEmail(), password: "wrong-password", ip: sprayer }, now);
    expect(await signIn({ email: ghostEmail(), password: "wrong-password", ip: sprayer }, now)).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 2 });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: sprayer }, now)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await signIn({ email: user.email, password: PASSWORD, ip: testAddress() }, now)).toEqual({ ok: true, userId: user.id });
  });

  it("an unknown e-mail gets exactly the answers a real one gets", async () => {
    const user = await someUser();
    const ip = testAddress();
    const ghost = ghostEmail();
    const ghostIp = testAddress();
    const start = new Date();
    const steps = [0, 0, 0, 0, 1, 2, 3, 6];
    const answers = async (email: string, address: string) => {
      const out = [];
      for (const s of steps) out.push(await signIn({ email, password: "wrong-password", ip: address }, at(start, s * SECOND)));
      return out;
    };
    const real = await answers(user.email, ip);
    expect(real.map((r) => (r.ok ? "ok" : r.reason))).toEqual(["invalid", "invalid", "invalid", "throttled", "throttled", "invalid", "throttled", "invalid"]);
    expect(await answers(ghost, ghostIp)).toEqual(real);
  });

  it("a missing address is one shared bucket, so it skips no limit", async () => {
    const email = ghostEmail();
    const now = new Date();
    for (let i = 0; i < 3; i++) await signIn({ email, password: "wrong", ip: null }, now);
    expect(await signIn({ email, password: "wrong", ip: null }, now)).toMatchObject({ reason: "throttled" });
  });
});

describe("warning the account holder", () => {
  const kindsFor = async (userId: string) => (await listNotifications(await actorFor(userId), 1)).rows.map((r) => r.kind);

  it("after five failures the user alone is told, once per day however many more follow", async () => {
    const net = await createNetwork();
    const target = net.users.independentRep;
    const start = new Date();
    for (let i = 0; i < ALERT_AFTER_FAILURES - 1; i++) await signIn({ email: target.email, password: "wrong", ip: testAddress() }, start);
    expect(await kindsFor(target.id)).toEqual([]);
    await signIn({ email: target.email, password: "wrong", ip: testAddress() }, start);
    expect(await kindsFor(target.id)).toEqual(["sign_in_failures"]);
    for (let i = 0; i < 4; i++) await signIn({ email: target.email, password: "wrong", ip: testAddress() }, start);
    expect(await kindsFor(target.id)).toEqual(["sign_in_failures"]);
    // Nobody else sees it: not a colleague at the same partner, not the brand's channel team.
    for (const other of [net.users.independentAdmin, net.users.brandAdmin, net.users.channelManager, net.users.distributorAdmin]) expect(await kindsFor(other.id)).toEqual([]);
    expect(await unreadCount(await actorFor(net.users.independentAdmin.id))).toBe(0);
    expect(await unreadCount(await actorFor(target.id))).toBe(1);

    // A day later, a new round of guessing brings a new warning.
    const nextDay = new Date(start.getTime() + ALERT_EVERY_HOURS * 3_600_000 + 1000);
    for (let i = 0; i < ALERT_AFTER_FAILURES; i++) await signIn({ email: target.email, password: "wrong", ip: testAddress() }, nextDay);
    expect(await kindsFor(target.id)).toEqual(["sign_in_failures", "sign_in_failures"]);
  });

  it("a colleague marking all read leaves the user's warning unread", async () => {
    const net = await createNetwork();
    const target = net.users.reseller1Rep;
    for (let i = 0; i < ALERT_AFTER_FAILURES; i++) await signIn({ email: target.email, password: "wrong", ip: testAddress() });
    expect(await markAllRead(await actorFor(net.users.reseller1Admin.id))).toBe(0);
    expect(await markAllRead(await actorFor(net.users.distributorAdmin.id))).toBe(0);
    expect(await unreadCount(await actorFor(target.id))).toBe(1);
  });
});

describe("one address in two brands", () => {
  it("the password picks the account; the same password in both signs in the oldest, as documented", async () => {
    const first = await someUser();
    const secondBrand = await createBrand();
    const second = await createUser(secondBrand, "brand_admin");
    await db().updateTable("users").set({ email: first.email }).where("id", "=", second.id).execute();
    expect(await signIn({ email: first.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: first.id });
    await db().updateTable("users").set({ password_hash: await hashPassword("the second brand's password") }).where("id", "=", second.id).execute();
    expect(await signIn({ email: first.email, password: "the second brand's password", ip: testAddress() })).toEqual({ ok: true, userId: second.id });
    expect(await signIn({ email: first.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: first.id });
    // A disabled account is skipped, even when it is the older one.
    await db().updateTable("users").set({ status: "disabled", password_hash: await hashPassword("the second brand's password") }).where("id", "=", first.id).execute();
    expect(await signIn({ email: first.email, password: "the second brand's password", ip: testAddress() })).toEqual({ ok: true, userId: second.id });
  });
});

describe("sessions", () => {
  it("the session's read brings the shell's names and the same unread count as the notifications page", async () => {
    const net = await createNetwork();
    const mail = [
      { partnerId: net.partners.reseller1 },
      { partnerId: net.partners.reseller1, read: true },
      { partnerId: net.partners.distributor },
      { partnerId: null },
      { partnerId: null, userId: net.users.brandManager.id },
      { partnerId: null, userId: net.users.reseller1Rep.id },
      { partnerId: net.partners.independent, userId: net.users.distributorAdmin.id },
    ];
    for (const m of mail) {
      await db().insertInto("notifications").values({ id: newId(), brand_id: net.brandId, partner_id: m.partnerId, user_id: m.userId ?? null, kind: "test", params: null, link: null, created_at: new Date(), read_at: m.read ? new Date() : null }).execute();
    }
    const counted: Record<string, number> = {};
    for (const [key, user] of Object.entries(net.users)) {
      const session = await getSession(withCookie(await signedInCookie(user.id)));
      expect(session!.shell.unread, key).toBe(await unreadCount(session!.actor));
      counted[key] = session!.shell.unread;
    }
    // Guards the expectations above against a rule that finds nothing for anyone.
    expect(counted).toMatchObject({ reseller1Rep: 2, reseller1Admin: 1, distributorAdmin: 2, brandAdmin: 1, channelManager: 1, brandManager: 1, independentAdmin: 0 });
    const session = await getSession(withCookie(await signedInCookie(net.users.reseller1Rep.id)));
    const partner = await db().selectFrom("partners").select(["name_fa", "name_en"]).where("id", "=", net.partners.reseller1).executeTakeFirstOrThrow();
    expect(session!.shell.partner).toEqual({ nameFa: partner.name_fa, nameEn: partner.name_en });
    expect((await getSession(withCookie(await signedInCookie(net.users.brandAdmin.id))))!.shell.partner).toBeNull();
  });

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
    expect(await signIn({ email: target.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: false, reason: "invalid" });

    expect(await setUserStatus(admin, target.id, "active")).toBe(true);
    expect(await signIn({ email: target.email, password: PASSWORD, ip: testAddress() })).toMatchObject({ ok: true });
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
    expect(await signIn({ email: rep.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn({ email: net.users.independentAdmin.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: false, reason: "invalid" });
    // Other partners and the brand are unaffected.
    expect(await getActor(withCookie(otherPartner))).toMatchObject({ userId: net.users.reseller1Rep.id });
    expect(await signIn({ email: net.users.brandManager.email, password: PASSWORD, ip: testAddress() })).toMatchObject({ ok: true });
  });
});
