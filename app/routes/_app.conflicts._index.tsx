import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SERVE_REQUEST_STATUSES } from "#db/schema";
import { listServeRequests } from "~/models/serve-requests.server";
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
      <table>
        <thead>
          <tr>
            <th>{t("list.customer")}</th>
            <th>{t("list.requester")}</th>
            <th>{t("list.serving")}</th>
            <th>{t("list.protected_until")}</th>
            <th>{t("list.requested_at")}</th>
            <th>{t("list.status")}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                {t("common:no_results")}
              </td>
            </tr>
          ) : (
            result.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/conflicts/${r.id}`}>
                    <bdi dir="auto">{r.customer_name}</bdi>
                  </Link>
                  <div className="muted">
                    <bdi dir="auto">{r.customer_city}</bdi>
                  </div>
                </td>
                <td>{fa ? r.requester_name_fa : r.requester_name_en}</td>
                <td>{r.serving.length ? r.serving.map((p) => (fa ? p.name_fa : p.name_en)).join(t("list.separator")) : "—"}</td>
                <td>{r.protection_active ? f.date(r.protected_until) : t("list.protection_over")}</td>
                <td>{f.date(r.created_at)}</td>
                <td>
                  <span className={`badge ${r.status === "pending" ? "warn" : r.status === "rejected" ? "off" : "ok"}`}>{t(`status.${r.status}`)}</span>
                  {r.stage === "owner" ? <div className="muted">{t("list.waiting_for_owner", { date: f.date(r.owner_deadline!) })}</div> : null}
                  {r.decided_by_owner ? <div className="muted">{t("list.decided_by_owner")}</div> : null}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
