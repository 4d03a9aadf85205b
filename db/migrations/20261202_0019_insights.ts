import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// Network insights read summary tables, never the raw customers/needs/orders rows: a rebuild job
// (app/models/insights/rebuild.server.ts) replaces each brand's rows in one transaction, and
// insight_runs says when, so the page can state its freshness. Every row carries the partner it
// belongs to ('' for the brand's own), so the one tenant filter applies to it like to any other row.
// - insight_days: each calendar day (Asia/Tehran) with the first day of its Solar Hijri month, so
//   monthly buckets are an equality join rather than calendar arithmetic in SQL.
// - insight_needs: needs per recording partner, Jalali month, category, product, customer province, status.
// - insight_sales: order lines per ordering partner, month, product, province: units, revenue, margin,
//   lines shipped and shipped by their promised day.
// - insight_activity: orders and toolkit uses per partner, month and province.
// - insight_customers: customers per holding partner, province and value tier: active, lapsing, value.
// - insight_wanted: distinct customers with an open need per holding partner, category, product
//   ('' = the whole category) and province, with their lifetime value.
// - insight_customer_list: the top customers and the most valuable lapsing ones per partner and province.
const id = "char(26)";
const owner = "varchar(26)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("insight_days")
    .addColumn("day", "date", (c) => c.primaryKey())
    .addColumn("month", "date", (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_needs")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("product_id", owner, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("needs", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_needs_pk", ["brand_id", "partner_id", "month", "category_id", "product_id", "province", "status"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_sales")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("category_id", owner, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("orders", "integer", (c) => c.notNull())
    .addColumn("units", "bigint", (c) => c.notNull())
    .addColumn("revenue_rial", "bigint", (c) => c.notNull())
    .addColumn("margin_rial", "bigint", (c) => c.notNull())
    .addColumn("shipped_lines", "integer", (c) => c.notNull())
    .addColumn("on_time_lines", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_sales_pk", ["brand_id", "partner_id", "month", "product_id", "province"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("insight_sales_category").on("insight_sales").columns(["brand_id", "category_id", "month"]).execute();

  await db.schema
    .createTable("insight_activity")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("orders", "integer", (c) => c.notNull())
    .addColumn("toolkit_uses", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_activity_pk", ["brand_id", "partner_id", "month", "province"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_customers")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("value_tier", "varchar(4)", (c) => c.notNull())
    .addColumn("customers", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("lapsing", "integer", (c) => c.notNull())
    .addColumn("ltv_rial", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_customers_pk", ["brand_id", "partner_id", "province", "value_tier"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_wanted")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("product_id", owner, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("customers", "integer", (c) => c.notNull())
    .addColumn("ltv_rial", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_wanted_pk", ["brand_id", "partner_id", "category_id", "product_id", "province"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_customer_list")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("list", "varchar(8)", (c) => c.notNull())
    .addColumn("partner_id", owner, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("display_name", "varchar(200)", (c) => c.notNull())
    .addColumn("value_tier", "varchar(4)", (c) => c.notNull())
    .addColumn("ltv_rial", "bigint", (c) => c.notNull())
    .addColumn("last_order_at", "datetime(3)")
    .addColumn("overdue_days", "integer")
    .addPrimaryKeyConstraint("insight_customer_list_pk", ["brand_id", "list", "partner_id", "province", "customer_id"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("insight_runs")
    .addColumn("brand_id", id, (c) => c.primaryKey())
    .addColumn("computed_at", "datetime(3)", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["insight_runs", "insight_customer_list", "insight_wanted", "insight_customers", "insight_activity", "insight_sales", "insight_needs", "insight_days"]) {
    await db.schema.dropTable(table).execute();
  }
}
