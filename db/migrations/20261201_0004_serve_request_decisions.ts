import { sql, type Kysely } from "kysely";

// Frozen in time: never import app code here.
const id = "char(26)";
const time = "datetime(3)";

/**
 * Every request to serve a customer goes to a decision: first to the partner that owned the
 * customer when the request was made, for the brand's number of days, then to the channel team.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("brands")
    .addColumn("owner_decision_days", "integer", (c) => c.notNull().defaultTo(3))
    .execute();
  await db.schema
    .alterTable("serve_requests")
    .addColumn("owner_partner_id", id)
    .addColumn("owner_deadline", time)
    .addColumn("decided_by_owner", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("escalated_at", time)
    .execute();
  // Requests made before this change went to the channel team at once, which was told of them then.
  await sql`update serve_requests set escalated_at = created_at`.execute(db);
  await db.schema.createIndex("serve_requests_owner").on("serve_requests").columns(["owner_partner_id", "status", "created_at"]).execute();
  await db.schema.createIndex("serve_requests_partner").on("serve_requests").columns(["partner_id", "created_at"]).execute();
  await db.schema.createIndex("serve_requests_escalation").on("serve_requests").columns(["brand_id", "status", "escalated_at", "owner_deadline"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("serve_requests_escalation").on("serve_requests").execute();
  await db.schema.dropIndex("serve_requests_partner").on("serve_requests").execute();
  await db.schema.dropIndex("serve_requests_owner").on("serve_requests").execute();
  await db.schema.alterTable("serve_requests").dropColumn("owner_partner_id").dropColumn("owner_deadline").dropColumn("decided_by_owner").dropColumn("escalated_at").execute();
  await db.schema.alterTable("brands").dropColumn("owner_decision_days").execute();
}
