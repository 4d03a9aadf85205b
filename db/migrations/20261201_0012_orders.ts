import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// Orders grow from the header customer value reads into the partner's order tools: lines priced on
// the server, honest promise dates, a submit that is idempotent per checkout, approvals and a status
// history. Existing orders keep their ids and totals; each gets one line (see the data step).
const id = "char(26)";
const money = "bigint";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("orders")
    .addColumn("created_by_user_id", id)
    .addColumn("ship_to", "varchar(16)", (c) => c.notNull().defaultTo("partner"))
    .addColumn("hide_prices_on_slip", "boolean", (c) => c.notNull().defaultTo(false))
    // One key per checkout: retries and double clicks find the order the first request made.
    .addColumn("idempotency_key", "varchar(64)")
    .addColumn("discount_rial", money, (c) => c.notNull().defaultTo(0))
    .addColumn("approval_reason", "varchar(32)")
    .addColumn("decided_by_user_id", id)
    .addColumn("decided_at", time)
    .addColumn("decision_reason", "varchar(500)")
    .addColumn("promised_ship_on", "date")
    .addColumn("promised_delivery_on", "date")
    .addColumn("shipped_on", "date")
    .addColumn("delivered_on", "date")
    .addColumn("updated_at", time)
    // "awaiting_approval" is longer than the 16 the header was made with.
    .modifyColumn("status", "varchar(24)", (c) => c.notNull())
    .execute();
  // NULL keys (orders from before this slice) never collide.
  await db.schema.createIndex("orders_idempotency").on("orders").columns(["brand_id", "created_by_user_id", "idempotency_key"]).unique().execute();
  await db.schema.createIndex("orders_brand_status").on("orders").columns(["brand_id", "status", "placed_at"]).execute();

  await db.schema.alterTable("partners").addColumn("credit_limit_rial", money).execute();
  await db.schema.alterTable("brands").addColumn("discount_approval_bp", "integer", (c) => c.notNull().defaultTo(3000)).execute();

  await db.schema
    .createTable("order_lines")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("order_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("sort", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: group id → value id, and personalisation field id → text, as validated at submit.
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("personalisation", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("unit_list_rial", money, (c) => c.notNull())
    .addColumn("unit_net_rial", money, (c) => c.notNull())
    .addColumn("discount_rial", money, (c) => c.notNull())
    .addColumn("line_total_rial", money, (c) => c.notNull())
    .addColumn("line_margin_rial", money, (c) => c.notNull())
    .addColumn("source", "varchar(16)", (c) => c.notNull())
    // JSON [{day, units}] taken from the capacity ledger, so a cancellation gives back exactly that.
    .addColumn("production", "text")
    .addColumn("promised_ship_on", "date")
    .addColumn("promised_delivery_on", "date")
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("order_lines_order").on("order_lines").columns(["order_id", "sort"]).execute();

  await db.schema
    .createTable("order_status_history")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("order_id", id, (c) => c.notNull())
    .addColumn("status", "varchar(24)", (c) => c.notNull())
    .addColumn("user_id", id)
    .addColumn("reason", "varchar(500)")
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("order_status_history_order").on("order_status_history").columns(["order_id", "created_at"]).execute();

  await db.schema
    .createTable("carts")
    .addColumn("user_id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    // null: an order for the partner's own stock
    .addColumn("customer_id", id)
    .addColumn("ship_to", "varchar(16)", (c) => c.notNull().defaultTo("partner"))
    .addColumn("hide_prices_on_slip", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("cart_lines")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("product_id", id, (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("personalisation", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("cart_lines_user").on("cart_lines").columns(["user_id", "created_at"]).execute();

  // Data step (deterministic): every existing order gets one line of its brand's first (active) product by
  // SKU at the order's own total, and a history entry for its status. The line and history ids reuse
  // the order's id (one of each per order, in tables of their own). Brands without products are left
  // to the demo seed, which does the same after writing its catalogue.
  await sql`insert into order_lines (id, brand_id, order_id, product_id, sort, options, personalisation, quantity, unit_list_rial, unit_net_rial, discount_rial, line_total_rial, line_margin_rial, source)
    select o.id, o.brand_id, o.id, p.id, 0, '{}', '{}', 1, o.total_rial, o.total_rial, 0, o.total_rial, o.margin_rial, 'stock'
    from orders o join products p on p.id = (select p2.id from products p2 where p2.brand_id = o.brand_id order by p2.active desc, p2.sku, p2.id limit 1)`.execute(db);
  await sql`insert into order_status_history (id, brand_id, order_id, status, created_at) select id, brand_id, id, status, placed_at from orders`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["cart_lines", "carts", "order_status_history", "order_lines"]) await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable("brands").dropColumn("discount_approval_bp").execute();
  await db.schema.alterTable("partners").dropColumn("credit_limit_rial").execute();
  await db.schema.dropIndex("orders_brand_status").on("orders").execute();
  await db.schema.dropIndex("orders_idempotency").on("orders").execute();
  // Statuses the old header did not know fold back into the nearest one that fits.
  await sql`update orders set status = 'submitted' where status = 'awaiting_approval'`.execute(db);
  await db.schema
    .alterTable("orders")
    .dropColumn("created_by_user_id")
    .dropColumn("ship_to")
    .dropColumn("hide_prices_on_slip")
    .dropColumn("idempotency_key")
    .dropColumn("discount_rial")
    .dropColumn("approval_reason")
    .dropColumn("decided_by_user_id")
    .dropColumn("decided_at")
    .dropColumn("decision_reason")
    .dropColumn("promised_ship_on")
    .dropColumn("promised_delivery_on")
    .dropColumn("shipped_on")
    .dropColumn("delivered_on")
    .dropColumn("updated_at")
    .modifyColumn("status", "varchar(16)", (c) => c.notNull())
    .execute();
}
