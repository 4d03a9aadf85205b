import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { moneyInRial, optionGroupSchema, optionValueSchema, personalisationSchema, productSchema, removeSchema } from "~/models/orders/product-forms";
import { addProductPart, getProductForManage, productCategories, removeProductPart, setProductImage, updateProduct } from "~/models/orders/products.server";
import { brandMoneyUnit } from "~/models/settings.server";
import { FormAlert, SelectField, TextField } from "~/ui/form";
import { useFormat, useMoney, useMoneyInput } from "~/ui/format";
import { ProductFields } from "~/ui/orders/product-fields";
import { requirePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/http.server";
import { newId } from "~/utils/ids";
import { reencodeImage } from "~/utils/image.server";
import { storage } from "~/utils/storage.server";
import { readUpload } from "~/utils/upload.server";
import { parseFormData, type FieldErrors } from "~/utils/validation";
import { pageTitle } from "~/ui/page-title";

const IMAGE_MAX_BYTES = 4 * 1024 * 1024;

export const meta = pageTitle<typeof loader>((d, _t, fa) => (fa ? d.product.name_fa : d.product.name_en));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const [product, categories] = await Promise.all([getProductForManage(actor, params.id!), productCategories(actor)]);
  invariantResponse(product, 404);
  return { ...product, categories, imageMaxKb: IMAGE_MAX_BYTES / 1024 };
}

const fail = (errors: FieldErrors, status = 400) => data({ errors, saved: false }, { status });
const done = (result: { ok: true } | { errors: FieldErrors } | boolean | null) => {
  invariantResponse(result, 404);
  return typeof result === "object" && "errors" in result ? fail(result.errors) : { errors: undefined, saved: true };
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, "catalog.manage");
  const id = params.id!;
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const upload = await readUpload(request, "image", IMAGE_MAX_BYTES);
    if (!upload.ok) {
      if (upload.reason === "too_large") return fail({ image: { key: "errors.file_too_large", values: { kb: IMAGE_MAX_BYTES / 1024 } } }, 413);
      return fail({ image: { key: upload.reason === "unreadable" ? "errors.upload_unreadable" : "errors.required" } });
    }
    const clean = await reencodeImage(new Uint8Array(await upload.file.arrayBuffer()));
    if (!clean.ok) return fail({ image: { key: `errors.${clean.reason}` } });
    invariantResponse(await getProductForManage(actor, id), 404);
    const key = `products/${actor.brandId}/${newId().toLowerCase()}.${clean.image.ext}`;
    await storage().put(key, clean.image.bytes, clean.image.mime);
    return done(await setProductImage(actor, id, key, clean.image.mime));
  }
  const form = moneyInRial(await request.formData(), await brandMoneyUnit(actor));
  const intent = form.get("intent") ?? "product";
  const parse = <S extends Parameters<typeof parseFormData>[0]>(schema: S) => parseFormData(schema, form);
  switch (intent) {
    case "product": {
      const parsed = parse(productSchema);
      return parsed.ok ? done(await updateProduct(actor, id, parsed.data)) : fail(parsed.errors);
    }
    case "add_group": {
      const parsed = parse(optionGroupSchema);
      return parsed.ok ? done(await addProductPart(actor, id, { kind: "group", ...parsed.data })) : fail(parsed.errors);
    }
    case "add_value": {
      const parsed = parse(optionValueSchema);
      return parsed.ok ? done(await addProductPart(actor, id, { kind: "value", ...parsed.data })) : fail(parsed.errors);
    }
    case "add_personalisation": {
      const parsed = parse(personalisationSchema);
      return parsed.ok ? done(await addProductPart(actor, id, { kind: "personalisation", ...parsed.data })) : fail(parsed.errors);
    }
    case "remove_group":
    case "remove_value":
    case "remove_personalisation": {
      const parsed = parse(removeSchema);
      if (!parsed.ok) return fail(parsed.errors);
      return done(await removeProductPart(actor, id, intent.slice("remove_".length) as "group" | "value" | "personalisation", parsed.data.id));
    }
    default:
      return fail({ form: { key: "errors.invalid" } });
  }
}

function RemoveButton({ intent, id, label }: { intent: string; id: string; label: string }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="link danger">{label}</button>
    </Form>
  );
}

export default function ProductEdit() {
  const { t, i18n } = useTranslation("catalog");
  const f = useFormat();
  const moneyInput = useMoneyInput();
  const money = useMoney();
  const { product, groups, personalisations, categories, imageMaxKb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const fa = i18n.language === "fa";
  return (
    <>
      <div className="page-head">
        <h1>{fa ? product.name_fa : product.name_en}</h1>
        <Link to={`/catalog/${product.id}`}>{t("view_in_catalog")}</Link>
      </div>
      {actionData?.saved ? <div className="alert ok" role="status">{t("common:saved")}</div> : null}
      <FormAlert errors={errors} />
      <div className="grid-2">
        <Form method="post" className="stack card" noValidate key={String(product.updated_at)}>
          <input type="hidden" name="intent" value="product" />
          <ProductFields defaults={product} categories={categories} errors={errors} />
          <p className="hint">{t("reserved_note", { n: f.number(product.stock_reserved) })}</p>
          <button type="submit">{t("common:save")}</button>
        </Form>
        <div className="stack">
          <section className="card">
            <h2>{t("image")}</h2>
            {product.image_key ? <img className="product-image" src={`/products/${product.id}/image`} alt={t("image")} /> : null}
            <Form method="post" encType="multipart/form-data" className="stack">
              <label htmlFor="f-image">{t("image_upload", { kb: f.number(imageMaxKb) })}</label>
              <input id="f-image" type="file" name="image" accept="image/png,image/jpeg" />
              <button type="submit">{t("upload")}</button>
            </Form>
          </section>
          <section className="card">
            <h2>{t("options")}</h2>
            {groups.map((g) => (
              <div key={g.id} className="stack">
                <h3>
                  {fa ? g.name_fa : g.name_en} <RemoveButton intent="remove_group" id={g.id} label={t("remove")} />
                </h3>
                <ul>
                  {g.values.map((v) => (
                    <li key={v.id}>
                      {fa ? v.label_fa : v.label_en} — {t("delta", { amount: money(v.price_delta_rial) })} <RemoveButton intent="remove_value" id={v.id} label={t("remove")} />
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="add_group" />
              <TextField idPrefix="group" name="nameFa" label={t("group_name_fa")} errors={errors} />
              <TextField idPrefix="group" name="nameEn" label={t("group_name_en")} dir="ltr" errors={errors} />
              <button type="submit">{t("add_group")}</button>
            </Form>
            {groups.length > 0 ? (
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="add_value" />
                <SelectField idPrefix="value" name="groupId" label={t("group")} options={groups.map((g) => ({ value: g.id, label: fa ? g.name_fa : g.name_en }))} errors={errors} />
                <TextField idPrefix="value" name="labelFa" label={t("value_label_fa")} errors={errors} />
                <TextField idPrefix="value" name="labelEn" label={t("value_label_en")} dir="ltr" errors={errors} />
                <TextField idPrefix="value" name="priceDelta" label={t("price_delta_rial", { unit: moneyInput.unit })} defaultValue="0" inputMode="numeric" errors={errors} />
                <button type="submit">{t("add_value")}</button>
              </Form>
            ) : null}
          </section>
          <section className="card">
            <h2>{t("personalisation")}</h2>
            <ul>
              {personalisations.map((p) => (
                <li key={p.id}>
                  {fa ? p.label_fa : p.label_en} — {t("personalisation_hint", { max: f.number(p.max_length), amount: money(p.extra_price_rial) })}
                  {p.required ? ` (${t("required")})` : ""} <RemoveButton intent="remove_personalisation" id={p.id} label={t("remove")} />
                </li>
              ))}
            </ul>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="add_personalisation" />
              <TextField idPrefix="pers" name="labelFa" label={t("field_label_fa")} errors={errors} />
              <TextField idPrefix="pers" name="labelEn" label={t("field_label_en")} dir="ltr" errors={errors} />
              <TextField idPrefix="pers" name="maxLength" label={t("max_length")} inputMode="numeric" errors={errors} />
              <TextField idPrefix="pers" name="extraPrice" label={t("extra_price_rial", { unit: moneyInput.unit })} defaultValue="0" inputMode="numeric" errors={errors} />
              <label className="check">
                <input type="checkbox" name="required" /> {t("required")}
              </label>
              <button type="submit">{t("add_personalisation")}</button>
            </Form>
          </section>
        </div>
      </div>
    </>
  );
}
