import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { dailyActions } from "~/models/customer-value.server";
import { ReorderLast } from "~/ui/customer-profile";
import { useFormat } from "~/ui/format";
import { requirePermission } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "customers.register");
  return { items: await dailyActions(actor) };
}

export default function Today() {
  const { t } = useTranslation("customers");
  const f = useFormat();
  const { items } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("today_title")}</h1>
      <p className="muted">{t("today_hint")}</p>
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("city")}</th>
            <th>{t("value_tier")}</th>
            <th>{t("next_actions")}</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={4} className="empty">{t("today_empty")}</td>
            </tr>
          ) : (
            items.map(({ customer, actions }) => (
              <tr key={customer.id}>
                <td>
                  <Link to={`/customers/${customer.id}`}>{customer.display_name}</Link>
                </td>
                <td><bdi dir="auto">{customer.city}</bdi></td>
                <td>{customer.value_tier ? <span className={`badge tier-${customer.value_tier}`}>{t(`tier.${customer.value_tier}`)}</span> : "—"}</td>
                <td>
                  {actions.map((a, i) => (
                    <div key={i}>
                      {t(`action_short.${a.code}`)}
                      {typeof a.params.days === "number" ? ` (${t("days", { count: a.params.days, n: f.number(a.params.days) })})` : ""} <ReorderLast action={a} />
                    </div>
                  ))}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}
