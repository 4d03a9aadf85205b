import { beforeAll, describe, expect, it } from "vitest";
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { addNeed } from "~/models/customer-activity.server";
import { decideCorrection, proposeCorrection } from "~/models/customer-corrections.server";
import { registerCustomer } from "~/models/customers.server";
import { decideServeRequest, requestToServe } from "~/models/serve-requests.server";
import * as profileRoute from "~/routes/_app.customers.$id";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { customerInput, registerAs } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";
import { addServingRows } from "~/models/serving-rows.server";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let categoryId: string;

const serveToo = (customerId: string, partnerId: string) => addServingRows(db(), net.brandId, partnerId, [customerId], new Date());
const post = (userId: string, customerId: string, form: Record<string, string>) => hit(profileRoute.action, `/customers/${customerId}`, { id: customerId }, { as: userId, form });
const load = (userId: string, customerId: string) => hit(profileRoute.loader, `/customers/${customerId}`, { id: customerId }, { as: userId });

const getPhoneAs = async (userId: string, id: string) =>
((await load(userId, id)).data as { customer: { phone: string | null } }).customer.phone;

/** Everything consent-related about a customer: the current state and every event. */
async function consentState(customerId: string) {
  const state = await db().selectFrom("customers").select(["consent_partner_contact", "consent_brand_contact", "consent_share_partners", "updated_at"]).where("id", "=", customerId).executeTakeFirstOrThrow();
  const events = await db().selectFrom("consent_events").selectAll().where("customer_id", "=", customerId).orderBy("id").execute();
  return { state, events };
}
const customerRow = (id: string) => db().selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const correctionRow = (id: string) => db().selectFrom("customer_corrections").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const notificationsTo = (partnerId: string, kind: string) => db().selectFrom("notifications").select(["kind", "params", "link"]).where("partner_id", "=", partnerId).where("kind", "=", kind).execute();

/** Consent to everything, told on the phone some days ago (Jalali, as a Persian user types it). */
const GRANT_ALL = { intent: "consent", partner_contact: "on", brand_contact: "on", share_partners: "on", channel: "phone", givenOn: "۱۴۰۴/۰۹/۰۱", note: "مشتری تلفنی اعلام کرد" };

/** Registered by reseller 1 (its rep), served by the independent reseller too, nothing shared. */
async function sharedCustomer(consents = { partner_contact: true, brand_contact: false, share_partners: false }) {
  const input = customerInput({ consents });
  const id = await registerAs(net.users.reseller1Rep.id, input);
  await serveToo(id, net.partners.independent);
  return { id, input };
}

beforeAll(async () => {
  net = await createNetwork();
  categoryId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "کولر", name_en: "Air conditioners", sort: 1, active: true }).execute();
});

describe("consent is recorded only by the partner holding the relationship", () => {
  it("every other role that sees the customer gets 403 and nothing changes; the owner's users record it with channel, date and note", async () => {
    const { id, input } = await sharedCustomer();
    const before = await consentState(id);
    const others = {
      "other serving partner's admin": net.users.independentAdmin.id,
      "other serving partner's rep": net.users.independentRep.id,
      "distributor admin over the registrant": net.users.distributorAdmin.id,
      "distributor rep over the registrant": net.users.distributorRep.id,
      "brand manager": net.users.brandManager.id,
      "brand admin granting": net.users.brandAdmin.id,
      "channel manager granting": net.users.channelManager.id,
    };
    for (const [who, userId] of Object.entries(others)) {
      expect((await load(userId, id)).status, who).toBe(200); // they all see the customer
      expect((await post(userId, id, GRANT_ALL)).status, who).toBe(403);
      // The form of the reported reproduction, without channel or date: still 403, not a validation answer.
      expect((await post(userId, id, { intent: "consent", partner_contact: "on", brand_contact: "on", share_partners: "on" })).status, who).toBe(403);
    }
    expect(await consentState(id)).toEqual(before);
    const hidden = JSON.stringify((await load(net.users.independentRep.id, id)).data);
    expect(hidden).not.toContain(input.phone);
    expect(hidden).not.toContain(input.email!);

    const res = await post(net.users.reseller1Admin.id, id, GRANT_ALL);
    expect(res.status).toBe(200);
    const after = await consentState(id);
    expect(after.state).toMatchObject({ consent_partner_contact: 1, consent_brand_contact: 1, consent_share_partners: 1 });
    const recorded = after.events.filter((e) => !before.events.some((b) => b.id === e.id));
    expect(recorded.map((e) => e.purpose).sort()).toEqual(["brand_contact", "share_partners"]);
    for (const e of recorded) {
      expect(e).toMatchObject({ granted: 1, channel: "phone", note: "مشتری تلفنی اعلام کرد", user_id: net.users.reseller1Admin.id, partner_id: net.partners.reseller1 });
      // 1404/09/01 is 22 November 2025, midnight in Tehran.
      expect(e.given_at?.toISOString()).toBe("2025-11-21T20:30:00.000Z");
    }
    expect(await getPhoneAs(net.users.independentRep.id, id)).toBe(input.phone);
  });

  it("a bad channel, date or note is a 400 with field errors whose keys read in Persian, and nothing is written", async () => {
    const { id } = await sharedCustomer();
    const before = await consentState(id);
    const cases: [Record<string, string>, string, string][] = [
      [{ channel: "pigeon" }, "channel", "errors.choice"],
      [{ givenOn: "" }, "givenOn", "errors.required"],
      [{ givenOn: "۱۴۰۴/۱۲/۳۰" }, "givenOn", "errors.date_impossible"],
      [{ givenOn: "1499/01/01" }, "givenOn", "errors.date_future"],
      [{ givenOn: "22/09/1404" }, "givenOn", "errors.date_format"],
      [{ note: "ن".repeat(501) }, "note", "errors.too_long"],
    ];
    for (const [form, field, key] of cases) {
      const res = await post(net.users.reseller1Rep.id, id, { ...GRANT_ALL, ...form });
      expect(res.status, key).toBe(400);
      expect(errorKeys(res)[field]).toBe(key);
      expect((faCommon.errors as Record<string, string>)[key.slice("errors.".length)]).toMatch(/[\u0600-\u06FF]/);
    }
    expect(await consentState(id)).toEqual(before);
  });

  it("the brand records a withdrawal the customer asked it for, but may not grant", async () => {
    const { id } = await sharedCustomer({ partner_contact: true, brand_contact: true, share_partners: true });
    const before = await consentState(id);
    // The customer asked the brand to stop contacting them: brand_contact goes off.
    const withdraw = await post(net.users.brandAdmin.id, id, { ...GRANT_ALL, brand_contact: "" });
    expect(withdraw.status).toBe(200);
    const afterWithdrawal = await consentState(id);
    expect(afterWithdrawal.state).toMatchObject({ consent_partner_contact: 1, consent_brand_contact: 0, consent_share_partners: 1 });
    const withdrawal = afterWithdrawal.events.filter((e) => !before.events.some((b) => b.id === e.id));
    expect(withdrawal).toEqual([expect.objectContaining({ purpose: "brand_contact", granted: 0, user_id: net.users.brandAdmin.id, partner_id: null, channel: "phone" })]);

    // Switching it back on is a grant: refused for the brand, nothing written.
    const regrant = await post(net.users.channelManager.id, id, GRANT_ALL);
    expect(regrant.status).toBe(403);
    expect(await consentState(id)).toEqual(afterWithdrawal);
  });

  it("after a transfer the new owner records consent and the former registrant no longer can", async () => {
    const input = customerInput({ consents: { partner_contact: true, brand_contact: false, share_partners: false } });
    const id = await registerAs(net.users.independentRep.id, input);
    const again = await registerCustomer(await actorFor(net.users.reseller1Rep.id), customerInput({ phone: input.phone }));
    expect(again).toHaveProperty("duplicates");
    const identity = { match: "phone" as const, phone: input.phone, email: input.email, displayName: input.displayName, city: input.city };
    expect(await requestToServe(await actorFor(net.users.reseller1Rep.id), identity, "مشتری خودش خواسته است که از ما خرید کند.")).toEqual({ sent: true });
    // The owning partner let its window pass, so the channel team decides.
    const request = await db().selectFrom("serve_requests").select("id").where("customer_id", "=", id).executeTakeFirstOrThrow();
    await db().updateTable("serve_requests").set({ owner_deadline: new Date(Date.now() - 60_000) }).where("id", "=", request.id).execute();
    // Approved first: reseller 1 serves too but does not hold the relationship yet.
    const both = await registerAs(net.users.independentRep.id);
    await serveToo(both, net.partners.reseller1);
    expect((await post(net.users.reseller1Rep.id, both, GRANT_ALL)).status).toBe(403);

    expect(await decideServeRequest(await actorFor(net.users.channelManager.id), request.id, "transfer", "مشتری خودش خواسته است.")).toEqual({ status: "transferred" });
    expect((await post(net.users.independentRep.id, id, GRANT_ALL)).status).toBe(404);
    expect((await post(net.users.reseller1Rep.id, id, GRANT_ALL)).status).toBe(200);
    expect((await consentState(id)).state).toMatchObject({ consent_share_partners: 1 });
  });
});

describe("sharing grants reading a need, not changing it", () => {
  it("only the recording partner and the brand change a need's status or follow-up; others add their own needs and interactions", async () => {
    const { id } = await sharedCustomer({ partner_contact: true, brand_contact: false, share_partners: true });
    const owned = (await addNeed(await actorFor(net.users.reseller1Rep.id), id, { categoryId, body: "کولر گازی ۱۸ هزار", priority: "high", productId: null })) as { id: string };
    const need = () => db().selectFrom("customer_needs").select(["status", "last_follow_up_at", "status_changed_at"]).where("id", "=", owned.id).executeTakeFirstOrThrow();
    const before = await need();

    // The other serving partner sees the shared need but may not close it; nor may the distributor or a brand manager.
    const profile = (await load(net.users.independentRep.id, id)).data as { needs: { id: string; canChange: boolean }[] };
    expect(profile.needs).toEqual([expect.objectContaining({ id: owned.id, canChange: false })]);
    for (const userId of [net.users.independentRep.id, net.users.independentAdmin.id, net.users.distributorAdmin.id, net.users.brandManager.id]) {
      expect((await post(userId, id, { intent: "need_status", needId: owned.id, status: "declined" })).status).toBe(403);
    }
    // An interaction about the shared need is recorded, but it does not move that need's follow-up.
    const touch = await post(net.users.independentRep.id, id, { intent: "interaction", kind: "call", channel: "phone", note: "پیگیری از سوی ما", needId: owned.id, occurredOn: "۱۴۰۵/۰۱/۱۵" });
    expect(touch.status).toBe(200);
    expect(await db().selectFrom("interactions").select(["need_id", "partner_id"]).where("customer_id", "=", id).where("kind", "=", "call").execute()).toEqual([{ need_id: owned.id, partner_id: net.partners.independent }]);
    expect(await need()).toEqual(before);

    // Its own need it records and changes freely.
    expect((await post(net.users.independentRep.id, id, { intent: "need", categoryId, body: "یخچال ساید", priority: "low", productId: "" })).status).toBe(200);
    const mine = await db().selectFrom("customer_needs").select("id").where("customer_id", "=", id).where("partner_id", "=", net.partners.independent).executeTakeFirstOrThrow();
    expect((await post(net.users.independentRep.id, id, { intent: "need_status", needId: mine.id, status: "met" })).status).toBe(200);

    // The recorder's partner (its other user) and the brand's channel team may.
    const followUp = await post(net.users.reseller1Admin.id, id, { intent: "interaction", kind: "visit", channel: "in_person", needId: owned.id, occurredOn: "۱۴۰۵/۰۲/۰۱" });
    expect(followUp.status).toBe(200);
    expect((await need()).last_follow_up_at?.toISOString()).toBe("2026-04-20T20:30:00.000Z");
    expect((await post(net.users.reseller1Admin.id, id, { intent: "need_status", needId: owned.id, status: "met" })).status).toBe(200);
    expect((await post(net.users.channelManager.id, id, { intent: "need_status", needId: owned.id, status: "open" })).status).toBe(200);
    expect((await need()).status).toBe("open");
  });
});

describe("identity and contact: the owner and the brand edit, other serving partners propose", () => {
  const editForm = (input: ReturnType<typeof customerInput>, o: Record<string, string> = {}) => ({
    intent: "edit",
    kind: input.kind,
    displayName: input.displayName,
    phone: input.phone,
    email: input.email ?? "",
    province: input.province,
    city: input.city,
    preferredLocale: input.preferredLocale,
    preferredChannel: input.preferredChannel,
    preferredTimes: input.preferredTimes ?? "",
    ...o,
  });

  it("edit is refused to other serving partners, the distributor and the brand where it cannot see the contact", async () => {
    const { id, input } = await sharedCustomer({ partner_contact: true, brand_contact: false, share_partners: true });
    const before = await customerRow(id);
    for (const userId of [net.users.independentRep.id, net.users.distributorAdmin.id, net.users.brandAdmin.id, net.users.brandManager.id]) {
      expect((await post(userId, id, editForm(input, { displayName: "نام دستکاری‌شده" }))).status).toBe(403);
    }
    expect(await customerRow(id)).toEqual(before);
    expect((await post(net.users.reseller1Rep.id, id, editForm(input, { city: "کرج" }))).status).toBe(200);
    const visibleToBrand = await sharedCustomer({ partner_contact: true, brand_contact: true, share_partners: false });
    expect((await post(net.users.channelManager.id, visibleToBrand.id, editForm(visibleToBrand.input, { city: "قم" }))).status).toBe(200);
    expect((await customerRow(visibleToBrand.id)).city).toBe("قم");
  });

  it("a proposal keeps only changed fields, never tests hidden contact fields, tells the owner, and the owner declines or accepts", async () => {
    const { id, input } = await sharedCustomer();
    // The proposer cannot see the phone: a phone it sends is ignored (it would learn it by "no change").
    const res = await post(net.users.independentRep.id, id, editForm(input, { intent: "propose", displayName: "مریم رستمی", phone: input.phone, email: "guess@test.example" }));
    expect(res.status).toBe(200);
    const proposal = await db().selectFrom("customer_corrections").selectAll().where("customer_id", "=", id).executeTakeFirstOrThrow();
    expect(proposal).toMatchObject({ partner_id: net.partners.independent, proposed_by_user_id: net.users.independentRep.id, status: "pending" });
    expect(JSON.parse(proposal.changes)).toEqual({ displayName: "مریم رستمی" });
    expect(await notificationsTo(net.partners.reseller1, "correction.proposed")).toEqual([expect.objectContaining({ link: `/customers/${id}#corrections` })]);
    // Nothing changed yet; sending the same values again is a 400.
    expect((await customerRow(id)).display_name).toBe(input.displayName);
    const same = await post(net.users.independentRep.id, id, editForm(input, { intent: "propose" }));
    expect(same.status).toBe(400);
    expect(errorKeys(same)).toEqual({ form: "customers:errors.no_changes" });
    expect(faCustomers.errors.no_changes).toMatch(/[\u0600-\u06FF]/);

    // The owner sees current and proposed values; the proposer still does not see the phone.
    const asOwner = (await load(net.users.reseller1Rep.id, id)).data as { corrections: { id: string; changes: Record<string, string> }[]; may: { decide: boolean } };
    expect(asOwner.may.decide).toBe(true);
    expect(asOwner.corrections).toEqual([expect.objectContaining({ id: proposal.id, changes: { displayName: "مریم رستمی" } })]);
    expect(JSON.stringify((await load(net.users.independentRep.id, id)).data)).not.toContain(input.phone);

    // Only the owner decides; the proposer, the distributor and the owner's own proposal are refused.
    for (const userId of [net.users.independentRep.id, net.users.distributorAdmin.id]) {
      expect((await post(userId, id, { intent: "correction", correctionId: proposal.id, decision: "accept" })).status).toBe(403);
    }
    expect((await post(net.users.reseller1Rep.id, id, editForm(input, { intent: "propose", city: "کرج" }))).status).toBe(403);
    expect((await correctionRow(proposal.id)).status).toBe("pending");

    const declined = await post(net.users.reseller1Admin.id, id, { intent: "correction", correctionId: proposal.id, decision: "decline", reason: "نام درست همان است" });
    expect(declined.status).toBe(200);
    expect(await correctionRow(proposal.id)).toMatchObject({ status: "declined", decided_by_user_id: net.users.reseller1Admin.id, decision_reason: "نام درست همان است" });
    expect((await customerRow(id)).display_name).toBe(input.displayName);
    expect(await notificationsTo(net.partners.independent, "correction.declined")).toEqual([expect.objectContaining({ link: `/customers/${id}` })]);
    const again = await post(net.users.reseller1Admin.id, id, { intent: "correction", correctionId: proposal.id, decision: "accept" });
    expect(errorKeys(again)).toEqual({ form: "customers:errors.correction_decided" });

    const second = await proposeCorrection(await actorFor(net.users.independentAdmin.id), id, { city: "کاشان", province: "isfahan" });
    if (!second || !("id" in second)) throw new Error("proposal failed");
    expect((await post(net.users.reseller1Rep.id, id, { intent: "correction", correctionId: second.id, decision: "accept" })).status).toBe(200);
    expect(await customerRow(id)).toMatchObject({ city: "کاشان", city_key: "کاشان", province: "isfahan", display_name: input.displayName, phone: input.phone });
    expect(await notificationsTo(net.partners.independent, "correction.accepted")).toHaveLength(1);
  });

  it("two accepts at once: one wins, the other is told it is decided; a phone taken meanwhile is a field error and nothing applies", async () => {
    const { id } = await sharedCustomer({ partner_contact: true, brand_contact: false, share_partners: true });
    const proposer = await actorFor(net.users.independentRep.id);
    const owner = await actorFor(net.users.reseller1Rep.id);
    const first = (await proposeCorrection(proposer, id, { displayName: "رضا نیک‌نام" })) as { id: string };
    const told = (await notificationsTo(net.partners.independent, "correction.accepted")).length;
    const results = await Promise.all([decideCorrection(owner, id, first.id, true, null), decideCorrection(await actorFor(net.users.reseller1Admin.id), id, first.id, true, null)]);
    expect(results).toEqual(expect.arrayContaining([{ status: "accepted" }, { alreadyDecided: "accepted" }]));
    expect(await notificationsTo(net.partners.independent, "correction.accepted")).toHaveLength(told + 1);

    const other = customerInput();
    await registerAs(net.users.reseller2Admin.id, other);
    const before = await customerRow(id);
    const clash = (await proposeCorrection(proposer, id, { phone: other.phone, city: "یزد" })) as { id: string };
    const res = await post(net.users.reseller1Rep.id, id, { intent: "correction", correctionId: clash.id, decision: "accept" });
    expect(res.status).toBe(400);
    expect(errorKeys(res)).toEqual({ phone: "customers:errors.phone_taken" });
    expect(await customerRow(id)).toEqual(before);
    expect((await correctionRow(clash.id)).status).toBe("pending");
  });
});
