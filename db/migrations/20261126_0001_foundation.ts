import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here. utf8mb4 everywhere, app-generated ids,
// every table has a primary key, no triggers or cascading deletes (portable to TiDB/Vitess).
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("brands")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("name_fa", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(200)", (c) => c.notNull())
    .addColumn("money_unit", "varchar(8)", (c) => c.notNull().defaultTo("rial"))
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("partners")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("name_fa", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(200)", (c) => c.notNull())
    .addColumn("name_key", "varchar(400)", (c) => c.notNull())
    .addColumn("type", "varchar(16)", (c) => c.notNull())
    .addColumn("parent_id", id)
    .addColumn("tier", "varchar(16)", (c) => c.notNull())
    .addColumn("province", "varchar(100)", (c) => c.notNull())
    .addColumn("city", "varchar(100)", (c) => c.notNull())
    .addColumn("phone", "varchar(20)")
    .addColumn("address", "varchar(500)")
    .addColumn("cobrand_name", "varchar(200)")
    .addColumn("cobrand_message", "varchar(500)")
    .addColumn("website", "varchar(200)")
    .addColumn("logo_key", "varchar(200)")
    .addColumn("logo_mime", "varchar(40)")
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await sql`alter table partners modify name_key varchar(400) character set utf8mb4 collate utf8mb4_bin not null`.execute(db);
  await db.schema.createIndex("partners_brand_name").on("partners").columns(["brand_id", "name_key"]).execute();
  await db.schema.createIndex("partners_brand_parent").on("partners").columns(["brand_id", "parent_id"]).execute();
  await db.schema.createIndex("partners_brand_tier").on("partners").columns(["brand_id", "tier"]).execute();

  await db.schema
    .createTable("users")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("partner_id", id)
    .addColumn("email", "varchar(254)", (c) => c.notNull().unique())
    .addColumn("display_name", "varchar(120)", (c) => c.notNull())
    .addColumn("name_key", "varchar(240)", (c) => c.notNull())
    .addColumn("role", "varchar(24)", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("password_hash", "varchar(200)")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await sql`alter table users modify name_key varchar(240) character set utf8mb4 collate utf8mb4_bin not null`.execute(db);
  await db.schema.createIndex("users_brand_partner").on("users").columns(["brand_id", "partner_id"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "char(64)", (c) => c.primaryKey()) // sha256 of the cookie token
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("last_seen_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("token_hash", "char(64)", (c) => c.notNull().unique())
    .addColumn("invited_by", id, (c) => c.notNull())
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("used_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("invitations_user").on("invitations").column("user_id").execute();

  await db.schema
    .createTable("login_throttle")
    .addColumn("key_hash", "char(64)", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("window_started_at", time, (c) => c.notNull())
    .addColumn("locked_until", time)
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id)
    .addColumn("actor_user_id", id)
    .addColumn("partner_id", id)
    .addColumn("action", "varchar(60)", (c) => c.notNull())
    .addColumn("target_type", "varchar(40)")
    .addColumn("target_id", "varchar(40)")
    .addColumn("details", "text")
    .addColumn("ip", "varchar(64)")
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("audit_brand_time").on("audit_log").columns(["brand_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["audit_log", "login_throttle", "invitations", "sessions", "users", "partners", "brands"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
