import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
// - login_throttle is rebuilt for growing delays: it only holds short-lived counters, so nothing is
//   lost by starting it empty. `claim` marks which attempt reserved the row's current step, and the
//   prev_* columns let that attempt give its step back (a success, or a refusal by another key).
// - User e-mails are unique per brand, not system-wide: one person may work for two brands, and an
//   invitation must not reveal that an address exists in another brand.
// - A notification may be addressed to one user (sign-in warnings).
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_throttle").execute();
  await db.schema
    .createTable("login_throttle")
    .addColumn("key_hash", "char(64)", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", time, (c) => c.notNull())
    .addColumn("blocked_until", time)
    .addColumn("claim", id)
    .addColumn("prev_failures", "integer", (c) => c.notNull())
    .addColumn("prev_last_failure_at", time)
    .addColumn("prev_blocked_until", time)
    .addColumn("alerted_at", time)
    .modifyEnd(utf8)
    .execute();

  await db.schema.alterTable("users").dropIndex("email").execute();
  await db.schema.createIndex("users_brand_email").on("users").columns(["brand_id", "email"]).unique().execute();
  await db.schema.createIndex("users_email").on("users").column("email").execute();

  await db.schema.alterTable("notifications").addColumn("user_id", id).execute();
  await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("notifications_user").on("notifications").execute();
  await db.schema.alterTable("notifications").dropColumn("user_id").execute();

  // Fails while one address has accounts in two brands: those must be resolved by hand first.
  await db.schema.dropIndex("users_email").on("users").execute();
  await db.schema.dropIndex("users_brand_email").on("users").execute();
  await db.schema.createIndex("email").on("users").column("email").unique().execute();

  await db.schema.dropTable("login_throttle").execute();
  await db.schema
    .createTable("login_throttle")
    .addColumn("key_hash", "char(64)", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("window_started_at", time, (c) => c.notNull())
    .addColumn("locked_until", time)
    .modifyEnd(utf8)
    .execute();
}
