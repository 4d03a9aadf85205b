import { describe, expect, it } from "vitest";
import { getCustomer, registerCustomer } from "~/models/customers.server";
import { searchCustomers } from "~/models/customer-list.server";
import { listNotifications, markAllRead, unreadCount } from "~/models/notifications.server";
import {
  decideAsOwner,
  decideServeRequest,
  escalateOverdueRequests,
  getServeRequest,
  listIncomingRequests,
  listSentRequests,
  listServeRequests,
  requestToServe,
  type RequestIdentity,
} from "~/models/serve-requests.server";
import * as conflictPage from "~/routes/_app.conflicts.$id";
import * as conflictsIndex from "~/routes/_app.conflicts._index";
import * as customerPage from "~/routes/_app.customers.$id";
import * as customersNew from "~/routes/_app.customers.new";
import * as notificationsPage from "~/routes/_app.notifications";
import * as serveRequests from "~/routes/_app.serve-requests";
import * as incoming from "~/routes/_app.serve-requests_.incoming";
import { db } from "~/utils/db.server";
import { customerInput } from "../customer-factories";
import { actorFor, createNetwork, createUser } from "../factories";
import { errorKeys, hit } from "../routes";
import { addServingRows } from "~/models/serving-rows.server";

const DAY = 86_400_000;
const REASON = "مشتری خودش به فروشگاه ما آمده است.";

/**
 * The independent reseller registers a customer (it is the owning partner); reseller 1 then tries
 * to register the same person (same phone) and is told a record exists.
 */
async function conflict() {
  const net = await createNetwork();
  const registrant = await actorFor(net.users.independentRep.id);
  const owner = await actorFor(net.users.independentAdmin.id);
  const requester = await actorFor(net.users.reseller1Rep.id);
  const manager = await actorFor(net.users.channelManager.id);
  const input = customerInput();
  const registered = await registerCustomer(registrant, input);
  if (!("id" in registered)) throw new Error("registration failed");
  const again = await registerCustomer(requester, customerInput({ phone: input.phone, displayName: "نام دیگر" }));
  if (!("duplicates" in again)) throw new Error("expected a duplicate");
  return { net, registrant, owner, requester, manager, customerId: registered.id, input, duplicates: again.duplicates };
}
type Conflict = Awaited<ReturnType<typeof conflict>>;

/** What the requester typed on the registration form, as the request form sends it back. */
const identityOf = (input: ReturnType<typeof customerInput>, match: RequestIdentity["match"] = "phone"): RequestIdentity => ({
  match,
  phone: input.phone,
  email: input.email,
  displayName: input.displayName,
  city: input.city,
});

/** Sends the request and returns the id of the row it wrote. */
async function requested(c: Conflict, actor = c.requester) {
  expect(await requestToServe(actor, identityOf(c.input), REASON)).toEqual({ sent: true });
  const row = await db().selectFrom("serve_requests").select("id").where("customer_id", "=", c.customerId).where("partner_id", "=", actor.partnerId!).where("status", "=", "pending").executeTakeFirstOrThrow();
  return row.id;
}

/** The owning partner let its time pass: the request is the channel team's from now on. */
const expireOwnerWindow = (id: string) => db().updateTable("serve_requests").set({ owner_deadline: new Date(Date.now() - 60_000) }).where("id", "=", id).execute();

const servingOf = async (customerId: string) =>
  (await db().selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customerId).execute()).map((r) => r.partner_id).sort();
const requestRow = (id: string) => db().selectFrom("serve_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const notificationsOf = (brandId: string) =>
  db().selectFrom("notifications").select(["partner_id", "kind", "params", "link"]).where("brand_id", "=", brandId).orderBy("created_at").orderBy("id").execute();
const auditOf = (targetId: string) => db().selectFrom("audit_log").select(["action", "actor_user_id", "partner_id", "details"]).where("target_id", "=", targetId).orderBy("created_at").orderBy("id").execute();
const countsOf = async (brandId: string) => ({
  requests: await db().selectFrom("serve_requests").selectAll().where("brand_id", "=", brandId).execute(),
  serving: (await db().selectFrom("customer_partners").select("partner_id").where("brand_id", "=", brandId).execute()).length,
  notifications: (await notificationsOf(brandId)).length,
  audit: (await db().selectFrom("audit_log").select("id").where("brand_id", "=", brandId).execute()).length,
});

describe("requesting to serve a registered customer", () => {
  it("the duplicate answer says only that a record exists: no id, no name, not in the model's answer nor the page's", async () => {
    const c = await conflict();
    expect(c.duplicates).toEqual([{ match: "phone", servedByYou: false, registeredAt: expect.any(Date), protectedUntil: expect.any(Date), pendingRequest: false }]);
    expect(JSON.stringify(c.duplicates)).not.toContain(c.customerId);

    const form = { kind: "person", displayName: "نام دیگر", phone: c.input.phone, email: "", province: "tehran", city: "شیراز", preferredLocale: "fa", preferredChannel: "phone" };
    const page = await hit(customersNew.action, "/customers/new", {}, { as: c.net.users.reseller1Rep.id, form });
    expect(page.status).toBe(409);
    const serialised = JSON.stringify(page.data);
    expect(serialised).toContain('"match":"phone"');
    expect(serialised).not.toContain(c.customerId);
    expect(serialised).not.toContain(c.input.displayName);
    expect(serialised).not.toContain(c.input.email!);

    // The partner that serves the customer is shown who it is, with the link, as before.
    const own = await hit(customersNew.action, "/customers/new", {}, { as: c.net.users.independentAdmin.id, form });
    expect(own.data).toMatchObject({ duplicates: [{ servedByYou: true, id: c.customerId, displayName: c.input.displayName }] });
  });

  it("a request goes to the owning partner first: pending, its admin notified, the channel team not yet, nothing granted", async () => {
    const c = await conflict();
    const before = Date.now();
    const id = await requested(c);
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "pending", partner_id: c.net.partners.reseller1, owner_partner_id: c.net.partners.independent, escalated_at: null, decided_at: null, decided_by_user_id: null });
    expect(row.owner_deadline!.getTime()).toBeGreaterThanOrEqual(before + 3 * DAY - 1000);
    expect(row.owner_deadline!.getTime()).toBeLessThanOrEqual(Date.now() + 3 * DAY);
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);

    const notes = await notificationsOf(c.net.brandId);
    expect(notes).toEqual([expect.objectContaining({ partner_id: c.net.partners.independent, kind: "serve_request.incoming", link: "/serve-requests/incoming" })]);
    expect(JSON.parse(notes[0].params!)).toMatchObject({ customer: c.input.displayName, partner_fa: expect.any(String), decide_until: row.owner_deadline!.toISOString() });
    expect(await unreadCount(c.owner)).toBe(1);
    expect(await unreadCount(c.manager)).toBe(0);
    expect(await unreadCount(c.requester)).toBe(0);
    expect(await auditOf(id)).toEqual([
      expect.objectContaining({ action: "serve_request.requested", actor_user_id: c.requester.userId, details: expect.stringContaining(c.net.partners.independent) }),
    ]);

    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();
    const after = await registerCustomer(c.requester, customerInput({ phone: c.input.phone }));
    expect(after).toMatchObject({ duplicates: [expect.objectContaining({ pendingRequest: true, servedByYou: false })] });

    // The owner's admin sees it with the customer (its own) and who asks; the requester sees no customer.
    const inbox = await listIncomingRequests(c.owner, 1);
    expect(inbox.rows).toEqual([expect.objectContaining({ id, stage: "owner", customer_name: c.input.displayName, reason: REASON, requester_name_fa: expect.any(String) })]);
    const sent = await listSentRequests(c.requester, 1);
    expect(sent.rows).toEqual([expect.objectContaining({ id, status: "pending", reason: REASON, customer_id: null, customer_name: null })]);
  });

  it("after the protection period a request still waits for a decision and grants nothing: profile 404, contact hidden", async () => {
    const c = await conflict();
    await db().updateTable("brands").set({ protection_days: 30 }).where("id", "=", c.net.brandId).execute();
    await db().updateTable("customers").set({ registered_at: new Date(Date.now() - 31 * DAY) }).where("id", "=", c.customerId).execute();

    const sent = await hit(serveRequests.action, "/serve-requests", {}, { as: c.net.users.reseller1Rep.id, form: { match: "phone", phone: c.input.phone, email: "", displayName: "نام دیگر", city: "شیراز", reason: REASON } });
    expect(sent).toMatchObject({ status: 302, location: "/serve-requests?sent=1" });
    const [row] = (await countsOf(c.net.brandId)).requests;
    expect(row).toMatchObject({ status: "pending", owner_partner_id: c.net.partners.independent });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);

    const profile = await hit(customerPage.loader, `/customers/${c.customerId}`, { id: c.customerId }, { as: c.net.users.reseller1Rep.id });
    expect(profile.status).toBe(404);
    const search = await searchCustomers(c.requester, { q: c.input.phone, sort: "name" });
    expect(search.total).toBe(0);
    // Shown to the deciders as information only.
    expect(await getServeRequest(c.manager, row.id)).toMatchObject({ protection_active: false, stage: "owner" });
  });

  it("a request that finds nobody gets the same answer and writes nothing", async () => {
    const c = await conflict();
    const before = await countsOf(c.net.brandId);
    const stranger = customerInput();
    expect(await requestToServe(c.requester, identityOf(stranger), REASON)).toEqual({ sent: true });
    expect(await requestToServe(c.requester, identityOf(stranger, "email"), REASON)).toEqual({ sent: true });
    expect(await requestToServe(c.requester, { ...identityOf(stranger, "email"), email: null }, REASON)).toEqual({ sent: true });
    expect(await requestToServe(c.requester, identityOf(stranger, "name_city"), REASON)).toEqual({ sent: true });
    const viaRoute = await hit(serveRequests.action, "/serve-requests", {}, { as: c.net.users.reseller1Rep.id, form: { match: "phone", phone: stranger.phone, email: "", displayName: "x", city: "y", reason: REASON } });
    expect(viaRoute).toMatchObject({ status: 302, location: "/serve-requests?sent=1" });
    expect(await countsOf(c.net.brandId)).toEqual(before);
  });

  it("finds the customer by email, or by name and city as typed (Arabic letters too)", async () => {
    const c = await conflict();
    expect(await requestToServe(c.requester, identityOf(c.input, "email"), REASON)).toEqual({ sent: true });
    const other = await actorFor(c.net.users.distributorRep.id);
    const typed = { ...identityOf(c.input, "name_city"), phone: "+989990000000", displayName: c.input.displayName.replace(/ی/g, "ي") };
    expect(await requestToServe(other, typed, REASON)).toEqual({ sent: true });
    const rows = (await countsOf(c.net.brandId)).requests;
    expect(rows.map((r) => [r.partner_id, r.customer_id]).sort()).toEqual([[c.net.partners.reseller1, c.customerId], [c.net.partners.distributor, c.customerId]].sort());
  });

  it("refuses a second pending request from the same partner, and a request for a customer the partner already serves", async () => {
    const c = await conflict();
    await requested(c);
    const before = await countsOf(c.net.brandId);
    expect(await requestToServe(c.requester, identityOf(c.input), "دوباره")).toEqual({ errors: { form: { key: "conflicts:errors.already_requested" } } });
    // A colleague of the same partner counts as the same partner.
    const admin = await actorFor(c.net.users.reseller1Admin.id);
    expect(await requestToServe(admin, identityOf(c.input), "دوباره")).toEqual({ errors: { form: { key: "conflicts:errors.already_requested" } } });
    expect(await requestToServe(c.registrant, identityOf(c.input), "برای خودم")).toEqual({ errors: { form: { key: "conflicts:errors.already_serving" } } });
    expect(await countsOf(c.net.brandId)).toEqual(before);
  });

  it("needs a reason, a partner role, and finds only customers of the actor's own brand", async () => {
    const c = await conflict();
    expect(await requestToServe(c.requester, identityOf(c.input), "   ")).toEqual({ errors: { reason: { key: "errors.required" } } });
    expect(await requestToServe(c.requester, identityOf(c.input), "ب".repeat(1001))).toEqual({ errors: { reason: { key: "errors.too_long", values: { max: 1000 } } } });
    const other = await conflict();
    expect(await requestToServe(c.requester, identityOf(other.input), "دلیل")).toEqual({ sent: true });
    await expect(requestToServe(c.manager, identityOf(c.input), "دلیل")).rejects.toMatchObject({ status: 403 });
    expect((await countsOf(c.net.brandId)).requests).toHaveLength(0);
    expect((await countsOf(other.net.brandId)).requests).toHaveLength(0);
  });

  it("a customer without an active owning partner goes straight to the channel team", async () => {
    const c = await conflict();
    await db().updateTable("partners").set({ active: false }).where("id", "=", c.net.partners.independent).execute();
    const id = await requested(c);
    expect(await requestRow(id)).toMatchObject({ status: "pending", owner_partner_id: null, owner_deadline: null, escalated_at: expect.any(Date) });
    const notes = await notificationsOf(c.net.brandId);
    expect(notes).toEqual([expect.objectContaining({ partner_id: null, kind: "serve_request.pending", link: `/conflicts/${id}` })]);
    expect(JSON.parse(notes[0].params!)).toMatchObject({ customer: c.input.displayName, city: c.input.city, registrant_en: expect.any(String) });
    expect(await getServeRequest(c.manager, id)).toMatchObject({ stage: "channel" });
    expect(await decideServeRequest(c.manager, id, "approve", "")).toEqual({ status: "approved" });
  });

  it("the brand's number of days sets the owner's deadline", async () => {
    const c = await conflict();
    await db().updateTable("brands").set({ owner_decision_days: 7 }).where("id", "=", c.net.brandId).execute();
    const row = await requestRow(await requested(c));
    expect(row.owner_deadline!.getTime() - row.created_at.getTime()).toBe(7 * DAY);
  });
});

describe("the owning partner decides", () => {
  it("accepting within the window makes the requester a serving partner, tells it and the other serving partners", async () => {
    const c = await conflict();
    // A third partner already serves the customer beside the owner.
    await addServingRows(db(), c.net.brandId, c.net.partners.reseller2, [c.customerId], new Date());
    const id = await requested(c);
    expect(await decideAsOwner(c.owner, id, "approve", "")).toEqual({ status: "approved" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent, c.net.partners.reseller1, c.net.partners.reseller2].sort());
    expect(await requestRow(id)).toMatchObject({ status: "approved", decided_by_user_id: c.owner.userId, decided_by_owner: 1, decided_at: expect.any(Date) });
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId });
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.owner_approved"]);

    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes).toHaveLength(2);
    expect(notes.find((n) => n.partner_id === c.net.partners.reseller1)).toMatchObject({ kind: "serve_request.approved", link: `/customers/${c.customerId}` });
    const toOther = notes.find((n) => n.partner_id === c.net.partners.reseller2)!;
    expect(toOther).toMatchObject({ kind: "serve_request.owner_approved_others" });
    expect(JSON.parse(toOther.params!)).toMatchObject({ customer: c.input.displayName, partner_fa: expect.any(String), owner_fa: expect.any(String) });
    expect((await listSentRequests(c.requester, 1)).rows[0]).toMatchObject({ status: "approved", customer_id: c.customerId, customer_name: c.input.displayName });
  });

  it("declining needs a reason, rejects, and the requester learns nothing about the customer", async () => {
    const c = await conflict();
    const id = await requested(c);
    const before = await countsOf(c.net.brandId);
    expect(await decideAsOwner(c.owner, id, "reject", " ")).toEqual({ errors: { reason: { key: "conflicts:errors.reason_required" } } });
    expect(await countsOf(c.net.brandId)).toEqual(before);

    expect(await decideAsOwner(c.owner, id, "reject", "خودمان پیگیری می‌کنیم.")).toEqual({ status: "rejected" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);
    expect(await requestRow(id)).toMatchObject({ status: "rejected", decided_by_owner: 1, decision_reason: "خودمان پیگیری می‌کنیم." });
    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.owner_rejected"]);

    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes).toEqual([expect.objectContaining({ partner_id: c.net.partners.reseller1, kind: "serve_request.rejected", link: "/serve-requests" })]);
    expect(JSON.parse(notes[0].params!)).toEqual({ requested_at: expect.any(String), reason: "خودمان پیگیری می‌کنیم." });
    const sent = JSON.stringify(await listSentRequests(c.requester, 1));
    expect(sent).toContain("rejected");
    expect(sent).not.toContain(c.customerId);
    expect(sent).not.toContain(c.input.displayName);
  });

  it("after the deadline the owner cannot decide, and the channel team can", async () => {
    const c = await conflict();
    const id = await requested(c);
    await expireOwnerWindow(id);
    const before = await countsOf(c.net.brandId);
    expect(await decideAsOwner(c.owner, id, "approve", "")).toEqual({ windowOver: true });
    expect(await countsOf(c.net.brandId)).toEqual(before);
    const late = await hit(incoming.action, "/serve-requests/incoming", {}, { as: c.net.users.independentAdmin.id, form: { id, decision: "approve", reason: "" } });
    expect(late.status).toBe(409);
    expect(errorKeys(late)).toEqual({ form: "conflicts:errors.owner_window_over" });
    expect((await listIncomingRequests(c.owner, 1)).rows[0]).toMatchObject({ id, stage: "channel" });

    expect(await decideServeRequest(c.manager, id, "approve", "")).toEqual({ status: "approved" });
    expect(await requestRow(id)).toMatchObject({ status: "approved", decided_by_user_id: c.manager.userId, decided_by_owner: 0 });
  });

  it("within the window the channel team sees the request as waiting and cannot decide it", async () => {
    const c = await conflict();
    const id = await requested(c);
    const before = await countsOf(c.net.brandId);
    const result = await decideServeRequest(c.manager, id, "approve", "");
    expect(result).toEqual({ waitingForOwner: (await requestRow(id)).owner_deadline });
    const viaRoute = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: c.net.users.channelManager.id, form: { decision: "transfer", reason: "انتقال" } });
    expect(viaRoute.status).toBe(409);
    expect(errorKeys(viaRoute)).toEqual({ form: "conflicts:errors.waiting_for_owner" });
    expect(await countsOf(c.net.brandId)).toEqual(before);
    expect((await listServeRequests(c.manager, { status: "pending", page: 1 })).rows).toEqual([expect.objectContaining({ id, stage: "owner", owner_name_fa: expect.any(String) })]);
  });

  it("no one but the owning partner's admin decides: other partners get 404, the owner's rep 403, nothing is written", async () => {
    const c = await conflict();
    const id = await requested(c);
    const before = await countsOf(c.net.brandId);
    for (const user of [c.net.users.reseller1Admin, c.net.users.reseller2Admin, c.net.users.distributorAdmin]) {
      expect(await decideAsOwner(await actorFor(user.id), id, "approve", "")).toBeNull();
      expect((await hit(incoming.action, "/serve-requests/incoming", {}, { as: user.id, form: { id, decision: "approve", reason: "" } })).status).toBe(404);
      expect((await listIncomingRequests(await actorFor(user.id), 1)).total).toBe(0);
    }
    await expect(decideAsOwner(c.registrant, id, "approve", "")).rejects.toMatchObject({ status: 403 });
    await expect(decideAsOwner(c.manager, id, "approve", "")).rejects.toMatchObject({ status: 403 });
    expect((await hit(incoming.action, "/serve-requests/incoming", {}, { as: c.net.users.independentRep.id, form: { id, decision: "approve", reason: "" } })).status).toBe(403);
    const otherBrand = await conflict();
    expect(await decideAsOwner(otherBrand.owner, id, "approve", "")).toBeNull();
    expect(await countsOf(c.net.brandId)).toEqual(before);
  });

  it("of two owner admins answering at once one wins; the other is told it was already decided", async () => {
    const c = await conflict();
    const id = await requested(c);
    const secondAdmin = await actorFor((await createUser(c.net.brandId, "partner_admin", c.net.partners.independent)).id);
    const results = await Promise.all([decideAsOwner(c.owner, id, "approve", ""), decideAsOwner(secondAdmin, id, "reject", "نه")]);
    expect(results.filter((r) => r && "status" in r)).toHaveLength(1);
    expect(results.filter((r) => r && "alreadyDecided" in r)).toHaveLength(1);
    const decided = (await requestRow(id)).status;
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", `serve_request.owner_${decided}`]);
    expect(await servingOf(c.customerId)).toEqual(decided === "approved" ? [c.net.partners.independent, c.net.partners.reseller1].sort() : [c.net.partners.independent]);
    const again = await hit(incoming.action, "/serve-requests/incoming", {}, { as: c.net.users.independentAdmin.id, form: { id, decision: "approve", reason: "" } });
    expect(again.status).toBe(409);
    expect(errorKeys(again)).toEqual({ form: `conflicts:errors.already_${decided}` });
  });
});

describe("escalation to the channel team", () => {
  it("the scheduled pass tells the channel team once of each request whose owner let the deadline pass", async () => {
    const c = await conflict();
    const overdue = await requested(c);
    const fresh = await requested(c, await actorFor(c.net.users.distributorRep.id));
    await expireOwnerWindow(overdue);

    // Another brand's pass touches nothing here.
    expect(await escalateOverdueRequests((await createNetwork()).brandId)).toBe(0);
    expect(await escalateOverdueRequests(c.net.brandId)).toBe(1);
    expect(await escalateOverdueRequests(c.net.brandId)).toBe(0);
    expect(await requestRow(overdue)).toMatchObject({ status: "pending", escalated_at: expect.any(Date) });
    expect(await requestRow(fresh)).toMatchObject({ escalated_at: null });
    const toTeam = (await notificationsOf(c.net.brandId)).filter((n) => n.partner_id === null);
    expect(toTeam).toEqual([expect.objectContaining({ kind: "serve_request.escalated", link: `/conflicts/${overdue}` })]);
    expect(JSON.parse(toTeam[0].params!)).toMatchObject({ customer: c.input.displayName, registrant_fa: expect.any(String), partner_en: expect.any(String) });
    expect((await auditOf(overdue)).map((a) => [a.action, a.actor_user_id])).toEqual([
      ["serve_request.requested", c.requester.userId],
      ["serve_request.escalated", null],
    ]);

    // A request the owner decided in time is never escalated.
    expect(await decideAsOwner(c.owner, fresh, "approve", "")).toEqual({ status: "approved" });
    await expireOwnerWindow(fresh);
    expect(await escalateOverdueRequests(c.net.brandId)).toBe(0);
  });

  it("two passes at once notify once", async () => {
    const c = await conflict();
    const id = await requested(c);
    await expireOwnerWindow(id);
    const counts = await Promise.all([escalateOverdueRequests(c.net.brandId), escalateOverdueRequests(c.net.brandId)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await notificationsOf(c.net.brandId)).filter((n) => n.kind === "serve_request.escalated")).toHaveLength(1);
  });
});

describe("the channel team decides an escalated request", () => {
  async function escalated() {
    const c = await conflict();
    const id = await requested(c);
    await expireOwnerWindow(id);
    return { c, id };
  }

  it("approve adds the requester as a serving partner, audits and notifies both sides", async () => {
    const { c, id } = await escalated();
    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();
    expect(await decideServeRequest(c.manager, id, "approve", "")).toEqual({ status: "approved" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent, c.net.partners.reseller1].sort());
    expect(await requestRow(id)).toMatchObject({ status: "approved", decided_by_user_id: c.manager.userId, decision_reason: null, decided_at: expect.any(Date) });
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId });
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.approved"]);
    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes.find((n) => n.partner_id === c.net.partners.reseller1)).toMatchObject({ kind: "serve_request.approved", link: `/customers/${c.customerId}` });
    expect(notes.find((n) => n.partner_id === c.net.partners.independent)).toMatchObject({ kind: "serve_request.approved_others" });
  });

  it("transfer makes the requester the only serving partner and the registrant; the others lose the customer", async () => {
    const { c, id } = await escalated();
    expect(await decideServeRequest(c.manager, id, "transfer", "مشتری خودش خواسته است.")).toEqual({ status: "transferred" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.reseller1]);
    const customer = await db().selectFrom("customers").select("registered_by_partner_id").where("id", "=", c.customerId).executeTakeFirstOrThrow();
    expect(customer.registered_by_partner_id).toBe(c.net.partners.reseller1);
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId, contact_visible: 1 });
    expect(await getCustomer(c.registrant, c.customerId)).toBeUndefined();
    // The former owner's list keeps the request but no longer names the customer.
    expect((await listIncomingRequests(c.owner, 1)).rows[0]).toMatchObject({ id, status: "transferred", customer_name: null });
    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes.find((n) => n.partner_id === c.net.partners.independent)).toMatchObject({ kind: "serve_request.transferred_others", link: null });
  });

  it("reject changes no serving partner and tells the requester without naming the customer", async () => {
    const { c, id } = await escalated();
    expect(await decideServeRequest(c.manager, id, "reject", "ثبت‌کننده فعالانه پیگیری می‌کند.")).toEqual({ status: "rejected" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);
    const toRequester = (await notificationsOf(c.net.brandId)).find((n) => n.partner_id === c.net.partners.reseller1)!;
    expect(toRequester).toMatchObject({ kind: "serve_request.rejected", link: "/serve-requests" });
    expect(JSON.parse(toRequester.params!)).toEqual({ requested_at: expect.any(String), reason: "ثبت‌کننده فعالانه پیگیری می‌کند." });
  });

  it("a reject or transfer without a reason is refused and writes nothing", async () => {
    const { c, id } = await escalated();
    const before = await countsOf(c.net.brandId);
    for (const decision of ["reject", "transfer"] as const) {
      expect(await decideServeRequest(c.manager, id, decision, "  ")).toEqual({ errors: { reason: { key: "conflicts:errors.reason_required" } } });
    }
    expect(await decideServeRequest(c.manager, id, "reject", "د".repeat(1001))).toMatchObject({ errors: { reason: { key: "errors.too_long" } } });
    expect(await countsOf(c.net.brandId)).toEqual(before);
  });

  it("a decided request cannot be decided again, and of two managers deciding at once only one wins", async () => {
    const { c, id } = await escalated();
    await decideServeRequest(c.manager, id, "reject", "نه");
    const before = await countsOf(c.net.brandId);
    expect(await decideServeRequest(c.manager, id, "approve", "")).toEqual({ alreadyDecided: "rejected" });
    expect(await decideAsOwner(c.owner, id, "approve", "")).toEqual({ alreadyDecided: "rejected" });
    expect(await countsOf(c.net.brandId)).toEqual(before);

    const second = await requested(c);
    await expireOwnerWindow(second);
    const admin = await actorFor(c.net.users.brandAdmin.id);
    const results = await Promise.all([decideServeRequest(c.manager, second, "transfer", "انتقال"), decideServeRequest(admin, second, "approve", "")]);
    expect(results.filter((r) => r && "status" in r)).toHaveLength(1);
    expect(results.filter((r) => r && "alreadyDecided" in r)).toHaveLength(1);
    const decided = (await requestRow(second)).status;
    expect((await auditOf(second)).map((a) => a.action)).toEqual(["serve_request.requested", `serve_request.${decided}`]);
  });

  it("only conflicts.resolve holders of the same brand list, read or decide requests", async () => {
    const { c, id } = await escalated();
    for (const user of [c.net.users.reseller1Rep, c.net.users.independentAdmin, c.net.users.distributorAdmin, c.net.users.brandManager]) {
      const actor = await actorFor(user.id);
      await expect(listServeRequests(actor, { page: 1 })).rejects.toMatchObject({ status: 403 });
      await expect(getServeRequest(actor, id)).rejects.toMatchObject({ status: 403 });
      await expect(decideServeRequest(actor, id, "approve", "")).rejects.toMatchObject({ status: 403 });
    }
    const otherBrand = await conflict();
    expect(await getServeRequest(otherBrand.manager, id)).toBeUndefined();
    expect(await decideServeRequest(otherBrand.manager, id, "approve", "")).toBeNull();
    expect((await requestRow(id)).status).toBe("pending");

    const list = await listServeRequests(c.manager, { status: "pending", page: 1 });
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({
      id,
      stage: "channel",
      customer_id: c.customerId,
      customer_name: c.input.displayName,
      requester_id: c.net.partners.reseller1,
      protection_active: true,
      serving: [expect.objectContaining({ id: c.net.partners.independent })],
    });
    expect((await listServeRequests(otherBrand.manager, { page: 1 })).total).toBe(0);
  });
});

describe("notifications", () => {
  it("partners see their own (not even a distributor its resellers'), the channel team the brand's; marking read touches only those", async () => {
    const c = await conflict();
    const id = await requested(c);
    await expireOwnerWindow(id);
    await escalateOverdueRequests(c.net.brandId);
    await decideServeRequest(c.manager, id, "approve", "");
    const distributor = await actorFor(c.net.users.distributorAdmin.id);
    const brandManager = await actorFor(c.net.users.brandManager.id);

    expect((await listNotifications(c.requester, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.approved"]);
    expect((await listNotifications(c.owner, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.approved_others", "serve_request.incoming"]);
    expect((await listNotifications(distributor, 1)).total).toBe(0);
    expect(await markAllRead(distributor)).toBe(0);
    expect((await listNotifications(c.manager, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.escalated"]);
    expect((await listNotifications(brandManager, 1)).total).toBe(0);

    expect(await markAllRead(c.requester)).toBe(1);
    expect(await unreadCount(c.requester)).toBe(0);
    expect(await unreadCount(c.owner)).toBe(2);
    expect(await unreadCount(c.manager)).toBe(1);
  });
});

describe("routes", () => {
  it("/serve-requests: 400 with field errors, 403 for the brand, a redirect on success, and the partner's own list", async () => {
    const c = await conflict();
    const as = c.net.users.reseller1Rep.id;
    const form = { match: "phone", phone: c.input.phone, email: "", displayName: "نام دیگر", city: "تهران", reason: REASON };
    const empty = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { ...form, reason: "" } });
    expect(empty.status).toBe(400);
    expect(errorKeys(empty)).toEqual({ reason: "errors.required" });
    const badMatch = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { ...form, match: "id" } });
    expect(errorKeys(badMatch)).toEqual({ match: "errors.choice" });
    const brand = await hit(serveRequests.action, "/serve-requests", {}, { as: c.net.users.channelManager.id, form });
    expect(brand.status).toBe(403);
    expect((await countsOf(c.net.brandId)).requests).toHaveLength(0);

    expect(await hit(serveRequests.action, "/serve-requests", {}, { as, form })).toMatchObject({ status: 302, location: "/serve-requests?sent=1" });
    const again = await hit(serveRequests.action, "/serve-requests", {}, { as, form });
    expect(again.status).toBe(400);
    expect(errorKeys(again)).toEqual({ form: "conflicts:errors.already_requested" });

    const mine = await hit(serveRequests.loader, "/serve-requests", {}, { as: c.net.users.reseller1Admin.id });
    expect(mine.data).toMatchObject({ result: { total: 1, rows: [expect.objectContaining({ status: "pending", customer_id: null })] } });
    expect(JSON.stringify(mine.data)).not.toContain(c.customerId);
    expect((await hit(serveRequests.loader, "/serve-requests", {}, { as: c.net.users.reseller2Admin.id })).data).toMatchObject({ result: { total: 0 } });
    expect((await hit(serveRequests.loader, "/serve-requests", {}, { as: c.net.users.channelManager.id })).status).toBe(403);
  });

  it("/serve-requests/incoming: the owner's admin lists and answers; 400 for a decline without reason; 403 for others' roles", async () => {
    const c = await conflict();
    const id = await requested(c);
    const as = c.net.users.independentAdmin.id;
    expect((await hit(incoming.loader, "/serve-requests/incoming", {}, { as: c.net.users.independentRep.id })).status).toBe(403);
    expect((await hit(incoming.loader, "/serve-requests/incoming", {}, { as: c.net.users.channelManager.id })).status).toBe(403);
    const page = await hit(incoming.loader, "/serve-requests/incoming", {}, { as });
    expect(page.data).toMatchObject({ result: { total: 1, rows: [expect.objectContaining({ id, stage: "owner" })] } });

    const noReason = await hit(incoming.action, "/serve-requests/incoming", {}, { as, form: { id, decision: "reject", reason: "" } });
    expect(noReason.status).toBe(400);
    expect(errorKeys(noReason)).toEqual({ reason: "conflicts:errors.reason_required" });
    const transfer = await hit(incoming.action, "/serve-requests/incoming", {}, { as, form: { id, decision: "transfer", reason: "x" } });
    expect(errorKeys(transfer)).toEqual({ decision: "errors.choice" });
    expect((await hit(incoming.action, "/serve-requests/incoming", {}, { as, form: { id: "nope", decision: "approve" } })).status).toBe(400);
    expect((await requestRow(id)).status).toBe("pending");

    expect(await hit(incoming.action, "/serve-requests/incoming", {}, { as, form: { id, decision: "approve", reason: "" } })).toMatchObject({ status: 302, location: "/serve-requests/incoming?decided=1" });
    expect((await requestRow(id)).status).toBe("approved");
  });

  it("/conflicts: 403 for partners, the brand's list for the channel team, filtered by status", async () => {
    const c = await conflict();
    const id = await requested(c);
    expect((await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.reseller1Admin.id })).status).toBe(403);
    expect((await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.brandManager.id })).status).toBe(403);
    const list = await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.channelManager.id });
    expect(list.data).toMatchObject({ status: "pending", result: { total: 1, rows: [expect.objectContaining({ id, stage: "owner" })] } });
    const rejected = await hit(conflictsIndex.loader, "/conflicts?status=rejected", {}, { as: c.net.users.channelManager.id });
    expect(rejected.data).toMatchObject({ status: "rejected", result: { total: 0 } });
  });

  it("/conflicts/:id: 404 for unknown and other brands' ids, 400 for a missing reason, 409 once decided", async () => {
    const c = await conflict();
    const id = await requested(c);
    await expireOwnerWindow(id);
    const manager = c.net.users.channelManager.id;
    expect((await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: c.net.users.reseller1Rep.id })).status).toBe(403);
    expect((await hit(conflictPage.loader, "/conflicts/nope", { id: "nope" }, { as: manager })).status).toBe(404);
    const other = await conflict();
    expect((await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: other.net.users.channelManager.id })).status).toBe(404);
    expect((await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: other.net.users.channelManager.id, form: { decision: "approve", reason: "" } })).status).toBe(404);

    const shown = await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: manager });
    expect(shown.data).toMatchObject({ serveRequest: { id, status: "pending", stage: "channel", owner_name_fa: expect.any(String), decided_by_name: null } });
    const noReason = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: manager, form: { decision: "reject", reason: " " } });
    expect(noReason.status).toBe(400);
    expect(errorKeys(noReason)).toEqual({ reason: "conflicts:errors.reason_required" });

    const done = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: manager, form: { decision: "approve", reason: "" } });
    expect(done).toMatchObject({ status: 302, location: `/conflicts/${id}?decided=1` });
    const twice = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: c.net.users.brandAdmin.id, form: { decision: "reject", reason: "دیر رسید" } });
    expect(twice.status).toBe(409);
    expect(errorKeys(twice)).toEqual({ form: "conflicts:errors.already_approved" });
  });

  it("/notifications: lists the actor's notifications and marks them read", async () => {
    const c = await conflict();
    await requested(c);
    const owner = c.net.users.independentAdmin.id;
    const page = await hit(notificationsPage.loader, "/notifications", {}, { as: owner });
    expect(page.data).toMatchObject({ unread: 1, result: { total: 1, rows: [expect.objectContaining({ kind: "serve_request.incoming" })] } });
    expect(await hit(notificationsPage.action, "/notifications", {}, { as: owner, form: {} })).toMatchObject({ status: 302, location: "/notifications" });
    expect((await hit(notificationsPage.loader, "/notifications", {}, { as: owner })).data).toMatchObject({ unread: 0, result: { total: 1 } });
  });
});
