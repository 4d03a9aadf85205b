import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

async function binaryKey(db: Kysely<any>, table: string, column: string, length: number, nullable = false) {
  await sql`alter table ${sql.table(table)} modify ${sql.ref(column)} varchar(${sql.raw(String(length))}) character set utf8mb4 collate utf8mb4_bin ${sql.raw(nullable ? "null" : "not null")}`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("brands")
    .addColumn("protection_days", "integer", (c) => c.notNull().defaultTo(90))
    .addColumn("value_tier_a_rial", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("value_tier_b_rial", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("values_computed_at", time)
    .execute();

  await db.schema
    .createTable("customers")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("display_name", "varchar(200)", (c) => c.notNull())
    .addColumn("name_key", "varchar(200)", (c) => c.notNull())
    .addColumn("name_alt_key", "varchar(200)", (c) => c.notNull())
    .addColumn("phone", "varchar(20)", (c) => c.notNull())
    .addColumn("email", "varchar(254)")
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("city", "varchar(100)", (c) => c.notNull())
    .addColumn("city_key", "varchar(100)", (c) => c.notNull())
    .addColumn("preferred_locale", "varchar(2)", (c) => c.notNull().defaultTo("fa"))
    .addColumn("preferred_channel", "varchar(16)", (c) => c.notNull().defaultTo("phone"))
    .addColumn("preferred_times", "varchar(200)")
    .addColumn("consent_partner_contact", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("consent_brand_contact", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("consent_share_partners", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("registered_by_partner_id", id)
    .addColumn("registered_at", time, (c) => c.notNull())
    .addColumn("created_by_user_id", id)
    .addColumn("last_contact_at", time)
    .addColumn("order_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("monetary_rial", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("ltv_rial", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("value_tier", "char(1)")
    .addColumn("first_order_at", time)
    .addColumn("last_order_at", time)
    .addColumn("avg_interval_days", "integer")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await binaryKey(db, "customers", "name_key", 200);
  await binaryKey(db, "customers", "name_alt_key", 200);
  await binaryKey(db, "customers", "city_key", 100);
  await db.schema.createIndex("customers_brand_phone").on("customers").columns(["brand_id", "phone"]).unique().execute();
  await db.schema.createIndex("customers_brand_email").on("customers").columns(["brand_id", "email"]).unique().execute();
  await db.schema.createIndex("customers_brand_name").on("customers").columns(["brand_id", "name_key"]).execute();
  await db.schema.createIndex("customers_brand_name_alt").on("customers").columns(["brand_id", "name_alt_key"]).execute();
  await db.schema.createIndex("customers_brand_city").on("customers").columns(["brand_id", "city_key"]).execute();
  await db.schema.createIndex("customers_brand_province").on("customers").columns(["brand_id", "province", "name_key"]).execute();
  await db.schema.createIndex("customers_brand_tier").on("customers").columns(["brand_id", "value_tier", "name_key"]).execute();
  await db.schema.createIndex("customers_brand_contact").on("customers").columns(["brand_id", "last_contact_at"]).execute();
  await db.schema.createIndex("customers_brand_ltv").on("customers").columns(["brand_id", "ltv_rial"]).execute();

  // Which partners serve a customer; the registrant is one of them.
  await db.schema
    .createTable("customer_partners")
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("since", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("customer_partners_pk", ["customer_id", "partner_id"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("customer_partners_partner").on("customer_partners").columns(["partner_id", "customer_id"]).execute();

  await db.schema
    .createTable("consent_events")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("purpose", "varchar(24)", (c) => c.notNull())
    .addColumn("granted", "boolean", (c) => c.notNull())
    .addColumn("user_id", id)
    .addColumn("partner_id", id)
    .addColumn("recorded_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("consent_events_customer").on("consent_events").columns(["customer_id", "recorded_at"]).execute();

  await db.schema
    .createTable("need_categories")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("name_fa", "varchar(120)", (c) => c.notNull())
    .addColumn("name_en", "varchar(120)", (c) => c.notNull())
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("need_categories_brand").on("need_categories").columns(["brand_id", "sort"]).execute();

  // The brand's products, as far as needs refer to them; the catalog grows this table.
  await db.schema
    .createTable("products")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("sku", "varchar(40)", (c) => c.notNull())
    .addColumn("name_fa", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(200)", (c) => c.notNull())
    .addColumn("category_id", id)
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("products_brand_sku").on("products").columns(["brand_id", "sku"]).unique().execute();

  await db.schema
    .createTable("customer_needs")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("priority", "varchar(8)", (c) => c.notNull())
    .addColumn("status", "varchar(10)", (c) => c.notNull())
    .addColumn("product_id", id)
    .addColumn("recorded_by_user_id", id, (c) => c.notNull())
    .addColumn("last_follow_up_at", time)
    .addColumn("status_changed_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("customer_needs_customer").on("customer_needs").columns(["customer_id", "created_at"]).execute();
  await db.schema.createIndex("customer_needs_brand_status").on("customer_needs").columns(["brand_id", "status", "category_id"]).execute();

  await db.schema
    .createTable("preference_keys")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("label_fa", "varchar(120)", (c) => c.notNull())
    .addColumn("label_en", "varchar(120)", (c) => c.notNull())
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("customer_preferences")
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("key_id", id, (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("value", "varchar(200)", (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("customer_preferences_pk", ["customer_id", "key_id"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("interactions")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("user_id", id)
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("channel", "varchar(16)", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("need_id", id)
    .addColumn("occurred_at", time, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("interactions_customer").on("interactions").columns(["customer_id", "occurred_at"]).execute();

  // Order headers as far as customer value needs them; the order tools extend this table.
  await db.schema
    .createTable("orders")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("customer_id", id)
    .addColumn("number", "varchar(20)", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("total_rial", "bigint", (c) => c.notNull())
    .addColumn("margin_rial", "bigint", (c) => c.notNull())
    .addColumn("placed_at", time, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("orders_brand_number").on("orders").columns(["brand_id", "number"]).unique().execute();
  await db.schema.createIndex("orders_customer").on("orders").columns(["customer_id", "placed_at"]).execute();
  await db.schema.createIndex("orders_brand_partner").on("orders").columns(["brand_id", "partner_id", "placed_at"]).execute();

  await db.schema
    .createTable("serve_requests")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("requested_by_user_id", id, (c) => c.notNull())
    .addColumn("reason", "varchar(1000)", (c) => c.notNull())
    .addColumn("status", "varchar(12)", (c) => c.notNull())
    .addColumn("decided_by_user_id", id)
    .addColumn("decision_reason", "varchar(1000)")
    .addColumn("decided_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("serve_requests_brand_status").on("serve_requests").columns(["brand_id", "status", "created_at"]).execute();
  await db.schema.createIndex("serve_requests_customer").on("serve_requests").columns(["customer_id", "partner_id"]).execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("kind", "varchar(40)", (c) => c.notNull())
    .addColumn("params", "text")
    .addColumn("link", "varchar(200)")
    .addColumn("read_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("notifications_brand_partner").on("notifications").columns(["brand_id", "partner_id", "created_at"]).execute();

  await db.schema
    .createTable("segments")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("created_by_user_id", id, (c) => c.notNull())
    .addColumn("name", "varchar(120)", (c) => c.notNull())
    .addColumn("filters", "text", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("segments_brand_partner").on("segments").columns(["brand_id", "partner_id"]).execute();

  await db.schema
    .createTable("import_jobs")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("file_key", "varchar(200)", (c) => c.notNull())
    .addColumn("file_name", "varchar(200)", (c) => c.notNull())
    .addColumn("file_sha256", "char(64)", (c) => c.notNull())
    .addColumn("headers", "text", (c) => c.notNull())
    .addColumn("mapping", "text")
    .addColumn("mode", "varchar(16)")
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("total_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("processed_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("valid_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("existing_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("errors", sql`mediumtext`)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("import_jobs_brand_partner").on("import_jobs").columns(["brand_id", "partner_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["import_jobs", "segments", "notifications", "serve_requests", "orders", "interactions", "customer_preferences", "preference_keys", "customer_needs", "products", "need_categories", "consent_events", "customer_partners", "customers"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("brands").dropColumn("protection_days").dropColumn("value_tier_a_rial").dropColumn("value_tier_b_rial").dropColumn("values_computed_at").execute();
}
