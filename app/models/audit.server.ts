import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";

export interface AuditEntry {
  brandId: string | null;
  actorUserId: string | null;
  partnerId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export async function audit(entry: AuditEntry, trx: Kysely<DB> | Transaction<DB> = db()): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      id: newId(),
      brand_id: entry.brandId,
      actor_user_id: entry.actorUserId,
      partner_id: entry.partnerId ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      ip: entry.ip ?? null,
      created_at: new Date(),
    })
    .execute();
}

export async function listAudit(brandId: string, page: number, pageSize = 50) {
  const rows = await db()
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.actor_user_id")
    .select(["audit_log.id", "audit_log.action", "audit_log.target_type", "audit_log.target_id", "audit_log.details", "audit_log.ip", "audit_log.created_at", "users.display_name as actor_name"])
    .where("audit_log.brand_id", "=", brandId)
    .orderBy("audit_log.created_at", "desc")
    .orderBy("audit_log.id", "desc")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}
