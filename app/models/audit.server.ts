import { stringify } from "csv-stringify/sync";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import type { Locale } from "~/domain/format";
import { can, type Actor } from "~/domain/permissions";
import { resources } from "~/i18n";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { AuditFilters } from "./audit-filters";
import { csvDate } from "./customer-export.server";
import { assertCan, auditScope, partnerScope } from "./scope.server";

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

/** Entries the actor may see that match the filters, newest first, with who did it and for which partner. */
function auditEntries(actor: Actor, filters: AuditFilters) {
  let query = db()
    .selectFrom("audit_log")
    .leftJoin("users", (j) => j.onRef("users.id", "=", "audit_log.actor_user_id").onRef("users.brand_id", "=", "audit_log.brand_id"))
    .leftJoin("partners", (j) => j.onRef("partners.id", "=", "audit_log.partner_id").onRef("partners.brand_id", "=", "audit_log.brand_id"))
    .select([
      "audit_log.id",
      "audit_log.action",
      "audit_log.target_type",
      "audit_log.target_id",
      "audit_log.details",
      "audit_log.ip",
      "audit_log.created_at",
      "users.display_name as actor_name",
      "partners.name_fa as partner_name_fa",
      "partners.name_en as partner_name_en",
    ])
    .where(auditScope(actor));
  if (filters.action) query = query.where("audit_log.action", "=", filters.action);
  if (filters.userId) query = query.where("audit_log.actor_user_id", "=", filters.userId);
  if (filters.partnerId) query = query.where("audit_log.partner_id", "=", filters.partnerId);
  if (filters.from) query = query.where("audit_log.created_at", ">=", filters.from);
  if (filters.to) query = query.where("audit_log.created_at", "<", filters.to);
  return query;
}

export async function listAudit(actor: Actor, filters: AuditFilters, page: number, pageSize = 50) {
  assertCan(actor, "audit.view");
  const rows = await auditEntries(actor, filters)
    .orderBy("audit_log.created_at", "desc")
    .orderBy("audit_log.id", "desc")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  return { rows: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

/** The people and partners the brand's filter offers; partner users have no such filter. */
export async function auditFilterOptions(actor: Actor) {
  if (!can(actor, "audit.export")) return { users: [], partners: [] };
  const [users, partners] = await Promise.all([
    db().selectFrom("users").select(["id", "display_name", "email"]).where(partnerScope(actor, "users.partner_id", "users.brand_id")).orderBy("display_name").execute(),
    db().selectFrom("partners").select(["id", "name_fa", "name_en"]).where(partnerScope(actor, "partners.id", "partners.brand_id")).orderBy("name_fa").execute(),
  ]);
  return { users, partners };
}

/** Rows fetched per query while streaming an export. */
export const AUDIT_EXPORT_PAGE_ROWS = 1000;

const AUDIT_CSV_COLUMNS = ["when", "who", "partner", "action", "target", "ip", "details"] as const;

const timeFormat = new Intl.DateTimeFormat("en-GB-u-nu-latn", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Asia/Tehran" });

/**
 * The filtered log as CSV for spreadsheets: a UTF-8 BOM, headers in the viewer's language, times
 * in Tehran (Jalali days for fa), cells that a spreadsheet would run as a formula neutralised.
 * Read page by page (keyset on time and id) as the client downloads. The export is itself audited.
 */
export async function exportAuditCsv(actor: Actor, filters: AuditFilters, locale: Locale): Promise<ReadableStream<Uint8Array>> {
  assertCan(actor, "audit.export");
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "audit.exported", details: { ...filters } });
  const t = resources[locale].common.audit;
  const actions: Record<string, string> = t.actions;
  const encoder = new TextEncoder();
  const options = { record_delimiter: "windows" as const, escape_formulas: true };
  let last: { at: Date; id: string } | null = null;
  let headerSent = false;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${stringify([AUDIT_CSV_COLUMNS.map((c) => t.csv[c])], options)}`));
        return;
      }
      let query = auditEntries(actor, filters);
      if (last) {
        const { at, id } = last;
        query = query.where((eb) => eb.or([eb("audit_log.created_at", "<", at), eb.and([eb("audit_log.created_at", "=", at), eb("audit_log.id", "<", id)])]));
      }
      const rows = await query.orderBy("audit_log.created_at", "desc").orderBy("audit_log.id", "desc").limit(AUDIT_EXPORT_PAGE_ROWS).execute();
      if (rows.length) {
        const tail = rows[rows.length - 1];
        last = { at: tail.created_at, id: tail.id };
        const records = rows.map((r) => [
          `${csvDate(r.created_at, locale)} ${timeFormat.format(r.created_at)}`,
          r.actor_name ?? "",
          (locale === "fa" ? r.partner_name_fa : r.partner_name_en) ?? "",
          actions[r.action] ?? r.action,
          r.target_type ? `${r.target_type}:${r.target_id ?? ""}` : "",
          r.ip ?? "",
          r.details ?? "",
        ]);
        controller.enqueue(encoder.encode(stringify(records, options)));
      }
      if (rows.length < AUDIT_EXPORT_PAGE_ROWS) controller.close();
    },
  });
}
