import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ORDER_STATUSES } from "~/domain/orders";
import { listOrders } from "~/models/orders/orders.server";
import { DataTable } from "~/ui/data-table";
import { useFormat, useMoney } from "~/ui/format";
import { StatusBadge, useDay } from "~/ui/orders/order-cells";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("orders:orders_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "orders.view");
  const url = new URL(request.url);
  const status = enumParam(url, "status", ORDER_STATUSES) ?? null;
  // One customer's orders (the profile's "all orders" link); an id of no customer lists nothing.
  const customer = url.searchParams.get("customer") || null;
  return { status, customer, result: await listOrders(actor, { status, customer }, pageParam(url)), brandView: actor.partnerId === null };
}

export default function Orders() {
  const { t, i18n } = useTranslation("orders");
  const money = useMoney();
  const f = useFormat();
  const day = useDay();
  const { status, customer, result, brandView } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("orders_title")}</h1>
      {customer ? (
        <p data-testid="customer-filter">
          {result.rows[0]?.customer ? (
            <>
              {t("of_customer")} <Link to={`/customers/${customer}`}><bdi dir="auto">{result.rows[0].customer}</bdi></Link> ·{" "}
            </>
          ) : null}
          <Link to={status ? `?status=${status}` : "?"} className="tap">{t("all_customers")}</Link>
        </p>
      ) : null}
      <Form method="get" className="filters" role="search">
        {customer ? <input type="hidden" name="customer" value={customer} /> : null}
        <select name="status" defaultValue={status ?? ""} aria-label={t("status")}>
          <option value="">{t("all_statuses")}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`statuses.${s}`)}</option>
          ))}
        </select>
        <button type="submit" className="secondary">{t("common:filter")}</button>
      </Form>
      <DataTable
        rows={result.rows}
        rowKey={(o) => o.id}
        empty={t("no_orders")}
        columns={[
          { header: t("number"), cell: (o) => <Link to={`/orders/${o.id}`}><bdi dir="ltr">{o.number}</bdi></Link> },
          brandView && { header: t("partner"), cell: (o) => (fa ? o.partner_fa : o.partner_en) },
          { header: t("customer"), cell: (o) => (o.customer ? <bdi dir="auto">{o.customer}</bdi> : "—") },
          { header: t("status"), cell: (o) => <StatusBadge status={o.status} /> },
          { header: t("placed_at"), cell: (o) => f.date(o.placed_at) },
          { header: t("total"), numeric: true, cell: (o) => money(o.total_rial) },
          { header: t("promised_ship"), cell: (o) => day(o.promised_ship_on) },
          { header: t("shipped_on"), cell: (o) => day(o.shipped_on) },
        ]}
      />
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
