import { CompiledQuery, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { rebuildCustomerCounts } from "~/models/customer-counts.server";
import type { Actor } from "~/domain/permissions";
import type { Province } from "~/domain/provinces";
import { toDisplayForm } from "~/domain/text";
import type { CustomerFilters } from "~/models/customer-filters";
import { COUNT_CAP, customerListQueries, searchCustomers } from "~/models/customer-list.server";
import { filteredCustomers, nameKeys, updateCustomer } from "~/models/customers.server";
import { decideServeRequest, requestToServe } from "~/models/serve-requests.server";
import { addServingRows } from "~/models/serving-rows.server";
import { PAGE_SIZE } from "~/models/scope.server";
import { listPartnersForSelect } from "~/models/partners.server";
import * as listRoute from "~/routes/_app.customers._index";
import * as partnerChoices from "~/routes/partners.choices";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { recordStatements, repeatedStatements } from "~/utils/sql-log.server";
import { customerInput, registerAs, servingRowDrift as drift } from "../customer-factories";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { call, makeRequest } from "../routes";

// A network big enough that the optimizer's choices are the ones it makes at scale: a large
// reseller, a distributor with its resellers, an independent reseller, customers served by two
// partners, names that repeat (ties on the sort key), Arabic-keyboard spellings, and another brand.
const FIRST = ["محمد", "علی", "زهرا", "مریم", "رضا", "محمدرضا", "فاطمه", "حسین", "سارا", "كاظم", "آرش", "پریسا"];
const LAST = ["محمدی", "احمدی", "رضایی", "كريمي", "حسینی", "موسوی", "کاظمی", "جعفری", "نوری", "صادقی"];
const CITIES: [string, string][] = [["tehran", "تهران"], ["isfahan", "اصفهان"], ["fars", "شیراز"], ["khorasan_razavi", "مشهد"]];

let net: Awaited<ReturnType<typeof createNetwork>>;
let otherBrand: Awaited<ReturnType<typeof createNetwork>>;
let big: string;
const actors: Record<"brand" | "distributor" | "reseller" | "independent" | "otherBrand", Actor> = {} as never;
let served: Map<string, number>;

let sequence = 0;
/** Bulk rows as an import would write them, through the app's own serving-row writer. */
async function bulkCustomers(brandId: string, partners: string[][], count: number) {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => {
    sequence += 1;
    const typed = `${FIRST[(sequence * 7) % FIRST.length]} ${LAST[(sequence * 3) % LAST.length]}`;
    const display = toDisplayForm(typed);
    // Scrambled, so tier, city and contact do not follow the partner a row goes to.
    const h = Math.imul(sequence, 2_654_435_761) >>> 0;
    const [province, city] = CITIES[(h >>> 8) % CITIES.length];
    const contacted = (h >>> 4) % 5 === 0 ? null : new Date(now - ((h >>> 12) % 97) * 86_400_000);
    return {
      id: newId(),
      brand_id: brandId,
      kind: "person" as const,
      display_name: display,
      ...nameKeys(display),
      phone: `+98935${String(1_000_000 + sequence).slice(-7)}`,
      email: null,
      province: province as Province,
      city,
      city_key: nameKeys(city).name_key,
      preferred_locale: "fa" as const,
      preferred_channel: "phone" as const,
      consent_partner_contact: true,
      consent_brand_contact: (h >>> 20) % 2 === 0,
      consent_share_partners: false,
      registered_by_partner_id: partners[i % partners.length][0],
      registered_at: new Date(now),
      created_at: new Date(now),
      updated_at: new Date(now),
      last_contact_at: contacted,
      // Few distinct values, so the value order has long runs of ties.
      ltv_rial: String((h % 4) * 1_000_000),
      order_count: h % 4,
      value_tier: (["A", "B", "C", null] as const)[(h >>> 16) % 4],
    };
  });
  for (let k = 0; k < rows.length; k += 500) await db().insertInto("customers").values(rows.slice(k, k + 500)).execute();
  const byPartner = new Map<string, string[]>();
  rows.forEach((r, i) => partners[i % partners.length].forEach((p) => byPartner.set(p, [...(byPartner.get(p) ?? []), r.id])));
  for (const [partner, ids] of byPartner) {
    served.set(partner, (served.get(partner) ?? 0) + ids.length);
    for (let k = 0; k < ids.length; k += 500) await addServingRows(db(), brandId, partner, ids.slice(k, k + 500), new Date(now));
  }
}

beforeAll(async () => {
  served = new Map();
  net = await createNetwork();
  otherBrand = await createNetwork();
  big = net.partners.reseller1;
  const extra = await Promise.all([1, 2, 3].map(() => createPartner(net.brandId, { parentId: net.partners.distributor })));
  const { reseller2, independent, distributor } = net.partners;
  // 2,400 for the big reseller (300 of them shared with the independent one), a few hundred each for
  // the others; the distributor serves some of its resellers' customers itself (duplicates in its scope).
  await bulkCustomers(net.brandId, [[big], [big], [big], [big], [big], [big], [big], [big, independent]], 2_700);
  await bulkCustomers(net.brandId, [[reseller2], [independent], [distributor, reseller2], ...extra.map((p) => [p])], 1_200);
  await bulkCustomers(otherBrand.brandId, [[otherBrand.partners.reseller1]], 600);
  await sql`analyze table customers, customer_partners`.execute(db());
  // Written behind the app's back, so the counters (the unfiltered list's total) are recounted, as bulk changes do.
  for (const brand of [net.brandId, otherBrand.brandId]) await rebuildCustomerCounts(db(), brand);
  const bigRep = await createUser(net.brandId, "partner_rep", big);
  actors.brand = await actorFor(net.users.brandManager.id);
  actors.distributor = await actorFor(net.users.distributorRep.id);
  actors.reseller = await actorFor(bigRep.id);
  actors.independent = await actorFor(net.users.independentRep.id);
  actors.otherBrand = await actorFor(otherBrand.users.brandManager.id);
}, 240_000);

/** Every id the old single query gave, in its order: the scope and filters over customers, sorted by the key and id. */
async function expected(actor: Actor, f: CustomerFilters): Promise<string[]> {
  let q = filteredCustomers(actor, f).select("customers.id");
  if (f.sort === "recent_contact") q = q.orderBy("customers.last_contact_at", "desc").orderBy("customers.id", "desc");
  else if (f.sort === "value") q = q.orderBy("customers.ltv_rial", "desc").orderBy("customers.id", "desc");
  else q = q.orderBy("customers.name_key").orderBy("customers.id");
  return (await q.execute()).map((r) => r.id);
}

/** Walks the list by its "next" links, then back by "previous" from the last page. */
async function walk(actor: Actor, f: CustomerFilters) {
  const forward: string[][] = [];
  let page = await searchCustomers(actor, f);
  const { total, capped } = page;
  forward.push(page.rows.map((r) => r.id));
  expect(page.prev).toBeNull();
  while (page.next) {
    page = await searchCustomers(actor, f, { after: page.next });
    forward.push(page.rows.map((r) => r.id));
  }
  const backward: string[][] = [page.rows.map((r) => r.id)];
  while (page.prev) {
    page = await searchCustomers(actor, f, { before: page.prev });
    backward.unshift(page.rows.map((r) => r.id));
  }
  return { forward, backward, total, capped };
}

const CASES: [keyof typeof actors, CustomerFilters][] = [
  ["reseller", { sort: "name" }],
  ["reseller", { q: "محمد", sort: "name" }],
  ["reseller", { q: "كاظم", sort: "name" }],
  ["reseller", { q: "شیراز", sort: "name", valueTier: "A" }],
  ["reseller", { sort: "recent_contact", province: "isfahan" }],
  ["reseller", { sort: "value", q: "کریمی" }],
  ["distributor", { sort: "name" }],
  ["distributor", { q: "محمد", sort: "name" }],
  ["distributor", { sort: "recent_contact", valueTier: "B" }],
  ["independent", { sort: "name", valueTier: "none" }],
  ["brand", { q: "احمدی", sort: "name" }],
  ["brand", { sort: "value", province: "fars" }],
  ["brand", { sort: "name", partnerId: "" }],
  ["otherBrand", { sort: "name" }],
];

describe("customer list by cursor", () => {
  it.each(CASES)("gives %s the same rows in the same order as one query over all, page after page, both ways (%o)", async (who, given) => {
    const f = given.partnerId === "" ? { ...given, partnerId: big } : given;
    const want = await expected(actors[who], f);
    expect(want.length).toBeGreaterThan(PAGE_SIZE); // more than one page, or the case proves little
    const { forward, backward, total, capped } = await walk(actors[who], f);
    expect(forward.flat()).toEqual(want);
    expect(backward.flat()).toEqual(want);
    expect(forward.slice(0, -1).every((p) => p.length === PAGE_SIZE)).toBe(true);
    // Exact, or (a filtered list of more than the cap) the cap and "more than".
    expect({ total, capped }).toEqual(capped ? { total: COUNT_CAP, capped: want.length > COUNT_CAP } : { total: want.length, capped: false });
  }, 60_000);

  it("never shows another partner's or another brand's customers, whatever the cursor", async () => {
    const mine = new Set(await expected(actors.independent, { sort: "name" }));
    const others = await expected(actors.reseller, { sort: "name" });
    const notMine = others.filter((id) => !mine.has(id));
    expect(notMine.length).toBeGreaterThan(0);
    // A cursor taken from the big reseller's list, replayed by the independent reseller.
    const theirs = await searchCustomers(actors.reseller, { sort: "name" });
    for (const cursor of [{ after: theirs.next! }, { before: theirs.next! }, {}]) {
      const page = await searchCustomers(actors.independent, { sort: "name" }, cursor);
      for (const r of page.rows) expect(mine.has(r.id)).toBe(true);
    }
    const everyone = await walk(actors.otherBrand, { sort: "name" });
    const brandIds = new Set(await expected(actors.brand, { sort: "name" }));
    expect(everyone.forward.flat().some((id) => brandIds.has(id))).toBe(false);
  }, 60_000);

  it("takes a malformed cursor for the first page", async () => {
    const first = await searchCustomers(actors.reseller, { sort: "name" });
    for (const bad of ["x", "WyJhIiwiYiJd", Buffer.from(JSON.stringify(["a", "' or 1=1 --"])).toString("base64url"), Buffer.from(JSON.stringify([1, 2])).toString("base64url")]) {
      expect((await searchCustomers(actors.reseller, { sort: "value" }, { after: bad })).prev).toBeNull();
      expect((await searchCustomers(actors.reseller, { sort: "name" }, { after: bad })).rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    }
  });

  it("without a search or filter the total comes from the counters: one row per tier, the same number as counting", async () => {
    for (const who of ["reseller", "distributor", "independent", "brand", "otherBrand"] as const) {
      for (const valueTier of [undefined, "A", "none"] as const) {
        const f: CustomerFilters = { sort: "recent_contact", valueTier };
        const { count } = customerListQueries(actors[who], f);
        expect(count.compile(db()).sql, who).toMatch(/from customer_counts/);
        expect((await searchCustomers(actors[who], f)).total, `${who} ${valueTier}`).toBe((await expected(actors[who], f)).length);
      }
    }
    // A search, or any other filter, is counted from the customers.
    for (const f of [{ sort: "name", q: "محمد" }, { sort: "name", province: "fars" }, { sort: "name", valueTier: "A", needStatus: "open" }] as CustomerFilters[]) {
      expect(customerListQueries(actors.reseller, f).count.compile(db()).sql).not.toMatch(/customer_counts/);
    }
  });

  it("counts a filtered list up to the cap exactly and says 'more than' beyond it; the unfiltered total is exact", async () => {
    // The big reseller's 2,400 customers come from the counters, exactly, beyond the cap.
    expect(served.get(big)).toBeGreaterThan(COUNT_CAP);
    expect(await searchCustomers(actors.reseller, { sort: "name" })).toMatchObject({ total: served.get(big), capped: false });
    // Contacted since 2000: most of them, counted from the serving rows up to the cap.
    const since = new Date("2000-01-01T00:00:00Z");
    const { n } = await db()
      .selectFrom("customer_partners")
      .where("partner_id", "=", big)
      .where("last_contact_at", ">=", since)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBeGreaterThan(COUNT_CAP);
    expect(await searchCustomers(actors.reseller, { sort: "name", contactFrom: since })).toMatchObject({ total: COUNT_CAP, capped: true });
    // Below the cap the count is exact.
    const few = await searchCustomers(actors.reseller, { sort: "name", q: "محمد" });
    expect(few.capped).toBe(false);
    const res = await call(listRoute.loader, await makeRequest("/customers", { as: net.users.brandManager.id }));
    expect((res.data as { result: { total: number; capped: boolean } }).result).toMatchObject({ total: 3_900, capped: false });
  });
});

// ---------------------------------------------------------------------------------------------
// Plans: each key statement is read through an index, never a scan of the customers or serving rows
// and never a sort of a partner's whole customer set.

interface Access {
  table: string;
  type: string;
  key: string | null;
  rows: number;
  sorted: boolean;
}
function accesses(node: unknown, out: Access[] = [], sorted = false): Access[] {
  if (Array.isArray(node)) for (const x of node) accesses(x, out, sorted);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o.table_name === "string") out.push({ table: o.table_name, type: String(o.access_type), key: (o.key as string) ?? null, rows: Number(o.rows ?? 0), sorted });
    // A sort applies to its own query block: a derived table inside it (a branch cut to one page)
    // is read on its own terms, so its accesses start unsorted.
    for (const [k, v] of Object.entries(o)) accesses(v, out, k === "materialized" ? false : sorted || k === "filesort");
  }
  return out;
}

async function plan(compiled: CompiledQuery): Promise<{ json: string; accesses: Access[] }> {
  const result = await db().executeQuery<Record<string, string>>(CompiledQuery.raw(`explain format=json ${compiled.sql}`, [...compiled.parameters]));
  const json = Object.values(result.rows[0])[0];
  return { json, accesses: accesses(JSON.parse(json)) };
}

const STORED = new Set(["customers", "cp", "customer_partners", "fp"]);
const KEY_CASES: [string, keyof typeof actors, CustomerFilters][] = [
  ["partner list", "reseller", { sort: "name" }],
  ["partner name search", "reseller", { q: "محمد", sort: "name" }],
  ["partner phone search", "reseller", { q: "۰۹۳۵ ۱۰۰ ۰۰۴۲", sort: "name" }],
  ["partner last digits", "reseller", { q: "0042", sort: "name" }],
  ["distributor list", "distributor", { sort: "name" }],
  ["distributor name search", "distributor", { q: "علی", sort: "name" }],
  ["brand list", "brand", { sort: "name" }],
  ["brand name search", "brand", { q: "رضا", sort: "name" }],
  ["brand phone search", "brand", { q: "+989351000042", sort: "name" }],
  ["brand list by one partner", "brand", { sort: "name", partnerId: "" }],
  ["partner list by last contact", "reseller", { sort: "recent_contact" }],
  ["partner list by value", "reseller", { sort: "value" }],
  ["partner list of one tier", "reseller", { sort: "name", valueTier: "B" }],
  ["partner list contacted in a period", "reseller", { sort: "recent_contact", contactFrom: new Date(Date.now() - 30 * 86_400_000) }],
  ["distributor list by last contact", "distributor", { sort: "recent_contact" }],
  ["distributor list by value, one tier", "distributor", { sort: "value", valueTier: "A" }],
  ["brand list of one tier in one province", "brand", { sort: "name", valueTier: "B", province: "isfahan" }],
];

describe("plans of the key list statements", () => {
  it.each(KEY_CASES)("%s: no full scan and no sort of the whole set, page and count", async (_, who, given) => {
    const f = given.partnerId === "" ? { ...given, partnerId: big } : given;
    // The set the filters choose (the whole scope without any): no statement may sort half of it.
    const whole = (await expected(actors[who], { ...f, q: undefined })).length;
    const second = await searchCustomers(actors[who], f);
    for (const cursor of [{}, second.next ? { after: second.next } : {}]) {
      const { page, count } = customerListQueries(actors[who], f, cursor);
      for (const [kind, compiled] of [["page", page.compile()], ["count", count.compile(db())]] as const) {
        const p = await plan(compiled);
        for (const a of p.accesses.filter((x) => STORED.has(x.table))) {
          expect(a.type === "ALL" || a.type === "index", `${kind}: full scan of ${a.table}\n${p.json}`).toBe(false);
          expect(a.sorted && a.rows >= whole / 2 && whole > 100, `${kind}: sorts ${a.rows} rows of ${a.table} (of ${whole})\n${p.json}`).toBe(false);
        }
      }
    }
  });

  it("the list page loader runs at most 10 statements, none twice, for every kind of actor", async () => {
    for (const [userId, path] of [
      [net.users.brandManager.id, "/customers"],
      [net.users.brandManager.id, `/customers?partnerId=${big}&q=${encodeURIComponent("محمد")}`],
      [net.users.distributorRep.id, "/customers?q=%D8%B9%D9%84%DB%8C"],
      [net.users.reseller1Rep.id, "/customers?sort=recent_contact"],
      [net.users.reseller1Rep.id, "/customers?q=0042"],
    ] as const) {
      const request = await makeRequest(path, { as: userId });
      const { result, statements } = await recordStatements(() => call(listRoute.loader, request));
      expect(result.status, path).toBe(200);
      expect(statements.length, `${path}\n${statements.join("\n")}`).toBeLessThanOrEqual(10);
      expect(repeatedStatements(statements), path).toEqual([]);
    }
  });

  it("sends a network's serving-partner choices only on demand: the chosen one, all with ?partners=1 or from /partners/choices", async () => {
    const all = await listPartnersForSelect(actors.brand);
    expect(all.length).toBeGreaterThan(5);
    const page = async (path: string, as: string) => (await call(listRoute.loader, await makeRequest(path, { as }))).data as { partners: { id: string; name_fa: string; name_en: string }[]; partnersOnDemand: boolean };
    const choices = async (as: string) => (await call(partnerChoices.loader, await makeRequest("/partners/choices", { as }))).response!.json();
    const names = ({ id, name_fa, name_en }: { id: string; name_fa: string; name_en: string }) => ({ id, name_fa, name_en });
    expect(await page("/customers", net.users.brandManager.id)).toMatchObject({ partners: [], partnersOnDemand: true });
    expect(await page(`/customers?partnerId=${big}`, net.users.brandManager.id)).toMatchObject({ partners: all.filter((p) => p.id === big).map(names), partnersOnDemand: true });
    expect(await page("/customers?partners=1", net.users.brandManager.id)).toMatchObject({ partners: all.map(names), partnersOnDemand: false });
    expect((await choices(net.users.brandManager.id)).partners.map(names)).toEqual(all.map(names));
    // A partner's own list has no partner filter, and the choices say none.
    expect(await page(`/customers?partners=1&partnerId=${big}`, net.users.reseller1Rep.id)).toMatchObject({ partners: [], partnersOnDemand: false });
    expect(await choices(net.users.reseller1Rep.id)).toEqual({ partners: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// The copies on the serving rows follow every write to them.

describe("serving rows keep the customer's keys", () => {
  it("after registration, an edit of the name and city, and a new serving partner", async () => {
    const id = await registerAs(net.users.independentRep.id, { displayName: "پرستو زمانی", city: "تهران" });
    expect(await drift(net.brandId)).toBe(0);
    const admin = await actorFor(net.users.independentAdmin.id);
    const input = customerInput({ displayName: "پرستو يزداني", city: "كرج", province: "alborz" });
    expect(await updateCustomer(admin, id, input)).toEqual({ ok: true });
    expect(await drift(net.brandId)).toBe(0);
    await addServingRows(db(), net.brandId, net.partners.reseller2, [id], new Date(), { keepExisting: true });
    expect(await drift(net.brandId)).toBe(0);
    // Found under the new name by both serving partners, by surname and by city, in either spelling.
    for (const user of [net.users.independentRep.id, net.users.reseller2Admin.id]) {
      for (const q of ["پرستو یزدانی", "يزداني", "کرج"]) expect((await searchCustomers(await actorFor(user), { q, sort: "name" })).rows.map((r) => r.id), q).toContain(id);
      expect((await searchCustomers(await actorFor(user), { q: "زمانی", sort: "name" })).rows.map((r) => r.id)).not.toContain(id);
    }
  });
  it("after a request to serve is accepted and another one transfers the customer: the new partner finds it by name", async () => {
    const input = customerInput({ displayName: "بهاره کیانی", city: "اصفهان", province: "isfahan" });
    const id = await registerAs(net.users.independentRep.id, input);
    const manager = await actorFor(net.users.channelManager.id);
    const identity = { match: "phone" as const, phone: input.phone, email: input.email, displayName: input.displayName, city: input.city };
    const newcomer = await createUser(net.brandId, "partner_admin", await createPartner(net.brandId));
    for (const [user, decision] of [[net.users.reseller2Admin.id, "approve"], [newcomer.id, "transfer"]] as const) {
      const requester = await actorFor(user);
      expect(await requestToServe(requester, identity, "مشتری خودش به فروشگاه ما آمده است.")).toEqual({ sent: true });
      const request = await db().selectFrom("serve_requests").select("id").where("customer_id", "=", id).where("partner_id", "=", requester.partnerId!).where("status", "=", "pending").executeTakeFirstOrThrow();
      await db().updateTable("serve_requests").set({ owner_deadline: new Date(Date.now() - 60_000) }).where("id", "=", request.id).execute();
      expect(await decideServeRequest(manager, request.id, decision, "تصمیم مدیر کانال")).toMatchObject({ status: decision === "approve" ? "approved" : "transferred" });
      expect(await drift(net.brandId)).toBe(0);
      expect((await searchCustomers(requester, { q: "کیانی", sort: "name" })).rows.map((r) => r.id)).toContain(id);
    }
    // Transferred: the earlier serving partners no longer find it.
    expect((await searchCustomers(await actorFor(net.users.independentRep.id), { q: "کیانی", sort: "name" })).rows.map((r) => r.id)).not.toContain(id);
  });
});
