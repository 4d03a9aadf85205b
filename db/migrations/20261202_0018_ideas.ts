import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// The co-creation board.
// - ideas: an idea or unmet need posted by a partner user or brand staff, with the brand's status and
//   public answer. title_key is the title's search key (binary, for duplicate suggestions). A merged
//   idea keeps its row and points to the one it was merged into (merged_into_id).
// - idea_supports: one support per partner user and idea.
// - idea_customers: the end customers who asked, each linked by a partner (partner_id) or by the
//   brand (null). One row per idea, customer and linking partner.
// - idea_follow_ups: "you asked, we built": written when an idea ships, one row per linked customer
//   and the partner that is to tell them; contacted_at set when that partner has told them.
// - interactions.idea_id: the idea a timeline entry is about.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ideas")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("title_key", sql`varchar(200) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("category_id", id, (c) => c.notNull())
    .addColumn("product_id", id)
    .addColumn("status", "varchar(16)", (c) => c.notNull().defaultTo("new"))
    .addColumn("answer", "text")
    .addColumn("answered_at", time)
    .addColumn("answered_by_user_id", id)
    .addColumn("partner_id", id)
    .addColumn("created_by_user_id", id, (c) => c.notNull())
    .addColumn("merged_into_id", id)
    .addColumn("shipped_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("ideas_brand_created").on("ideas").columns(["brand_id", "merged_into_id", "created_at"]).execute();
  await db.schema.createIndex("ideas_brand_title").on("ideas").columns(["brand_id", "title_key"]).execute();

  await db.schema
    .createTable("idea_supports")
    .addColumn("idea_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("idea_supports_pk", ["idea_id", "user_id"])
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("idea_customers")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("idea_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("linked_by_user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("idea_customers_idea").on("idea_customers").columns(["idea_id", "customer_id"]).execute();
  await db.schema.createIndex("idea_customers_customer").on("idea_customers").columns(["customer_id"]).execute();

  await db.schema
    .createTable("idea_follow_ups")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("idea_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("contacted_at", time)
    .addColumn("contacted_by_user_id", id)
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("idea_follow_ups_once").on("idea_follow_ups").columns(["idea_id", "customer_id", "partner_id"]).unique().execute();
  await db.schema.createIndex("idea_follow_ups_partner").on("idea_follow_ups").columns(["brand_id", "partner_id", "contacted_at"]).execute();

  await db.schema.alterTable("interactions").addColumn("idea_id", id).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("interactions").where("kind", "in", ["idea_shipped", "idea_contacted"]).execute();
  await db.schema.alterTable("interactions").dropColumn("idea_id").execute();
  for (const table of ["idea_follow_ups", "idea_customers", "idea_supports", "ideas"]) {
    await db.schema.dropTable(table).execute();
  }
}
