import { describe, expect, it } from "vitest";
import { signIn } from "~/models/auth.server";
import { setPartnerActive } from "~/models/partners.server";
import { acceptInvitation, findInvitation, INVITATION_DAYS, inviteUser, reissueInvitation, setUserStatus, type InviteInput } from "~/models/users.server";
import { action as acceptAction, loader as acceptLoader } from "~/routes/invite.$token";
import { sha256 } from "~/utils/crypto.server";
import { db } from "~/utils/db.server";
import { getActor } from "~/utils/session.server";
import { actorFor, createBrand, createNetwork, createPartner, PASSWORD, signedInCookie, testAddress } from "../factories";

const DAY = 86_400_000;
const NEW_PASSWORD = "a new password 123";
let seq = 0;
const freshEmail = () => `invitee-${Date.now().toString(36)}-${++seq}-${Math.random().toString(36).slice(2, 8)}@test.example`;
const input = (o: Partial<InviteInput>): InviteInput => ({ email: freshEmail(), displayName: "مهمان تازه", role: "partner_rep", partnerId: null, ...o });

function invited(result: Awaited<ReturnType<typeof inviteUser>>) {
  if ("errors" in result) throw new Error(`expected an invitation, got ${JSON.stringify(result.errors)}`);
  return result;
}

const userRow = (id: string) => db().selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function brandCounts(brandId: string) {
  const count = async (table: "users" | "invitations" | "audit_log") =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", brandId).executeTakeFirstOrThrow()).n);
  return { users: await count("users"), invitations: await count("invitations"), audit: await count("audit_log") };
}

const acceptRequest = (token: string, password = NEW_PASSWORD, confirm = password) =>
  new Request(`http://localhost/invite/${token}`, { method: "POST", body: new URLSearchParams({ password, confirm }) });

describe("invitations", () => {
  it("a brand admin invites a partner admin; the link works exactly once", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const { token, userId } = invited(await inviteUser(admin, input({ role: "partner_admin", partnerId: net.partners.independent })));

    const user = await userRow(userId);
    expect(user).toMatchObject({ status: "invited", password_hash: null, role: "partner_admin", partner_id: net.partners.independent, brand_id: net.brandId });
    // Only the hash of the token is stored.
    const invitation = await db().selectFrom("invitations").selectAll().where("user_id", "=", userId).executeTakeFirstOrThrow();
    expect(invitation.token_hash).toBe(sha256(token));
    expect(invitation.token_hash).not.toContain(token);
    expect(invitation.expires_at.getTime() - invitation.created_at.getTime()).toBe(INVITATION_DAYS * DAY);

    expect(await findInvitation(token)).toMatchObject({ user_id: userId, email: user.email });
    expect(await acceptInvitation(token, NEW_PASSWORD)).toBe(userId);
    expect(await acceptInvitation(token, "another password 456")).toBeNull();
    expect(await findInvitation(token)).toBeUndefined();

    const active = await userRow(userId);
    expect(active.status).toBe("active");
    expect(active.password_hash).toMatch(/^\$argon2id\$/);
    expect(await signIn({ email: user.email, password: NEW_PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId });
    expect(await signIn({ email: user.email, password: "another password 456", ip: testAddress() })).toMatchObject({ ok: false });
  });

  it("through the route: the first accept signs the user in, the second answers 410", async () => {
    const net = await createNetwork();
    const { token, userId } = invited(await inviteUser(await actorFor(net.users.independentAdmin.id), input({})));
    const shown = await acceptLoader({ request: new Request(`http://localhost/invite/${token}`), params: { token }, context: {} });
    expect(shown).toMatchObject({ invitation: { displayName: "مهمان تازه" } });

    const first = (await acceptAction({ request: acceptRequest(token), params: { token }, context: {} })) as Response;
    expect(first.status).toBe(302);
    const cookie = first.headers.get("Set-Cookie")!.split(";")[0];
    expect(await getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toMatchObject({ userId });

    const second = await acceptAction({ request: acceptRequest(token, "another password 456"), params: { token }, context: {} });
    expect(second).toMatchObject({ init: { status: 410 }, data: { errors: { form: { key: "auth:invite_invalid" } } } });
    const gone = await acceptLoader({ request: new Request(`http://localhost/invite/${token}`), params: { token }, context: {} });
    expect(gone).toMatchObject({ init: { status: 404 }, data: { invitation: null } });
  });

  it("a short or mismatched password is refused without using up the link", async () => {
    const net = await createNetwork();
    const { token, userId } = invited(await inviteUser(await actorFor(net.users.independentAdmin.id), input({})));
    const short = await acceptAction({ request: acceptRequest(token, "short"), params: { token }, context: {} });
    expect(short).toMatchObject({ init: { status: 400 }, data: { errors: { password: { key: "errors.password_short" } } } });
    const mismatch = await acceptAction({ request: acceptRequest(token, NEW_PASSWORD, `${NEW_PASSWORD}!`), params: { token }, context: {} });
    expect(mismatch).toMatchObject({ init: { status: 400 }, data: { errors: { confirm: { key: "errors.password_mismatch" } } } });
    expect((await userRow(userId)).status).toBe("invited");
    expect(await acceptInvitation(token, NEW_PASSWORD)).toBe(userId);
  });

  it("a double submit of the same link activates the user once", async () => {
    const net = await createNetwork();
    const { token, userId } = invited(await inviteUser(await actorFor(net.users.brandAdmin.id), input({ role: "brand_manager" })));
    const results = await Promise.all([acceptInvitation(token, NEW_PASSWORD), acceptInvitation(token, "another password 456")]);
    expect(results.filter((r) => r === userId)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it("an expired link is refused", async () => {
    const net = await createNetwork();
    const { token, userId } = invited(await inviteUser(await actorFor(net.users.brandAdmin.id), input({ role: "channel_manager" })));
    const afterExpiry = new Date(Date.now() + INVITATION_DAYS * DAY + 60_000);
    expect(await findInvitation(token, afterExpiry)).toBeUndefined();
    expect(await acceptInvitation(token, NEW_PASSWORD, afterExpiry)).toBeNull();
    expect((await userRow(userId)).status).toBe("invited");
    // Still good the day before it expires.
    expect(await acceptInvitation(token, NEW_PASSWORD, new Date(Date.now() + (INVITATION_DAYS - 1) * DAY))).toBe(userId);
  });

  it("reissuing a link makes the earlier one worthless", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const { token: oldToken, userId } = invited(await inviteUser(admin, input({ role: "partner_admin", partnerId: net.partners.reseller1 })));
    const newToken = await reissueInvitation(admin, userId);
    expect(newToken).toBeTruthy();
    expect(newToken).not.toBe(oldToken);
    expect(await findInvitation(oldToken)).toBeUndefined();
    expect(await acceptInvitation(oldToken, NEW_PASSWORD)).toBeNull();
    expect(await acceptInvitation(newToken!, NEW_PASSWORD)).toBe(userId);
    // Nothing to reissue once accepted.
    expect(await reissueInvitation(admin, userId)).toBeNull();
  });

  it("only the inviter's side may reissue: another partner's admin gets nothing", async () => {
    const net = await createNetwork();
    const { userId } = invited(await inviteUser(await actorFor(net.users.independentAdmin.id), input({})));
    expect(await reissueInvitation(await actorFor(net.users.reseller1Admin.id), userId)).toBeNull();
    expect(await reissueInvitation(await actorFor(net.users.independentAdmin.id), userId)).toBeTruthy();
  });

  it("an invited user cannot sign in before accepting, nor be enabled around the invitation", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const { userId } = invited(await inviteUser(admin, input({ role: "brand_manager" })));
    const { email } = await userRow(userId);
    expect(await signIn({ email, password: "", ip: testAddress() })).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn({ email, password: NEW_PASSWORD, ip: testAddress() })).toEqual({ ok: false, reason: "invalid" });
    expect(await setUserStatus(admin, userId, "active")).toBe(false);
    expect((await userRow(userId)).status).toBe("invited");
  });
});

describe("who may invite whom", () => {
  it("a partner admin invites only reps, and only into their own partner", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.independentAdmin.id);
    for (const role of ["partner_admin", "brand_admin", "brand_manager", "channel_manager"] as const) {
      expect(await inviteUser(admin, input({ role, partnerId: net.partners.independent }))).toEqual({ errors: { role: { key: "errors.choice" } } });
    }
    // The partner in the input is ignored: the rep lands in the inviter's partner.
    const { userId } = invited(await inviteUser(admin, input({ role: "partner_rep", partnerId: net.partners.reseller1 })));
    expect((await userRow(userId)).partner_id).toBe(net.partners.independent);
  });

  it("a distributor's admin cannot invite into its resellers either", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.distributorAdmin.id);
    const { userId } = invited(await inviteUser(admin, input({ role: "partner_rep", partnerId: net.partners.reseller2 })));
    expect((await userRow(userId)).partner_id).toBe(net.partners.distributor);
  });

  it("a brand admin's partner users need a live partner of the brand; brand staff never get one", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const otherBrandPartner = await createPartner(await createBrand());
    const before = await brandCounts(net.brandId);
    expect(await inviteUser(admin, input({ role: "partner_admin", partnerId: null }))).toEqual({ errors: { partnerId: { key: "errors.choice" } } });
    expect(await inviteUser(admin, input({ role: "partner_admin", partnerId: otherBrandPartner }))).toEqual({ errors: { partnerId: { key: "errors.choice" } } });
    expect(await inviteUser(admin, input({ role: "partner_admin", partnerId: "01NOSUCHPARTNER00000000000" }))).toEqual({ errors: { partnerId: { key: "errors.choice" } } });
    expect(await inviteUser(admin, input({ role: "partner_rep", partnerId: net.partners.independent }))).toEqual({ errors: { role: { key: "errors.choice" } } });
    await setPartnerActive(admin, net.partners.reseller2, false);
    const afterDeactivate = await brandCounts(net.brandId);
    expect(await inviteUser(admin, input({ role: "partner_admin", partnerId: net.partners.reseller2 }))).toEqual({ errors: { partnerId: { key: "errors.choice" } } });
    expect(await brandCounts(net.brandId)).toEqual(afterDeactivate);
    expect(afterDeactivate.users).toBe(before.users);

    const { userId } = invited(await inviteUser(admin, input({ role: "brand_manager", partnerId: net.partners.independent })));
    expect((await userRow(userId)).partner_id).toBeNull();
  });

  it.each(["brandManager", "channelManager", "independentRep"] as const)("%s cannot invite anyone (403)", async (who) => {
    const net = await createNetwork();
    const actor = await actorFor(net.users[who].id);
    const before = await brandCounts(net.brandId);
    for (const role of ["partner_rep", "partner_admin", "brand_manager"] as const) {
      await expect(inviteUser(actor, input({ role, partnerId: net.partners.independent }))).rejects.toMatchObject({ status: 403 });
    }
    expect(await brandCounts(net.brandId)).toEqual(before);
  });

  it("a taken email is a field error and writes nothing, whatever its case", async () => {
    const net = await createNetwork();
    const admin = await actorFor(net.users.brandAdmin.id);
    const before = await brandCounts(net.brandId);
    for (const email of [net.users.independentRep.email, net.users.brandManager.email.toUpperCase()]) {
      expect(await inviteUser(admin, input({ email, role: "partner_admin", partnerId: net.partners.independent }))).toEqual({ errors: { email: { key: "errors.email_taken" } } });
    }
    expect(await brandCounts(net.brandId)).toEqual(before);
  });

  it("an address already used in another brand is invited like any other, and both accounts work", async () => {
    const net = await createNetwork();
    const elsewhere = await createNetwork();
    const person = elsewhere.users.brandManager; // e.g. someone at a distributor that sells both brands
    const admin = await actorFor(net.users.brandAdmin.id);
    const fresh = invited(await inviteUser(admin, input({ email: freshEmail(), role: "brand_manager" })));
    const shared = invited(await inviteUser(admin, input({ email: person.email, role: "brand_manager" })));
    // The same answer as for a new address, and the same kind of row: nothing tells the other brand's account apart.
    expect(Object.keys(shared)).toEqual(Object.keys(fresh));
    expect(await userRow(shared.userId)).toMatchObject({ brand_id: net.brandId, status: "invited" });

    expect(await acceptInvitation(shared.token, NEW_PASSWORD)).toBe(shared.userId);
    expect(await signIn({ email: person.email, password: NEW_PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: shared.userId });
    expect(await getActor(new Request("http://localhost/", { headers: { Cookie: await signedInCookie(shared.userId) } }))).toMatchObject({ brandId: net.brandId });
    // The other brand's account keeps its own password and brand.
    expect(await signIn({ email: person.email, password: PASSWORD, ip: testAddress() })).toEqual({ ok: true, userId: person.id });
    // Within one brand the address is still taken.
    expect(await inviteUser(admin, input({ email: person.email, role: "brand_manager" }))).toEqual({ errors: { email: { key: "errors.email_taken" } } });
  });
});
