import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const hash = "char(64)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  // The language the user's e-mails are written in: the language they last signed in with.
  await db.schema.alterTable("users").addColumn("locale", "varchar(5)", (c) => c.notNull().defaultTo("fa")).execute();

  // Messages to other systems (e-mail now, the ERP later), written in the transaction of the change
  // they tell of and delivered by a worker: retried with backoff, never sent again once sent.
  await db.schema
    .createTable("outbox")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id)
    .addColumn("channel", "varchar(20)", (c) => c.notNull())
    // Messages with the same key are delivered one after another, in id order; null: no order needed.
    .addColumn("ordering_key", "varchar(100)")
    .addColumn("payload", sql`mediumtext`)
    // Payloads carrying a secret (a sign-in link) are emptied once delivered or given up.
    .addColumn("erase_payload", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("status", "varchar(10)", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", time, (c) => c.notNull())
    .addColumn("claimed_by", "char(26)")
    .addColumn("claimed_until", time)
    .addColumn("last_error", "varchar(1000)")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("sent_at", time)
    .modifyEnd(utf8)
    .execute();
  // The worker polls across brands, so status leads here rather than the tenant column.
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_claim").on("outbox").columns(["claimed_by"]).execute();
  await db.schema.createIndex("outbox_ordering").on("outbox").columns(["ordering_key", "status", "id"]).execute();
  await db.schema.createIndex("outbox_brand").on("outbox").columns(["brand_id", "created_at"]).execute();

  // A link to set a new password: only the SHA-256 of its token is kept; single use, short-lived.
  await db.schema
    .createTable("password_resets")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("token_hash", hash, (c) => c.notNull().unique())
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("used_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").columns(["user_id", "used_at"]).execute();

  // One digest per user per day (Tehran calendar): the primary key makes a second run a no-op.
  await db.schema
    .createTable("mail_digests")
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("outbox_id", id, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("mail_digests_pk", ["user_id", "day"])
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["mail_digests", "password_resets", "outbox"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
