import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// The audit log is read per partner (a partner admin's own log, the brand's partner filter) and
// per user (the brand's user filter), newest first; tenant columns lead both indexes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("audit_brand_partner_time").on("audit_log").columns(["brand_id", "partner_id", "created_at"]).execute();
  await db.schema.createIndex("audit_brand_actor_time").on("audit_log").columns(["brand_id", "actor_user_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_brand_actor_time").on("audit_log").execute();
  await db.schema.dropIndex("audit_brand_partner_time").on("audit_log").execute();
}
