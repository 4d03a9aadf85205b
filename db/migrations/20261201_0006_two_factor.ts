import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const hash = "char(64)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("brands").addColumn("require_two_factor", "boolean", (c) => c.notNull().defaultTo(false)).execute();

  // One row per user who started setting up two-factor sign-in; enabled_at stays null until a code confirms it.
  await db.schema
    .createTable("user_two_factor")
    .addColumn("user_id", id, (c) => c.primaryKey())
    .addColumn("secret_enc", "varchar(255)", (c) => c.notNull())
    .addColumn("last_step", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("enabled_at", time)
    // Wrong codes in the current window, whichever page they were typed on.
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failures_since", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();

  await db.schema
    .createTable("user_recovery_codes")
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("code_hash", hash, (c) => c.notNull())
    .addColumn("used_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("user_recovery_codes_pk", ["user_id", "code_hash"])
    .modifyEnd(utf8)
    .execute();

  // A password accepted for an account with two-factor: the second step, held server-side so its
  // attempts can be counted; the browser holds only a random token in a short-lived signed cookie.
  await db.schema
    .createTable("sign_in_challenges")
    .addColumn("id", hash, (c) => c.primaryKey())
    .addColumn("user_id", id, (c) => c.notNull())
    .addColumn("redirect_to", "varchar(2000)", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("sign_in_challenges_user").on("sign_in_challenges").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["sign_in_challenges", "user_recovery_codes", "user_two_factor"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("brands").dropColumn("require_two_factor").execute();
}
