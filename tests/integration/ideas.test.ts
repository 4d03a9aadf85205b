import i18next from "i18next";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { listIdeas, getIdea } from "~/models/ideas/board.server";
import { mergeIdeas } from "~/models/ideas/decide.server";
import { listFollowUps } from "~/models/ideas/follow-ups.server";
import { postIdea } from "~/models/ideas/write.server";
import { addServingRows } from "~/models/serving-rows.server";
import { recordStatements, repeatedStatements } from "~/utils/sql-log.server";
import { i18nConfig } from "~/i18n";
import * as ideaPage from "~/routes/_app.ideas.$id";
import * as built from "~/routes/_app.ideas.built";
import * as board from "~/routes/_app.ideas._index";
import * as newIdea from "~/routes/_app.ideas.new";
import * as similar from "~/routes/ideas.similar";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { registerAs } from "../customer-factories";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;

async function setUp() {
  const net = await createNetwork();
  const categoryId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true }).execute();
  const u = net.users;
  const customers = {
    independent: await registerAs(u.independentRep.id, { displayName: "مریم مستقل" }),
    reseller1: await registerAs(u.reseller1Rep.id, { displayName: "رضا نمایندگی‌یک" }),
    distributor: await registerAs(u.distributorRep.id, { displayName: "سعید پخش" }),
  };
  return { net, categoryId, customers };
}

/** Posts an idea through the page's action as the given user; returns its id. */
async function post(userId: string, categoryId: string, customerIds: string[], title = "یخچال با درب شیشه‌ای") {
  const form = new URLSearchParams({ intent: "save", title, body: "مشتری یخچالی می‌خواهد که داخلش بدون باز کردن در دیده شود.", categoryId, productId: "" });
  for (const id of customerIds) form.append("customerId", id);
  const outcome = await hit(newIdea.action, "/ideas/new", {}, { as: userId, form });
  expect(outcome.status, JSON.stringify(outcome.data)).toBe(302);
  return /^\/ideas\/([0-9A-Z]{26})/.exec(outcome.location!)![1];
}

async function link(userId: string, ideaId: string, customerIds: string[]) {
  const form = new URLSearchParams({ intent: "link" });
  for (const id of customerIds) form.append("customerId", id);
  return hit(ideaPage.action, `/ideas/${ideaId}`, { id: ideaId }, { as: userId, form });
}

const setStatus = (userId: string, ideaId: string, status: string, answer = "ساختیم؛ از اول ماه در نمایندگی‌ها است.") =>
  hit(ideaPage.action, `/ideas/${ideaId}`, { id: ideaId }, { as: userId, form: { intent: "status", status, answer } });

const count = async (table: "ideas" | "idea_supports" | "idea_customers" | "idea_follow_ups" | "audit_log", brandId: string) =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("brand_id", "=", brandId).executeTakeFirstOrThrow()).n);

let fa: (key: string, values?: Record<string, unknown>) => string;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ ...i18nConfig, lng: "fa" });
  fa = (key, values) => i18n.t(key, values);
});

describe("posting an idea", () => {
  it("bad input is a 400 with messages in Persian, and nothing is written", async () => {
    const { net, categoryId, customers } = await setUp();
    const before = { ideas: await count("ideas", net.brandId), audit: await count("audit_log", net.brandId) };
    const cases: [Record<string, string>, string[], Record<string, string>][] = [
      [{ title: "", body: "", categoryId: "" }, [], { title: "errors.required", body: "errors.required", categoryId: "errors.required" }],
      [{ title: "ی".repeat(201), body: "شرح", categoryId }, [], { title: "errors.too_long" }],
      [{ title: "عنوان \u202Eexe", body: "شرح", categoryId }, [], { title: "errors.control_chars" }],
      [{ title: "عنوان", body: "شرح", categoryId: newId() }, [], { categoryId: "errors.choice" }],
      // Another partner's customer, and a made-up id: never linked.
      [{ title: "عنوان", body: "شرح", categoryId }, [customers.reseller1], { customerId: "errors.choice" }],
      [{ title: "عنوان", body: "شرح", categoryId }, ["not-an-id"], { customerId: "errors.choice" }],
    ];
    for (const [fields, ids, errors] of cases) {
      const form = new URLSearchParams({ intent: "save", productId: "", ...fields });
      for (const id of ids) form.append("customerId", id);
      const outcome = await hit(newIdea.action, "/ideas/new", {}, { as: net.users.independentRep.id, form });
      expect(outcome.status).toBe(400);
      expect(errorKeys(outcome)).toEqual(errors);
      for (const key of Object.values(errors)) expect(fa(key, { max: 200 })).toMatch(/[\u0600-\u06FF]/);
    }
    expect({ ideas: await count("ideas", net.brandId), audit: await count("audit_log", net.brandId) }).toEqual(before);
  });

  it("suggests similar titles whatever the keyboard and half-spaces, with and without script", async () => {
    const { net, categoryId, customers } = await setUp();
    const id = await post(net.users.independentRep.id, categoryId, [customers.independent], "یخچال ساید‌بای‌ساید کم‌مصرف");
    // Arabic ي and ك, spaces where the poster typed half-spaces: the same idea.
    const json = await hit(similar.loader, `/ideas/similar?title=${encodeURIComponent("يخچال ساید بای ساید")}`, {}, { as: net.users.reseller1Rep.id });
    const found = (await (json.response as Response).json()) as { ideas: { id: string }[] };
    expect(found.ideas.map((i) => i.id)).toEqual([id]);
    const unrelated = await hit(similar.loader, `/ideas/similar?title=${encodeURIComponent("ماشین لباسشویی")}`, {}, { as: net.users.reseller1Rep.id });
    expect(((await (unrelated.response as Response).json()) as { ideas: unknown[] }).ideas).toEqual([]);
    // The no-script check answers the form with the same suggestions and writes nothing.
    const checked = await hit(newIdea.action, "/ideas/new", {}, { as: net.users.reseller1Rep.id, form: { intent: "check", title: "یخچال سايد باي سايد", body: "", categoryId: "" } });
    expect(checked.status).toBe(200);
    expect((checked.data as { similar: { id: string }[] }).similar.map((i) => i.id)).toEqual([id]);
    expect(await count("ideas", net.brandId)).toBe(1);
  });
});

describe("supports", () => {
  it("a partner user supports an idea once: the second time is a 409 with a message, and counts once", async () => {
    const { net, categoryId, customers } = await setUp();
    const id = await post(net.users.independentRep.id, categoryId, [customers.independent]);
    const support = (userId: string) => hit(ideaPage.action, `/ideas/${id}`, { id }, { as: userId, form: { intent: "support" } });
    expect((await support(net.users.reseller1Rep.id)).status).toBe(302);
    const again = await support(net.users.reseller1Rep.id);
    expect(again.status).toBe(409);
    expect(fa((again.data as { message: string }).message)).toMatch(/یک بار/);
    expect((await support(net.users.brandManager.id)).status).toBe(403);
    expect(await count("idea_supports", net.brandId)).toBe(1);
    const page = await listIdeas(await actorFor(net.users.reseller1Rep.id), { sort: "supports" }, 1);
    expect(page.rows[0]).toMatchObject({ id, supports: 1, supported: true, customers: 1 });
  });
});

describe("merging duplicates", () => {
  it("moves supports and linked customers to the kept idea, once each, and the duplicate points to it", async () => {
    const { net, categoryId, customers } = await setUp();
    const u = net.users;
    const shared = customers.independent;
    // The independent's customer is also served by reseller 1 (after an approved request to serve).
    await addServingRows(db(), net.brandId, net.partners.reseller1, [shared], new Date());
    const duplicate = await post(u.independentRep.id, categoryId, [customers.independent], "یخچال درب شیشه ای");
    const kept = await post(u.reseller1Rep.id, categoryId, [customers.reseller1, shared], "یخچال با درب شیشه‌ای");
    expect((await link(u.reseller1Rep.id, duplicate, [shared])).status).toBe(302);
    for (const [userId, ideaId] of [[u.independentRep.id, duplicate], [u.independentRep.id, kept], [u.reseller1Rep.id, duplicate], [u.independentAdmin.id, duplicate]]) {
      await hit(ideaPage.action, `/ideas/${ideaId}`, { id: ideaId }, { as: userId, form: { intent: "support" } });
    }

    const merged = await hit(ideaPage.action, `/ideas/${duplicate}`, { id: duplicate }, { as: u.channelManager.id, form: { intent: "merge", targetId: kept } });
    expect(merged).toMatchObject({ status: 302, location: `/ideas/${kept}?merged=1` });

    const supports = await db().selectFrom("idea_supports").select(["idea_id", "user_id"]).where("brand_id", "=", net.brandId).execute();
    expect(supports.every((s) => s.idea_id === kept)).toBe(true);
    expect(supports.map((s) => s.user_id).sort()).toEqual([u.independentRep.id, u.reseller1Rep.id, u.independentAdmin.id].sort());
    const links = await db().selectFrom("idea_customers").select(["idea_id", "customer_id", "partner_id"]).where("brand_id", "=", net.brandId).execute();
    expect(links.every((l) => l.idea_id === kept)).toBe(true);
    // reseller 1 linked the shared customer to both: once now; the independent's own link moved over.
    expect(links.map((l) => `${l.customer_id}:${l.partner_id}`).sort()).toEqual(
      [`${customers.reseller1}:${net.partners.reseller1}`, `${shared}:${net.partners.reseller1}`, `${shared}:${net.partners.independent}`].sort(),
    );
    expect(await getIdea(await actorFor(u.brandAdmin.id), duplicate)).toEqual({ mergedInto: kept });
    const page = await hit(ideaPage.loader, `/ideas/${duplicate}`, { id: duplicate }, { as: u.independentRep.id });
    expect(page).toMatchObject({ status: 302, location: `/ideas/${kept}?merged=1` });
    const keptIdea = await getIdea(await actorFor(u.brandAdmin.id), kept);
    expect(keptIdea && "idea" in keptIdea && keptIdea.idea).toMatchObject({ supports: 3, customers: 2 });
    expect(await db().selectFrom("audit_log").select("details").where("action", "=", "idea.merged").where("target_id", "=", duplicate).executeTakeFirst()).toBeTruthy();
    // Partners may not merge; an idea into itself is a field error.
    expect((await hit(ideaPage.action, `/ideas/${kept}`, { id: kept }, { as: u.independentAdmin.id, form: { intent: "merge", targetId: kept } })).status).toBe(403);
    const self = await hit(ideaPage.action, `/ideas/${kept}`, { id: kept }, { as: u.brandAdmin.id, form: { intent: "merge", targetId: kept } });
    expect([self.status, errorKeys(self)]).toEqual([400, { targetId: "errors.choice" }]);
  });

  it("customers moved onto an idea that has shipped are told by the partners that asked", async () => {
    const { net, categoryId, customers } = await setUp();
    const u = net.users;
    const kept = await post(u.reseller1Rep.id, categoryId, [customers.reseller1], "فریزر کشویی زیر کابینت");
    expect((await setStatus(u.brandManager.id, kept, "shipped")).status).toBe(302);
    const duplicate = await post(u.independentRep.id, categoryId, [customers.independent], "فریزر کشویی زیر کابینتی");
    expect((await mergeIdeas(await actorFor(u.brandAdmin.id), duplicate, kept))).toEqual({ ok: true });
    const rows = await db().selectFrom("idea_follow_ups").select(["customer_id", "partner_id"]).where("idea_id", "=", kept).execute();
    expect(rows.map((r) => `${r.customer_id}:${r.partner_id}`).sort()).toEqual([`${customers.reseller1}:${net.partners.reseller1}`, `${customers.independent}:${net.partners.independent}`].sort());
  });

  it("is all or nothing: when the kept idea is merged elsewhere meanwhile, nothing moves and the duplicate stays", async () => {
    const { net, categoryId, customers } = await setUp();
    const u = net.users;
    const duplicate = await post(u.independentRep.id, categoryId, [customers.independent], "یخچال کم صدا");
    const kept = await post(u.reseller1Rep.id, categoryId, [customers.reseller1], "یخچال کم‌صدا");
    const third = await post(u.distributorRep.id, categoryId, [customers.distributor], "یخچال بی‌صدا");
    await hit(ideaPage.action, `/ideas/${duplicate}`, { id: duplicate }, { as: u.reseller1Rep.id, form: { intent: "support" } });
    const snapshot = async () => ({
      supports: await db().selectFrom("idea_supports").select(["idea_id", "user_id"]).where("brand_id", "=", net.brandId).orderBy("user_id").execute(),
      links: await db().selectFrom("idea_customers").select(["id", "idea_id"]).where("brand_id", "=", net.brandId).orderBy("id").execute(),
      merged: await db().selectFrom("ideas").select(["id", "merged_into_id"]).where("id", "=", duplicate).execute(),
    });
    const before = await snapshot();

    // Another brand user is merging the kept idea into a third one and has not committed yet.
    const other = await db().startTransaction().execute();
    await other.updateTable("ideas").set({ merged_into_id: third }).where("id", "=", kept).execute();
    const merging = mergeIdeas(await actorFor(u.brandManager.id), duplicate, kept);
    // Wait until the merge has moved the rows and stands at the kept idea's row lock.
    let waiting = false;
    // (Up to 30 s: on a shared, busy database server the merge's first statements can take a while.)
    for (let i = 0; i < 600 && !waiting; i++) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.processlist where command = 'Query' and info like 'update%' and info like ${`%${kept}%`}`.execute(db());
      waiting = Number(rows[0].n) > 0;
      if (!waiting) await new Promise((r) => setTimeout(r, 50));
    }
    expect(waiting).toBe(true);
    // By now the supports and links have moved inside the merge's transaction (read from outside, not yet).
    expect(await snapshot()).toEqual(before);
    await other.commit().execute();
    const result = await merging;

    expect(result).toEqual({ errors: { form: { key: "ideas:errors.changed_meanwhile" } }, status: 409 });
    expect(await snapshot()).toEqual(before);
    expect(await db().selectFrom("audit_log").select("id").where("action", "=", "idea.merged").where("brand_id", "=", net.brandId).execute()).toEqual([]);
  }, 60_000);
});

describe("shipping an idea closes the loop", () => {
  async function shipped() {
    const { net, categoryId, customers } = await setUp();
    const u = net.users;
    // A customer the brand links (its registrant, the distributor, tells it) and one the independent
    // linked but no longer serves (transferred away): the timeline only, on the brand's side.
    const gone = await registerAs(u.independentRep.id, { displayName: "کاوه منتقل‌شده" });
    const id = await post(u.independentRep.id, categoryId, [customers.independent, gone]);
    expect((await link(u.reseller1Rep.id, id, [customers.reseller1])).status).toBe(302);
    expect((await link(u.brandManager.id, id, [customers.distributor])).status).toBe(302);
    await addServingRows(db(), net.brandId, net.partners.reseller2, [gone], new Date());
    await db().deleteFrom("customer_partners").where("customer_id", "=", gone).where("partner_id", "=", net.partners.independent).execute();
    await db().updateTable("customers").set({ registered_by_partner_id: net.partners.reseller2 }).where("id", "=", gone).execute();
    expect((await setStatus(u.channelManager.id, id, "shipped")).status).toBe(403);
    expect((await setStatus(u.brandManager.id, id, "shipped")).status).toBe(302);
    return { net, customers, gone, id };
  }

  const followUps = async (brandId: string) =>
    (await db().selectFrom("idea_follow_ups").select(["customer_id", "partner_id", "contacted_at"]).where("brand_id", "=", brandId).execute()).map((r) => `${r.customer_id}:${r.partner_id}`).sort();

  it("gives every linked customer a timeline entry and each partner that asked its own list and one notification", async () => {
    const { net, customers, gone, id } = await shipped();
    const p = net.partners;
    expect(await followUps(net.brandId)).toEqual([`${customers.independent}:${p.independent}`, `${customers.reseller1}:${p.reseller1}`, `${customers.distributor}:${p.distributor}`].sort());
    const entries = await db().selectFrom("interactions").select(["customer_id", "partner_id", "note"]).where("idea_id", "=", id).where("kind", "=", "idea_shipped").execute();
    expect(entries.map((e) => `${e.customer_id}:${e.partner_id}`).sort()).toEqual(
      [`${customers.independent}:${p.independent}`, `${customers.reseller1}:${p.reseller1}`, `${customers.distributor}:${p.distributor}`, `${gone}:null`].sort(),
    );
    const notified = await db().selectFrom("notifications").select(["partner_id", "kind", "link"]).where("brand_id", "=", net.brandId).where("kind", "=", "idea.shipped").execute();
    expect(notified.map((n) => n.partner_id).sort()).toEqual([p.independent, p.reseller1, p.distributor].sort());
    expect(notified.every((n) => n.link === "/ideas/built")).toBe(true);
    const audited = await db().selectFrom("audit_log").select("details").where("action", "=", "idea.status").where("target_id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.parse(audited.details!)).toMatchObject({ from: "new", to: "shipped", answer: "ساختیم؛ از اول ماه در نمایندگی‌ها است." });

    // Each list is the partner's own: the distributor does not get its reseller's customers.
    const listOf = async (userId: string) => (await listFollowUps(await actorFor(userId), 1)).rows.map((r) => r.customer_id);
    expect(await listOf(net.users.reseller1Rep.id)).toEqual([customers.reseller1]);
    expect(await listOf(net.users.distributorRep.id)).toEqual([customers.distributor]);
    expect(await listOf(net.users.independentAdmin.id)).toEqual([customers.independent]);
    expect(await listOf(net.users.reseller2Admin.id)).toEqual([]);
    const page = await hit(built.loader, "/ideas/built", {}, { as: net.users.reseller1Rep.id });
    expect(JSON.stringify(page.data)).not.toContain("مریم مستقل");

    // Answered again (planned, then shipped once more): nobody is told twice.
    expect((await setStatus(net.users.brandManager.id, id, "planned")).status).toBe(302);
    expect((await setStatus(net.users.brandManager.id, id, "shipped")).status).toBe(302);
    expect(await followUps(net.brandId)).toHaveLength(3);
    expect(await db().selectFrom("interactions").select("id").where("idea_id", "=", id).where("kind", "=", "idea_shipped").execute()).toHaveLength(4);
  });

  it("marking a customer contacted adds an interaction and takes it off the list; another partner's row is a 404", async () => {
    const { net, customers } = await shipped();
    const [row] = (await listFollowUps(await actorFor(net.users.reseller1Rep.id), 1)).rows;
    const contacted = (userId: string, followUpId = row.id) => hit(built.action, "/ideas/built", {}, { as: userId, form: { followUpId, channel: "phone", note: "خوشحال شد" } });
    expect((await contacted(net.users.independentRep.id)).status).toBe(404);
    expect((await contacted(net.users.distributorAdmin.id)).status).toBe(404);
    const bad = await hit(built.action, "/ideas/built", {}, { as: net.users.reseller1Rep.id, form: { followUpId: row.id, channel: "pigeon" } });
    expect([bad.status, errorKeys(bad)]).toEqual([400, { channel: "errors.choice" }]);
    expect(await db().selectFrom("interactions").select("id").where("kind", "=", "idea_contacted").where("brand_id", "=", net.brandId).execute()).toEqual([]);

    expect(await contacted(net.users.reseller1Rep.id)).toMatchObject({ status: 302, location: "/ideas/built?contacted=1" });
    expect(await contacted(net.users.reseller1Rep.id)).toMatchObject({ status: 302, location: "/ideas/built?contacted=0" });
    const told = await db().selectFrom("interactions").select(["customer_id", "partner_id", "channel", "note"]).where("kind", "=", "idea_contacted").where("brand_id", "=", net.brandId).execute();
    expect(told).toEqual([{ customer_id: customers.reseller1, partner_id: net.partners.reseller1, channel: "phone", note: expect.stringContaining("خوشحال شد") }]);
    expect((await listFollowUps(await actorFor(net.users.reseller1Rep.id), 1)).rows).toEqual([]);
  });
});

describe("partners see the board through the one data door", () => {
  it("customers linked by other partners are only a count: not on the idea page, the board, or by URL", async () => {
    const { net, categoryId, customers } = await setUp();
    const u = net.users;
    const id = await post(u.independentRep.id, categoryId, [customers.independent]);
    await link(u.reseller1Rep.id, id, [customers.reseller1]);
    await link(u.distributorRep.id, id, [customers.distributor]);
    const names = { independent: "مریم مستقل", reseller1: "رضا نمایندگی‌یک", distributor: "سعید پخش" };

    const view = async (userId: string) => {
      const page = await hit(ideaPage.loader, `/ideas/${id}`, { id }, { as: userId });
      expect(page.status).toBe(200);
      const d = page.data as { askers: { id: string }[]; otherCustomers: number; idea: { value: string | null } };
      return { shown: d.askers.map((a) => a.id).sort(), others: d.otherCustomers, value: d.idea.value, text: JSON.stringify(page.data) };
    };
    const independent = await view(u.independentRep.id);
    expect(independent).toMatchObject({ shown: [customers.independent], others: 2, value: null });
    for (const hidden of [customers.reseller1, customers.distributor, names.reseller1, names.distributor]) expect(independent.text).not.toContain(hidden);
    const reseller = await view(u.reseller1Rep.id);
    expect(reseller).toMatchObject({ shown: [customers.reseller1], others: 2 });
    expect(reseller.text).not.toContain(names.independent);
    // A distributor sees its resellers' customers, as everywhere else.
    expect(await view(u.distributorAdmin.id)).toMatchObject({ shown: [customers.reseller1, customers.distributor].sort(), others: 1 });
    const brand = await view(u.brandManager.id);
    expect(brand).toMatchObject({ shown: Object.values(customers).sort(), others: 0 });
    expect(brand.value).not.toBeNull();

    // The board gives partners counts and no value, and does not sort by value for them.
    const partnerBoard = await hit(board.loader, "/ideas?sort=value", {}, { as: u.independentRep.id });
    const rows = (partnerBoard.data as { result: { rows: { customers: number; value: string | null }[] }; filters: { sort: string } });
    expect(rows.filters.sort).toBe("supports");
    expect(rows.result.rows).toEqual([expect.objectContaining({ customers: 3, value: null })]);
    const brandBoard = await hit(board.loader, "/ideas?sort=value", {}, { as: u.brandAdmin.id });
    expect((brandBoard.data as { filters: { sort: string } }).filters.sort).toBe("value");

    // Another brand's idea is a 404; linking another partner's customer is a field error, nothing written.
    const elsewhere = await setUp();
    const foreign = await post(elsewhere.net.users.independentRep.id, elsewhere.categoryId, [elsewhere.customers.independent]);
    expect((await hit(ideaPage.loader, `/ideas/${foreign}`, { id: foreign }, { as: u.independentRep.id })).status).toBe(404);
    expect((await hit(ideaPage.action, `/ideas/${foreign}`, { id: foreign }, { as: u.independentRep.id, form: { intent: "support" } })).status).toBe(404);
    const before = await count("idea_customers", net.brandId);
    const stolen = await link(u.independentRep.id, id, [customers.reseller1]);
    expect([stolen.status, errorKeys(stolen)]).toEqual([400, { customerId: "errors.choice" }]);
    expect(await count("idea_customers", net.brandId)).toBe(before);
  });
});

describe("statement budget", () => {
  it("the board and an idea's page read in a fixed number of statements, however many ideas, supports and customers", async () => {
    const { net, categoryId, customers } = await setUp();
    const actor = await actorFor(net.users.independentRep.id);
    const input = (n: number, customerIds: string[]) => ({ title: `ایدهٔ شمارهٔ ${n}`, body: "شرح", categoryId, productId: null, customerIds });
    const first = await postIdea(actor, input(0, [customers.independent]));
    if (!("id" in first)) throw new Error("not posted");
    const small = { board: await recordStatements(() => listIdeas(actor, { sort: "customers" }, 1)), page: await recordStatements(() => getIdea(actor, first.id)) };
    const more = [await registerAs(net.users.independentRep.id), await registerAs(net.users.independentRep.id)];
    await link(net.users.independentRep.id, first.id, more);
    for (let n = 1; n < 25; n++) await postIdea(actor, input(n, [customers.independent, ...more]));
    const large = { board: await recordStatements(() => listIdeas(actor, { sort: "customers" }, 1)), page: await recordStatements(() => getIdea(actor, first.id)) };
    expect(large.board.result.rows).toHaveLength(20);
    expect(large.board.result.rows[0].customers).toBe(3);
    expect(large.page.result && "askers" in large.page.result && large.page.result.askers).toHaveLength(3);
    expect(large.board.statements.length).toBe(small.board.statements.length);
    expect(large.page.statements.length).toBe(small.page.statements.length);
    expect([...repeatedStatements(large.board.statements), ...repeatedStatements(large.page.statements)]).toEqual([]);
    console.log(`ideas statement budget: board ${large.board.statements.length}, idea page ${large.page.statements.length}`);
  });
});

export type { Network };
