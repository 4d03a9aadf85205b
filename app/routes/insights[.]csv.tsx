import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { getLocale, i18nServer } from "~/i18n.server";
import { parseInsightFilters } from "~/models/insights/filters";
import { insightData } from "~/models/insights/insights.server";
import { TABLE_KEYS, TABLES, type Ctx, type InsightColumn, type TableKey } from "~/models/insights/tables";
import { requirePermission } from "~/utils/auth.server";
import { csvDownload, invariantResponse } from "~/utils/http.server";

/**
 * GET /insights.csv?table=<key>&<the page's filters>: one table of the insights page as CSV for
 * spreadsheets, with a UTF-8 BOM (so Excel reads Persian), headers in the viewer's language and the
 * same rows as the table; numbers in ASCII digits and money in Rial, which spreadsheets can sum.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "insights.view");
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const t = await i18nServer.getFixedT(locale, "insights");
  const key = url.searchParams.get("table") ?? "";
  const { filters, errors } = parseInsightFilters(url.searchParams, locale);
  invariantResponse(TABLE_KEYS.includes(key as TableKey) && Object.keys(errors).length === 0, 400, t("bad_filters"));
  const { tables } = await insightData(actor, filters);
  const ctx: Ctx = { t, locale };
  const columns = TABLES[key as TableKey] as InsightColumn<unknown>[];
  const rows = tables[key as TableKey] as unknown[];
  const header = columns.map((c) => (c.kind === "money" ? t("in_rial", { header: t(c.header) }) : t(c.header)));
  const body = `\uFEFF${stringify([header, ...rows.map((row) => columns.map((c) => String(c.value(row, ctx))))], { record_delimiter: "\r\n" })}`;
  return csvDownload(body, t("csv_file", { name: t(`tables.${key}`) }), `insights-${key}.csv`);
}
