// Customer lists as CSV for spreadsheets: a UTF-8 BOM (without it Excel reads Persian as
// mojibake), headers, kinds, provinces and tiers in the viewer's language, money in the brand's
// unit (named in the header), and exactly the rows and fields the viewer may see:
// the rows come from filteredCustomers (the tenant scope) and the contact fields from
// visibleCustomerColumns (consent), so a hidden phone or email is an empty cell.
import { stringify } from "csv-stringify/sync";
import { amountInUnit, type Locale } from "~/domain/format";
import type { Actor } from "~/domain/permissions";
import { formatPhoneForDisplay } from "~/domain/phone";
import { resources } from "~/i18n";
import { db } from "~/utils/db.server";
import { audit } from "./audit.server";
import type { CustomerFilters } from "./customer-filters";
import { filteredCustomers, visibleCustomerColumns } from "./customers.server";
import { assertCan } from "./scope.server";

/** Rows fetched per query; the stream holds at most a page or two in memory. */
export const EXPORT_PAGE_ROWS = 1000;

const COLUMNS = ["displayName", "kind", "phone", "email", "province", "city", "valueTier", "ltv", "orderCount", "lastContact", "registeredAt"] as const;

const dayFormats: Record<Locale, Intl.DateTimeFormat> = {
  // Jalali for fa, with ASCII digits so spreadsheets can sort and parse the column.
  fa: new Intl.DateTimeFormat("fa-IR-u-ca-persian-nu-latn", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Asia/Tehran" }),
  en: new Intl.DateTimeFormat("en-CA-u-nu-latn", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Asia/Tehran" }),
};

/** fa: 1403/01/15 (Solar Hijri), en: 2024-04-03; the day in Asia/Tehran. */
export function csvDate(d: Date | null, locale: Locale): string {
  if (!d) return "";
  const parts = Object.fromEntries(dayFormats[locale].formatToParts(d).map((p) => [p.type, p.value]));
  return [parts.year, parts.month, parts.day].join(locale === "fa" ? "/" : "-");
}

/** The download's file name, e.g. "مشتریان-1405-09-05.csv" or "customers-<segment>.csv". */
export function exportFileName(locale: Locale, label?: string): string {
  const base = label ?? resources[locale].imports.export.file_name;
  const safe = base.replace(/[\\/:*?"<>|]|\p{Cc}/gu, "").trim() || "customers";
  return `${safe}-${csvDate(new Date(), locale).replaceAll("/", "-")}.csv`;
}

/**
 * The customers matching the filters as a CSV byte stream, read page by page (keyset on id) as
 * the client downloads, so a 100k-row export never sits in memory at once.
 */
export async function exportCustomersCsv(actor: Actor, filters: CustomerFilters, locale: Locale): Promise<ReadableStream<Uint8Array>> {
  assertCan(actor, "customers.export");
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.exported", targetType: "customer" });
  const t = resources[locale];
  const { money_unit: unit } = await db().selectFrom("brands").select("money_unit").where("id", "=", actor.brandId).executeTakeFirstOrThrow();
  const header = COLUMNS.map((c) => (c === "ltv" ? `${t.imports.export.columns.ltv} (${t.common.money[unit]})` : t.imports.export.columns[c]));
  const encoder = new TextEncoder();
  const options = { record_delimiter: "windows" as const, escape_formulas: true };
  let lastId: string | null = null;
  let headerSent = false;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${stringify([header], options)}`));
        return;
      }
      let query = filteredCustomers(actor, filters, db()).select(visibleCustomerColumns(actor));
      if (lastId) query = query.where("customers.id", ">", lastId);
      const rows = await query.orderBy("customers.id").limit(EXPORT_PAGE_ROWS).execute();
      if (rows.length) {
        lastId = rows[rows.length - 1].id;
        const records = rows.map((r) => [
          r.display_name,
          t.imports.kinds[r.kind],
          r.phone ? formatPhoneForDisplay(r.phone) : "",
          r.email ?? "",
          t.common.provinces[r.province as keyof typeof t.common.provinces] ?? r.province,
          r.city,
          r.value_tier ? t.customers.tier[r.value_tier] : "",
          String(amountInUnit(r.ltv_rial, unit)),
          String(r.order_count),
          csvDate(r.last_contact_at, locale),
          csvDate(r.registered_at, locale),
        ]);
        controller.enqueue(encoder.encode(stringify(records, options)));
      }
      if (rows.length < EXPORT_PAGE_ROWS) controller.close();
    },
  });
}
