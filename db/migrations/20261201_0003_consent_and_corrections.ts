import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

export async function up(db: Kysely<any>): Promise<void> {
  // How the customer gave (or withdrew) consent; null on events recorded at registration before this.
  await db.schema
    .alterTable("consent_events")
    .addColumn("channel", "varchar(16)")
    .addColumn("given_at", time)
    .addColumn("note", "varchar(500)")
    .execute();

  // A serving partner's proposed change to a customer record it does not own; the owner decides.
  await db.schema
    .createTable("customer_corrections")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("brand_id", id, (c) => c.notNull())
    .addColumn("customer_id", id, (c) => c.notNull())
    .addColumn("partner_id", id, (c) => c.notNull())
    .addColumn("proposed_by_user_id", id, (c) => c.notNull())
    .addColumn("changes", "text", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("decided_by_user_id", id)
    .addColumn("decision_reason", "varchar(500)")
    .addColumn("decided_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .modifyEnd(utf8)
    .execute();
  await db.schema.createIndex("customer_corrections_customer").on("customer_corrections").columns(["customer_id", "status", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("customer_corrections").ifExists().execute();
  await db.schema.alterTable("consent_events").dropColumn("channel").dropColumn("given_at").dropColumn("note").execute();
}
