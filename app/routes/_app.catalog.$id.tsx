import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/domain/permissions";
import { addProductToCart } from "~/models/orders/cart.server";
import { getCatalogProduct, type Quote } from "~/models/orders/catalog.server";
import { choicesFrom } from "~/models/orders/order-forms";
import { quoteSchema } from "~/models/orders/product-forms";
import { ErrorText, FormAlert, TextField } from "~/ui/form";
import { useFormat, useMoney } from "~/ui/format";
import { Availability, MarginCell } from "~/ui/orders/catalog-cells";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

/** The quantity box and choices from the query string (a GET form): the server prices them, never the browser. */
function quoteFrom(url: URL): { quote: Quote | null; errors?: FieldErrors } {
  if (!url.searchParams.has("qty")) return { quote: null };
  const parsed = parseFormData(quoteSchema, { qty: url.searchParams.get("qty") });
  if (!parsed.ok) return { quote: null, errors: parsed.errors };
  return { quote: { quantity: parsed.data.qty, ...choicesFrom(url.searchParams) } };
}

export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.product.name_fa : d.product.name_en));

/** Adds the configuration on the page to the cart (the same fields as the quote, posted). */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "orders.place");
  const form = await request.formData();
  const fields = new URL(request.url);
  for (const [k, v] of form.entries()) if (typeof v === "string") fields.searchParams.set(k, v);
  const { quote, errors } = quoteFrom(fields);
  if (!quote) return data({ errors: errors ?? { qty: { key: "errors.required" } } }, { status: 400 });
  const r = await addProductToCart(actor, params.id!, quote);
  invariantResponse(r, 404);
  if ("errors" in r) return data({ errors: r.errors }, { status: 400 });
  return redirect("/cart", 303);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.view");
  const url = new URL(request.url);
  const { quote, errors } = quoteFrom(url);
  const product = await getCatalogProduct(actor, params.id!, quote);
  invariantResponse(product, 404);
  const quoteErrors = errors ?? product.quote?.errors;
  const payload = { ...product, errors: quoteErrors, query: Object.fromEntries(url.searchParams), partnerView: actor.partnerId !== null, mayOrder: can(actor, "orders.place") };
  return quoteErrors ? data(payload, { status: 400 }) : payload;
}

export default function CatalogProduct() {
  const { t, i18n } = useTranslation("catalog");
  const f = useFormat();
  const money = useMoney();
  const { product, groups, personalisations, breaks, unitPrice, quote, errors: quoteErrors, query, partnerView, mayOrder } = useLoaderData<typeof loader>();
  const added = useActionData<typeof action>();
  const errors = added?.errors ?? quoteErrors;
  const fa = i18n.language === "fa";
  const promise = quote?.promise;
  return (
    <>
      <div className="page-head">
        <h1>{fa ? product.name_fa : product.name_en}</h1>
        <Availability product={product} />
      </div>
      <div className="grid-2">
        <section className="card">
          {product.image_key ? <img className="product-image" src={`/products/${product.id}/image`} alt={fa ? product.name_fa : product.name_en} /> : null}
          <p className="prose">{(fa ? product.description_fa : product.description_en) ?? ""}</p>
          <dl className="facts">
            <dt>{t("sku")}</dt>
            <dd><bdi dir="ltr">{product.sku}</bdi></dd>
            <dt>{t("category")}</dt>
            <dd>{(fa ? product.category_fa : product.category_en) ?? "—"}</dd>
            <dt>{t("unit")}</dt>
            <dd>{t(`units.${product.unit}`)}</dd>
            <dt>{t("list_price")}</dt>
            <dd>{money(unitPrice.unitList)}</dd>
            {partnerView ? (
              <>
                <dt>{t("net_price")}</dt>
                <dd data-testid="unit-net">{money(unitPrice.unitNet)}</dd>
                <dt>{t("margin")}</dt>
                <dd><MarginCell price={unitPrice} /></dd>
              </>
            ) : null}
            <dt>{t("retail_price")}</dt>
            <dd>{money(unitPrice.unitRetail)}</dd>
            {product.cost !== null ? (
              <>
                <dt>{t("cost")}</dt>
                <dd>{money(product.cost)}</dd>
              </>
            ) : null}
          </dl>
          {breaks.length > 0 ? (
            <>
              <h2>{t("volume_breaks")}</h2>
              <ul>
                {breaks.map((b) => (
                  <li key={`${b.minQuantity}-${b.discountBp}`}>{t("break_line", { min: f.number(b.minQuantity), percent: f.number(b.discountBp / 100) })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="card">
          <h2>{t("quote_title")}</h2>
          <FormAlert errors={errors} />
          <Form method="get" className="stack" noValidate>
            <TextField name="qty" label={t("quantity")} defaultValue={query.qty ?? ""} inputMode="numeric" errors={errors} />
            {groups.map((g) => (
              <div className="field" key={g.id}>
                <label htmlFor={`f-opt-${g.id}`}>{fa ? g.name_fa : g.name_en}</label>
                <select id={`f-opt-${g.id}`} name={`opt.${g.id}`} defaultValue={query[`opt.${g.id}`] ?? ""}>
                  <option value="">{t("option_none")}</option>
                  {g.values.map((v) => (
                    <option key={v.id} value={v.id}>
                      {fa ? v.label_fa : v.label_en}
                      {v.price_delta_rial !== "0" ? ` (${t("delta", { amount: money(v.price_delta_rial) })})` : ""}
                    </option>
                  ))}
                </select>
                <ErrorText id={`e-opt-${g.id}`} error={errors?.[`opt.${g.id}`]} />
              </div>
            ))}
            {personalisations.map((p) => (
              <TextField
                key={p.id}
                name={`pers.${p.id}`}
                label={fa ? p.label_fa : p.label_en}
                defaultValue={query[`pers.${p.id}`] ?? ""}
                hint={t(p.required ? "personalisation_hint_required" : "personalisation_hint", { max: f.number(p.max_length), amount: money(p.extra_price_rial) })}
                errors={errors}
              />
            ))}
            <button type="submit">{t("calculate")}</button>
          </Form>
          {quote?.price ? (
            <dl className="facts" aria-live="polite">
              <dt>{t("unit_net")}</dt>
              <dd>{money(quote.price.unitNet)}</dd>
              <dt>{t("line_total")}</dt>
              <dd data-testid="line-total">{money(quote.price.lineTotal)}</dd>
              {partnerView ? (
                <>
                  <dt>{t("line_margin")}</dt>
                  <dd>{money(quote.price.lineMargin)}</dd>
                </>
              ) : null}
              <dt>{t("promise")}</dt>
              <dd data-testid="promise">
                {promise?.ok
                  ? t(promise.source === "stock" ? "promise_stock" : "promise_capacity", { ship: f.date(`${promise.shipOn}T12:00:00Z`), delivery: f.date(`${promise.deliverOn}T12:00:00Z`) })
                  : t(`cannot_promise.${promise?.reason ?? "out_of_stock"}`)}
              </dd>
            </dl>
          ) : null}
          {mayOrder && quote?.price ? (
            <Form method="post">
              {Object.entries(query).map(([k, v]) => (k === "qty" || k.startsWith("opt.") || k.startsWith("pers.") ? <input key={k} type="hidden" name={k} value={v} /> : null))}
              <button type="submit">{t("orders:add_to_cart")}</button>
            </Form>
          ) : null}
        </section>
      </div>
    </>
  );
}
