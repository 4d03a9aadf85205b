import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// The day's actions and a partner's list sorted by last contact or value read a partner's customers
// from its serving rows (customer_partners) in index order. Before, they read the brand's customers
// tier by tier and probed each one's serving rows, or joined all of the partner's serving rows to
// customers and sorted them. The customer's value and contact facts the rules and sorts test are
// copied onto every serving row, as the search keys are (0015), and written in the same transaction
// as the customer row (app/models/serving-rows.server.ts); this backfills the rows that exist.
// - (brand_id, partner_id, value_tier, customer_id, …the rules' columns): the day's actions, a tier
//   at a time in id order, tested from the index alone.
// - (brand_id, partner_id, last_contact_at, customer_id) and (…, ltv_rial, customer_id): the list
//   sorted by last contact or value; (…, value_tier, name_key, customer_id): filtered by tier.
// - customer_needs (customer_id, status, brand_id, product_id, last_follow_up_at, created_at): a
//   customer's open needs as the day's actions test them, from the index alone; it replaces
//   (customer_id, status), its prefix.
// - customers (brand_id, value_tier, province, name_key): the brand's list filtered by tier and
//   province, in name order.
const time = "datetime(3)";

const SERVING_INDEXES = [
  ["customer_partners_partner_tier_id", ["value_tier", "customer_id", "last_contact_at", "order_count", "last_order_at", "avg_interval_days", "p_alive", "p_alive_previous"]],
  ["customer_partners_partner_contact", ["last_contact_at", "customer_id"]],
  ["customer_partners_partner_ltv", ["ltv_rial", "customer_id"]],
  ["customer_partners_partner_tier_name", ["value_tier", "name_key", "customer_id"]],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("customer_partners")
    .addColumn("value_tier", "char(1)")
    .addColumn("last_contact_at", time)
    .addColumn("ltv_rial", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("order_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_order_at", time)
    .addColumn("avg_interval_days", "integer")
    .addColumn("p_alive", "double precision")
    .addColumn("p_alive_previous", "double precision")
    .execute();
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set cp.value_tier = c.value_tier, cp.last_contact_at = c.last_contact_at, cp.ltv_rial = c.ltv_rial, cp.order_count = c.order_count,
      cp.last_order_at = c.last_order_at, cp.avg_interval_days = c.avg_interval_days, cp.p_alive = c.p_alive, cp.p_alive_previous = c.p_alive_previous`.execute(db);
  for (const [name, columns] of SERVING_INDEXES) await db.schema.createIndex(name).on("customer_partners").columns(["brand_id", "partner_id", ...columns]).execute();
  await db.schema.createIndex("customer_needs_customer_open").on("customer_needs").columns(["customer_id", "status", "brand_id", "product_id", "last_follow_up_at", "created_at"]).execute();
  await db.schema.dropIndex("customer_needs_customer_status").on("customer_needs").execute();
  await db.schema.createIndex("customers_brand_tier_province").on("customers").columns(["brand_id", "value_tier", "province", "name_key"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("customers_brand_tier_province").on("customers").execute();
  await db.schema.createIndex("customer_needs_customer_status").on("customer_needs").columns(["customer_id", "status"]).execute();
  await db.schema.dropIndex("customer_needs_customer_open").on("customer_needs").execute();
  for (const [name] of SERVING_INDEXES) await db.schema.dropIndex(name).on("customer_partners").execute();
  await db.schema
    .alterTable("customer_partners")
    .dropColumn("value_tier")
    .dropColumn("last_contact_at")
    .dropColumn("ltv_rial")
    .dropColumn("order_count")
    .dropColumn("last_order_at")
    .dropColumn("avg_interval_days")
    .dropColumn("p_alive")
    .dropColumn("p_alive_previous")
    .execute();
}
