import { sql } from "kysely";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { seedCatalog } from "#db/seed/catalog";
import { seedCustomers } from "#db/seed/customers";
import { DEMO_BRAND_ID, seedFoundation } from "#db/seed/foundation";
import { seedOrderLines } from "#db/seed/orders";
import { migrateToJustBefore, ownDatabase } from "../migration-db";

const database = ownDatabase("ord");

describe("the orders migration", () => {
  it("keeps existing orders' ids and totals and gives each one line of a real product and its history", async () => {
    const db = database();
    const { m, previous } = await migrateToJustBefore(db, "20261201_0012_orders");
    const brand = ulid();
    const [inactive, active, order] = [ulid(), ulid(), ulid()];
    await sql`insert into brands (id, name_fa, name_en, money_unit, created_at) values (${brand}, 'ب', 'B', 'rial', now())`.execute(db);
    await sql`insert into products (id, brand_id, sku, name_fa, name_en, category_id, active) values (${inactive}, ${brand}, 'AA-1', 'کهنه', 'Old', null, 0), (${active}, ${brand}, 'BB-1', 'تازه', 'New', null, 1)`.execute(db);
    await sql`insert into orders (id, brand_id, partner_id, customer_id, number, status, total_rial, margin_rial, placed_at, created_at)
      values (${order}, ${brand}, ${ulid()}, null, 'SO-1', 'delivered', 2500000, 400000, now(), now())`.execute(db);

    expect((await m.migrateTo("20261201_0012_orders")).error).toBeUndefined();
    expect(await db.selectFrom("orders").select(["id", "total_rial", "margin_rial", "status", "ship_to"]).execute()).toEqual([{ id: order, total_rial: "2500000", margin_rial: "400000", status: "delivered", ship_to: "partner" }]);
    expect(await db.selectFrom("order_lines").select(["order_id", "product_id", "quantity", "unit_net_rial", "line_total_rial"]).execute()).toEqual([{ order_id: order, product_id: active, quantity: 1, unit_net_rial: "2500000", line_total_rial: "2500000" }]);
    expect(await db.selectFrom("order_status_history").select(["order_id", "status"]).execute()).toEqual([{ order_id: order, status: "delivered" }]);

    expect((await m.migrateTo(previous)).error).toBeUndefined();
    expect(await db.selectFrom("orders").select(["id", "total_rial"]).execute()).toEqual([{ id: order, total_rial: "2500000" }]);
    expect((await m.migrateToLatest()).error).toBeUndefined();
  });

  it("the demo seed gives every demo order a line once", async () => {
    const db = database();
    await seedFoundation(db);
    await seedCustomers(db);
    await seedCatalog(db);
    const added = await seedOrderLines(db);
    expect(added).toBeGreaterThan(0);
    expect(await seedOrderLines(db)).toBe(0);
    const { rows } = await sql<{ n: number }>`select count(*) as n from orders o where o.brand_id = ${DEMO_BRAND_ID}
      and not exists (select 1 from order_lines l join products p on p.id = l.product_id where l.order_id = o.id and l.line_total_rial = o.total_rial)`.execute(db);
    expect(Number(rows[0].n)).toBe(0);
  });
});
