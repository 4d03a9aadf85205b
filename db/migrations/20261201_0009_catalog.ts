import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// The catalogue grows the products table the needs already point at (ids kept) and adds what the
// partner's net price and an honest promise date are computed from. Money is integer Rial (BIGINT),
// discounts are basis points (1/100 of a percent).
const id = "char(26)";
const money = "bigint";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("products")
    .addColumn("description_fa", "text")
    .addColumn("description_en", "text")
    .addColumn("unit", "varchar(16)", (c) => c.notNull().defaultTo("piece"))
    .addColumn("list_price_rial", money, (c) => c.notNull().defaultTo(0))
    .addColumn("retail_price_rial", money, (c) => c.notNull().defaultTo(0))
    // Brand-only: the model layer never selects it for partner users.
    .addColumn("cost_rial", money, (c) => c.notNull().defaultTo(0))
    .addColumn("image_key", "varchar(200)")
    .addColumn("image_mime", "varchar(40)")
    .addColumn("search_key", "varchar(500)", (c) => c.notNull().defaultTo(""))
    .addColumn("fulfilment", "varchar(16)", (c) => c.notNull().defaultTo("stock"))
    .addColumn("stock_on_hand", "integer", (c) => c.notNull().defaultTo(0))
    // Taken by conditional updates when orders are submitted (never above on hand).
    .addColumn("stock_reserved", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("daily_capacity", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lead_time_days", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("handling_days", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", time)
    .execute();
  // Existing rows: a search key close to the app's normaliser (names are stored in display form
  // already); the app rewrites it exactly whenever a product is saved.
  await sql`update products set search_key = lower(replace(replace(concat_ws(' ', sku, name_fa, name_en), '\u200C', ' '), 'آ', 'ا'))`.execute(db);
  await db.schema.createIndex("products_brand_search").on("products").columns(["brand_id", "search_key"]).execute();
  await db.schema.createIndex("products_brand_category").on("products").columns(["brand_id", "category_id"]).execute();

  await db.schema.alterTable("brands").addColumn("default_transit_days", "integer", (c) => c.notNull().defaultTo(5)).execute();

  await db.schema
    .createTable("product_option_groups")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("name_fa", "varchar(80)", (c) => c.notNull())
    .addColumn("name_en", "varchar(80)", (c) => c.notNull())
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("product_option_groups_product").on("product_option_groups").columns(["brand_id", "product_id", "sort"]).execute();

  await db.schema
    .createTable("product_option_values")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("group_id", id, (c) => c.notNull())
    .addColumn("label_fa", "varchar(80)", (c) => c.notNull())
    .addColumn("label_en", "varchar(80)", (c) => c.notNull())
    .addColumn("price_delta_rial", money, (c) => c.notNull().defaultTo(0))
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("product_option_values_product").on("product_option_values").columns(["brand_id", "product_id", "group_id"]).execute();

  await db.schema
    .createTable("product_personalisations")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("label_fa", "varchar(80)", (c) => c.notNull())
    .addColumn("label_en", "varchar(80)", (c) => c.notNull())
    .addColumn("max_length", "integer", (c) => c.notNull())
    .addColumn("extra_price_rial", money, (c) => c.notNull().defaultTo(0))
    .addColumn("required", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("product_personalisations_product").on("product_personalisations").columns(["brand_id", "product_id", "sort"]).execute();

  // Days in transit from the brand's warehouse to a province; others take brands.default_transit_days.
  await db.schema
    .createTable("brand_transit_days")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("province", "varchar(40)", (c) => c.notNull())
    .addColumn("days", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("brand_transit_days_pk", ["brand_id", "province"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("tier_discounts")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("tier", "varchar(16)", (c) => c.notNull())
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("discount_bp", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("tier_discounts_pk", ["brand_id", "tier", "category_id"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("partner_prices")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("net_price_rial", money, (c) => c.notNull())
    .addPrimaryKeyConstraint("partner_prices_pk", ["brand_id", "partner_id", "product_id"])
    .modifyEnd(utf8)
    .execute();

  // A break is for one product or for a whole category (exactly one of the two is set).
  await db.schema
    .createTable("volume_breaks")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("product_id", id)
    .addColumn("category_id", id)
    .addColumn("min_quantity", "integer", (c) => c.notNull())
    .addColumn("discount_bp", "integer", (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("volume_breaks_brand").on("volume_breaks").columns(["brand_id", "product_id", "category_id"]).execute();

  // Units of made-to-order production already promised per day; orders take them with conditional updates.
  await db.schema
    .createTable("capacity_ledger")
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("units_taken", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("capacity_ledger_pk", ["brand_id", "product_id", "day"])
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["capacity_ledger", "volume_breaks", "partner_prices", "tier_discounts", "brand_transit_days", "product_personalisations", "product_option_values", "product_option_groups"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("brands").dropColumn("default_transit_days").execute();
  await db.schema.dropIndex("products_brand_category").on("products").execute();
  await db.schema.dropIndex("products_brand_search").on("products").execute();
  await db.schema
    .alterTable("products")
    .dropColumn("description_fa")
    .dropColumn("description_en")
    .dropColumn("unit")
    .dropColumn("list_price_rial")
    .dropColumn("retail_price_rial")
    .dropColumn("cost_rial")
    .dropColumn("image_key")
    .dropColumn("image_mime")
    .dropColumn("search_key")
    .dropColumn("fulfilment")
    .dropColumn("stock_on_hand")
    .dropColumn("stock_reserved")
    .dropColumn("daily_capacity")
    .dropColumn("lead_time_days")
    .dropColumn("handling_days")
    .dropColumn("updated_at")
    .execute();
}
