import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listProductsForManage, productCategories } from "~/models/orders/products.server";
import { DataTable } from "~/ui/data-table";
import { useFormat, useMoney } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";
import { ID_PATTERN } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("catalog:products_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const url = new URL(request.url);
  const categoryId = url.searchParams.get("categoryId") ?? "";
  const active = enumParam(url, "active", ["yes", "no"] as const);
  const filters = { q: url.searchParams.get("q")?.slice(0, 100) ?? "", categoryId: ID_PATTERN.test(categoryId) ? categoryId : undefined, active: active === undefined ? undefined : active === "yes" };
  const [result, categories] = await Promise.all([listProductsForManage(actor, filters, pageParam(url)), productCategories(actor)]);
  return { filters: { ...filters, active }, result, categories };
}

export default function Products() {
  const { t, i18n } = useTranslation("catalog");
  const f = useFormat();
  const money = useMoney();
  const { filters, result, categories } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("products_title")}</h1>
        <Link className="button" to="/products/new">{t("new_product")}</Link>
        <Link className="button" to="/pricing">{t("pricing_title")}</Link>
        <Link className="button" to="/products/import">{t("nav_import")}</Link>
      </div>
      <Form method="get" className="filters" role="search">
        <input name="q" type="search" defaultValue={filters.q} placeholder={t("search")} aria-label={t("search")} dir="auto" />
        <select name="categoryId" defaultValue={filters.categoryId ?? ""} aria-label={t("category")}>
          <option value="">{t("all_categories")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>{fa ? c.name_fa : c.name_en}</option>
          ))}
        </select>
        <select name="active" defaultValue={filters.active ?? ""} aria-label={t("active")}>
          <option value="">{t("all_states")}</option>
          <option value="yes">{t("common:active")}</option>
          <option value="no">{t("common:inactive")}</option>
        </select>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(p) => p.id}
        columns={[
          { header: t("name"), cell: (p) => <Link to={`/products/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link> },
          { header: t("sku"), cell: (p) => <bdi dir="ltr">{p.sku}</bdi> },
          { header: t("category"), cell: (p) => (fa ? p.category_fa : p.category_en) ?? "—" },
          { header: t("list_price"), numeric: true, cell: (p) => money(p.list_price_rial) },
          { header: t("cost"), numeric: true, cell: (p) => money(p.cost_rial) },
          { header: t("stock_on_hand"), numeric: true, cell: (p) => f.number(p.stock_on_hand) },
          { header: t("stock_reserved"), numeric: true, cell: (p) => f.number(p.stock_reserved) },
          { header: t("daily_capacity"), numeric: true, cell: (p) => (p.fulfilment === "made_to_order" ? f.number(p.daily_capacity) : "—") },
          { header: t("status"), cell: (p) => <span className={`badge ${p.active ? "ok" : "off"}`}>{p.active ? t("common:active") : t("common:inactive")}</span> },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
