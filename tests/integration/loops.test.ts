import { beforeAll, describe, expect, it } from "vitest";
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { dateInputValue } from "~/domain/jalali";
import { actionKey } from "~/domain/next-action";
import { addInteraction, addNeed, timeline } from "~/models/customer-activity.server";
import { parseCustomerFilters } from "~/models/customer-filters";
import { countCustomers } from "~/models/customers.server";
import { dailyActions, markActionDone } from "~/models/daily-actions.server";
import { unreadCount } from "~/models/notifications.server";
import * as profileRoute from "~/routes/_app.customers.$id";
import * as todayRoute from "~/routes/_app.customers.today";
import * as openRoute from "~/routes/_app.notifications_.$id";
import { loader as exportLoader } from "~/routes/customers.export[.]csv";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { registerAs, setValueTier } from "../customer-factories";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { errorKeys, hit } from "../routes";
import { addServingRows } from "~/models/serving-rows.server";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let categoryId: string;
const DAY = 86_400_000;

const serveToo = (customerId: string, partnerId: string) => addServingRows(db(), net.brandId, partnerId, [customerId], new Date());
const post = (userId: string, customerId: string, form: Record<string, string>) => hit(profileRoute.action, `/customers/${customerId}`, { id: customerId }, { as: userId, form });
const load = (userId: string, customerId: string) => hit(profileRoute.loader, `/customers/${customerId}`, { id: customerId }, { as: userId });
const collectedRows = (customerId: string) => db().selectFrom("customer_collected_contacts").selectAll().where("customer_id", "=", customerId).execute();
const foundByPhone = async (userId: string, phone: string) => countCustomers(await actorFor(userId), parseCustomerFilters(new URLSearchParams({ q: phone }), "fa").filters);
/** A message key resolved in the Persian locale files, as the page shows it. */
const persian = (key: string) => {
  const [ns, path] = key.includes(":") ? key.split(":") : ["common", key];
  const text = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], ns === "customers" ? faCustomers : faCommon);
  expect(text, key).toMatch(/[\u0600-\u06FF]/);
  return text as string;
};

beforeAll(async () => {
  net = await createNetwork();
  categoryId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "کولر", name_en: "Air conditioners", sort: 1, active: true }).execute();
});

/** Registered by reseller 1 without consent to share; the independent reseller and reseller 2 serve it too. */
async function hiddenContactCustomer() {
  const id = await registerAs(net.users.reseller1Rep.id, { consents: { partner_contact: true, brand_contact: false, share_partners: false } });
  await serveToo(id, net.partners.independent);
  await serveToo(id, net.partners.reseller2);
  return id;
}

const COLLECTED = { intent: "collected_contact", phone: "۰۹۳۵ ۱۲۳ ۴۵۶۷", email: "", channel: "in_person", givenOn: "۱۴۰۴/۰۹/۰۱" };

describe("contact collected directly from a customer whose contact is hidden", () => {
  it("tells the serving partner why the contact is hidden, and refuses bad input with Persian messages, writing nothing", async () => {
    const id = await hiddenContactCustomer();
    const page = (await load(net.users.independentRep.id, id)).data as Awaited<ReturnType<typeof profileRoute.loader>>;
    expect(page.customer.phone).toBeNull();
    expect(page.contact).toMatchObject({ reason: "not_shared", mayRecord: true, mayAsk: true, askedAt: null, collected: [] });
    persian(`customers:contact_access.hidden.${page.contact.reason}`);

    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ phone: "12" }, { phone: "errors.phone" }],
      [{ phone: "", email: "" }, { phone: "customers:errors.contact_required" }],
      [{ email: "not-an-email", phone: "" }, { email: "errors.email" }],
      [{ givenOn: "۱۴۰۴/۱۲/۳۰" }, { givenOn: "errors.date_impossible" }],
      [{ givenOn: dateInputValue(new Date(Date.now() + 3 * DAY), "fa") }, { givenOn: "errors.date_future" }],
      [{ channel: "pigeon" }, { channel: "errors.choice" }],
    ];
    for (const [change, errors] of cases) {
      const answer = await post(net.users.independentRep.id, id, { ...COLLECTED, ...change });
      expect(answer.status, JSON.stringify(change)).toBe(400);
      expect(errorKeys(answer)).toEqual(errors);
      for (const key of Object.values(errors)) persian(key);
    }
    expect(await collectedRows(id)).toEqual([]);
  });

  it("is the collecting partner's (and the brand's): found by its phone there, never seen by other partners in profile, search or export", async () => {
    const id = await hiddenContactCustomer();
    const phone = `+98935${String(Date.now()).slice(-7)}`;
    const saved = await post(net.users.independentRep.id, id, { ...COLLECTED, phone: phone.replace("+98", "0"), email: "direct@test.example" });
    expect(saved.status).toBe(200);
    expect(await collectedRows(id)).toEqual([expect.objectContaining({ partner_id: net.partners.independent, phone, email: "direct@test.example", channel: "in_person", recorded_by_user_id: net.users.independentRep.id })]);
    // The registrant's record is untouched.
    expect((await db().selectFrom("customers").select("phone").where("id", "=", id).executeTakeFirstOrThrow()).phone).not.toBe(phone);

    // The collecting partner's people: on the profile, and the search by that phone finds the customer.
    for (const userId of [net.users.independentRep.id, net.users.independentAdmin.id]) {
      const page = (await load(userId, id)).data as Awaited<ReturnType<typeof profileRoute.loader>>;
      expect(page.contact.collected).toEqual([expect.objectContaining({ phone, email: "direct@test.example", channel: "in_person" })]);
      expect(page.customer.phone).toBeNull();
      expect(await foundByPhone(userId, phone.replace("+98", "0"))).toBe(1);
      expect(await foundByPhone(userId, "direct@test.example")).toBe(1);
    }
    // The brand sees it, named by partner.
    const brandPage = (await load(net.users.brandAdmin.id, id)).data as Awaited<ReturnType<typeof profileRoute.loader>>;
    expect(brandPage.contact.collected.map((c) => c.phone)).toEqual([phone]);

    // Everyone else who sees the customer: the registrant, another serving partner, the distributor over both.
    for (const userId of [net.users.reseller1Rep.id, net.users.reseller1Admin.id, net.users.reseller2Admin.id, net.users.distributorAdmin.id, net.users.distributorRep.id]) {
      const answer = await load(userId, id);
      expect(answer.status).toBe(200);
      const body = JSON.stringify(answer.data);
      expect(body, userId).not.toContain(phone);
      expect(body, userId).not.toContain("direct@test.example");
      expect(await foundByPhone(userId, phone), userId).toBe(0);
      expect(await foundByPhone(userId, "direct@test.example"), userId).toBe(0);
    }
    for (const userId of [net.users.reseller2Admin.id, net.users.distributorAdmin.id, net.users.reseller1Admin.id]) {
      const exported = await hit(exportLoader, "/customers/export.csv", {}, { as: userId });
      expect(exported.status, userId).toBe(200);
      const csv = await exported.response!.text();
      expect(csv, userId).not.toContain(phone);
      expect(csv, userId).not.toContain("direct@test.example");
    }
  });

  it("a partner outside the customer gets 404 and writes nothing; the holder of the relationship has nothing to collect", async () => {
    const id = await registerAs(net.users.reseller1Rep.id, { consents: { partner_contact: true, brand_contact: false, share_partners: false } });
    expect((await post(net.users.independentRep.id, id, COLLECTED)).status).toBe(404);
    expect((await post(net.users.reseller1Rep.id, id, COLLECTED)).status).toBe(403);
    expect(await collectedRows(id)).toEqual([]);
  });
});

describe("asking the owning partner to share the contact", () => {
  it("notifies the owner's admins once per open ask, and the admin's opening of it marks it read and leads to the customer", async () => {
    const id = await hiddenContactCustomer();
    const asked = await post(net.users.independentRep.id, id, { intent: "ask_owner" });
    expect(asked.status).toBe(200);
    const again = await post(net.users.independentAdmin.id, id, { intent: "ask_owner" });
    expect(again.status).toBe(409);
    expect(errorKeys(again)).toEqual({ form: "customers:errors.ask_open" });
    persian("customers:errors.ask_open");
    expect(await db().selectFrom("contact_asks").select("partner_id").where("customer_id", "=", id).execute()).toEqual([{ partner_id: net.partners.independent }]);
    // The owner itself has nothing to ask.
    expect((await post(net.users.reseller1Rep.id, id, { intent: "ask_owner" })).status).toBe(403);

    const notes = await db().selectFrom("notifications").selectAll().where("kind", "=", "contact.share_asked").where("link", "=", `/customers/${id}`).execute();
    expect(notes.map((n) => [n.partner_id, n.user_id])).toEqual([[net.partners.reseller1, net.users.reseller1Admin.id]]);
    const page = (await load(net.users.independentRep.id, id)).data as Awaited<ReturnType<typeof profileRoute.loader>>;
    expect(page.contact.askedAt).not.toBeNull();

    // Someone else's notification: 404, still unread.
    for (const userId of [net.users.reseller1Rep.id, net.users.independentAdmin.id, net.users.brandAdmin.id]) {
      expect((await hit(openRoute.loader, `/notifications/${notes[0].id}`, { id: notes[0].id }, { as: userId })).status, userId).toBe(404);
    }
    expect((await db().selectFrom("notifications").select("read_at").where("id", "=", notes[0].id).executeTakeFirstOrThrow()).read_at).toBeNull();

    const admin = await actorFor(net.users.reseller1Admin.id);
    const unread = await unreadCount(admin);
    const opened = await hit(openRoute.loader, `/notifications/${notes[0].id}`, { id: notes[0].id }, { as: net.users.reseller1Admin.id });
    expect(opened).toMatchObject({ status: 302, location: `/customers/${id}` });
    expect(await unreadCount(admin)).toBe(unread - 1);
  });

  it("goes back to the list for a notification without a link, or with one leaving the site", async () => {
    const make = async (link: string | null) => {
      const id = newId();
      await db().insertInto("notifications").values({ id, brand_id: net.brandId, partner_id: net.partners.independent, kind: "serve_request.transferred_others", params: null, link, created_at: new Date() }).execute();
      return id;
    };
    for (const link of [null, "//evil.example/x", "/\\evil.example", "https://evil.example/"]) {
      const id = await make(link);
      expect(await hit(openRoute.loader, `/notifications/${id}`, { id }, { as: net.users.independentRep.id }), String(link)).toMatchObject({ status: 302, location: "/notifications" });
    }
    expect((await hit(openRoute.loader, "/notifications/nonsense", { id: "nonsense" }, { as: net.users.independentRep.id })).status).toBe(404);
  });
});

describe("today's actions", () => {
  const today = (userId: string, form: Record<string, string>) => hit(todayRoute.action, "/customers/today", {}, { as: userId, form });
  const marks = (customerId: string) => db().selectFrom("customer_action_marks").selectAll().where("customer_id", "=", customerId).execute();

  /** The independent reseller's customer with a need left without follow-up for 20 days. */
  async function customerWithStaleNeed() {
    const rep = await actorFor(net.users.independentRep.id);
    const id = await registerAs(net.users.independentRep.id);
    const need = await addNeed(rep, id, { categoryId, body: "کولر گازی برای مغازه", priority: "high", productId: null });
    if (!need || !("id" in need)) throw new Error("need not recorded");
    await db().updateTable("customer_needs").set({ created_at: new Date(Date.now() - 20 * DAY) }).where("id", "=", need.id).execute();
    return { id, needId: need.id, key: actionKey({ code: "follow_up_open_need", needId: need.id }) };
  }
  const listed = async (userId: string, customerId: string, at = new Date()) => (await dailyActions(await actorFor(userId), 500, at)).find((i) => i.customer.id === customerId)?.actions ?? [];

  it("done: leaves the list, shows on the timeline with who and the note, and a second click is told it is gone", async () => {
    const c = await customerWithStaleNeed();
    expect((await listed(net.users.independentRep.id, c.id)).map(actionKey)).toEqual([c.key]);
    // Another partner cannot touch it: the customer is not theirs to see.
    expect((await today(net.users.reseller2Admin.id, { intent: "done", customerId: c.id, key: c.key, note: "" })).status).toBe(404);
    expect(await marks(c.id)).toEqual([]);

    expect(await today(net.users.independentRep.id, { intent: "done", customerId: c.id, key: c.key, note: "تماس گرفتم؛ هفتهٔ بعد می‌آید" })).toMatchObject({ status: 302, location: "/customers/today?done=1" });
    expect(await listed(net.users.independentRep.id, c.id)).toEqual([]);
    expect(await listed(net.users.independentAdmin.id, c.id)).toEqual([]);
    const events = await timeline(await actorFor(net.users.independentAdmin.id), c.id);
    expect(events[0]).toMatchObject({ kind: "action_done", action_code: "follow_up_open_need", channel: null, note: "تماس گرفتم؛ هفتهٔ بعد می‌آید", need_id: c.needId, need_category_fa: "کولر" });
    expect(events[0].user_name).toBeTruthy();

    const twice = await today(net.users.independentRep.id, { intent: "done", customerId: c.id, key: c.key, note: "" });
    expect(twice.status).toBe(409);
    expect(errorKeys(twice)).toEqual({ form: "customers:errors.action_gone" });
    persian("customers:errors.action_gone");
    expect((await timeline(await actorFor(net.users.independentRep.id), c.id)).filter((e) => e.kind === "action_done")).toHaveLength(1);
    // After the need's follow-up interval it is back.
    expect((await listed(net.users.independentRep.id, c.id, new Date(Date.now() + 15 * DAY))).map(actionKey)).toEqual([c.key]);
  });

  it("lists the first customers in tier order for whom any rule fires: a valued one with only an open need comes before unvalued ones", async () => {
    const user = await createUser(net.brandId, "partner_rep", await createPartner(net.brandId));
    const staleNeed = async (customerId: string) => {
      const need = await addNeed(await actorFor(user.id), customerId, { categoryId, body: "کولر آبی", priority: "low", productId: null });
      if (!need || !("id" in need)) throw new Error("need not recorded");
      await db().updateTable("customer_needs").set({ created_at: new Date(Date.now() - 20 * DAY) }).where("id", "=", need.id).execute();
    };
    // More unvalued customers with a need than the candidates one short list reads (four per shown row)…
    const unvalued: string[] = [];
    for (let i = 0; i < 5; i++) {
      unvalued.push(await registerAs(user.id));
      await staleNeed(unvalued[i]);
    }
    // …and, after them, a valued customer contacted today, not due to reorder, for whom only the need fires.
    const valued = await registerAs(user.id);
    await setValueTier(net.brandId, valued, "A");
    await addInteraction(await actorFor(user.id), valued, { kind: "call", channel: "phone", note: null, occurredAt: new Date(), needId: null });
    await staleNeed(valued);
    const actor = await actorFor(user.id);
    expect((await dailyActions(actor, 1)).map((c) => c.customer.id)).toEqual([valued]);
    expect((await dailyActions(actor)).map((c) => c.customer.id)).toEqual([valued, ...unvalued]);
  });

  it("snooze: needs a real day after today (Persian messages, nothing written), then leaves the list until that day", async () => {
    const c = await customerWithStaleNeed();
    const bad: [string, string][] = [
      ["۱۴۰۴/۱۲/۳۰", "errors.date_impossible"],
      ["فردا", "errors.date_format"],
      [dateInputValue(new Date(), "fa"), "errors.date_not_future"],
      [dateInputValue(new Date(Date.now() - 2 * DAY), "fa"), "errors.date_not_future"],
    ];
    for (const [date, key] of bad) {
      const answer = await today(net.users.independentRep.id, { intent: "snooze", customerId: c.id, key: c.key, date });
      expect(answer.status, date).toBe(400);
      expect(errorKeys(answer)).toEqual({ date: key });
      persian(key);
    }
    expect(await marks(c.id)).toEqual([]);
    const until = dateInputValue(new Date(Date.now() + 3 * DAY), "fa");
    expect((await today(net.users.independentRep.id, { intent: "snooze", customerId: c.id, key: c.key, date: until })).status).toBe(302);
    expect(await listed(net.users.independentRep.id, c.id)).toEqual([]);
    expect(await listed(net.users.independentRep.id, c.id, new Date(Date.now() + 2 * DAY))).toEqual([]);
    expect((await listed(net.users.independentRep.id, c.id, new Date(Date.now() + 4 * DAY))).map(actionKey)).toEqual([c.key]);
  });

  it("follow-up: needs a note and a later day; it joins the list on its day and, done, goes to the timeline", async () => {
    const c = await customerWithStaleNeed();
    const due = dateInputValue(new Date(Date.now() + 5 * DAY), "fa");
    const noNote = await today(net.users.independentRep.id, { intent: "follow_up", customerId: c.id, key: c.key, date: due, note: "" });
    expect(noNote.status).toBe(400);
    expect(errorKeys(noNote)).toEqual({ note: "errors.required" });
    expect(await db().selectFrom("customer_follow_ups").select("id").where("customer_id", "=", c.id).execute()).toEqual([]);

    expect((await today(net.users.independentRep.id, { intent: "follow_up", customerId: c.id, key: c.key, date: due, note: "پیش‌فاکتور را بفرست" })).status).toBe(302);
    expect(await listed(net.users.independentRep.id, c.id)).toEqual([]);
    const onTheDay = await listed(net.users.independentRep.id, c.id, new Date(Date.now() + 6 * DAY));
    expect(onTheDay.map((a) => [a.code, a.params.note ?? null])).toEqual([
      ["follow_up", "پیش‌فاکتور را بفرست"],
      ["follow_up_open_need", null],
    ]);
    // Another partner serving the customer has no part in this partner's plan (nor sees its unshared need).
    await serveToo(c.id, net.partners.reseller2);
    expect(await listed(net.users.reseller2Admin.id, c.id, new Date(Date.now() + 6 * DAY))).toEqual([]);

    const followUpId = onTheDay[0].followUpId!;
    const done = await markDoneAt(c.id, actionKey(onTheDay[0]), new Date(Date.now() + 6 * DAY));
    expect(done).toEqual({ ok: true });
    expect((await db().selectFrom("customer_follow_ups").select(["done_at", "done_by_user_id"]).where("id", "=", followUpId).executeTakeFirstOrThrow()).done_by_user_id).toBe(net.users.independentRep.id);
    const events = await timeline(await actorFor(net.users.independentRep.id), c.id);
    expect(events[0]).toMatchObject({ kind: "action_done", action_code: "follow_up", note: "پیش‌فاکتور را بفرست" });
  });
});

async function markDoneAt(customerId: string, key: string, at: Date) {
  return markActionDone(await actorFor(net.users.independentRep.id), customerId, key, null, at);
}

describe("the timeline", () => {
  it("gives a recorded need no channel and names the need an interaction is about", async () => {
    const rep = await actorFor(net.users.independentRep.id);
    const id = await registerAs(net.users.independentRep.id);
    const need = await addNeed(rep, id, { categoryId, body: "یخچال", priority: "low", productId: null });
    const needId = (need as { id: string }).id;
    expect((await post(net.users.independentRep.id, id, { intent: "interaction", kind: "call", channel: "phone", note: "پیگیری", occurredOn: "", needId })).status).toBe(200);
    const events = await timeline(rep, id);
    expect(events.map((e) => [e.kind, e.channel, e.need_id, e.need_category_fa])).toEqual([
      ["call", "phone", needId, "کولر"],
      ["need_recorded", null, needId, "کولر"],
    ]);
  });
});
