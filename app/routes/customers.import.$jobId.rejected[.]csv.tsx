import type { LoaderFunctionArgs } from "@remix-run/node";
import { i18nServer } from "~/i18n.server";
import { rejectedRowsCsv } from "~/models/customer-import.server";
import { requirePermission } from "~/utils/auth.server";
import { csvDownload, invariantResponse } from "~/utils/http.server";
import { ID_PATTERN } from "~/utils/validation";

/** The rows an import's check refused, with what is wrong, for the partner that uploaded the file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.import");
  invariantResponse(params.jobId && ID_PATTERN.test(params.jobId), 404);
  const t = await i18nServer.getFixedT(request, ["imports", "common"]);
  const csv = await rejectedRowsCsv(actor, params.jobId, (key, values) => t(key, values));
  invariantResponse(csv, 404);
  return csvDownload(csv.body, csv.fileName, "rejected-rows.csv");
}
