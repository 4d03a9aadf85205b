import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queueDigests, tehranDay } from "~/models/digest.server";
import { notify } from "~/models/notifications.server";
import { claimBatch, deliverDue, enqueue, OUTBOX_LEASE_MS, OUTBOX_RETRY } from "~/models/outbox.server";
import { requestPasswordReset, resetPassword, RESET_MINUTES } from "~/models/password-reset.server";
import { twoFactorState } from "~/models/two-factor.server";
import { inviteUser, reissueInvitation, setUserLocale } from "~/models/users.server";
import * as security from "~/routes/_app.account.security";
import * as invite from "~/routes/invite.$token";
import * as login from "~/routes/login";
import * as forgot from "~/routes/login_.forgot";
import * as reset from "~/routes/login_.reset.$token";
import { db } from "~/utils/db.server";
import { getActor } from "~/utils/session.server";
import { actorFor, createBrand, createNetwork, createUser, PASSWORD, signedInCookie, testAddress } from "../factories";
import { errorKeys, hit } from "../routes";
import { startSmtpServer } from "../smtp";

// The server is up before anything reads the environment (env() is read once, on first use).
const smtp = await startSmtpServer();
process.env.SMTP_URL = smtp.url;
process.env.APP_URL = "https://portal.example.test";
process.env.MAIL_FROM = "پرتال شرکا <portal@example.test>";

const MINUTE = 60_000;
const NEW_PASSWORD = "a fresh password 2026";

/** Delivers until nothing is due at `now`: this worker's database may hold mail queued by other test files. */
async function drain(now = new Date()) {
  for (;;) {
    const r = await deliverDue(now);
    if (r.sent + r.retried + r.failed === 0) return;
  }
}

const linkIn = (text: string | undefined, path: string) => {
  const match = new RegExp(`https://portal\\.example\\.test${path}/([A-Za-z0-9_-]+)`).exec(text ?? "");
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return match[1];
};

const askReset = (email: string, ip = testAddress()) => hit(forgot.action, "/login/forgot", {}, { form: { email }, ip });
const outboxTo = async (address: string) => (await db().selectFrom("outbox").select(["id", "status", "payload", "attempts"]).where("payload", "like", `%"to":"${address}"%`).execute());

beforeAll(async () => {
  // Other files may have queued mail under a fake clock running ahead (two-factor.test.ts): all of it goes now.
  await drain(new Date(Date.now() + 7 * 24 * 60 * MINUTE));
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => {
  smtp.refuseNext(0);
});

describe("password reset by e-mail", () => {
  it("sends exactly one message whose link sets a new password once, ends the sessions and is audited", async () => {
    const net = await createNetwork();
    const user = net.users.independentRep;
    const cookie = await signedInCookie(user.id);

    const asked = await askReset(`  ${user.email.toUpperCase()} `);
    expect(asked).toMatchObject({ status: 200, data: { sent: true } });
    await drain();
    const mails = smtp.to(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("تعیین گذرواژهٔ تازه");
    expect(mails[0].messageId).toMatch(/^<[0-9a-z]{26}@outbox\.partner-portal>$/);
    expect(mails[0].html).toContain('<html lang="fa" dir="rtl">');
    const token = linkIn(mails[0].text, "/login/reset");
    expect(mails[0].html).toContain(`https://portal.example.test/login/reset/${token}`);
    // Only the hash is kept, and the delivered message no longer holds the link.
    const [row] = await outboxTo(user.email);
    expect(row).toBeUndefined();
    const sent = await db().selectFrom("outbox").select(["status", "payload"]).where("id", "=", mails[0].messageId!.slice(1, 27).toUpperCase()).executeTakeFirstOrThrow();
    expect(sent).toEqual({ status: "sent", payload: null });

    expect(await hit(reset.loader, `/login/reset/${token}`, { token })).toMatchObject({ status: 200, data: { email: user.email } });
    const done = await hit(reset.action, `/login/reset/${token}`, { token }, { form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD } });
    expect(done).toMatchObject({ status: 302, location: "/login?reset=done" });
    expect(done.response?.headers.get("Set-Cookie")).toBeNull();
    expect(await getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toBeNull();

    const again = await hit(reset.action, `/login/reset/${token}`, { token }, { form: { password: "yet another password", confirm: "yet another password" } });
    expect(again.status).toBe(410);
    expect(errorKeys(again)).toEqual({ form: "auth:reset_invalid" });
    expect((await hit(reset.loader, `/login/reset/${token}`, { token })).status).toBe(404);

    const signIn = (password: string) => hit(login.action, "/login", {}, { form: { email: user.email, password, redirectTo: "/" } });
    expect((await signIn(PASSWORD)).status).toBe(400);
    expect(await signIn(NEW_PASSWORD)).toMatchObject({ status: 302, location: "/" });
    const actions = await db().selectFrom("audit_log").select("action").where("target_id", "=", user.id).where("action", "like", "auth.password_reset%").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["auth.password_reset_requested", "auth.password_reset"]);
  });

  it("answers an unknown address exactly as a known one, and queues nothing", async () => {
    const net = await createNetwork();
    const before = Number((await db().selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const unknown = await askReset(`nobody-${Date.now()}@example.test`);
    const known = await askReset(net.users.brandManager.email);
    expect(unknown.status).toBe(known.status);
    expect(unknown.data).toEqual(known.data);
    const after = Number((await db().selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    expect(after - before).toBe(1);
    await drain();
    expect(smtp.to(net.users.brandManager.email)).toHaveLength(1);
  });

  it("refuses an expired link and a link replaced by a newer one", async () => {
    const net = await createNetwork();
    const user = net.users.reseller1Rep;
    const past = new Date(Date.now() - (RESET_MINUTES + 1) * MINUTE);
    await requestPasswordReset({ email: user.email, ip: testAddress() }, past);
    await drain();
    const expired = linkIn(smtp.to(user.email)[0].text, "/login/reset");
    expect(await resetPassword(expired, NEW_PASSWORD, null)).toBeNull();

    await requestPasswordReset({ email: user.email, ip: testAddress() });
    await requestPasswordReset({ email: user.email, ip: testAddress() });
    await drain();
    const [older, newer] = smtp.to(user.email).slice(1).map((m) => linkIn(m.text, "/login/reset"));
    expect(await resetPassword(older, NEW_PASSWORD, null)).toBeNull();
    expect(await resetPassword(newer, NEW_PASSWORD, null)).toBe(user.id);
  });

  it("sends one message per active account of the address (one per brand), none to a disabled one", async () => {
    const [a, b, c] = [await createBrand(), await createBrand(), await createBrand()];
    const first = await createUser(a, "brand_manager");
    const email = first.email;
    const second = await createUser(b, "brand_manager");
    const disabled = await createUser(c, "brand_manager", null, { status: "disabled" });
    await db().updateTable("users").set({ email }).where("id", "in", [second.id, disabled.id]).execute();
    await askReset(email);
    await drain();
    expect(smtp.to(email)).toHaveLength(2);
    const rows = await db().selectFrom("password_resets").select("user_id").where("user_id", "in", [first.id, second.id, disabled.id]).execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([first.id, second.id].sort());
  });

  it("limits requests per address so an inbox cannot be flooded", async () => {
    const net = await createNetwork();
    const email = net.users.reseller2Admin.email;
    for (let i = 0; i < 3; i++) expect((await askReset(email)).status).toBe(200);
    const throttled = await askReset(email);
    expect(throttled.status).toBe(429);
    expect(errorKeys(throttled)).toEqual({ form: "auth:reset_wait_minutes" });
    expect(Number((throttled.data as { errors: { form: { values: { count: number } } } }).errors.form.values.count)).toBe(15);
    await drain();
    expect(smtp.to(email)).toHaveLength(3);
  });

  it("refuses bad input with field errors and a short new password without spending the link", async () => {
    const net = await createNetwork();
    const bad = await askReset("not an e-mail");
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ email: "errors.email" });
    await askReset(net.users.distributorRep.email);
    await drain();
    const token = linkIn(smtp.to(net.users.distributorRep.email)[0].text, "/login/reset");
    const short = await hit(reset.action, `/login/reset/${token}`, { token }, { form: { password: "short", confirm: "short" } });
    expect(short.status).toBe(400);
    expect(errorKeys(short)).toEqual({ password: "errors.password_short" });
    expect((await hit(reset.loader, `/login/reset/${token}`, { token })).status).toBe(200);
  });

  it("a user with two-factor still needs the second step after signing in with the new password", async () => {
    const net = await createNetwork();
    const user = net.users.distributorAdmin;
    const onSecurityPage = (form: Record<string, string>) => hit(security.action, "/account/security", {}, { as: user.id, form });
    await onSecurityPage({ intent: "start" });
    const secret = (await twoFactorState(user.id)).pendingSecret!;
    expect((await onSecurityPage({ intent: "confirm", code: new TOTP({ secret: Secret.fromBase32(secret) }).generate() })).status).toBe(200);

    await askReset(user.email);
    await drain();
    const token = linkIn(smtp.to(user.email)[0].text, "/login/reset");
    expect((await hit(reset.action, `/login/reset/${token}`, { token }, { form: { password: NEW_PASSWORD, confirm: NEW_PASSWORD } })).status).toBe(302);
    const signedIn = await hit(login.action, "/login", {}, { form: { email: user.email, password: NEW_PASSWORD, redirectTo: "/" } });
    expect(signedIn).toMatchObject({ status: 302, location: "/login/two-factor" });
    expect(signedIn.response?.headers.getSetCookie().some((c) => c.startsWith("__session="))).toBe(false);
  });
});

describe("the outbox", () => {
  const queue = (to: string, orderingKey: string | null = null) =>
    enqueue(db(), { brandId: null, channel: "email", orderingKey, payload: { to, subject: "آزمون", text: "متن", html: "<p>متن</p>" } });
  const row = (id: string) => db().selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("a relay refusing the first two attempts gets the message on the third, after growing waits, exactly once", async () => {
    const to = `retry-${Date.now()}@example.test`;
    const id = await queue(to);
    smtp.refuseNext(2);
    const t0 = new Date();
    expect(await deliverDue(t0)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const first = await row(id);
    expect(first).toMatchObject({ status: "pending", attempts: 1, claimed_by: null });
    expect(first.last_error).toMatch(/451/);
    const wait1 = first.next_attempt_at.getTime() - t0.getTime();
    expect(wait1).toBeGreaterThanOrEqual(OUTBOX_RETRY.baseMs / 2 - 5);
    expect(wait1).toBeLessThanOrEqual(OUTBOX_RETRY.baseMs + 5);
    // Not due yet: nothing is tried.
    expect(await deliverDue(new Date(t0.getTime() + wait1 - 1000))).toEqual({ sent: 0, retried: 0, failed: 0 });

    const t1 = new Date(t0.getTime() + wait1);
    expect(await deliverDue(t1)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const second = await row(id);
    const wait2 = second.next_attempt_at.getTime() - t1.getTime();
    expect(wait2).toBeGreaterThanOrEqual(OUTBOX_RETRY.baseMs - 5);
    expect(wait2).toBeLessThanOrEqual(2 * OUTBOX_RETRY.baseMs + 5);

    expect(await deliverDue(new Date(t1.getTime() + wait2))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 3, last_error: null });
    expect(await deliverDue(new Date(t1.getTime() + 24 * 60 * MINUTE))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.to(to)).toHaveLength(1);
  });

  it("gives up after the last attempt and keeps the error visible", async () => {
    const to = `dead-${Date.now()}@example.test`;
    const id = await queue(to);
    smtp.refuseNext(1000);
    let now = Date.now();
    for (let i = 0; i < OUTBOX_RETRY.maxAttempts; i++) {
      await deliverDue(new Date(now));
      now += OUTBOX_RETRY.capMs;
    }
    smtp.refuseNext(0);
    expect(await row(id)).toMatchObject({ status: "failed", attempts: OUTBOX_RETRY.maxAttempts, last_error: expect.stringMatching(/451/) });
    expect(await deliverDue(new Date(now + OUTBOX_RETRY.capMs))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.to(to)).toHaveLength(0);
  });

  it("two workers delivering at once never send a message twice", async () => {
    const to = `busy-${Date.now()}@example.test`;
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await queue(to));
    const now = new Date();
    for (;;) {
      const [a, b] = await Promise.all([deliverDue(now, { worker: "A".repeat(26), limit: 7 }), deliverDue(now, { worker: "B".repeat(26), limit: 7 })]);
      if (a.sent + b.sent === 0) break;
    }
    const got = smtp.to(to).map((m) => m.messageId!.slice(1, 27).toUpperCase());
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(ids);
  });

  it("a worker that died mid-batch loses its claim when the lease ends, and the message goes out once", async () => {
    const to = `lease-${Date.now()}@example.test`;
    const id = await queue(to);
    const now = new Date();
    expect((await claimBatch(now, "D".repeat(26))).map((m) => m.id)).toContain(id);
    expect(await row(id)).toMatchObject({ status: "sending", claimed_by: "D".repeat(26) });
    await deliverDue(new Date(now.getTime() + OUTBOX_LEASE_MS - 1000));
    expect(smtp.to(to)).toHaveLength(0);
    await deliverDue(new Date(now.getTime() + OUTBOX_LEASE_MS + 1000));
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, claimed_by: null });
    expect(smtp.to(to)).toHaveLength(1);
  });

  it("delivers messages with one ordering key in order, the later one waiting for the earlier", async () => {
    const to = `order-${Date.now()}@example.test`;
    const first = await queue(to, `test:${to}`);
    const second = await queue(to, `test:${to}`);
    smtp.refuseNext(1);
    const now = new Date();
    await deliverDue(now);
    expect((await row(first)).status).toBe("pending");
    expect((await row(second)).status).toBe("pending");
    expect((await row(second)).attempts).toBe(0);
    await drain(new Date(now.getTime() + OUTBOX_RETRY.baseMs + 1000));
    expect(smtp.to(to).map((m) => m.messageId!.slice(1, 27).toUpperCase())).toEqual([first, second]);
  });
});

describe("invitations by e-mail", () => {
  it("the invitee gets the link in Persian, right to left, besides the inviter seeing it", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const email = `invitee-${Date.now()}@example.test`;
    const result = await inviteUser(admin, { email, displayName: "نگار <b>تازه</b>", role: "partner_admin", partnerId: net.partners.independent });
    if ("errors" in result) throw new Error("not invited");
    await drain();
    const [mail] = smtp.to(email);
    expect(mail.subject).toBe("دعوت به پرتال شرکای برند آزمایشی");
    expect(mail.html).toContain('<html lang="fa" dir="rtl">');
    expect(mail.html).toContain("نگار &lt;b&gt;تازه&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>تازه</b>");
    expect(mail.text).toContain("نگار <b>تازه</b>");
    expect(mail.text).toContain("۷ روز");
    expect(linkIn(mail.text, "/invite")).toBe(result.token);

    // A reissued link goes out too, and the first one no longer works.
    const token = await reissueInvitation(admin, result.userId);
    await drain();
    expect(smtp.to(email)).toHaveLength(2);
    expect(linkIn(smtp.to(email)[1].text, "/invite")).toBe(token);
    expect((await hit(invite.loader, `/invite/${result.token}`, { token: result.token })).status).toBe(404);
  });

  it("an inviter working in English invites in English", async () => {
    const net = await createNetwork();
    await setUserLocale(net.users.independentAdmin.id, "en");
    const email = `invitee-en-${Date.now()}@example.test`;
    const result = await inviteUser(await actorFor(net.users.independentAdmin.id), { email, displayName: "Sam", role: "partner_rep", partnerId: null });
    expect("token" in result).toBe(true);
    await drain();
    const [mail] = smtp.to(email);
    expect(mail.subject).toBe("Invitation to the Test brand partner portal");
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.text).toContain("7 days");
  });
});

describe("daily digest of unread notifications", () => {
  it("one e-mail per user per day with what that user may see, in their language", async () => {
    const net = await createNetwork();
    const rep = net.users.independentRep;
    await db().transaction().execute(async (trx) => {
      await notify(trx, { brandId: net.brandId, partnerId: net.partners.independent, kind: "correction.accepted", params: { customer: "مشتری یکم" } });
      await notify(trx, { brandId: net.brandId, partnerId: null, userId: rep.id, kind: "sign_in_failures" });
      // Another partner's notification: not the rep's business.
      await notify(trx, { brandId: net.brandId, partnerId: net.partners.reseller1, kind: "correction.declined", params: { customer: "مشتری پنهان" } });
    });
    await setUserLocale(net.users.reseller1Admin.id, "en");

    const now = new Date();
    expect(await queueDigests(now)).toBeGreaterThanOrEqual(3);
    const day = await db().selectFrom("mail_digests").select("user_id").where("user_id", "in", Object.values(net.users).map((u) => u.id)).execute();
    // The two at the independent reseller, the two at reseller 1, the distributor's admin and rep (resellers' mail is not theirs: none)…
    expect(day.map((d) => d.user_id).sort()).toEqual([net.users.independentAdmin.id, rep.id, net.users.reseller1Admin.id, net.users.reseller1Rep.id].sort());
    // …and a second run the same day queues nothing more.
    expect(await queueDigests(new Date(now.getTime() + 1000))).toBe(0);
    await drain();

    const [mail] = smtp.to(rep.email);
    expect(smtp.to(rep.email)).toHaveLength(1);
    expect(mail.subject).toBe("۲ اعلان خوانده‌نشده در پرتال شرکا");
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.text).toContain("مشتری یکم");
    expect(mail.text).not.toContain("مشتری پنهان");
    expect(mail.text).toContain("https://portal.example.test/notifications");
    const [admin] = smtp.to(net.users.independentAdmin.email);
    expect(admin.subject).toBe("۱ اعلان خوانده‌نشده در پرتال شرکا");
    expect(admin.text).not.toContain("چند بار");
    const [english] = smtp.to(net.users.reseller1Admin.email);
    expect(english.subject).toBe("1 unread notification on the partner portal");
    expect(english.html).toContain('<html lang="en" dir="ltr">');
    expect(english.text).toContain("Your correction to customer “مشتری پنهان” was declined.");

    // The next Tehran day, what is still unread is sent again.
    const tomorrow = new Date(now.getTime() + 24 * 60 * MINUTE);
    expect(tehranDay(tomorrow)).not.toBe(tehranDay(now));
    expect(await queueDigests(tomorrow)).toBeGreaterThanOrEqual(4);
  });
});
