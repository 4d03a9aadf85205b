import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import { can } from "~/domain/permissions";
import { PROVINCES } from "~/domain/provinces";
import { listPartners } from "~/models/partners.server";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "partners.view");
  const url = new URL(request.url);
  const filters = {
    q: url.searchParams.get("q")?.slice(0, 100) ?? "",
    type: enumParam(url, "type", PARTNER_TYPES),
    tier: enumParam(url, "tier", TIERS),
    province: enumParam(url, "province", PROVINCES),
    status: enumParam(url, "status", ["active", "inactive"] as const),
    page: pageParam(url),
  };
  return { filters, result: await listPartners(actor, filters), canCreate: can(actor, "partners.manage") };
}

export default function Partners() {
  const { t, i18n } = useTranslation("partners");
  const { filters, result, canCreate } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("title")}</h1>
        {canCreate ? (
          <Link className="button" to="/partners/new">
            {t("new")}
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search">
        <input name="q" defaultValue={filters.q} placeholder={t("search")} aria-label={t("search")} dir="auto" />
        <select name="type" defaultValue={filters.type ?? ""} aria-label={t("type")}>
          <option value="">{t("all_types")}</option>
          {PARTNER_TYPES.map((v) => (
            <option key={v} value={v}>{t(`common:partnerTypes.${v}`)}</option>
          ))}
        </select>
        <select name="tier" defaultValue={filters.tier ?? ""} aria-label={t("tier")}>
          <option value="">{t("all_tiers")}</option>
          {TIERS.map((v) => (
            <option key={v} value={v}>{t(`common:tiers.${v}`)}</option>
          ))}
        </select>
        <select name="province" defaultValue={filters.province ?? ""} aria-label={t("province")}>
          <option value="">{t("all_provinces")}</option>
          {PROVINCES.map((v) => (
            <option key={v} value={v}>{t(`common:provinces.${v}`)}</option>
          ))}
        </select>
        <select name="status" defaultValue={filters.status ?? ""} aria-label={t("status")}>
          <option value="">{t("all_statuses")}</option>
          <option value="active">{t("common:active")}</option>
          <option value="inactive">{t("common:inactive")}</option>
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("type")}</th>
            <th>{t("parent")}</th>
            <th>{t("tier")}</th>
            <th>{t("province")}</th>
            <th>{t("city")}</th>
            <th>{t("status")}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">{t("common:no_results")}</td>
            </tr>
          ) : (
            result.rows.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/partners/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link>
                </td>
                <td>{t(`common:partnerTypes.${p.type}`)}</td>
                <td>{(fa ? p.parent_name_fa : p.parent_name_en) ?? "—"}</td>
                <td>{t(`common:tiers.${p.tier}`)}</td>
                <td>{t(`common:provinces.${p.province}`)}</td>
                <td><bdi dir="auto">{p.city}</bdi></td>
                <td>
                  <span className={`badge ${p.active ? "ok" : "off"}`}>{p.active ? t("common:active") : t("common:inactive")}</span>
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
