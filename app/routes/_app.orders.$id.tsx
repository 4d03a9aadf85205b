import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { can } from "~/domain/permissions";
import { reorder } from "~/models/orders/cart.server";
import { reasonSchema } from "~/models/orders/order-forms";
import { erpHandoffOf } from "~/models/orders/erp.server";
import { getOrder, ORDER_ACTIONS, transitionOrder } from "~/models/orders/orders.server";
import { DataTable } from "~/ui/data-table";
import { FormAlert, TextAreaField } from "~/ui/form";
import { useFormat, useMoney } from "~/ui/format";
import { StatusBadge, useDay } from "~/ui/orders/order-cells";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle<typeof loader>((d, t) => t("orders:order_title", { number: d.order.number }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "orders.view");
  const order = await getOrder(actor, params.id!);
  invariantResponse(order, 404);
  return { ...order, erp: await erpHandoffOf(actor, order.order.id), canReorder: can(actor, "orders.place") && order.order.partner_id === actor.partnerId, brandView: actor.partnerId === null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "orders.view");
  const form = await request.formData();
  const intent = z.enum([...ORDER_ACTIONS, "reorder"]).safeParse(form.get("intent"));
  invariantResponse(intent.success, 400);
  if (intent.data === "reorder") {
    invariantResponse(can(actor, "orders.place"), 403);
    invariantResponse(await reorder(actor, params.id!), 404);
    return redirect("/cart", 303);
  }
  const parsed = parseFormData(reasonSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const r = await transitionOrder(actor, params.id!, intent.data, parsed.data.reason || null);
  invariantResponse(r, 404);
  if (!r.ok) return data({ errors: { [r.key === "orders:errors.reason_required" ? "reason" : "form"]: { key: r.key } } as FieldErrors }, { status: r.key === "orders:errors.status_changed" ? 409 : 400 });
  return redirect(`/orders/${params.id}`, 303);
}

export default function OrderPage() {
  const { t, i18n } = useTranslation("orders");
  const money = useMoney();
  const f = useFormat();
  const day = useDay();
  const { order, lines, history, erp, actions, canReorder, brandView } = useLoaderData<typeof loader>();
  const answer = useActionData<{ errors?: FieldErrors }>();
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{t("order_title", { number: order.number })}</h1>
        <StatusBadge status={order.status} />
      </div>
      <FormAlert errors={answer?.errors} />
      <div className="grid-2">
        <section className="card">
          <dl className="facts">
            <dt>{t("partner")}</dt>
            <dd>{fa ? order.partner_fa : order.partner_en}</dd>
            <dt>{t("customer")}</dt>
            <dd>{order.customer ? <bdi dir="auto">{order.customer}</bdi> : t("for_stock")}</dd>
            <dt>{t("ship_to")}</dt>
            <dd>{t(`ship_to_options.${order.ship_to}`)}</dd>
            <dt>{t("placed_at")}</dt>
            <dd>{f.dateTime(order.placed_at)}</dd>
            <dt>{t("total")}</dt>
            <dd data-testid="order-total">{money(order.total_rial)}</dd>
            <dt>{t("promised_ship")}</dt>
            <dd data-testid="promised-ship">{day(order.promised_ship_on)}</dd>
            <dt>{t("promised_delivery")}</dt>
            <dd>{day(order.promised_delivery_on)}</dd>
            <dt>{t("shipped_on")}</dt>
            <dd data-testid="shipped-on">{day(order.shipped_on)}</dd>
            <dt>{t("delivered_on")}</dt>
            <dd>{day(order.delivered_on)}</dd>
            {order.approval_reason ? (
              <>
                <dt>{t("approval_reason")}</dt>
                <dd>{t(`approval_reasons.${order.approval_reason}`, { defaultValue: order.approval_reason })}</dd>
              </>
            ) : null}
            {order.decision_reason ? (
              <>
                <dt>{t("reason")}</dt>
                <dd>{order.decision_reason}</dd>
              </>
            ) : null}
          </dl>
          {order.hide_prices_on_slip ? <p className="muted">{t("hide_prices_note")}</p> : null}
          <p>
            <a href={`/orders/${order.id}/proforma.pdf`} download>
              {t("proforma.download")}
            </a>
            {" · "}
            <a href={`/orders/${order.id}/packing-slip.pdf`} download>
              {t("proforma.slip_download")}
            </a>
          </p>
          {erp ? (
            <p data-testid="erp-handoff">
              {erp.status === "sent" && erp.sentAt
                ? t("erp.sent", { when: f.dateTime(erp.sentAt) })
                : erp.status === "failed"
                  ? t("erp.failed", { error: erp.error ?? "" })
                  : `${t("erp.pending", { attempts: f.number(erp.attempts) })}${erp.error ? ` — ${erp.error}` : ""}`}
            </p>
          ) : null}
        </section>
        <section className="card">
          <h2>{t("history")}</h2>
          <ul className="timeline">
            {history.map((h) => (
              <li key={h.id}>
                {t("history_line", { status: t(`statuses.${h.status}`, { defaultValue: h.status }), who: h.who ?? t("system"), when: f.dateTime(h.created_at) })}
                {h.reason ? ` — ${t(`approval_reasons.${h.reason}`, { defaultValue: h.reason })}` : null}
              </li>
            ))}
          </ul>
          {actions.map((a) => (
            <Form method="post" className="stack" key={a}>
              {a === "reject" || a === "cancel" ? <TextAreaField name="reason" idPrefix={a} label={t("reason")} errors={answer?.errors} /> : null}
              <button type="submit" name="intent" value={a} className={a === "reject" || a === "cancel" ? "danger" : undefined}>{t(`actions.${a}`)}</button>
            </Form>
          ))}
          {canReorder ? (
            <Form method="post">
              <button type="submit" name="intent" value="reorder" className="secondary">{t("reorder")}</button>
            </Form>
          ) : null}
        </section>
      </div>
      <DataTable
        rows={lines}
        rowKey={(l) => l.id}
        columns={[
          {
            header: t("product"),
            cell: (l) => (
              <>
                {fa ? l.name_fa : l.name_en}
                {[...l.options, ...l.personalisation].map((c) => (
                  <div key={c.en} className="muted">{fa ? c.fa : c.en}</div>
                ))}
                <div className="muted">{t(`source.${l.source}`)}</div>
              </>
            ),
          },
          { header: t("sku"), cell: (l) => <bdi dir="ltr">{l.sku}</bdi> },
          { header: t("quantity"), numeric: true, cell: (l) => f.number(l.quantity) },
          { header: t("unit_net"), numeric: true, cell: (l) => money(l.unit_net_rial) },
          { header: t("line_total"), numeric: true, cell: (l) => money(l.line_total_rial) },
          { header: t("promised_ship"), cell: (l) => day(l.promised_ship_on) },
          brandView && { header: t("shipped_on"), cell: () => day(order.shipped_on) },
        ]}
      />
    </>
  );
}
