import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

/**
 * Co-branded toolkits. A toolkit's content lives in numbered versions: partners see the current
 * published one, the brand edits a draft, and earlier versions (with their asset and template rows)
 * stay so that material made from them can still be fetched. An asset or template keeps its id
 * across versions (the key is id + version), so links to it stay the same when a new version is made. Audience lists are JSON arrays so one
 * SQL expression can decide visibility; files live in storage, only their keys here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("toolkits")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("current_version", "integer")
    .addColumn("draft_version", "integer")
    .addColumn("published_at", time)
    .addColumn("search_key", "varchar(600)", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await sql`alter table toolkits modify search_key varchar(600) character set utf8mb4 collate utf8mb4_bin not null default ''`.execute(db);
  await db.schema.createIndex("toolkits_brand_status").on("toolkits").columns(["brand_id", "status", "published_at"]).execute();

  await db.schema
    .createTable("toolkit_versions")
    .addColumn("toolkit_id", id, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("title_fa", "varchar(200)", (c) => c.notNull())
    .addColumn("title_en", "varchar(200)", (c) => c.notNull())
    .addColumn("description_fa", "text", (c) => c.notNull())
    .addColumn("description_en", "text", (c) => c.notNull())
    .addColumn("starts_at", time)
    .addColumn("ends_at", time)
    .addColumn("cover_key", "varchar(200)")
    .addColumn("cover_mime", "varchar(40)")
    .addColumn("audience_all", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("audience_tiers", "varchar(200)", (c) => c.notNull().defaultTo("[]"))
    .addColumn("audience_types", "varchar(200)", (c) => c.notNull().defaultTo("[]"))
    .addColumn("audience_provinces", "varchar(1000)", (c) => c.notNull().defaultTo("[]"))
    .addColumn("audience_partner_ids", "text", (c) => c.notNull())
    .addColumn("published_at", time)
    .addColumn("published_by", id)
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("toolkit_versions_pk", ["toolkit_id", "version"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("toolkit_versions_brand").on("toolkit_versions").columns(["brand_id", "toolkit_id", "version"]).execute();

  await db.schema
    .createTable("toolkit_assets")
    .addColumn("id", id, (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("toolkit_id", id, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("language", "varchar(8)", (c) => c.notNull())
    .addColumn("storage_key", "varchar(200)", (c) => c.notNull())
    .addColumn("mime", "varchar(40)", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("file_name", "varchar(255)", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("toolkit_assets_pk", ["id", "version"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("toolkit_assets_version").on("toolkit_assets").columns(["brand_id", "toolkit_id", "version"]).execute();

  await db.schema
    .createTable("toolkit_templates")
    .addColumn("id", id, (c) => c.notNull())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("toolkit_id", id, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("name_fa", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(200)", (c) => c.notNull())
    .addColumn("lang", "varchar(8)", (c) => c.notNull())
    .addColumn("html", sql`mediumtext`, (c) => c.notNull())
    .addColumn("css", sql`mediumtext`, (c) => c.notNull())
    .addColumn("fields", "text", (c) => c.notNull())
    .addColumn("formats", "varchar(200)", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("toolkit_templates_pk", ["id", "version"])
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("toolkit_templates_version").on("toolkit_templates").columns(["brand_id", "toolkit_id", "version"]).execute();

  await db.schema
    .createTable("toolkit_events")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("toolkit_id", id, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("template_id", id)
    .addColumn("asset_id", id)
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("toolkit_events_time").on("toolkit_events").columns(["brand_id", "toolkit_id", "created_at"]).execute();
  // The overview counts every toolkit of the brand over recent days: a range on time, covered.
  await db.schema.createIndex("toolkit_events_recent").on("toolkit_events").columns(["brand_id", "created_at", "toolkit_id", "kind"]).execute();
  await db.schema.createIndex("toolkit_events_partner").on("toolkit_events").columns(["brand_id", "toolkit_id", "partner_id", "kind"]).execute();

  await db.schema
    .createTable("toolkit_visits")
    .addColumn("user_id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("visited_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["toolkit_visits", "toolkit_events", "toolkit_templates", "toolkit_assets", "toolkit_versions", "toolkits"]) {
    await db.schema.dropTable(table).execute();
  }
}
