import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { USER_STATUSES } from "#db/schema";
import { listUsers } from "~/models/users.server";
import { DataTable } from "~/ui/data-table";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("users:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "users.manage");
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.slice(0, 100) ?? "";
  const status = enumParam(url, "status", USER_STATUSES);
  return { q, status, result: await listUsers(actor, { q, status, page: pageParam(url) }) };
}

export default function Users() {
  const { t, i18n } = useTranslation("users");
  const f = useFormat();
  const { q, status, result } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("title")}</h1>
        <Link className="button" to="/users/new">
          {t("invite")}
        </Link>
      </div>
      <Form method="get" className="filters" role="search">
        <input name="q" defaultValue={q} placeholder={t("search")} aria-label={t("search")} dir="auto" />
        <select name="status" defaultValue={status ?? ""} aria-label={t("status")}>
          <option value="">{t("all_statuses")}</option>
          {USER_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`common:userStatus.${s}`)}</option>
          ))}
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(u) => u.id}
        columns={[
          { header: t("name"), cell: (u) => <Link to={`/users/${u.id}`}>{u.display_name}</Link> },
          { header: t("email"), cell: (u) => <bdi dir="ltr">{u.email}</bdi> },
          { header: t("role"), cell: (u) => t(`common:roles.${u.role}`) },
          { header: t("partner"), cell: (u) => (fa ? u.partner_name_fa : u.partner_name_en) ?? t("brand_staff") },
          { header: t("status"), cell: (u) => <span className={`badge ${u.status === "active" ? "ok" : u.status === "disabled" ? "off" : "warn"}`}>{t(`common:userStatus.${u.status}`)}</span> },
          { header: t("created"), cell: (u) => f.date(u.created_at) },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
