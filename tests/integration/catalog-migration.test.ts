import { sql } from "kysely";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { seedCatalog } from "#db/seed/catalog";
import { seedCustomers } from "#db/seed/customers";
import { DEMO_BRAND_ID, seedFoundation } from "#db/seed/foundation";
import { migrateToJustBefore, ownDatabase } from "../migration-db";

const database = ownDatabase("cat");

describe("the catalogue migration", () => {
  it("extends the existing products (ids kept, search keys filled) and goes down and up again", async () => {
    const db = database();
    const { m, previous } = await migrateToJustBefore(db, "20261201_0009_catalog");
    const brand = ulid();
    const id = ulid();
    await sql`insert into brands (id, name_fa, name_en, money_unit, created_at) values (${brand}, 'ب', 'B', 'rial', now())`.execute(db);
    await sql`insert into products (id, brand_id, sku, name_fa, name_en, category_id, active) values (${id}, ${brand}, 'AB-1', 'آبمیوه‌گیری', 'Juicer', null, 1)`.execute(db);

    expect((await m.migrateTo("20261201_0009_catalog")).error).toBeUndefined();
    const row = await db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sku: "AB-1", list_price_rial: "0", stock_on_hand: 0, stock_reserved: 0, fulfilment: "stock", unit: "piece", search_key: "ab-1 ابمیوه گیری juicer" });

    expect((await m.migrateTo(previous)).error).toBeUndefined();
    expect(await db.selectFrom("products").select(["id", "sku"]).execute()).toEqual([{ id, sku: "AB-1" }]);
    expect((await m.migrateToLatest()).error).toBeUndefined();
  });

  it("the demo catalogue seed is idempotent and keeps a price a manager changed", async () => {
    const db = database();
    await seedFoundation(db);
    await seedCustomers(db);
    expect(await seedCatalog(db)).toBeGreaterThan(0);
    const snapshot = async () => {
      const out: unknown[] = [];
      for (const table of ["products", "product_option_groups", "product_option_values", "product_personalisations", "tier_discounts", "partner_prices", "volume_breaks", "brand_transit_days"] as const) {
        out.push(await sql`select * from ${sql.table(table)} where brand_id = ${DEMO_BRAND_ID} order by 1, 2, 3`.execute(db).then((r) => r.rows));
      }
      return JSON.stringify(out);
    };
    const before = await snapshot();
    expect(await seedCatalog(db)).toBe(0);
    expect(await snapshot()).toBe(before);
    await db.updateTable("products").set({ list_price_rial: 1n, updated_at: new Date() }).where("sku", "=", "AF-55").execute();
    await seedCatalog(db);
    expect((await db.selectFrom("products").select("list_price_rial").where("sku", "=", "AF-55").executeTakeFirstOrThrow()).list_price_rial).toBe("1");
    const made = await db.selectFrom("products").select(["fulfilment", "daily_capacity"]).where("sku", "=", "BO-600").executeTakeFirstOrThrow();
    expect(made).toEqual({ fulfilment: "made_to_order", daily_capacity: 4 });
  });
});
