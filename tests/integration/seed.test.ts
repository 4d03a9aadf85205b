import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "#db/client";
import type { DB } from "#db/schema";
import { ARABIC_TYPED_CUSTOMERS, DEMO_CUSTOMER_COUNT, seedCustomers, type SeedCustomersResult } from "#db/seed/customers";
import { DEMO_BRAND_ID, DEMO_USERS, seedFoundation } from "#db/seed/foundation";
import { seedDeliveryDays } from "#db/seed/orders";
import { seedIdeas } from "#db/seed/ideas";
import { DEMO_TOOLKITS, seedToolkits } from "#db/seed/toolkits";
import { searchCustomers } from "~/models/customer-list.server";
import { listLibrary } from "~/models/toolkits/library.server";
import { toDisplayForm } from "~/domain/text";
import { actorFor } from "../factories";

// Tables the seed writes, each with the columns that identify a row for ordering.
const TABLES: [keyof DB, string][] = [
  ["need_categories", "id"],
  ["products", "id"],
  ["preference_keys", "id"],
  ["customers", "id"],
  ["customer_partners", "customer_id, partner_id"],
  ["consent_events", "id"],
  ["customer_preferences", "customer_id, key_id"],
  ["customer_needs", "id"],
  ["interactions", "id"],
  ["orders", "id"],
  ["serve_requests", "id"],
  ["notifications", "id"],
  ["toolkits", "id"],
  ["toolkit_versions", "toolkit_id, version"],
  ["toolkit_assets", "id, version"],
  ["toolkit_templates", "id, version"],
  ["ideas", "id"],
  ["idea_supports", "idea_id, user_id"],
  ["idea_customers", "id"],
];

let db: Kysely<DB>;

/** Row counts and a hash of every row of the demo brand in the seeded tables, plus the brand row. */
async function snapshot() {
  const counts: Record<string, number> = {};
  const hash = createHash("sha256");
  for (const [table, order] of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where brand_id = ${DEMO_BRAND_ID} order by ${sql.raw(order)}`.execute(db);
    counts[table] = rows.length;
    hash.update(JSON.stringify(rows));
  }
  hash.update(JSON.stringify(await db.selectFrom("brands").selectAll().where("id", "=", DEMO_BRAND_ID).executeTakeFirstOrThrow()));
  return { counts, checksum: hash.digest("hex") };
}

let firstIdeas = 0;
let secondIdeas = 0;
let firstToolkits = 0;
let secondToolkits = 0;
let first: SeedCustomersResult;
let second: SeedCustomersResult;
let before: Awaited<ReturnType<typeof snapshot>>;
let after: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  db = createDb(process.env.DATABASE_URL);
  await seedFoundation(db);
  first = await seedCustomers(db);
  firstToolkits = await seedToolkits(db);
  firstIdeas = await seedIdeas(db);
  before = await snapshot();
  await seedFoundation(db);
  second = await seedCustomers(db);
  secondToolkits = await seedToolkits(db);
  secondIdeas = await seedIdeas(db);
  after = await snapshot();
});

afterAll(async () => {
  await db.destroy();
});

describe("demo seed", () => {
  it("puts Persian ideas with supports and the customers who asked on the co-creation board, once", () => {
    expect([firstIdeas, secondIdeas]).toEqual([5, 0]);
    for (const table of ["ideas", "idea_supports", "idea_customers"]) expect(before.counts[table], table).toBeGreaterThan(0);
  });

  it("loads about 300 customers with their activity", () => {
    expect(first.customers).toBe(DEMO_CUSTOMER_COUNT);
    expect(before.counts.customers).toBe(DEMO_CUSTOMER_COUNT);
    for (const table of ["customer_partners", "consent_events", "customer_needs", "interactions", "orders", "serve_requests", "notifications", "products", "need_categories"]) {
      expect(before.counts[table], table).toBeGreaterThan(0);
    }
  });

  it("is idempotent: a second run inserts nothing and changes nothing", () => {
    expect(firstToolkits).toBe(Object.keys(DEMO_TOOLKITS).length);
    expect(secondToolkits).toBe(0);
    expect(Object.values(second).every((n) => n === 0)).toBe(true);
    expect(after.counts).toEqual(before.counts);
    expect(after.checksum).toBe(before.checksum);
  });

  it("stores every phone in E.164, unique, and every name and city in display form", async () => {
    const rows = await db.selectFrom("customers").select(["phone", "display_name", "city"]).where("brand_id", "=", DEMO_BRAND_ID).execute();
    for (const r of rows) {
      expect(r.phone).toMatch(/^\+989\d{9}$/);
      expect(r.display_name).not.toMatch(/[يكى]/);
      expect(r.display_name).toBe(toDisplayForm(r.display_name));
      expect(r.city).toBe(toDisplayForm(r.city));
    }
    expect(new Set(rows.map((r) => r.phone)).size).toBe(rows.length);
  });

  it("has pending requests to serve customers still in protection, and decided ones", async () => {
    const requests = await db
      .selectFrom("serve_requests")
      .innerJoin("customers", "customers.id", "serve_requests.customer_id")
      .innerJoin("brands", "brands.id", "serve_requests.brand_id")
      .select(["serve_requests.status", "serve_requests.partner_id", "serve_requests.decided_by_user_id", "customers.registered_at", "customers.registered_by_partner_id", "brands.protection_days"])
      .where("serve_requests.brand_id", "=", DEMO_BRAND_ID)
      .execute();
    const pending = requests.filter((r) => r.status === "pending");
    expect(pending.length).toBe(8);
    for (const r of pending) {
      expect(r.partner_id).not.toBe(r.registered_by_partner_id);
      expect(r.registered_at.getTime() + r.protection_days * 86_400_000).toBeGreaterThan(Date.now());
    }
    const channelManager = DEMO_USERS.find((u) => u.role === "channel_manager")!.id;
    const decided = requests.filter((r) => r.status !== "pending");
    expect(decided.map((r) => r.status)).toEqual(expect.arrayContaining(["approved", "rejected"]));
    expect(decided.every((r) => r.decided_by_user_id === channelManager)).toBe(true);
  });

  it("gives every delivered order the day it shipped and the day it arrived, in that order and not in the future", async () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
    const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
    const orders = await db.selectFrom("orders").select(["status", "placed_at", "shipped_on", "delivered_on"]).where("brand_id", "=", DEMO_BRAND_ID).execute();
    const delivered = orders.filter((o) => o.status === "delivered");
    expect(delivered.length).toBeGreaterThan(0);
    for (const o of delivered) {
      const placed = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(o.placed_at);
      expect(day(o.shipped_on)! >= placed && day(o.shipped_on)! <= day(o.delivered_on)! && day(o.delivered_on)! <= today, `${placed} ${day(o.shipped_on)} ${day(o.delivered_on)}`).toBe(true);
    }
    for (const o of orders.filter((o) => o.status === "cancelled")) expect([o.shipped_on, o.delivered_on]).toEqual([null, null]);
    // A database seeded before the days existed gets them, once.
    await db.updateTable("orders").set({ shipped_on: null, delivered_on: null }).where("brand_id", "=", DEMO_BRAND_ID).where("status", "=", "delivered").execute();
    expect(await seedDeliveryDays(db)).toBe(delivered.length);
    expect(await seedDeliveryDays(db)).toBe(0);
    const refilled = await db.selectFrom("orders").select(["shipped_on", "delivered_on"]).where("brand_id", "=", DEMO_BRAND_ID).where("status", "=", "delivered").where("delivered_on", "is not", null).execute();
    expect(refilled.length).toBe(delivered.length);
  });

  it("computes value columns and the brand's tier thresholds", async () => {
    const brand = await db.selectFrom("brands").select(["value_tier_a_rial", "value_tier_b_rial", "values_computed_at"]).where("id", "=", DEMO_BRAND_ID).executeTakeFirstOrThrow();
    expect(BigInt(brand.value_tier_a_rial)).toBeGreaterThan(BigInt(brand.value_tier_b_rial));
    expect(brand.values_computed_at).not.toBeNull();
    const tiers = await db.selectFrom("customers").select(["value_tier", "order_count"]).where("brand_id", "=", DEMO_BRAND_ID).execute();
    expect(new Set(tiers.map((t) => t.value_tier))).toEqual(new Set(["A", "B", "C", null]));
    expect(tiers.every((t) => (t.order_count === 0) === (t.value_tier === null))).toBe(true);
  });

  it("finds a customer typed on an Arabic keyboard by the Persian and by the Arabic spelling", async () => {
    const actor = await actorFor(DEMO_USERS.find((u) => u.role === "channel_manager")!.id);
    const { id, typedName } = ARABIC_TYPED_CUSTOMERS[0];
    const persian = toDisplayForm(typedName);
    expect(typedName).toMatch(/[يك]/);
    expect(persian).not.toBe(typedName);
    for (const q of [persian, typedName, typedName.split(" ")[1]]) {
      const page = await searchCustomers(actor, { q, sort: "name" });
      expect(
        page.rows.map((r) => r.id),
        q,
      ).toContain(id);
    }
  });

  it("publishes the two demo campaigns to different partners and keeps the draft from all of them", async () => {
    const libraryOf = async (email: string) => (await listLibrary(await actorFor(DEMO_USERS.find((u) => u.email === email)!.id), "")).map((k) => k.id).sort();
    expect(await libraryOf("rep@noor.example")).toEqual([DEMO_TOOLKITS.nowruz, DEMO_TOOLKITS.launch].sort()); // gold, Tehran
    expect(await libraryOf("admin@alborz.example")).toEqual([DEMO_TOOLKITS.nowruz, DEMO_TOOLKITS.launch].sort()); // platinum, Tehran
    expect(await libraryOf("rep@zandiyeh.example")).toEqual([]); // silver, Fars
    expect(await libraryOf("rep@aftab.example")).toEqual([]); // registered, Isfahan
  });
});
