import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SERVE_REQUEST_STATUSES } from "#db/schema";
import { listServeRequests } from "~/models/serve-requests.server";
import { DataTable } from "~/ui/data-table";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";
import { pageTitle } from "~/ui/page-title";

const STATUS_FILTERS = [...SERVE_REQUEST_STATUSES, "all"] as const;

export const meta = pageTitle("conflicts:list.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "conflicts.resolve");
  const url = new URL(request.url);
  const status = enumParam(url, "status", STATUS_FILTERS) ?? "pending";
  const page = pageParam(url);
  return { status, result: await listServeRequests(actor, { status: status === "all" ? undefined : status, page }) };
}

export default function Conflicts() {
  const { t, i18n } = useTranslation("conflicts");
  const f = useFormat();
  const { status, result } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("list.title")}</h1>
      </div>
      <p className="muted">{t("list.intro")}</p>
      <Form method="get" className="filters" role="search">
        <select name="status" defaultValue={status} aria-label={t("list.status")}>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`statusFilter.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(r) => r.id}
        columns={[
          {
            header: t("list.customer"),
            cell: (r) => (
              <>
                <Link to={`/conflicts/${r.id}`}>
                  <bdi dir="auto">{r.customer_name}</bdi>
                </Link>
                <div className="muted">
                  <bdi dir="auto">{r.customer_city}</bdi>
                </div>
              </>
            ),
          },
          { header: t("list.requester"), cell: (r) => (fa ? r.requester_name_fa : r.requester_name_en) },
          { header: t("list.serving"), cell: (r) => (r.serving.length ? r.serving.map((p) => (fa ? p.name_fa : p.name_en)).join(t("list.separator")) : "—") },
          { header: t("list.protected_until"), cell: (r) => (r.protection_active ? f.date(r.protected_until) : t("list.protection_over")) },
          { header: t("list.requested_at"), cell: (r) => f.date(r.created_at) },
          {
            header: t("list.status"),
            cell: (r) => (
              <>
                <span className={`badge ${r.status === "pending" ? "warn" : r.status === "rejected" ? "off" : "ok"}`}>{t(`status.${r.status}`)}</span>
                {r.stage === "owner" ? <div className="muted">{t("list.waiting_for_owner", { date: f.date(r.owner_deadline!) })}</div> : null}
                {r.decided_by_owner ? <div className="muted">{t("list.decided_by_owner")}</div> : null}
              </>
            ),
          },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
