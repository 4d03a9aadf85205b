import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { TIERS } from "#db/schema";
import { moneyInRial, partnerPriceSchema, tierDiscountsSchema, transitSchema, volumeBreakSchema } from "~/models/orders/product-forms";
import { addVolumeBreak, pricingRulesPage, removePartnerPrice, removeVolumeBreak, saveTierDiscounts, saveTransitDays, setPartnerPrice } from "~/models/orders/pricing-rules.server";
import { productCategories } from "~/models/orders/products.server";
import { brandMoneyUnit } from "~/models/settings.server";
import { DataTable } from "~/ui/data-table";
import { FormAlert, SelectField, TextField } from "~/ui/form";
import { useFormat, useMoney, useMoneyInput } from "~/ui/format";
import { useProvinceOptions } from "~/ui/provinces";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { id, parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

export const meta = pageTitle("catalog:pricing_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  return pricingRulesPage(actor);
}

const fail = (errors: FieldErrors) => data({ errors, saved: false }, { status: 400 });
const saved = { errors: undefined, saved: true };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const form = moneyInRial(await request.formData(), await brandMoneyUnit(actor));
  switch (form.get("intent")) {
    case "tiers": {
      const categoryIds = (await productCategories(actor)).map((c) => c.id);
      const parsed = parseFormData(tierDiscountsSchema(categoryIds), form);
      if (!parsed.ok) return fail(parsed.errors);
      const values = parsed.data as Record<string, number>;
      await saveTierDiscounts(actor, TIERS.flatMap((tier) => categoryIds.map((categoryId) => ({ tier, categoryId, bp: values[`d.${tier}.${categoryId}`] }))));
      return saved;
    }
    case "partner_price": {
      const parsed = parseFormData(partnerPriceSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await setPartnerPrice(actor, parsed.data);
      return "errors" in result ? fail(result.errors) : saved;
    }
    case "remove_partner_price": {
      const parsed = parseFormData(z.object({ partnerId: id(), productId: id() }), form);
      if (!parsed.ok) return fail(parsed.errors);
      invariantResponse(await removePartnerPrice(actor, parsed.data.partnerId, parsed.data.productId), 404);
      return saved;
    }
    case "volume_break": {
      const parsed = parseFormData(volumeBreakSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const result = await addVolumeBreak(actor, parsed.data);
      return "errors" in result ? fail(result.errors) : saved;
    }
    case "remove_volume_break": {
      const parsed = parseFormData(z.object({ id: id() }), form);
      if (!parsed.ok) return fail(parsed.errors);
      invariantResponse(await removeVolumeBreak(actor, parsed.data.id), 404);
      return saved;
    }
    case "transit": {
      const parsed = parseFormData(transitSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const { defaultDays, ...rest } = parsed.data as { defaultDays: number } & Record<string, number | null>;
      await saveTransitDays(actor, defaultDays, Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.slice(2), v])));
      return saved;
    }
    default:
      return fail({ form: { key: "errors.invalid" } });
  }
}

export default function Pricing() {
  const { t, i18n } = useTranslation("catalog");
  const f = useFormat();
  const moneyInput = useMoneyInput();
  const money = useMoney();
  const { categories, discounts, partnerPrices, breaks, transit, defaultTransitDays, partners, products } = useLoaderData<typeof loader>();
  const provinces = useProvinceOptions();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const fa = i18n.language === "fa";
  const bpOf = (tier: string, categoryId: string) => discounts.find((d) => d.tier === tier && d.category_id === categoryId)?.discount_bp ?? 0;
  const pct = (bp: number) => f.number(bp / 100);
  return (
    <>
      <h1>{t("pricing_title")}</h1>
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={errors} />
      <section className="card">
        <h2>{t("tier_discounts")}</h2>
        <p className="hint">{t("tier_discounts_hint")}</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="tiers" />
          <DataTable
            rows={categories}
            rowKey={(c) => c.id}
            columns={[
              { header: t("category"), cell: (c) => (fa ? c.name_fa : c.name_en) },
              ...TIERS.map((tier) => ({
                header: t(`common:tiers.${tier}`),
                cell: (c: (typeof categories)[number]) => (
                  <input name={`d.${tier}.${c.id}`} aria-label={`${fa ? c.name_fa : c.name_en} — ${t(`common:tiers.${tier}`)}`} defaultValue={bpOf(tier, c.id) ? pct(bpOf(tier, c.id)) : ""} inputMode="decimal" size={5} aria-invalid={errors?.[`d.${tier}.${c.id}`] ? true : undefined} />
                ),
              })),
            ]}
          />
          <button type="submit">{t("common:save")}</button>
        </Form>
      </section>
      <section className="card">
        <h2>{t("partner_prices")}</h2>
        <DataTable
          rows={partnerPrices}
          rowKey={(p) => `${p.partner_id}-${p.product_id}`}
          columns={[
            { header: t("partner"), cell: (p) => (fa ? p.partner_fa : p.partner_en) },
            { header: t("sku"), cell: (p) => <bdi dir="ltr">{p.sku}</bdi> },
            { header: t("list_price"), numeric: true, cell: (p) => money(p.list_price_rial) },
            { header: t("net_price"), numeric: true, cell: (p) => money(p.net_price_rial) },
            {
              header: "",
              cell: (p) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove_partner_price" />
                  <input type="hidden" name="partnerId" value={p.partner_id} />
                  <input type="hidden" name="productId" value={p.product_id} />
                  <button type="submit" className="link danger">{t("remove")}</button>
                </Form>
              ),
            },
          ]}
        />
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="partner_price" />
          <SelectField idPrefix="pp" name="partnerId" label={t("partner")} options={partners.map((p) => ({ value: p.id, label: fa ? p.name_fa : p.name_en }))} errors={errors} />
          <SelectField idPrefix="pp" name="productId" label={t("product")} options={products.map((p) => ({ value: p.id, label: `${p.sku} — ${fa ? p.name_fa : p.name_en}` }))} errors={errors} />
          <TextField idPrefix="pp" name="netPrice" label={t("net_price_rial", { unit: moneyInput.unit })} inputMode="numeric" errors={errors} />
          <button type="submit">{t("set_partner_price")}</button>
        </Form>
      </section>
      <section className="card">
        <h2>{t("volume_breaks")}</h2>
        <ul>
          {breaks.map((b) => (
            <li key={b.id}>
              {b.sku ? <bdi dir="ltr">{b.sku}</bdi> : (fa ? b.category_fa : b.category_en)}: {t("break_line", { min: f.number(b.min_quantity), percent: pct(b.discount_bp) })}
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="remove_volume_break" />
                <input type="hidden" name="id" value={b.id} />
                <button type="submit" className="link danger">{t("remove")}</button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="volume_break" />
          <SelectField idPrefix="vb" name="productId" label={t("product")} options={[{ value: "", label: t("whole_category") }, ...products.map((p) => ({ value: p.id, label: `${p.sku} — ${fa ? p.name_fa : p.name_en}` }))]} errors={errors} />
          <SelectField idPrefix="vb" name="categoryId" label={t("category")} options={[{ value: "", label: t("one_product") }, ...categories.map((c) => ({ value: c.id, label: fa ? c.name_fa : c.name_en }))]} errors={errors} />
          <TextField idPrefix="vb" name="minQuantity" label={t("min_quantity")} inputMode="numeric" errors={errors} />
          <TextField idPrefix="vb" name="discount" label={t("discount_percent")} inputMode="decimal" errors={errors} />
          <button type="submit">{t("add_break")}</button>
        </Form>
      </section>
      <section className="card">
        <h2>{t("transit_days")}</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="transit" />
          <TextField name="defaultDays" label={t("default_transit_days")} defaultValue={f.number(defaultTransitDays)} inputMode="numeric" errors={errors} />
          <div className="grid-3">
            {provinces.map(({ value: p, label }) => {
              const days = transit.find((r) => r.province === p)?.days;
              return <TextField key={p} name={`t.${p}`} label={label} defaultValue={days === undefined ? "" : f.number(days)} inputMode="numeric" errors={errors} />;
            })}
          </div>
          <button type="submit">{t("common:save")}</button>
        </Form>
      </section>
    </>
  );
}
