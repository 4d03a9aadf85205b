import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// Rollups of the insight summaries at the grain the insights page reads, so a page view reads a
// bounded number of rows whatever the number of customers or needs. Every row has a holder (a
// partner id, '' for the brand's own records, or '*' for the whole network summed), a province
// ('' for all provinces summed) and, where it has months, a month ('1900-01-01' for all months
// summed). A brand-wide view reads the '*' rows, a partner's view its own partners' rows, and the
// default window its all-months rows; each primary key leads with what the reads test for equality.
// - insight_need_totals: needs by category, product or customer province (dim, key), open/met/declined;
//   a partner's rows are all-months rows only (a window over partners reads insight_needs).
// - insight_month_totals: per month, needs recorded and met, orders, units, revenue and toolkit uses;
//   on the all-months rows also customers held and active ones.
// - insight_tier_totals: customers by value tier: count, active, lapsing, lifetime value.
// - insight_top: the most valuable customers and the most valuable lapsing ones per holder and
//   province, with the partner holding each customer.
const id = "char(26)";
const owner = "varchar(26)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("insight_need_totals")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("dim", "varchar(8)", (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("holder", owner, (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("key", "varchar(40)", (c) => c.notNull())
    .addColumn("open", "integer", (c) => c.notNull())
    .addColumn("met", "integer", (c) => c.notNull())
    .addColumn("declined", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_need_totals_pk", ["brand_id", "dim", "province", "holder", "month", "key"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_month_totals")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("holder", owner, (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("customers", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("needs", "integer", (c) => c.notNull())
    .addColumn("met", "integer", (c) => c.notNull())
    .addColumn("orders", "integer", (c) => c.notNull())
    .addColumn("units", "bigint", (c) => c.notNull())
    .addColumn("revenue_rial", "bigint", (c) => c.notNull())
    .addColumn("toolkit_uses", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_month_totals_pk", ["brand_id", "province", "holder", "month"])
    .modifyEnd(utf8)
    .execute();
  // Coverage reads every partner's rows of one window: month before holder.
  await db.schema.createIndex("insight_month_totals_month").on("insight_month_totals").columns(["brand_id", "province", "month", "holder"]).execute();

  await db.schema
    .createTable("insight_tier_totals")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("holder", owner, (c) => c.notNull())
    .addColumn("value_tier", "varchar(4)", (c) => c.notNull())
    .addColumn("customers", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("lapsing", "integer", (c) => c.notNull())
    .addColumn("ltv_rial", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_tier_totals_pk", ["brand_id", "province", "holder", "value_tier"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_top")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("list", "varchar(8)", (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("holder", owner, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("display_name", "varchar(200)", (c) => c.notNull())
    .addColumn("value_tier", "varchar(4)", (c) => c.notNull())
    .addColumn("ltv_rial", "bigint", (c) => c.notNull())
    .addColumn("last_order_at", "datetime(3)")
    .addColumn("overdue_days", "integer")
    .addPrimaryKeyConstraint("insight_top_pk", ["brand_id", "list", "province", "holder", "customer_id"])
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["insight_top", "insight_tier_totals", "insight_month_totals", "insight_need_totals"]) {
    await db.schema.dropTable(table).execute();
  }
}
