import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import { can } from "~/domain/permissions";
import { PROVINCES } from "~/domain/provinces";
import { listPartners } from "~/models/partners.server";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import { useProvinceOptions } from "~/ui/provinces";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("partners:title");

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
  const provinces = useProvinceOptions();
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
          {provinces.map((p) => (
            <option key={p.value} value={p.value}>{p.label}</option>
          ))}
        </select>
        <select name="status" defaultValue={filters.status ?? ""} aria-label={t("status")}>
          <option value="">{t("all_statuses")}</option>
          <option value="active">{t("common:active")}</option>
          <option value="inactive">{t("common:inactive")}</option>
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(p) => p.id}
        columns={[
          { header: t("name"), cell: (p) => <Link to={`/partners/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link> },
          { header: t("type"), cell: (p) => t(`common:partnerTypes.${p.type}`) },
          { header: t("parent"), cell: (p) => (fa ? p.parent_name_fa : p.parent_name_en) ?? "—" },
          { header: t("tier"), cell: (p) => t(`common:tiers.${p.tier}`) },
          { header: t("province"), cell: (p) => t(`common:provinces.${p.province}`) },
          { header: t("city"), cell: (p) => <bdi dir="auto">{p.city}</bdi> },
          { header: t("status"), cell: (p) => <span className={`badge ${p.active ? "ok" : "off"}`}>{p.active ? t("common:active") : t("common:inactive")}</span> },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
