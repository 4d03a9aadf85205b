import type { LoaderFunctionArgs } from "@remix-run/node";
import { resources } from "~/i18n";
import { getLocale } from "~/i18n.server";
import { parseAuditFilters } from "~/models/audit-filters";
import { exportAuditCsv } from "~/models/audit.server";
import { csvDate } from "~/models/customer-export.server";
import { requirePermission } from "~/utils/auth.server";
import { csvDownload, invariantResponse } from "~/utils/http.server";

/** GET with the audit page's query string: the brand's log, filtered, as a CSV download. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "audit.export");
  const locale = await getLocale(request);
  const { filters, errors } = parseAuditFilters(new URL(request.url).searchParams, locale);
  invariantResponse(Object.keys(errors).length === 0, 400);
  const body = await exportAuditCsv(actor, filters, locale);
  const name = `${resources[locale].common.audit.file_name}-${csvDate(new Date(), locale).replaceAll("/", "-")}.csv`;
  return csvDownload(body, name, "audit-log.csv");
}
