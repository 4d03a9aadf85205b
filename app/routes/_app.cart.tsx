import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { confirmQuickOrder, csvToQuickText, getCart, previewQuickOrder, removeCartLine, setRecipient, updateCartLine, type QuickPreview } from "~/models/orders/cart.server";
import { choicesFrom, lineSchema, quickOrderSchema, recipientSchema, removeLineSchema, submitSchema } from "~/models/orders/order-forms";
import { submitOrder, type LineProblem } from "~/models/orders/submit.server";
import { ErrorText, FormAlert, SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat, useMoney } from "~/ui/format";
import { PromiseText, useDay } from "~/ui/orders/order-cells";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { newId } from "~/utils/ids";
import { readUpload } from "~/utils/upload.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

const CSV_MAX_BYTES = 512 * 1024;

export const meta = pageTitle("orders:cart_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "orders.place");
  // A fresh key per rendering of the checkout: a double click or a retry of this page's form
  // sends the same key, so it finds the order the first request made.
  return { ...(await getCart(actor)), checkoutKey: newId() };
}

type Answer = { intent: string; errors?: FieldErrors; lineId?: string; preview?: QuickPreview; text?: string; problems?: LineProblem[] };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "orders.place");
  const fail = (answer: Answer, status = 400) => data(answer, { status });
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const upload = await readUpload(request, "file", CSV_MAX_BYTES);
    if (!upload.ok) return fail({ intent: "csv", errors: { file: upload.reason === "too_large" ? { key: "catalog:csv.errors.file_too_large", values: { mb: 0.5 } } : { key: "orders:errors.csv_unreadable" } } }, upload.reason === "too_large" ? 413 : 400);
    const text = csvToQuickText(new Uint8Array(await upload.file.arrayBuffer()));
    if (text === null) return fail({ intent: "csv", errors: { file: { key: "orders:errors.csv_unreadable" } } });
    const preview = await previewQuickOrder(actor, text);
    return preview.errors.length ? fail({ intent: "quick", preview, text }) : { intent: "quick", preview, text };
  }
  const form = await request.formData();
  const intent = z.enum(["recipient", "quick", "line", "remove", "submit"]).safeParse(form.get("intent"));
  invariantResponse(intent.success, 400);
  switch (intent.data) {
    case "recipient": {
      const parsed = parseFormData(recipientSchema, form);
      if (!parsed.ok) return fail({ intent: "recipient", errors: parsed.errors });
      const r = await setRecipient(actor, parsed.data);
      if ("errors" in r) return fail({ intent: "recipient", errors: r.errors });
      return redirect("/cart", 303);
    }
    case "quick": {
      const parsed = parseFormData(quickOrderSchema, form);
      if (!parsed.ok) return fail({ intent: "quick", errors: parsed.errors });
      if (form.get("confirm") !== "1") {
        const preview = await previewQuickOrder(actor, parsed.data.lines);
        return preview.errors.length ? fail({ intent: "quick", preview, text: parsed.data.lines }) : { intent: "quick", preview, text: parsed.data.lines };
      }
      const preview = await confirmQuickOrder(actor, parsed.data.lines);
      if (preview.valid.length === 0) return fail({ intent: "quick", preview, text: parsed.data.lines, errors: { lines: { key: "orders:errors.no_valid_lines" } } });
      return redirect("/cart", 303);
    }
    case "line": {
      const parsed = parseFormData(lineSchema, form);
      if (!parsed.ok) return fail({ intent: "line", lineId: String(form.get("lineId") ?? ""), errors: parsed.errors });
      const r = await updateCartLine(actor, parsed.data.lineId, { quantity: parsed.data.quantity, ...choicesFrom(form) });
      invariantResponse(r, 404);
      if ("errors" in r) return fail({ intent: "line", lineId: parsed.data.lineId, errors: r.errors });
      return redirect("/cart", 303);
    }
    case "remove": {
      const parsed = parseFormData(removeLineSchema, form);
      if (!parsed.ok) return fail({ intent: "remove", errors: parsed.errors });
      invariantResponse(await removeCartLine(actor, parsed.data.lineId), 404);
      return redirect("/cart", 303);
    }
    case "submit": {
      const parsed = parseFormData(submitSchema, form);
      if (!parsed.ok) return fail({ intent: "submit", errors: parsed.errors });
      const seen = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => e[0].startsWith("seen.") && typeof e[1] === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e[1])).map(([k, v]) => [k.slice(5), v]));
      const r = await submitOrder(actor, { key: parsed.data.key, seen });
      if (r.ok) return redirect(`/orders/${r.orderId}`, 303);
      // Someone else took the stock or capacity: a conflict with the current state, not bad input.
      return fail({ intent: "submit", errors: r.errors, problems: r.lines }, r.errors.form?.key === "orders:errors.availability_changed" ? 409 : 400);
    }
  }
}

export default function Cart() {
  const { t, i18n } = useTranslation("orders");
  const money = useMoney();
  const day = useDay();
  const f = useFormat();
  const cart = useLoaderData<typeof loader>();
  const answer = useActionData<Answer>();
  const fa = i18n.language === "fa";
  const errorsFor = (intent: string) => (answer?.intent === intent ? answer.errors : undefined);
  const preview = answer?.intent === "quick" ? answer.preview : undefined;
  return (
    <>
      <h1>{t("cart_title")}</h1>
      <FormAlert errors={answer?.errors} />
      {answer?.problems?.length ? (
        <ul className="alert error" role="alert" data-testid="problems">
          {answer.problems.map((p) => (
            <li key={p.lineId}>{t(p.key, { sku: p.sku, ...p.values, ...(p.values?.date ? { date: day(String(p.values.date)) } : {}) })}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid-2">
        <section className="card">
          <h2>{t("recipient")}</h2>
          <Form method="post" className="stack" key={`${cart.recipient.customerId}-${cart.recipient.shipTo}`}>
            <input type="hidden" name="intent" value="recipient" />
            <SelectField name="customerId" label={t("customer")} defaultValue={cart.recipient.customerId ?? ""} errors={errorsFor("recipient")} options={[{ value: "", label: t("for_stock") }, ...cart.customers.map((c) => ({ value: c.id, label: c.display_name }))]} />
            <SelectField name="shipTo" label={t("ship_to")} defaultValue={cart.recipient.shipTo} errors={errorsFor("recipient")} options={(["partner", "customer"] as const).map((s) => ({ value: s, label: t(`ship_to_options.${s}`) }))} />
            <label className="check">
              <input type="checkbox" name="hidePrices" defaultChecked={cart.recipient.hidePrices} /> {t("hide_prices")}
            </label>
            <button type="submit" className="secondary">{t("save_recipient")}</button>
          </Form>
        </section>
        <section className="card">
          <h2>{t("quick_title")}</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="quick" />
            <TextAreaField name="lines" label={t("quick_lines")} hint={t("quick_hint")} rows={5} defaultValue={answer?.text ?? ""} errors={errorsFor("quick")} dir="ltr" />
            <button type="submit" className="secondary">{t("quick_preview")}</button>
          </Form>
          {preview ? (
            <div className="stack" aria-live="polite" data-testid="quick-preview">
              {preview.errors.length ? (
                <>
                  <h3>{t("quick_invalid")}</h3>
                  <ul>
                    {preview.errors.map((e, i) => (
                      <li key={`${e.line}-${i}`} className="error">
                        {t("quick_line", { line: e.line, text: e.text })} — {t(e.key, e.values)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {preview.valid.length ? (
                <>
                  <h3>{t("quick_valid")}</h3>
                  <ul>
                    {preview.valid.map((l) => (
                      <li key={l.productId}>{t("quick_added_line", { sku: l.sku, name: fa ? l.name_fa : l.name_en, quantity: l.quantity })}</li>
                    ))}
                  </ul>
                  <Form method="post">
                    <input type="hidden" name="intent" value="quick" />
                    <input type="hidden" name="confirm" value="1" />
                    <input type="hidden" name="lines" value={answer?.text ?? ""} />
                    <button type="submit">{t("quick_confirm", { count: preview.valid.length })}</button>
                  </Form>
                </>
              ) : null}
            </div>
          ) : null}
          <h3>{t("csv_title")}</h3>
          <Form method="post" encType="multipart/form-data" className="stack">
            <div className="field">
              <label htmlFor="f-file">{t("csv_file")}</label>
              <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-required />
              <span className="hint">{t("csv_hint")}</span>
              <ErrorText id="e-file" error={errorsFor("csv")?.file} />
            </div>
            <button type="submit" className="secondary">{t("csv_check")}</button>
          </Form>
        </section>
      </div>
      <section className="card">
        {cart.lines.length === 0 ? <p className="empty">{t("empty_cart")}</p> : null}
        {cart.lines.map((l) => {
          const errors = answer?.intent === "line" && answer.lineId === l.id ? answer.errors : l.errors;
          return (
            <Form method="post" className="cart-line stack" key={l.id} data-testid="cart-line">
              <input type="hidden" name="lineId" value={l.id} />
              <h3>
                <bdi dir="ltr">{l.product?.sku}</bdi> {l.product ? (fa ? l.product.name_fa : l.product.name_en) : ""}
              </h3>
              <ErrorText id={`e-product-${l.id}`} error={errors?.product} />
              <TextField name="quantity" label={t("quantity")} defaultValue={f.number(l.quantity)} inputMode="numeric" idPrefix={l.id} errors={errors} />
              {l.product?.offer.groups.map((g) => (
                <div className="field" key={g.id}>
                  <label htmlFor={`f-${l.id}-opt-${g.id}`}>{fa ? g.name_fa : g.name_en}</label>
                  <select id={`f-${l.id}-opt-${g.id}`} name={`opt.${g.id}`} defaultValue={l.options[g.id] ?? ""}>
                    <option value="">{t("option_none")}</option>
                    {g.values.map((v) => (
                      <option key={v.id} value={v.id}>{fa ? v.label_fa : v.label_en}</option>
                    ))}
                  </select>
                  <ErrorText id={`e-${l.id}-opt-${g.id}`} error={errors?.[`opt.${g.id}`]} />
                </div>
              ))}
              {l.product?.offer.personalisations.map((p) => (
                <TextField key={p.id} name={`pers.${p.id}`} label={fa ? p.label_fa : p.label_en} defaultValue={l.personalisation[p.id] ?? ""} idPrefix={l.id} errors={errors} />
              ))}
              <dl className="facts">
                <dt>{t("unit_net")}</dt>
                <dd>{l.price ? money(l.price.unitNet) : "—"}</dd>
                <dt>{t("line_total")}</dt>
                <dd>{l.price ? money(l.price.lineTotal) : "—"}</dd>
                <dt>{t("promise")}</dt>
                <dd data-testid="promise">
                  <PromiseText promise={l.promise} />
                </dd>
              </dl>
              <div className="actions">
                <button type="submit" name="intent" value="line" className="secondary">{t("update_line")}</button>
                <button type="submit" name="intent" value="remove" className="danger">{t("remove_line")}</button>
              </div>
            </Form>
          );
        })}
        {cart.lines.length ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="submit" />
            <input type="hidden" name="key" value={cart.checkoutKey} />
            {cart.lines.map((l) => (l.promise?.ok ? <input key={l.id} type="hidden" name={`seen.${l.id}`} value={l.promise.shipOn} /> : null))}
            <p>
              {t("total")}: <strong data-testid="cart-total">{money(cart.total)}</strong>
            </p>
            {cart.submittable ? null : <p className="error">{t("submit_blocked")}</p>}
            <button type="submit" disabled={!cart.submittable}>{t("submit")}</button>
          </Form>
        ) : null}
      </section>
    </>
  );
}
