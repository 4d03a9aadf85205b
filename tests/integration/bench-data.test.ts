import { sql, type Kysely } from "kysely";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, dropDatabase } from "#db/client";
import type { DB } from "#db/schema";
import { BENCH_BRAND_ID, BENCH_NOW, prepareBenchData } from "#db/seed/bench-data";
import { OPEN_STATUSES } from "~/domain/orders";
import { rebuildCustomerCounts } from "~/models/customer-counts.server";
import { rebuildInsights } from "~/models/insights/rebuild.server";
import { rebuildServingRows } from "~/models/serving-rows.server";

// The benchmark generator writes derived data (the serving rows' copied keys, the home page's
// counters, reserved stock) with the rows themselves instead of rebuilding it after the load: on a
// small data set, each must be what the app's own rebuild gives from the same rows.

const CUSTOMERS = 2000;
const url = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
url.pathname = `/pp_test_${process.env.TEST_RUN_ID ?? "local"}_bench_${ulid().slice(-8).toLowerCase()}`;
let db: Kysely<DB>;

beforeAll(async () => {
  const result = await prepareBenchData(CUSTOMERS, { url: url.toString() });
  expect(result.counts.customers).toBe(CUSTOMERS);
  db = createDb(url.toString(), 2);
}, 300_000);

afterAll(async () => {
  await db?.destroy();
  await dropDatabase(url.toString());
});

/** Every row of a table, in one order whatever the order they were written in. */
async function rowsOf(table: string): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe("benchmark data", () => {
  it("holds the counters rebuildCustomerCounts counts", async () => {
    const written = await rowsOf("customer_counts");
    const network = await sql<{ n: string }>`select sum(n) as n from customer_counts where scope_id = '' and metric = 'tier'`.execute(db);
    expect(Number(network.rows[0].n)).toBe(CUSTOMERS);
    expect(written.some((r) => r.includes('"metric":"need"'))).toBe(true);
    await rebuildCustomerCounts(db, BENCH_BRAND_ID);
    expect(await rowsOf("customer_counts")).toEqual(written);
  });

  it("writes the serving rows with the columns rebuildServingRows copies", async () => {
    const written = await rowsOf("customer_partners");
    await sql`update customer_partners set name_key = '', name_alt_key = '', city_key = ''`.execute(db);
    await rebuildServingRows(db);
    expect(await rowsOf("customer_partners")).toEqual(written);
  });

  it("builds the insight summaries from the finished rows", async () => {
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = database() and table_name like 'insight\\_%' and table_name not in ('insight_days', 'insight_runs')`.execute(db);
    expect(rows.length).toBeGreaterThan(0);
    const written = await Promise.all(rows.map((r) => rowsOf(r.name)));
    expect(written.every((t) => t.length > 0)).toBe(true);
    await rebuildInsights(db, BENCH_BRAND_ID, BENCH_NOW);
    expect(await Promise.all(rows.map((r) => rowsOf(r.name)))).toEqual(written);
  });

  it("reserves the stock of open orders and keeps it on hand", async () => {
    const { rows } = await sql<{ id: string; stock_reserved: number; stock_on_hand: number; units: string | null }>`
      select p.id, p.stock_reserved, p.stock_on_hand, r.units from products p left join (
        select l.product_id, sum(l.quantity) as units from order_lines l join orders o on o.id = l.order_id
        where o.status in (${sql.join(OPEN_STATUSES)}) and l.source = 'stock' group by l.product_id
      ) r on r.product_id = p.id`.execute(db);
    expect(rows.some((r) => r.stock_reserved > 0)).toBe(true);
    for (const r of rows) {
      expect(r.stock_reserved, r.id).toBe(Number(r.units ?? 0));
      expect(r.stock_on_hand, r.id).toBeGreaterThanOrEqual(r.stock_reserved);
    }
  });
});
