import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { VALUE_TIERS } from "#db/schema";
import { can } from "~/domain/permissions";
import { toAsciiDigits } from "~/domain/text";
import { getLocale } from "~/i18n.server";
import { needCategories } from "~/models/customer-activity.server";
import { parseCustomerFilters } from "~/models/customer-filters";
import { searchCustomers } from "~/models/customer-list.server";
import { listPartnersForSelect } from "~/models/partners.server";
import { CustomerFilterFields } from "~/ui/customer-filter-fields";
import { useFormat } from "~/ui/format";
import { DataTable } from "~/ui/data-table";
import { CursorPagination } from "~/ui/cursor-pagination";
import { Place } from "~/ui/place";
import { requirePermission } from "~/utils/auth.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("customers:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.view");
  const url = new URL(request.url);
  const { filters, errors, canonical } = parseCustomerFilters(url.searchParams, await getLocale(request));
  // A network's partner filter holds only the chosen partner; all of them (hundreds) only when asked
  // for without JavaScript (?partners=1), otherwise loaded from /partners/choices when used.
  const network = actor.scope === "network";
  const allPartners = network && url.searchParams.has("partners");
  const [result, categories, partners] = await Promise.all([
    searchCustomers(actor, filters, { after: url.searchParams.get("after") ?? undefined, before: url.searchParams.get("before") ?? undefined }),
    needCategories(actor.brandId),
    allPartners ? listPartnersForSelect(actor) : network && filters.partnerId ? listPartnersForSelect(actor, filters.partnerId) : [],
  ]);
  return {
    // Only what the table shows: the page's data is sent again inside the HTML for hydration.
    result: { ...result, rows: result.rows.map(({ id, kind, display_name, phone, city, province, value_tier, order_count, last_contact_at }) => ({ id, kind, display_name, phone, city, province, value_tier, order_count, last_contact_at })) },
    categories,
    partners: partners.map(({ id, name_fa, name_en }) => ({ id, name_fa, name_en })),
    partnersOnDemand: network && !allPartners,
    errors,
    canonical: canonical.toString(),
    can: { register: can(actor, "customers.register"), export: can(actor, "customers.export") },
  };
}

export default function Customers() {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const { result, categories, partners, partnersOnDemand, errors, canonical, can } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(useLocation().search);
  const value = (name: string) => params.get(name) ?? "";
  // Translated once per page, not once per row.
  const hidden = t("hidden");
  const business = t("kind.business");
  const tiers = Object.fromEntries(VALUE_TIERS.map((v) => [v, t(`tier.${v}`)]));
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
        <CustomerFilterFields value={value} errors={errors} categories={categories} partners={partners} partnersOnDemand={partnersOnDemand} folded />
        <button type="submit">{t("common:filter")}</button>
      </Form>
      {canonical ? (
        <Form method="post" action="/segments" className="filters">
          {[...new URLSearchParams(canonical)].map(([name, v]) => (
            <input key={name} type="hidden" name={name} value={v} />
          ))}
          <input name="name" placeholder={t("segment_name")} aria-label={t("segment_name")} dir="auto" aria-required maxLength={120} />
          <button type="submit" className="secondary">{t("save_segment")}</button>
        </Form>
      ) : null}
      <DataTable
        rows={result.rows}
        rowKey={(c) => c.id}
        // A phone or e-mail hidden by consent is not searchable: say so, and what finds the customer.
        empty={/@|(\d\D*){7}/.test(toAsciiDigits(value("q"))) ? t("contact_search_empty") : undefined}
        columns={[
          {
            header: t("name"),
            cell: (c) => (
              <>
                <Link to={`/customers/${c.id}`}><bdi dir="auto">{c.display_name}</bdi></Link>
                {c.kind === "business" ? <span className="badge">{business}</span> : null}
              </>
            ),
          },
          { header: t("phone"), cell: (c) => (c.phone ? <bdi dir="ltr">{f.phone(c.phone)}</bdi> : <span className="muted">{hidden}</span>) },
          {
            header: t("city"),
            cell: (c) => <Place city={c.city} province={c.province} />,
          },
          { header: t("value_tier"), cell: (c) => (c.value_tier ? <span className={`badge tier-${c.value_tier}`}>{tiers[c.value_tier]}</span> : "—") },
          { header: t("orders"), numeric: true, cell: (c) => f.number(c.order_count) },
          { header: t("last_contact"), cell: (c) => (c.last_contact_at ? f.date(c.last_contact_at) : "—") },
        ]}
      />
      <CursorPagination prev={result.prev} next={result.next} total={result.total} capped={result.capped} />
    </>
  );
}
