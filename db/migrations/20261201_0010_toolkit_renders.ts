import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

/**
 * Co-brand files a partner made: one row per render (or cache hit), so the partner can fetch its
 * earlier files again after the toolkit moves on to a new version. The file itself is in storage
 * (shared by identical renders); the row says whose it is. A "material sent" touchpoint names the
 * toolkit it came from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("toolkit_renders")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("toolkit_id", id, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("template_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("customer_id", id)
    .addColumn("format", "varchar(16)", (c) => c.notNull())
    .addColumn("storage_key", "varchar(200)", (c) => c.notNull())
    .addColumn("mime", "varchar(40)", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("file_name", "varchar(255)", (c) => c.notNull())
    .addColumn("cached", "boolean", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("toolkit_renders_partner").on("toolkit_renders").columns(["brand_id", "partner_id", "toolkit_id", "created_at"]).execute();
  await db.schema.alterTable("interactions").addColumn("toolkit_id", id).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("interactions").dropColumn("toolkit_id").execute();
  await db.schema.dropTable("toolkit_renders").execute();
}
