import { describe, expect, it } from "vitest";
import { getCustomer, registerCustomer } from "~/models/customers.server";
import { listNotifications, markAllRead, unreadCount } from "~/models/notifications.server";
import { decideServeRequest, getServeRequest, listServeRequests, requestToServe } from "~/models/serve-requests.server";
import * as conflictPage from "~/routes/_app.conflicts.$id";
import * as conflictsIndex from "~/routes/_app.conflicts._index";
import * as notificationsPage from "~/routes/_app.notifications";
import * as serveRequests from "~/routes/_app.serve-requests";
import { db } from "~/utils/db.server";
import { customerInput } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

const DAY = 86_400_000;

/**
 * The independent reseller registers a customer; reseller 1 then tries to register the same
 * person (same phone) and is told a record exists.
 */
async function conflict() {
  const net = await createNetwork();
  const registrant = await actorFor(net.users.independentRep.id);
  const requester = await actorFor(net.users.reseller1Rep.id);
  const manager = await actorFor(net.users.channelManager.id);
  const input = customerInput();
  const registered = await registerCustomer(registrant, input);
  if (!("id" in registered)) throw new Error("registration failed");
  const again = await registerCustomer(requester, customerInput({ phone: input.phone, displayName: "نام دیگر" }));
  if (!("duplicates" in again)) throw new Error("expected a duplicate");
  return { net, registrant, requester, manager, customerId: registered.id, input, duplicates: again.duplicates };
}

async function requested(c: Awaited<ReturnType<typeof conflict>>) {
  const result = await requestToServe(c.requester, c.customerId, "مشتری خودش به فروشگاه ما آمده است.");
  if (!result || !("id" in result)) throw new Error(`request failed: ${JSON.stringify(result)}`);
  return result;
}

const servingOf = async (customerId: string) =>
  (await db().selectFrom("customer_partners").select("partner_id").where("customer_id", "=", customerId).execute()).map((r) => r.partner_id).sort();
const requestRow = (id: string) => db().selectFrom("serve_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const notificationsOf = (brandId: string) =>
  db().selectFrom("notifications").select(["partner_id", "kind", "params", "link"]).where("brand_id", "=", brandId).orderBy("created_at").orderBy("id").execute();
const auditOf = (targetId: string) => db().selectFrom("audit_log").select(["action", "actor_user_id", "details"]).where("target_id", "=", targetId).orderBy("created_at").execute();
const countsOf = async (brandId: string) => ({
  requests: await db().selectFrom("serve_requests").selectAll().where("brand_id", "=", brandId).execute(),
  notifications: (await notificationsOf(brandId)).length,
  audit: (await db().selectFrom("audit_log").select("id").where("brand_id", "=", brandId).execute()).length,
});

describe("requesting to serve a registered customer", () => {
  it("a duplicate across partners shows only that a record exists, and leads to a pending request the channel team is told of", async () => {
    const c = await conflict();
    expect(c.duplicates).toEqual([expect.objectContaining({ id: c.customerId, match: "phone", servedByYou: false, displayName: null, pendingRequest: false })]);
    expect(c.duplicates[0].protectedUntil).toBeInstanceOf(Date);

    const result = await requested(c);
    expect(result.status).toBe("pending");
    expect(await requestRow(result.id)).toMatchObject({ status: "pending", partner_id: c.net.partners.reseller1, requested_by_user_id: c.requester.userId, decided_by_user_id: null, decided_at: null });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);

    const notes = await notificationsOf(c.net.brandId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ partner_id: null, kind: "serve_request.pending", link: `/conflicts/${result.id}` });
    expect(JSON.parse(notes[0].params!)).toMatchObject({ customer: c.input.displayName, city: c.input.city, partner_fa: expect.any(String), registrant_en: expect.any(String) });
    expect(await unreadCount(c.manager)).toBe(1);
    expect(await unreadCount(c.registrant)).toBe(0);
    expect(await unreadCount(c.requester)).toBe(0);
    expect(await auditOf(result.id)).toEqual([expect.objectContaining({ action: "serve_request.requested", actor_user_id: c.requester.userId })]);

    // Nothing of the customer is visible to the requester while the request waits.
    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();
    const after = await registerCustomer(c.requester, customerInput({ phone: c.input.phone }));
    expect(after).toMatchObject({ duplicates: [expect.objectContaining({ pendingRequest: true, displayName: null })] });
  });

  it("after the protection period the request is granted at once and the serving partners are told", async () => {
    const c = await conflict();
    await db().updateTable("brands").set({ protection_days: 30 }).where("id", "=", c.net.brandId).execute();
    await db().updateTable("customers").set({ registered_at: new Date(Date.now() - 31 * DAY) }).where("id", "=", c.customerId).execute();

    const result = await requested(c);
    expect(result.status).toBe("approved");
    expect(await requestRow(result.id)).toMatchObject({ status: "approved", decided_by_user_id: null, decision_reason: null, decided_at: expect.any(Date) });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent, c.net.partners.reseller1].sort());
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId });

    const notes = await notificationsOf(c.net.brandId);
    expect(notes).toEqual([expect.objectContaining({ partner_id: c.net.partners.independent, kind: "serve_request.auto_approved", link: `/customers/${c.customerId}` })]);
    expect(await unreadCount(c.manager)).toBe(0);
    expect(await auditOf(result.id)).toEqual([expect.objectContaining({ action: "serve_request.auto_approved" })]);
  });

  it("a protection of 0 days lets every request through", async () => {
    const c = await conflict();
    await db().updateTable("brands").set({ protection_days: 0 }).where("id", "=", c.net.brandId).execute();
    expect((await requested(c)).status).toBe("approved");
  });

  it("refuses a second pending request from the same partner, and a request for a customer the partner already serves", async () => {
    const c = await conflict();
    await requested(c);
    const before = await countsOf(c.net.brandId);
    expect(await requestToServe(c.requester, c.customerId, "دوباره")).toEqual({ errors: { form: { key: "conflicts:errors.already_requested" } } });
    // A colleague of the same partner counts as the same partner.
    const admin = await actorFor(c.net.users.reseller1Admin.id);
    expect(await requestToServe(admin, c.customerId, "دوباره")).toEqual({ errors: { form: { key: "conflicts:errors.already_requested" } } });
    expect(await requestToServe(c.registrant, c.customerId, "برای خودم")).toEqual({ errors: { form: { key: "conflicts:errors.already_serving" } } });
    expect(await countsOf(c.net.brandId)).toEqual(before);
  });

  it("needs a reason, a partner role and a customer of the actor's own brand", async () => {
    const c = await conflict();
    expect(await requestToServe(c.requester, c.customerId, "   ")).toEqual({ errors: { reason: { key: "errors.required" } } });
    expect(await requestToServe(c.requester, c.customerId, "ب".repeat(1001))).toEqual({ errors: { reason: { key: "errors.too_long", values: { max: 1000 } } } });
    expect(await requestToServe(c.requester, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "دلیل")).toBeNull();
    const other = await conflict();
    expect(await requestToServe(c.requester, other.customerId, "دلیل")).toBeNull();
    await expect(requestToServe(c.manager, c.customerId, "دلیل")).rejects.toMatchObject({ status: 403 });
    expect((await countsOf(c.net.brandId)).requests).toHaveLength(0);
  });
});

describe("deciding a request", () => {
  it("approve adds the requester as a serving partner, audits and notifies both sides", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();

    expect(await decideServeRequest(c.manager, id, "approve", "")).toEqual({ status: "approved" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent, c.net.partners.reseller1].sort());
    expect(await requestRow(id)).toMatchObject({ status: "approved", decided_by_user_id: c.manager.userId, decision_reason: null, decided_at: expect.any(Date) });
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId });
    expect(await getCustomer(c.registrant, c.customerId)).toMatchObject({ id: c.customerId });

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.approved"]);
    expect(JSON.parse(audit[1].details!)).toMatchObject({ customerId: c.customerId, partnerId: c.net.partners.reseller1, previousPartners: [c.net.partners.independent] });
    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partner_id: c.net.partners.reseller1, kind: "serve_request.approved", link: `/customers/${c.customerId}` }),
        expect.objectContaining({ partner_id: c.net.partners.independent, kind: "serve_request.approved_others", link: `/customers/${c.customerId}` }),
      ]),
    );
    expect(notes).toHaveLength(2);
  });

  it("transfer makes the requester the only serving partner and the registrant; the others lose the customer", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    expect(await decideServeRequest(c.manager, id, "transfer", "مشتری خودش خواسته است.")).toEqual({ status: "transferred" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.reseller1]);
    const customer = await db().selectFrom("customers").select("registered_by_partner_id").where("id", "=", c.customerId).executeTakeFirstOrThrow();
    expect(customer.registered_by_partner_id).toBe(c.net.partners.reseller1);
    expect(await getCustomer(c.requester, c.customerId)).toMatchObject({ id: c.customerId, contact_visible: 1 });
    expect(await getCustomer(c.registrant, c.customerId)).toBeUndefined();
    expect(await requestRow(id)).toMatchObject({ status: "transferred", decision_reason: "مشتری خودش خواسته است." });

    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.transferred"]);
    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    expect(notes).toHaveLength(2);
    const toRequester = notes.find((n) => n.partner_id === c.net.partners.reseller1)!;
    const toFormer = notes.find((n) => n.partner_id === c.net.partners.independent)!;
    expect(toRequester).toMatchObject({ kind: "serve_request.transferred", link: `/customers/${c.customerId}` });
    expect(toFormer).toMatchObject({ kind: "serve_request.transferred_others", link: null });
    expect(JSON.parse(toFormer.params!)).toMatchObject({ reason: "مشتری خودش خواسته است.", customer: c.input.displayName });
  });

  it("reject changes no serving partner and tells the requester without naming the customer", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    expect(await decideServeRequest(c.manager, id, "reject", "ثبت‌کننده فعالانه پیگیری می‌کند.")).toEqual({ status: "rejected" });
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);
    expect(await getCustomer(c.requester, c.customerId)).toBeUndefined();
    expect(await requestRow(id)).toMatchObject({ status: "rejected", decided_by_user_id: c.manager.userId });
    expect((await auditOf(id)).map((a) => a.action)).toEqual(["serve_request.requested", "serve_request.rejected"]);

    const notes = (await notificationsOf(c.net.brandId)).slice(1);
    const toRequester = notes.find((n) => n.partner_id === c.net.partners.reseller1)!;
    expect(toRequester).toMatchObject({ kind: "serve_request.rejected", link: null });
    expect(JSON.parse(toRequester.params!)).toEqual({ requested_at: expect.any(String), reason: "ثبت‌کننده فعالانه پیگیری می‌کند." });
    expect(notes.find((n) => n.partner_id === c.net.partners.independent)).toMatchObject({ kind: "serve_request.rejected_others", link: `/customers/${c.customerId}` });
  });

  it("a reject or transfer without a reason is refused and writes nothing", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    const before = await countsOf(c.net.brandId);
    for (const decision of ["reject", "transfer"] as const) {
      expect(await decideServeRequest(c.manager, id, decision, "  ")).toEqual({ errors: { reason: { key: "conflicts:errors.reason_required" } } });
    }
    expect(await decideServeRequest(c.manager, id, "reject", "د".repeat(1001))).toMatchObject({ errors: { reason: { key: "errors.too_long" } } });
    expect(await countsOf(c.net.brandId)).toEqual(before);
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);
  });

  it("a decided request cannot be decided again, and of two managers deciding at once only one wins", async () => {
    const c = await conflict();
    const first = await requested(c);
    await decideServeRequest(c.manager, first.id, "reject", "نه");
    const before = await countsOf(c.net.brandId);
    expect(await decideServeRequest(c.manager, first.id, "approve", "")).toEqual({ alreadyDecided: "rejected" });
    expect(await countsOf(c.net.brandId)).toEqual(before);
    expect(await servingOf(c.customerId)).toEqual([c.net.partners.independent]);

    const second = await requested(c);
    const admin = await actorFor(c.net.users.brandAdmin.id);
    const results = await Promise.all([decideServeRequest(c.manager, second.id, "transfer", "انتقال"), decideServeRequest(admin, second.id, "approve", "")]);
    expect(results.filter((r) => r && "status" in r)).toHaveLength(1);
    expect(results.filter((r) => r && "alreadyDecided" in r)).toHaveLength(1);
    const decided = (await requestRow(second.id)).status;
    expect((await auditOf(second.id)).map((a) => a.action)).toEqual(["serve_request.requested", `serve_request.${decided}`]);
    expect(await servingOf(c.customerId)).toEqual(decided === "transferred" ? [c.net.partners.reseller1] : [c.net.partners.independent, c.net.partners.reseller1].sort());
  });

  it("only conflicts.resolve holders of the same brand list, read or decide requests", async () => {
    const c = await conflict();
    const { id } = await requested(c);
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
      customer_id: c.customerId,
      customer_name: c.input.displayName,
      customer_city: c.input.city,
      requester_id: c.net.partners.reseller1,
      protection_active: true,
      serving: [expect.objectContaining({ id: c.net.partners.independent })],
    });
    expect((await listServeRequests(c.manager, { status: "approved", page: 1 })).total).toBe(0);
    expect((await listServeRequests(otherBrand.manager, { page: 1 })).total).toBe(0);
  });
});

describe("notifications", () => {
  it("partners see their own (not even a distributor its resellers'), the channel team the brand's; marking read touches only those", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    await decideServeRequest(c.manager, id, "approve", "");
    const distributor = await actorFor(c.net.users.distributorAdmin.id);
    const reseller2 = await actorFor(c.net.users.reseller2Admin.id);
    const brandManager = await actorFor(c.net.users.brandManager.id);

    expect((await listNotifications(c.requester, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.approved"]);
    expect((await listNotifications(c.registrant, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.approved_others"]);
    expect((await listNotifications(distributor, 1)).total).toBe(0);
    expect(await markAllRead(distributor)).toBe(0);
    expect((await listNotifications(c.manager, 1)).rows.map((n) => n.kind)).toEqual(["serve_request.pending"]);
    expect((await listNotifications(c.manager, 1)).rows[0].params).toMatchObject({ customer: c.input.displayName });
    expect((await listNotifications(reseller2, 1)).total).toBe(0);
    expect((await listNotifications(brandManager, 1)).total).toBe(0);
    expect((await listNotifications((await conflict()).manager, 1)).rows.map((n) => n.link)).not.toContain(`/conflicts/${id}`);

    expect(await markAllRead(c.requester)).toBe(1);
    expect(await unreadCount(c.requester)).toBe(0);
    expect(await unreadCount(c.registrant)).toBe(1);
    expect(await unreadCount(c.manager)).toBe(1);
    expect(await markAllRead(c.requester)).toBe(0);
  });
});

describe("routes", () => {
  it("/serve-requests: 400 with field errors, 404, 403, and a redirect on success", async () => {
    const c = await conflict();
    const as = c.net.users.reseller1Rep.id;
    const empty = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { customerId: c.customerId, reason: "" } });
    expect(empty.status).toBe(400);
    expect(errorKeys(empty)).toEqual({ reason: "errors.required" });
    const unknown = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { customerId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", reason: "دلیل" } });
    expect(unknown.status).toBe(404);
    const brand = await hit(serveRequests.action, "/serve-requests", {}, { as: c.net.users.channelManager.id, form: { customerId: c.customerId, reason: "دلیل" } });
    expect(brand.status).toBe(403);
    expect((await countsOf(c.net.brandId)).requests).toHaveLength(0);

    const sent = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { customerId: c.customerId, reason: "مشتری ما است" } });
    expect(sent).toMatchObject({ status: 302, location: "/customers/new?requested=1" });
    const again = await hit(serveRequests.action, "/serve-requests", {}, { as, form: { customerId: c.customerId, reason: "مشتری ما است" } });
    expect(again.status).toBe(400);
    expect(errorKeys(again)).toEqual({ form: "conflicts:errors.already_requested" });
    expect(await hit(serveRequests.loader, "/serve-requests", {}, { as })).toMatchObject({ status: 302, location: "/customers" });

    await db().updateTable("brands").set({ protection_days: 0 }).where("id", "=", c.net.brandId).execute();
    const granted = await hit(serveRequests.action, "/serve-requests", {}, { as: c.net.users.independentAdmin.id, form: { customerId: c.customerId, reason: "x" } });
    expect(granted.status).toBe(400); // the independent reseller registered this customer
    const distributorRep = c.net.users.distributorRep.id;
    const direct = await hit(serveRequests.action, "/serve-requests", {}, { as: distributorRep, form: { customerId: c.customerId, reason: "مشتری قدیمی ما" } });
    expect(direct).toMatchObject({ status: 302, location: `/customers/${c.customerId}` });
  });

  it("/conflicts: 403 for partners, the brand's list for the channel team, filtered by status", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    expect((await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.reseller1Admin.id })).status).toBe(403);
    expect((await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.brandManager.id })).status).toBe(403);
    const list = await hit(conflictsIndex.loader, "/conflicts", {}, { as: c.net.users.channelManager.id });
    expect(list.status).toBe(200);
    expect(list.data).toMatchObject({ status: "pending", result: { total: 1, rows: [expect.objectContaining({ id })] } });
    const rejected = await hit(conflictsIndex.loader, "/conflicts?status=rejected", {}, { as: c.net.users.channelManager.id });
    expect(rejected.data).toMatchObject({ status: "rejected", result: { total: 0 } });
    const all = await hit(conflictsIndex.loader, "/conflicts?status=all&page=1", {}, { as: c.net.users.brandAdmin.id });
    expect(all.data).toMatchObject({ status: "all", result: { total: 1 } });
  });

  it("/conflicts/:id: 404 for unknown and other brands' ids, 400 for a missing reason, 409 once decided", async () => {
    const c = await conflict();
    const { id } = await requested(c);
    const manager = c.net.users.channelManager.id;
    expect((await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: c.net.users.reseller1Rep.id })).status).toBe(403);
    expect((await hit(conflictPage.loader, "/conflicts/nope", { id: "nope" }, { as: manager })).status).toBe(404);
    const other = await conflict();
    expect((await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: other.net.users.channelManager.id })).status).toBe(404);
    expect((await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: other.net.users.channelManager.id, form: { decision: "approve", reason: "" } })).status).toBe(404);
    expect((await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: c.net.users.reseller1Rep.id, form: { decision: "approve", reason: "" } })).status).toBe(403);

    const shown = await hit(conflictPage.loader, `/conflicts/${id}`, { id }, { as: manager });
    expect(shown.data).toMatchObject({ serveRequest: { id, status: "pending", requested_by_name: expect.any(String), decided_by_name: null } });

    const noReason = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: manager, form: { decision: "reject", reason: " " } });
    expect(noReason.status).toBe(400);
    expect(errorKeys(noReason)).toEqual({ reason: "conflicts:errors.reason_required" });
    const badDecision = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: manager, form: { decision: "delete", reason: "x" } });
    expect(badDecision.status).toBe(400);
    expect(errorKeys(badDecision)).toEqual({ decision: "errors.choice" });
    expect((await requestRow(id)).status).toBe("pending");

    const done = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: manager, form: { decision: "approve", reason: "" } });
    expect(done).toMatchObject({ status: 302, location: `/conflicts/${id}?decided=1` });
    const twice = await hit(conflictPage.action, `/conflicts/${id}`, { id }, { as: c.net.users.brandAdmin.id, form: { decision: "reject", reason: "دیر رسید" } });
    expect(twice.status).toBe(409);
    expect(errorKeys(twice)).toEqual({ form: "conflicts:errors.already_approved" });
    expect(await requestRow(id)).toMatchObject({ status: "approved", decided_by_user_id: c.manager.userId });
  });

  it("/notifications: lists the actor's notifications and marks them read", async () => {
    const c = await conflict();
    await requested(c);
    const manager = c.net.users.channelManager.id;
    const page = await hit(notificationsPage.loader, "/notifications", {}, { as: manager });
    expect(page.data).toMatchObject({ unread: 1, result: { total: 1, rows: [expect.objectContaining({ kind: "serve_request.pending" })] } });
    expect((await hit(notificationsPage.loader, "/notifications", {}, { as: c.net.users.reseller1Rep.id })).data).toMatchObject({ unread: 0, result: { total: 0 } });
    expect(await hit(notificationsPage.action, "/notifications", {}, { as: manager, form: {} })).toMatchObject({ status: 302, location: "/notifications" });
    expect((await hit(notificationsPage.loader, "/notifications", {}, { as: manager })).data).toMatchObject({ unread: 0, result: { total: 1 } });
    expect((await hit(notificationsPage.loader, "/notifications", {}, {})).status).toBe(302);
  });
});
