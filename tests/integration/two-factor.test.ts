import { Secret, TOTP } from "otpauth";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHALLENGE_ATTEMPTS } from "~/models/sign-in-challenges.server";
import { CODE_ATTEMPTS, twoFactorState } from "~/models/two-factor.server";
import { inviteUser, setUserStatus } from "~/models/users.server";
import * as security from "~/routes/_app.account.security";
import * as settings from "~/routes/_app.settings";
import * as invite from "~/routes/invite.$token";
import * as login from "~/routes/login";
import * as secondStep from "~/routes/login_.two-factor";
import { db } from "~/utils/db.server";
import { getActor } from "~/utils/session.server";
import { decryptSecret, hashRecoveryCode } from "~/utils/two-factor.server";
import { actorFor, createNetwork, createUser, PASSWORD, signedInCookie } from "../factories";
import { errorKeys, hit, type Outcome } from "../routes";

// Codes belong to 30-second steps and each step is accepted once, so the tests move a fake clock
// (Date only; timers stay real for the database driver) instead of waiting.
let clock = 0;
const tick = (seconds = 30) => {
  clock += seconds * 1000;
  vi.setSystemTime(clock);
};
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  clock = Math.floor(Date.now() / 30_000) * 30_000 + 1_000;
  vi.setSystemTime(clock);
});
afterEach(() => {
  vi.useRealTimers();
});

const codeAt = (secret: string, timestamp = clock) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });
const toPersianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

const onSecurityPage = (as: string, form: Record<string, string>) => hit(security.action, "/account/security", {}, { as, form });
const auditActions = async (userId: string) =>
  (await db().selectFrom("audit_log").select("action").where("actor_user_id", "=", userId).orderBy("created_at").orderBy("id").execute()).map((a) => a.action);
const sessionsOf = async (userId: string) => (await db().selectFrom("sessions").select("id").where("user_id", "=", userId).execute()).length;

/** Turns two-factor on through the security page, as the user would; returns the secret the app would hold and the recovery codes. */
async function enableFor(userId: string) {
  expect((await onSecurityPage(userId, { intent: "start" })).status).toBe(200);
  const secret = (await twoFactorState(userId)).pendingSecret!;
  const confirmed = await onSecurityPage(userId, { intent: "confirm", code: codeAt(secret) });
  expect(confirmed.status).toBe(200);
  tick();
  return { secret, codes: (confirmed.data as { recoveryCodes: string[] }).recoveryCodes };
}

const cookiePair = (o: Outcome, name: string) =>
  o.response?.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0];

/** The password step: for a user with two-factor, a redirect to the second step and the pending cookie. */
async function passwordStep(email: string, redirectTo = "/") {
  const outcome = await hit(login.action, "/login", {}, { form: { email, password: PASSWORD, redirectTo } });
  return { outcome, pending: cookiePair(outcome, "__pending_sign_in") };
}
const submitCode = (pending: string, code: string) => hit(secondStep.action, "/login/two-factor", {}, { form: { code }, headers: { Cookie: pending } });
const sessionFrom = async (o: Outcome) => getActor(new Request("http://localhost/", { headers: { Cookie: cookiePair(o, "__session")! } }));

describe("setting up two-factor on the security page", () => {
  it("nothing is on until a code confirms it; then ten recovery codes are shown once and stored hashed, the secret encrypted", async () => {
    const net = await createNetwork();
    const user = net.users.independentRep;
    const before = await hit(security.loader, "/account/security", {}, { as: user.id });
    expect(before.data).toMatchObject({ enabled: false, setup: null, required: false });

    await onSecurityPage(user.id, { intent: "start" });
    const page = (await hit(security.loader, "/account/security", {}, { as: user.id })).data as { enabled: boolean; setup: { qr: string; secret: string } };
    expect(page.enabled).toBe(false);
    expect(page.setup.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const secret = page.setup.secret.replace(/ /g, "");
    const row = await db().selectFrom("user_two_factor").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.enabled_at).toBeNull();
    expect(row.secret_enc).not.toContain(secret);
    expect(decryptSecret(row.secret_enc, user.id)).toBe(secret);
    // Still off: signing in needs only the password.
    expect((await passwordStep(user.email)).outcome.location).toBe("/");

    const wrong = await onSecurityPage(user.id, { intent: "confirm", code: codeAt(secret, clock - 120_000) });
    expect(wrong.status).toBe(400);
    expect(errorKeys(wrong)).toEqual({ code: "security:code_invalid" });
    expect((await twoFactorState(user.id)).enabled).toBe(false);

    const ok = await onSecurityPage(user.id, { intent: "confirm", code: toPersianDigits(codeAt(secret)) });
    expect(ok.status).toBe(200);
    const codes = (ok.data as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    const stored = await db().selectFrom("user_recovery_codes").select(["code_hash", "used_at"]).where("user_id", "=", user.id).execute();
    expect(stored.map((s) => s.code_hash).sort()).toEqual(codes.map(hashRecoveryCode).sort());
    expect(stored.every((s) => s.used_at === null)).toBe(true);
    const after = (await hit(security.loader, "/account/security", {}, { as: user.id })).data;
    expect(after).toMatchObject({ enabled: true, setup: null, recoveryLeft: 10 });
    expect(JSON.stringify(after)).not.toContain(codes[0]);
    expect(await auditActions(user.id)).toContain("two_factor.enabled");
  });

  it("starting over replaces an unconfirmed secret, and the old one no longer confirms", async () => {
    const net = await createNetwork();
    const user = net.users.independentRep;
    await onSecurityPage(user.id, { intent: "start" });
    const first = (await twoFactorState(user.id)).pendingSecret!;
    await onSecurityPage(user.id, { intent: "start" });
    const second = (await twoFactorState(user.id)).pendingSecret!;
    expect(second).not.toBe(first);
    if (codeAt(first) !== codeAt(second)) expect((await onSecurityPage(user.id, { intent: "confirm", code: codeAt(first) })).status).toBe(400);
    expect((await onSecurityPage(user.id, { intent: "confirm", code: codeAt(second) })).status).toBe(200);
    // Once on, "start" cannot swap the secret behind the user's back.
    await onSecurityPage(user.id, { intent: "start" });
    expect(decryptSecret((await db().selectFrom("user_two_factor").select("secret_enc").where("user_id", "=", user.id).executeTakeFirstOrThrow()).secret_enc, user.id)).toBe(second);
  });
});

describe("signing in with two-factor", () => {
  it("the password alone starts no session; the code does, to where the user was heading", async () => {
    const net = await createNetwork();
    const user = net.users.reseller1Admin;
    const { secret } = await enableFor(user.id);
    const sessions = await sessionsOf(user.id);

    const { outcome, pending } = await passwordStep(user.email, "/customers?q=a");
    expect(outcome).toMatchObject({ status: 302, location: "/login/two-factor" });
    expect(cookiePair(outcome, "__session")).toBeUndefined();
    const raw = outcome.response!.headers.getSetCookie().find((c) => c.startsWith("__pending_sign_in="))!;
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/Max-Age=300/);
    expect(await sessionsOf(user.id)).toBe(sessions);

    const page = await hit(secondStep.loader, "/login/two-factor", {}, { headers: { Cookie: pending! } });
    expect(page.data).toEqual({ mode: "verify", setup: null });

    const done = await submitCode(pending!, toPersianDigits(codeAt(secret)));
    expect(done).toMatchObject({ status: 302, location: "/customers?q=a" });
    expect(await sessionFrom(done)).toMatchObject({ userId: user.id });
    expect(cookiePair(done, "__pending_sign_in")).toBe("__pending_sign_in=");
    // The pending sign-in is spent.
    expect((await submitCode(pending!, codeAt(secret))).location).toBe("/login");
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["auth.sign_in", "auth.two_factor_passed"]));
  });

  it("a used code is refused, and so is any code of an earlier step", async () => {
    const net = await createNetwork();
    const user = net.users.reseller1Admin;
    const { secret } = await enableFor(user.id);
    const now = codeAt(secret);
    expect((await submitCode((await passwordStep(user.email)).pending!, now)).status).toBe(302);

    // The same code again, within its 30 seconds.
    const replay = await submitCode((await passwordStep(user.email)).pending!, now);
    expect(replay.status).toBe(400);
    expect(errorKeys(replay)).toEqual({ code: "security:code_invalid" });

    // A later step's code is used; the previous step's code (still inside the ±1 window) is then refused.
    tick();
    const previous = codeAt(secret, clock - 30_000);
    expect((await submitCode((await passwordStep(user.email)).pending!, codeAt(secret))).status).toBe(302);
    const earlier = await submitCode((await passwordStep(user.email)).pending!, previous);
    expect(earlier.status).toBe(400);
    expect(await auditActions(user.id)).toContain("auth.two_factor_failed");
  });

  it("a recovery code works once, is audited, and is typed in any case or spacing", async () => {
    const net = await createNetwork();
    const user = net.users.distributorRep;
    const { codes } = await enableFor(user.id);
    const typed = codes[3].toLowerCase().replace("-", " ");
    const first = await submitCode((await passwordStep(user.email)).pending!, typed);
    expect(first.status).toBe(302);
    expect(await sessionFrom(first)).toMatchObject({ userId: user.id });
    expect(await auditActions(user.id)).toContain("two_factor.recovery_code_used");
    const again = await hit(secondStep.action, "/login/two-factor", {}, { form: { code: codes[3], via: "recovery" }, headers: { Cookie: (await passwordStep(user.email)).pending! } });
    expect(again.status).toBe(400);
    // The answer names the form that failed, so the page shows the error under the recovery code field.
    expect(again.data).toEqual({ errors: { code: { key: "security:code_invalid" } }, via: "recovery" });
    expect((await twoFactorState(user.id)).recoveryLeft).toBe(9);
  });

  it(`${CHALLENGE_ATTEMPTS} wrong codes end the pending sign-in: back to the password, even with the right code`, async () => {
    const net = await createNetwork();
    const user = net.users.reseller2Admin;
    const { secret } = await enableFor(user.id);
    const { pending } = await passwordStep(user.email);
    for (let i = 1; i < CHALLENGE_ATTEMPTS; i++) expect(errorKeys(await submitCode(pending!, "000000"))).toEqual({ code: "security:code_invalid" });
    const last = await submitCode(pending!, "000000");
    expect(last.status).toBe(400);
    expect(last.data).toMatchObject({ restart: true, errors: { form: { key: "security:too_many" } } });
    const after = await submitCode(pending!, codeAt(secret));
    expect(after).toMatchObject({ status: 302, location: "/login" });
    expect(cookiePair(after, "__session")).toBeUndefined();
    expect((await auditActions(user.id)).filter((a) => a === "auth.two_factor_failed")).toHaveLength(CHALLENGE_ATTEMPTS);
    // A fresh password step opens a fresh pending sign-in.
    expect((await submitCode((await passwordStep(user.email)).pending!, codeAt(secret))).status).toBe(302);
  });

  it(`${CODE_ATTEMPTS} wrong codes across pending sign-ins lock the second step for the user`, async () => {
    const net = await createNetwork();
    const user = net.users.reseller2Admin;
    const { secret } = await enableFor(user.id);
    const sessions = await sessionsOf(user.id);
    for (let i = 0; i < CODE_ATTEMPTS; i++) {
      const { pending } = await passwordStep(user.email);
      expect((await submitCode(pending!, "000000")).status).toBe(400);
    }
    const locked = await submitCode((await passwordStep(user.email)).pending!, codeAt(secret));
    expect(locked.status).toBe(429);
    expect(errorKeys(locked)).toEqual({ form: "security:locked" });
    expect(await sessionsOf(user.id)).toBe(sessions);
    tick(15 * 60);
    expect((await submitCode((await passwordStep(user.email)).pending!, codeAt(secret))).status).toBe(302);
  });

  it("a forged, foreign or expired pending cookie leads back to the password step", async () => {
    const net = await createNetwork();
    const user = net.users.independentAdmin;
    const { secret } = await enableFor(user.id);
    const sessions = await sessionsOf(user.id);
    const { pending } = await passwordStep(user.email);
    const [, value] = pending!.split("=");
    const forged = [
      "__pending_sign_in=" + Buffer.from(JSON.stringify(user.id)).toString("base64"), // unsigned
      `__pending_sign_in=${value.slice(0, -3)}abc`, // signature broken
      "__pending_sign_in=",
    ];
    for (const cookie of forged) {
      expect((await submitCode(cookie, codeAt(secret))).location, cookie).toBe("/login");
      expect((await hit(secondStep.loader, "/login/two-factor", {}, { headers: { Cookie: cookie } })).location).toBe("/login");
    }
    expect((await hit(secondStep.loader, "/login/two-factor", {}, {})).location).toBe("/login");
    tick(5 * 60 + 1);
    expect((await submitCode(pending!, codeAt(secret))).location).toBe("/login");
    expect(await sessionsOf(user.id)).toBe(sessions);
  });

  it("a user disabled during the second step gets no session, and their secrets are deleted", async () => {
    const net = await createNetwork();
    const user = net.users.independentRep;
    const { secret } = await enableFor(user.id);
    const { pending } = await passwordStep(user.email);
    expect(await setUserStatus(await actorFor(net.users.independentAdmin.id), user.id, "disabled")).toBe(true);
    expect((await submitCode(pending!, codeAt(secret))).location).toBe("/login");
    expect(await db().selectFrom("user_two_factor").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await db().selectFrom("user_recovery_codes").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await db().selectFrom("sign_in_challenges").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
  });
});

describe("managing two-factor", () => {
  it("new recovery codes need a current app code and invalidate the old ones", async () => {
    const net = await createNetwork();
    const user = net.users.channelManager;
    const { secret, codes: old } = await enableFor(user.id);
    expect(errorKeys(await onSecurityPage(user.id, { intent: "regenerate", code: old[0] }))).toEqual({ code: "security:code_invalid" });
    expect(errorKeys(await onSecurityPage(user.id, { intent: "regenerate", code: "" }))).toEqual({ code: "errors.required" });
    const renewed = await onSecurityPage(user.id, { intent: "regenerate", code: codeAt(secret) });
    expect(renewed.status).toBe(200);
    const fresh = (renewed.data as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    expect((await submitCode((await passwordStep(user.email)).pending!, old[1])).status).toBe(400);
    expect((await submitCode((await passwordStep(user.email)).pending!, fresh[1])).status).toBe(302);
    expect(await auditActions(user.id)).toContain("two_factor.recovery_codes_renewed");
  });

  it("turning it off needs a code, and then deletes the secret and recovery codes", async () => {
    const net = await createNetwork();
    const user = net.users.distributorAdmin;
    const { codes } = await enableFor(user.id);
    const refused = await onSecurityPage(user.id, { intent: "disable", code: "123456" });
    expect(refused.status).toBe(400);
    expect(errorKeys(refused)).toEqual({ code: "security:code_invalid" });
    expect((await twoFactorState(user.id)).enabled).toBe(true);

    const off = await onSecurityPage(user.id, { intent: "disable", code: codes[0] });
    expect(off).toMatchObject({ status: 200, data: { disabled: true } });
    expect(await db().selectFrom("user_two_factor").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await db().selectFrom("user_recovery_codes").select("user_id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await auditActions(user.id)).toContain("two_factor.disabled");
    expect((await passwordStep(user.email)).outcome.location).toBe("/");
  });
});

describe("the brand requires two-factor for its staff", () => {
  const setRequirement = (as: string, on: boolean) => hit(settings.action, "/settings", {}, { as, form: { intent: "security", ...(on ? { requireTwoFactor: "on" } : {}) } });
  const required = async (brandId: string) => Boolean((await db().selectFrom("brands").select("require_two_factor").where("id", "=", brandId).executeTakeFirstOrThrow()).require_two_factor);

  it("only the brand admin may change it, and only once their own two-factor is on", async () => {
    const net = await createNetwork();
    expect((await setRequirement(net.users.brandManager.id, true)).status).toBe(403);
    const first = await setRequirement(net.users.brandAdmin.id, true);
    expect(first.status).toBe(400);
    expect(errorKeys(first)).toEqual({ requireTwoFactor: "security:own_first" });
    expect(await required(net.brandId)).toBe(false);

    await enableFor(net.users.brandAdmin.id);
    const managerCookie = await signedInCookie(net.users.brandManager.id);
    const partnerCookie = await signedInCookie(net.users.reseller1Admin.id);
    expect((await setRequirement(net.users.brandAdmin.id, true)).status).toBe(200);
    expect(await required(net.brandId)).toBe(true);
    expect(await auditActions(net.users.brandAdmin.id)).toContain("settings.two_factor_required");
    // Brand staff without two-factor are signed out; partner users are not affected.
    const actorOf = (cookie: string) => getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }));
    expect(await actorOf(managerCookie)).toBeNull();
    expect(await actorOf(partnerCookie)).toMatchObject({ userId: net.users.reseller1Admin.id });
    expect((await passwordStep(net.users.reseller1Admin.email)).outcome.location).toBe("/");

    const loaded = await hit(settings.loader, "/settings", {}, { as: net.users.brandManager.id });
    expect(loaded.data).toMatchObject({ brand: { require_two_factor: 1 }, canManageSecurity: false });
  });

  it("a brand user without two-factor must set it up before getting a session, and cannot turn it off", async () => {
    const net = await createNetwork();
    await enableFor(net.users.brandAdmin.id);
    expect((await setRequirement(net.users.brandAdmin.id, true)).status).toBe(200);
    const manager = net.users.brandManager;

    const { outcome, pending } = await passwordStep(manager.email, "/partners");
    expect(outcome.location).toBe("/login/two-factor");
    expect(await sessionsOf(manager.id)).toBe(0);
    const page = (await hit(secondStep.loader, "/login/two-factor", {}, { headers: { Cookie: pending! } })).data as { mode: string; setup: { secret: string } };
    expect(page.mode).toBe("enrol");
    const secret = page.setup.secret.replace(/ /g, "");
    // Reloading the page keeps the same secret, so a scanned QR code stays valid.
    expect(((await hit(secondStep.loader, "/login/two-factor", {}, { headers: { Cookie: pending! } })).data as typeof page).setup.secret.replace(/ /g, "")).toBe(secret);

    expect(errorKeys(await submitCode(pending!, "000000"))).toEqual({ code: "security:code_invalid" });
    expect(await sessionsOf(manager.id)).toBe(0);
    // Called directly to see the headers of the data answer: the session starts with the recovery codes.
    const request = new Request("http://localhost/login/two-factor", { method: "POST", headers: { Cookie: pending! }, body: new URLSearchParams({ code: codeAt(secret) }) });
    const answer = (await secondStep.action({ request, params: {}, context: {} })) as unknown as { data: unknown; init: ResponseInit };
    const done = { status: answer.init.status ?? 200, data: answer.data };
    expect(done.status).toBe(200);
    expect((done.data as { recoveryCodes: string[]; redirectTo: string }).recoveryCodes).toHaveLength(10);
    expect(done.data).toMatchObject({ redirectTo: "/partners" });
    const session = new Headers(answer.init.headers).getSetCookie().find((c) => c.startsWith("__session="))!.split(";")[0];
    expect(await getActor(new Request("http://localhost/", { headers: { Cookie: session } }))).toMatchObject({ userId: manager.id });
    expect(secondStep.shouldRevalidate({ actionResult: done.data, defaultShouldRevalidate: true } as Parameters<typeof secondStep.shouldRevalidate>[0])).toBe(false);
    expect(await auditActions(manager.id)).toEqual(expect.arrayContaining(["two_factor.enabled", "auth.two_factor_passed"]));

    tick();
    const blocked = await onSecurityPage(manager.id, { intent: "disable", code: codeAt(secret) });
    expect(blocked.status).toBe(400);
    expect(errorKeys(blocked)).toEqual({ form: "security:required_by_brand" });
    expect((await twoFactorState(manager.id)).enabled).toBe(true);
    // A partner user in the same brand may still sign in with the password alone and turn theirs off.
    const partnerUser = await createUser(net.brandId, "partner_rep", net.partners.independent);
    const { codes } = await enableFor(partnerUser.id);
    expect((await onSecurityPage(partnerUser.id, { intent: "disable", code: codes[0] })).status).toBe(200);
  });

  it("an invited brand manager sets up two-factor before the first session; an invited partner user does not", async () => {
    const net = await createNetwork();
    await enableFor(net.users.brandAdmin.id);
    expect((await setRequirement(net.users.brandAdmin.id, true)).status).toBe(200);
    const admin = await actorFor(net.users.brandAdmin.id);
    const accept = async (role: "brand_manager" | "partner_admin", partnerId: string | null) => {
      const result = await inviteUser(admin, { email: `invitee-${role}-${clock}@test.example`, displayName: "مهمان", role, partnerId });
      if ("errors" in result) throw new Error("invitation refused");
      const outcome = await hit(invite.action, `/invite/${result.token}`, { token: result.token }, { form: { password: "a new password 123", confirm: "a new password 123" } });
      return { outcome, userId: result.userId };
    };
    const staff = await accept("brand_manager", null);
    expect(staff.outcome).toMatchObject({ status: 302, location: "/login/two-factor" });
    expect(cookiePair(staff.outcome, "__session")).toBeUndefined();
    expect(await sessionsOf(staff.userId)).toBe(0);
    const pending = cookiePair(staff.outcome, "__pending_sign_in")!;
    expect(((await hit(secondStep.loader, "/login/two-factor", {}, { headers: { Cookie: pending } })).data as { mode: string }).mode).toBe("enrol");

    const partner = await accept("partner_admin", net.partners.independent);
    expect(partner.outcome).toMatchObject({ status: 302, location: "/" });
    expect(await sessionFrom(partner.outcome)).toMatchObject({ userId: partner.userId });
  });
});
