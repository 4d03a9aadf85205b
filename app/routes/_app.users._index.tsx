import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { USER_STATUSES } from "#db/schema";
import { listUsers } from "~/models/users.server";
import { useFormat } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";

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
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("email")}</th>
            <th>{t("role")}</th>
            <th>{t("partner")}</th>
            <th>{t("status")}</th>
            <th>{t("created")}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">{t("common:no_results")}</td>
            </tr>
          ) : (
            result.rows.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/users/${u.id}`}>{u.display_name}</Link>
                </td>
                <td><bdi dir="ltr">{u.email}</bdi></td>
                <td>{t(`common:roles.${u.role}`)}</td>
                <td>{(fa ? u.partner_name_fa : u.partner_name_en) ?? t("brand_staff")}</td>
                <td>
                  <span className={`badge ${u.status === "active" ? "ok" : u.status === "disabled" ? "off" : "warn"}`}>{t(`common:userStatus.${u.status}`)}</span>
                </td>
                <td>{f.date(u.created_at)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
