import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listAudit } from "~/models/audit.server";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "audit.view");
  const page = pageParam(new URL(request.url));
  return { page, ...(await listAudit(actor.brandId, page)) };
}

export default function Audit() {
  const { t } = useTranslation();
  const f = useFormat();
  const { rows, page, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <table>
        <thead>
          <tr>
            <th>{t("audit.when")}</th>
            <th>{t("audit.who")}</th>
            <th>{t("audit.action")}</th>
            <th>{t("audit.target")}</th>
            <th>{t("audit.ip")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{f.dateTime(r.created_at)}</td>
              <td>{r.actor_name ?? "—"}</td>
              <td>{t(`audit.actions.${r.action}`, { defaultValue: r.action })}</td>
              <td>{r.target_type ? <bdi dir="ltr">{`${r.target_type}:${r.target_id}`}</bdi> : "—"}</td>
              <td>{r.ip ? <bdi dir="ltr">{r.ip}</bdi> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pagination">
        {page > 1 ? <Link to={`?page=${page - 1}`}>{t("pagination.prev")}</Link> : null}
        {hasMore ? <Link to={`?page=${page + 1}`}>{t("pagination.next")}</Link> : null}
      </nav>
    </>
  );
}
