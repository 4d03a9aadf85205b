import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { rebuildCustomerCounts } from "~/models/customer-counts.server";
import { rebuildInsights } from "~/models/insights/rebuild.server";
import { SHOWN_ROWS } from "~/models/insights/tables";
import { rebuildServingRows } from "~/models/serving-rows.server";
import * as layout from "~/routes/_app";
import * as home from "~/routes/_app._index";
import * as profile from "~/routes/_app.customers.$id";
import * as list from "~/routes/_app.customers._index";
import * as today from "~/routes/_app.customers.today";
import * as insights from "~/routes/_app.insights._index";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { requestMemo } from "~/utils/request-memo.server";
import { recordStatements, repeatedStatements, type RecordedStatement } from "~/utils/sql-log.server";
import { createNetwork, createPartner } from "../factories";
import { hit, makeRequest } from "../routes";

// Structure, not timings: on a brand with a few thousand customers (statistics fresh), the home page,
// today's actions and a customer profile (for the brand, a distributor and a reseller) read through
// indexes, and each request (the signed-in layout's loader with the page's) stays within ten
// statements, none issued twice. The insights page reads its rollups by key, never more rows than
// it shows times the partners in the viewer's scope. One reseller holds a third of the customers
// (with due follow-ups and marks), so a read of a partner's whole set shows in the rows read.

const KEY_TABLES = ["customers", "customer_partners", "customer_needs", "interactions", "c", "cp", "n"];
const ROLLUPS = ["insight_need_totals", "insight_month_totals", "insight_tier_totals", "insight_top"];
const CUSTOMERS = 3000;
/** Every third customer is the big reseller's (reseller1, under the distributor). */
const BIG_SHARE = 3;
/** More products with needs than the insights page shows. */
const PRODUCTS = SHOWN_ROWS + 15;

type Net = Awaited<ReturnType<typeof createNetwork>>;
let net: Net;
let profileId: string;

/** Customers written in bulk (the shape the benchmark generator writes), spread over many partners. */
async function seed(): Promise<void> {
  net = await createNetwork();
  const others = await Promise.all(Array.from({ length: 30 }, () => createPartner(net.brandId)));
  const partners = [net.partners.reseller1, net.partners.reseller2, net.partners.distributor, net.partners.independent, ...others];
  const category = newId();
  await db().insertInto("need_categories").values({ id: category, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true }).execute();
  const products = Array.from({ length: PRODUCTS }, (_, k) => ({
    id: newId(),
    brand_id: net.brandId,
    sku: `P${k}-${net.brandId.slice(-6)}`,
    name_fa: `کالا ${k}`,
    name_en: `Product ${k}`,
    category_id: category,
    active: true,
    fulfilment: "stock" as const,
    stock_on_hand: 10,
    handling_days: 1,
  }));
  await db().insertInto("products").values(products).execute();
  const now = Date.now();
  const customers = [];
  const serving = [];
  const needs = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const id = newId();
    const partner = i % BIG_SHARE === 0 ? net.partners.reseller1 : partners[i % partners.length];
    const tier = (["A", "B", "C", null] as const)[i % 4];
    customers.push({
      id,
      brand_id: net.brandId,
      kind: "person" as const,
      display_name: `مشتری ${i}`,
      name_key: `مشتری ${i}`,
      name_alt_key: `${i}`,
      phone: `+98912${String(1_000_000 + i).slice(-7)}`,
      email: null,
      province: "tehran",
      city: "تهران",
      city_key: "تهران",
      preferred_locale: "fa" as const,
      preferred_channel: "phone" as const,
      preferred_times: null,
      consent_partner_contact: true,
      consent_brand_contact: i % 2 === 0,
      consent_share_partners: i % 3 === 0,
      registered_by_partner_id: partner,
      registered_at: new Date(now - i * 3_600_000),
      created_by_user_id: net.users.reseller1Rep.id,
      last_contact_at: i % 5 === 0 ? null : new Date(now - (i % 90) * 86_400_000),
      order_count: tier ? 1 + (i % 4) : 0,
      monetary_rial: "0",
      ltv_rial: "0",
      value_tier: tier,
      first_order_at: tier ? new Date(now - 400 * 86_400_000) : null,
      last_order_at: tier ? new Date(now - (i % 200) * 86_400_000) : null,
      avg_interval_days: tier ? 30 : null,
      created_at: new Date(now),
      updated_at: new Date(now),
    });
    const { name_key, name_alt_key, city_key } = customers.at(-1)!;
    serving.push({ customer_id: id, partner_id: partner, brand_id: net.brandId, since: new Date(now), name_key, name_alt_key, city_key });
    if (i % 2 === 0) {
      needs.push({ id: newId(), brand_id: net.brandId, customer_id: id, partner_id: partner, category_id: category, body: "یخچال", priority: "low" as const, status: i % 4 === 0 ? ("open" as const) : ("met" as const), product_id: i % 6 === 0 ? products[(i / 6) % PRODUCTS].id : null, recorded_by_user_id: net.users.reseller1Rep.id, created_at: new Date(now - 30 * 86_400_000), updated_at: new Date(now) });
    }
  }
  for (let k = 0; k < customers.length; k += 500) {
    await db().insertInto("customers").values(customers.slice(k, k + 500)).execute();
    await db().insertInto("customer_partners").values(serving.slice(k, k + 500)).execute();
  }
  await db().insertInto("customer_needs").values(needs).execute();
  // The big reseller's plan: a follow-up due on every tenth of its customers, an action marked done on every fifteenth.
  const big = customers.filter((_, i) => i % BIG_SHARE === 0);
  const planned = { brand_id: net.brandId, partner_id: net.partners.reseller1, created_at: new Date(now) };
  await db()
    .insertInto("customer_follow_ups")
    .values(big.filter((_, k) => k % 10 === 0).map((c) => ({ ...planned, id: newId(), customer_id: c.id, due_at: new Date(now - 86_400_000), note: "تماس", created_by_user_id: net.users.reseller1Rep.id })))
    .execute();
  await db()
    .insertInto("customer_action_marks")
    .values(big.filter((_, k) => k % 15 === 0).map((c) => ({ ...planned, id: newId(), customer_id: c.id, action_key: "high_value_no_contact:", state: "done", until: new Date(now + 86_400_000), note: null, user_id: net.users.reseller1Rep.id })))
    .execute();
  await rebuildServingRows(db(), net.brandId);
  await rebuildCustomerCounts(db(), net.brandId);
  await rebuildInsights(db(), net.brandId);
  await sql`analyze table customers, customer_partners, customer_needs, customer_follow_ups, customer_action_marks, interactions, customer_counts, ${sql.raw(ROLLUPS.join(", "))}`.execute(db());
  profileId = customers[0].id;
}

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

/** The layout's and the page's loaders as one request runs them, and every statement they issued. */
async function request(as: string, path: string, page: Loader, params: Record<string, string> = {}): Promise<RecordedStatement[]> {
  const cookie = (await makeRequest("/", { as })).headers.get("Cookie")!;
  const req = () => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
  const { details } = await requestMemo.run(new Map(), () =>
    recordStatements(() => Promise.all([(layout.loader as Loader)({ request: req(), params, context: { clientIp: "127.0.0.1" } }), page({ request: req(), params, context: { clientIp: "127.0.0.1" } })])),
  );
  return details;
}

type PlanRow = { table: string | null; type: string | null; key: string | null; rows: number | null; Extra: string | null };

/** The statement with its parameters written in, to EXPLAIN or ANALYZE it. */
function bound(q: RecordedStatement): string {
  const params = [...q.parameters];
  return q.sql.replace(/\?/g, () => {
    const v = params.shift();
    if (v instanceof Date) return `'${v.toISOString().slice(0, 23).replace("T", " ")}'`;
    if (typeof v === "number" || typeof v === "bigint") return String(v);
    if (typeof v === "boolean") return v ? "1" : "0";
    if (v === null || v === undefined) return "null";
    return `'${String(v).replace(/'/g, "''")}'`;
  });
}

/**
 * Plan rows that read a key table whole, or sort a partner's whole serving set; with `inIndexOrder`,
 * that sort serving rows at all (the statement reads them in the order of an index).
 */
async function badSteps(q: RecordedStatement, inIndexOrder = false): Promise<PlanRow[]> {
  if (!/^select/i.test(q.sql)) return [];
  const rows = (await sql.raw(`explain ${bound(q)}`).execute(db())).rows as PlanRow[];
  const sortsServingRows = (r: PlanRow) => /filesort/i.test(r.Extra ?? "") && (r.table === "cp" || r.table === "customer_partners") && (inIndexOrder || r.key === "customer_partners_partner");
  return rows.filter((r) => r.table !== null && KEY_TABLES.includes(r.table) && (r.type === "ALL" || r.type === "index" || sortsServingRows(r)));
}

async function expectIndexedAndWithinBudget(queries: RecordedStatement[], { budget = 10, inIndexOrder = false } = {}) {
  const statements = queries.map((q) => q.sql);
  expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(budget);
  expect(repeatedStatements(statements)).toEqual([]);
  for (const q of queries) {
    const bad = await badSteps(q, inIndexOrder);
    expect(bad, `${q.sql}\n${JSON.stringify(bad, null, 1)}`).toEqual([]);
  }
}

type Analyzed = { table_name?: string; access_type?: string; key?: string; r_loops?: number; r_rows?: number; using_index?: boolean; [k: string]: unknown };
type TableRead = { table: string; access: string; key: string | null; loops: number; rows: number; indexOnly: boolean };

/** Every table a statement reads (by the name or alias it has there): how, how often, how many rows in all (ANALYZE) and whether from the index alone. */
async function tableReads(q: RecordedStatement): Promise<TableRead[]> {
  const [{ ANALYZE: json }] = (await sql.raw(`analyze format=json ${bound(q)}`).execute(db())).rows as { ANALYZE: string }[];
  const out: TableRead[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const t = node as Analyzed;
    if (t.table_name) out.push({ table: t.table_name, access: t.access_type ?? "", key: t.key ?? null, loops: t.r_loops ?? 1, rows: Math.round((t.r_loops ?? 1) * (t.r_rows ?? 0)), indexOnly: t.using_index === true });
    Object.values(t).forEach(walk);
  };
  walk(JSON.parse(json));
  return out;
}

/** Per rollup table a statement reads: how it reads it and how many rows it actually read. */
async function rollupReads(q: RecordedStatement): Promise<{ table: string; access: string; rows: number; indexOnly: boolean }[]> {
  const aliases = new Map([...q.sql.matchAll(/\b(insight_\w+)(?:\s+(?:as\s+)?(\w+))?/gi)].map((m) => [m[2] && !/^(where|left|join|on|group)$/i.test(m[2]) ? m[2] : m[1], m[1]]));
  return (await tableReads(q)).map((r) => ({ ...r, table: aliases.get(r.table) ?? r.table })).filter((r) => ROLLUPS.includes(r.table));
}

describe("key pages at scale: plans and statement budgets", () => {
  beforeAll(seed, 120_000);

  it("home: counters read by key for a reseller, a distributor and the brand", async () => {
    for (const as of [net.users.reseller1Rep.id, net.users.distributorRep.id, net.users.brandAdmin.id]) {
      // The layout's names and unread count come with the session: 1 statement, plus the home's 3.
      await expectIndexedAndWithinBudget(await request(as, "/", home.loader as Loader), { budget: 4 });
    }
  });

  it("today's actions: candidates read from the serving rows in index order, never sorted", async () => {
    for (const as of [net.users.reseller1Rep.id, net.users.distributorRep.id]) {
      const queries = await request(as, "/customers/today", today.loader as Loader);
      await expectIndexedAndWithinBudget(queries, { inIndexOrder: true });
      expect(queries.some((q) => /from customer_partners cp/.test(q.sql))).toBe(true);
    }
  });

  it("today's actions come 20 customers a page, each customer on one page only; a page past the end shows the last", async () => {
    type Page = { items: { customer: { id: string } }[]; page: number; pageCount: number; total: number };
    const at = async (query: string) => (await hit(today.loader, `/customers/today${query}`, {}, { as: net.users.reseller1Rep.id })).data as Page;
    const first = await at("");
    expect(first.total).toBeGreaterThan(40);
    expect(first).toMatchObject({ page: 1, pageCount: Math.ceil(first.total / 20) });
    const pages = [first];
    for (let p = 2; p <= first.pageCount; p++) pages.push(await at(`?page=${p}`));
    const ids = pages.flatMap((pg) => pg.items.map((i) => i.customer.id));
    expect(pages.map((pg) => pg.items.length)).toEqual(pages.map((_, k) => Math.min(20, first.total - 20 * k)));
    expect(new Set(ids).size).toBe(first.total);
    expect((await at("?page=999")).items).toEqual(pages.at(-1)!.items);
  });

  it("today's actions: a bounded number of each partner's serving rows, and each candidate's facts by its own key", async () => {
    // The list shows 50 and reads up to four candidates per row: per partner, the first 200 on whom a
    // rule fires (most do here), not the big reseller's whole set of 1,000.
    const bound = 2 * 4 * 50;
    const whole = Math.ceil(CUSTOMERS / BIG_SHARE);
    expect(bound).toBeLessThan(whole / 2);
    for (const as of [net.users.reseller1Rep.id, net.users.distributorRep.id]) {
      const queries = await request(as, "/customers/today", today.loader as Loader);
      const candidates = queries.filter((q) => /from customer_partners cp/.test(q.sql));
      expect(candidates.length).toBeGreaterThan(0);
      for (const q of candidates) {
        const reads = (await tableReads(q)).filter((r) => !r.table.startsWith("<"));
        expect(reads.filter((r) => r.table === "cp").length, q.sql).toBeGreaterThan(0);
        for (const r of reads) {
          const why = `${q.sql}\n${JSON.stringify(r)}`;
          expect(["ref", "range", "eq_ref", "const", "index_subquery", "unique_subquery"], why).toContain(r.access);
          // Read once (a partner's range, or its due follow-ups once): bounded by the list, not by the partner's customers.
          if (r.loops <= 1) expect(r.rows, why).toBeLessThanOrEqual(bound);
          // Read per candidate (its customer row, needs, follow-ups, marks): a few rows each, never a partner-wide range each time.
          else expect(r.rows / r.loops, why).toBeLessThanOrEqual(5);
        }
      }
    }
  });

  it("a partner's list sorted by last contact or value, or of one tier: serving rows read in index order, never sorted", async () => {
    for (const as of [net.users.reseller1Rep.id, net.users.distributorRep.id]) {
      for (const path of ["/customers?sort=recent_contact", "/customers?sort=value", "/customers?valueTier=B"]) {
        await expectIndexedAndWithinBudget(await request(as, path, list.loader as Loader), { inIndexOrder: true });
      }
    }
  });

  it("insights: each chart one read of its rollup by key, never more rows than it shows per partner in scope", async () => {
    const scopeSize = { [net.users.brandAdmin.id]: 1, [net.users.distributorAdmin.id]: 3, [net.users.reseller1Admin.id]: 1 };
    // Every key the brand's needs have (products, categories, provinces): what a view summing several partners reads of each.
    const [{ keys }] = (await sql<{ keys: number }>`select count(*) as \`keys\` from insight_need_totals where brand_id = ${net.brandId} and holder = '*' and province = '' and month = '1900-01-01'`.execute(db())).rows;
    expect(Number(keys)).toBeGreaterThan(SHOWN_ROWS);
    for (const [as, path] of [[net.users.brandAdmin.id, "/insights"], [net.users.brandAdmin.id, "/insights?province=tehran"], [net.users.distributorAdmin.id, "/insights"], [net.users.reseller1Admin.id, "/insights"]]) {
      const queries = await request(as, path, insights.loader as Loader);
      await expectIndexedAndWithinBudget(queries);
      const reads = queries.filter((q) => ROLLUPS.some((t) => q.sql.includes(t)));
      expect(reads.length, path).toBe(5);
      for (const q of reads) {
        const returned = (await sql.raw(bound(q)).execute(db())).rows as { dim?: string; key?: string | null }[];
        const shown = returned.length;
        const needs = q.sql.includes("insight_need_totals");
        // The needs read hands over the rows the page shows (20 per dimension, and their counts), not every product's.
        if (needs) for (const dim of ["category", "product", "province"]) expect(returned.filter((r) => r.dim === dim && r.key != null).length, `${path} ${dim}`).toBeLessThanOrEqual(SHOWN_ROWS);
        const read = await rollupReads(q);
        expect(read.length, q.sql).toBeGreaterThan(0);
        for (const r of read) {
          expect(["ref", "range", "eq_ref", "const"], `${q.sql}\n${JSON.stringify(r)}`).toContain(r.access);
          // One holder's needs are read in the order shown, and counted from the index alone; summing
          // several partners' reads each key of each.
          const limit = needs && scopeSize[as] > 1 ? Number(keys) * scopeSize[as] : Math.max(shown, 1) * scopeSize[as];
          if (!(needs && r.indexOnly)) expect(r.rows, `${q.sql}\n${JSON.stringify(r)} shown ${shown}`).toBeLessThanOrEqual(limit);
        }
      }
    }
  });

  it("profile: its reads go through indexes, within the budget, for the brand, a distributor and a reseller", async () => {
    for (const as of [net.users.brandAdmin.id, net.users.distributorRep.id, net.users.reseller1Rep.id]) {
      const queries = await request(as, `/customers/${profileId}`, profile.loader as Loader, { id: profileId });
      await expectIndexedAndWithinBudget(queries, { budget: 8 });
      // The need form's product choices (the whole catalogue) are loaded when it opens, not with the page.
      expect(queries.filter((q) => /'product' as `list`/.test(q.sql))).toEqual([]);
      // Without JavaScript the form asks for them with ?products=1, in the same statement as the other lists.
      const withProducts = await request(as, `/customers/${profileId}?products=1`, profile.loader as Loader, { id: profileId });
      expect(withProducts.filter((q) => /'product' as `list`/.test(q.sql))).toHaveLength(1);
      expect(withProducts).toHaveLength(queries.length);
    }
  });
});
