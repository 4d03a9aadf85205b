import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCatalog } from "~/models/orders/catalog.server";
import { productCategories } from "~/models/orders/products.server";
import { DataTable } from "~/ui/data-table";
import { Availability, MarginCell } from "~/ui/orders/catalog-cells";
import { useMoney } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { pageParam } from "~/utils/request.server";
import { ID_PATTERN } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("catalog:title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.view");
  const url = new URL(request.url);
  const categoryId = url.searchParams.get("categoryId") ?? "";
  const filters = { q: url.searchParams.get("q")?.slice(0, 100) ?? "", categoryId: ID_PATTERN.test(categoryId) ? categoryId : undefined, inStock: url.searchParams.get("inStock") === "on" };
  const [result, categories] = await Promise.all([listCatalog(actor, filters, pageParam(url)), productCategories(actor)]);
  return { filters, result, categories, partnerView: actor.partnerId !== null };
}

export default function Catalog() {
  const { t, i18n } = useTranslation("catalog");
  const money = useMoney();
  const { filters, result, categories, partnerView } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("title")}</h1>
      <Form method="get" className="filters" role="search">
        <input name="q" type="search" defaultValue={filters.q} placeholder={t("search")} aria-label={t("search")} dir="auto" />
        <select name="categoryId" defaultValue={filters.categoryId ?? ""} aria-label={t("category")}>
          <option value="">{t("all_categories")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>{fa ? c.name_fa : c.name_en}</option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" name="inStock" defaultChecked={filters.inStock} /> {t("in_stock_only")}
        </label>
        <button type="submit">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(p) => p.id}
        columns={[
          { header: t("name"), cell: (p) => <Link to={`/catalog/${p.id}`}>{fa ? p.name_fa : p.name_en}</Link> },
          { header: t("sku"), cell: (p) => <bdi dir="ltr">{p.sku}</bdi> },
          { header: t("category"), cell: (p) => (fa ? p.category_fa : p.category_en) ?? "—" },
          { header: t("availability"), cell: (p) => <Availability product={p} /> },
          { header: partnerView ? t("net_price") : t("list_price"), numeric: true, cell: (p) => <span data-testid="net-price">{money(p.price.unitNet)}</span> },
          { header: t("retail_price"), numeric: true, cell: (p) => money(p.price.unitRetail) },
          { header: partnerView ? t("margin") : t("cost"), numeric: true, cell: (p) => (partnerView || p.cost === null ? <MarginCell price={p.price} /> : money(p.cost)) },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
