import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NEED_STATUSES, VALUE_TIERS } from "#db/schema";
import { can } from "~/domain/permissions";
import { PROVINCES } from "~/domain/provinces";
import { getLocale } from "~/i18n.server";
import { needCategories } from "~/models/customer-activity.server";
import { parseCustomerFilters } from "~/models/customer-filters";
import { searchCustomers } from "~/models/customers.server";
import { listPartnersForSelect } from "~/models/partners.server";
import { DateField } from "~/ui/date-field";
import { useFormat } from "~/ui/format";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import { Place } from "~/ui/place";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const url = new URL(request.url);
  const { filters, errors, canonical } = parseCustomerFilters(url.searchParams, await getLocale(request));
  const [result, categories, partners] = await Promise.all([
    searchCustomers(actor, filters, pageParam(url)),
    needCategories(actor.brandId),
    actor.scope === "network" ? listPartnersForSelect(actor) : [],
  ]);
  return {
    result,
    categories,
    partners,
    errors,
    canonical: canonical.toString(),
    can: { register: can(actor, "customers.register"), export: can(actor, "customers.export") },
  };
}

export default function Customers() {
  const { t, i18n } = useTranslation("customers");
  const f = useFormat();
  const { result, categories, partners, errors, canonical, can } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const fa = i18n.language === "fa";
  const value = (name: string) => params.get(name) ?? "";
  return (
    <>
      <div className="page-head">
        <h1>{t("title")}</h1>
        <div className="actions">
          {can.export ? (
            <a className="button secondary" href={`/customers/export.csv?${canonical}`} download>
              {t("export")}
            </a>
          ) : null}
          {can.register ? (
            <Link className="button" to="/customers/new">
              {t("register")}
            </Link>
          ) : null}
        </div>
      </div>
      <Form method="get" className="filters card" role="search">
        <div className="field">
          <label htmlFor="q">{t("search")}</label>
          <input id="q" name="q" type="search" defaultValue={value("q")} placeholder={t("search_hint")} dir="auto" size={28} />
        </div>
        <div className="field">
          <label htmlFor="needCategory">{t("need_category")}</label>
          <select id="needCategory" name="needCategory" defaultValue={value("needCategory")}>
            <option value="">{t("all")}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>{fa ? c.name_fa : c.name_en}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="needStatus">{t("need_status")}</label>
          <select id="needStatus" name="needStatus" defaultValue={value("needStatus")}>
            <option value="">{t("all")}</option>
            {NEED_STATUSES.map((s) => (
              <option key={s} value={s}>{t(`needStatus.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="valueTier">{t("value_tier")}</label>
          <select id="valueTier" name="valueTier" defaultValue={value("valueTier")}>
            <option value="">{t("all")}</option>
            {VALUE_TIERS.map((v) => (
              <option key={v} value={v}>{t(`tier.${v}`)}</option>
            ))}
            <option value="none">{t("tier.none")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="province">{t("province")}</label>
          <select id="province" name="province" defaultValue={value("province")}>
            <option value="">{t("all")}</option>
            {PROVINCES.map((p) => (
              <option key={p} value={p}>{t(`common:provinces.${p}`)}</option>
            ))}
          </select>
        </div>
        <DateField name="contactFrom" label={t("contact_from")} defaultValue={value("contactFrom")} errors={errors} />
        <DateField name="contactTo" label={t("contact_to")} defaultValue={value("contactTo")} errors={errors} />
        {partners.length > 0 ? (
          <div className="field">
            <label htmlFor="partnerId">{t("serving_partner")}</label>
            <select id="partnerId" name="partnerId" defaultValue={value("partnerId")}>
              <option value="">{t("all")}</option>
              {partners.map((p) => (
                <option key={p.id} value={p.id}>{fa ? p.name_fa : p.name_en}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="sort">{t("sort")}</label>
          <select id="sort" name="sort" defaultValue={value("sort") || "name"}>
            <option value="name">{t("sort_name")}</option>
            <option value="recent_contact">{t("sort_recent_contact")}</option>
            <option value="value">{t("sort_value")}</option>
          </select>
        </div>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      {canonical ? (
        <Form method="post" action="/segments" className="filters">
          <input type="hidden" name="filters" value={canonical} />
          <input name="name" placeholder={t("segment_name")} aria-label={t("segment_name")} dir="auto" aria-required maxLength={120} />
          <button type="submit" className="secondary">{t("save_segment")}</button>
        </Form>
      ) : null}
      <DataTable
        rows={result.rows}
        rowKey={(c) => c.id}
        columns={[
          {
            header: t("name"),
            cell: (c) => (
              <>
                <Link to={`/customers/${c.id}`}><bdi dir="auto">{c.display_name}</bdi></Link>
                {c.kind === "business" ? <span className="badge">{t("kind.business")}</span> : null}
              </>
            ),
          },
          { header: t("phone"), cell: (c) => (c.phone ? <bdi dir="ltr">{f.phone(c.phone)}</bdi> : <span className="muted">{t("hidden")}</span>) },
          {
            header: t("city"),
            cell: (c) => <Place city={c.city} province={c.province} />,
          },
          { header: t("value_tier"), cell: (c) => (c.value_tier ? <span className={`badge tier-${c.value_tier}`}>{t(`tier.${c.value_tier}`)}</span> : "—") },
          { header: t("orders"), numeric: true, cell: (c) => f.number(c.order_count) },
          { header: t("last_contact"), cell: (c) => (c.last_contact_at ? f.date(c.last_contact_at) : "—") },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
