import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const time = "datetime(3)";
const utf8 = sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`;

// Several app instances share one database: work is claimed through it, by "<instance>/<pass>",
// so an instance that shuts down can hand back exactly what it holds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").modifyColumn("claimed_by", "varchar(100)").execute();
  // The instance running an import's background step; the step's lease is updated_at (its heartbeat).
  await db.schema.alterTable("import_jobs").addColumn("claimed_by", "varchar(100)").execute();
  // Scheduled runs (e.g. a brand's value recompute): one holder at a time, a lease that the holder
  // renews while it works and that another instance may take once it has run out.
  await db.schema
    .createTable("job_claims")
    .addColumn("name", "varchar(150)", (c) => c.primaryKey())
    .addColumn("claimed_by", "varchar(100)")
    .addColumn("claimed_until", time)
    .addColumn("started_at", time)
    .addColumn("finished_at", time)
    .modifyEnd(utf8)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_claims").execute();
  await db.schema.alterTable("import_jobs").dropColumn("claimed_by").execute();
  await db.schema.alterTable("outbox").modifyColumn("claimed_by", "char(26)").execute();
}
