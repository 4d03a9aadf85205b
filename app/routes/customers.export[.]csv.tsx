import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale } from "~/i18n.server";
import { exportCustomersCsv, exportFileName } from "~/models/customer-export.server";
import { parseCustomerFilters, type CustomerFilters } from "~/models/customer-filters";
import { getSegment } from "~/models/segments.server";
import { requirePermission } from "~/utils/auth.server";
import { csvDownload, invariantResponse } from "~/utils/http.server";

/** GET with the customer list's query string, or ?segment=<id>: the rows and fields the viewer may see. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.export");
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const segmentId = url.searchParams.get("segment");
  let filters: CustomerFilters;
  let label: string | undefined;
  if (segmentId !== null) {
    const segment = /^[0-9A-Z]{26}$/i.test(segmentId) ? await getSegment(actor, segmentId) : undefined;
    invariantResponse(segment, 404);
    filters = segment.customerFilters;
    label = segment.name;
  } else {
    const parsed = parseCustomerFilters(url.searchParams, locale);
    invariantResponse(Object.keys(parsed.errors).length === 0, 400);
    filters = parsed.filters;
  }
  const body = await exportCustomersCsv(actor, filters, locale);
  return csvDownload(body, exportFileName(locale, label), "customers.csv");
}
