import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ORDER_STATUSES } from "~/domain/orders";
import { listOrders } from "~/models/orders/orders.server";
import { useFormat, useMoney } from "~/ui/format";
import { StatusBadge, useDay } from "~/ui/orders/order-cells";
import { Pagination } from "~/ui/pagination";
import { requirePermission } from "~/utils/auth.server";
import { enumParam, pageParam } from "~/utils/request.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "orders.view");
  const url = new URL(request.url);
  const status = enumParam(url, "status", ORDER_STATUSES) ?? null;
  return { status, result: await listOrders(actor, { status }, pageParam(url)), brandView: actor.partnerId === null };
}

export default function Orders() {
  const { t, i18n } = useTranslation("orders");
  const money = useMoney();
  const f = useFormat();
  const day = useDay();
  const { status, result, brandView } = useLoaderData<typeof loader>();
  const fa = i18n.language === "fa";
  return (
    <>
      <h1>{t("orders_title")}</h1>
      <Form method="get" className="filters" role="search">
        <select name="status" defaultValue={status ?? ""} aria-label={t("status")}>
          <option value="">{t("all_statuses")}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>{t(`statuses.${s}`)}</option>
          ))}
        </select>
        <button type="submit" className="secondary">{t("common:filter")}</button>
      </Form>
      {result.rows.length === 0 ? (
        <p className="empty">{t("no_orders")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t("number")}</th>
              {brandView ? <th>{t("partner")}</th> : null}
              <th>{t("customer")}</th>
              <th>{t("status")}</th>
              <th>{t("placed_at")}</th>
              <th>{t("total")}</th>
              <th>{t("promised_ship")}</th>
              <th>{t("shipped_on")}</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((o) => (
              <tr key={o.id}>
                <td><Link to={`/orders/${o.id}`}><bdi dir="ltr">{o.number}</bdi></Link></td>
                {brandView ? <td>{fa ? o.partner_fa : o.partner_en}</td> : null}
                <td>{o.customer ? <bdi dir="auto">{o.customer}</bdi> : "—"}</td>
                <td><StatusBadge status={o.status} /></td>
                <td>{f.date(o.placed_at)}</td>
                <td>{money(o.total_rial)}</td>
                <td>{day(o.promised_ship_on)}</td>
                <td>{day(o.shipped_on)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} total={result.total} />
    </>
  );
}
