import { useTranslation } from "react-i18next";
import { FULFILMENTS, PRODUCT_UNITS } from "#db/schema";
import { SelectField, TextAreaField, TextField } from "~/ui/form";
import { useFormat, useMoneyInput } from "~/ui/format";
import type { FieldErrors } from "~/utils/validation";

export interface ProductDefaults {
  sku: string;
  name_fa: string;
  name_en: string;
  description_fa: string | null;
  description_en: string | null;
  category_id: string | null;
  unit: string;
  list_price_rial: string;
  retail_price_rial: string;
  cost_rial: string;
  fulfilment: string;
  stock_on_hand: number;
  daily_capacity: number;
  lead_time_days: number;
  handling_days: number;
  active: boolean | number;
}

/** Every field of a product, for the create and edit forms alike. Numbers may be typed in Persian digits. */
export function ProductFields({ defaults, categories, errors }: { defaults?: ProductDefaults; categories: { id: string; name_fa: string; name_en: string }[]; errors?: FieldErrors }) {
  const { t, i18n } = useTranslation("catalog");
  const f = useFormat();
  const fa = i18n.language === "fa";
  const n = (v: number | string | undefined) => (v === undefined ? "" : f.number(v));
  const money = useMoneyInput();
  const price = (rial: number | string | undefined) => (rial === undefined ? "" : money.value(rial));
  return (
    <>
      <TextField name="sku" label={t("sku")} defaultValue={defaults?.sku} dir="ltr" errors={errors} />
      <TextField name="nameFa" label={t("name_fa")} defaultValue={defaults?.name_fa} errors={errors} />
      <TextField name="nameEn" label={t("name_en")} defaultValue={defaults?.name_en} dir="ltr" errors={errors} />
      <TextAreaField name="descriptionFa" label={t("description_fa")} defaultValue={defaults?.description_fa ?? ""} errors={errors} />
      <TextAreaField name="descriptionEn" label={t("description_en")} defaultValue={defaults?.description_en ?? ""} dir="ltr" errors={errors} />
      <SelectField name="categoryId" label={t("category")} defaultValue={defaults?.category_id ?? ""} options={[{ value: "", label: t("no_category") }, ...categories.map((c) => ({ value: c.id, label: fa ? c.name_fa : c.name_en }))]} errors={errors} />
      <SelectField name="unit" label={t("unit")} defaultValue={defaults?.unit ?? "piece"} options={PRODUCT_UNITS.map((u) => ({ value: u, label: t(`units.${u}`) }))} errors={errors} />
      <TextField name="listPrice" label={t("list_price_rial", { unit: money.unit })} defaultValue={price(defaults?.list_price_rial)} inputMode="numeric" errors={errors} />
      <TextField name="retailPrice" label={t("retail_price_rial", { unit: money.unit })} defaultValue={price(defaults?.retail_price_rial)} inputMode="numeric" errors={errors} />
      <TextField name="cost" label={t("cost_rial", { unit: money.unit })} defaultValue={price(defaults?.cost_rial)} inputMode="numeric" hint={t("cost_hint")} errors={errors} />
      <SelectField name="fulfilment" label={t("fulfilment")} defaultValue={defaults?.fulfilment ?? "stock"} options={FULFILMENTS.map((v) => ({ value: v, label: t(`fulfilments.${v}`) }))} errors={errors} />
      <TextField name="stockOnHand" label={t("stock_on_hand")} defaultValue={n(defaults?.stock_on_hand ?? 0)} inputMode="numeric" errors={errors} />
      <TextField name="dailyCapacity" label={t("daily_capacity")} defaultValue={n(defaults?.daily_capacity ?? 0)} inputMode="numeric" errors={errors} />
      <TextField name="leadTimeDays" label={t("lead_time_days")} defaultValue={n(defaults?.lead_time_days ?? 0)} inputMode="numeric" errors={errors} />
      <TextField name="handlingDays" label={t("handling_days")} defaultValue={n(defaults?.handling_days ?? 1)} inputMode="numeric" errors={errors} />
      <label className="check">
        <input type="checkbox" name="active" defaultChecked={defaults ? Boolean(defaults.active) : true} /> {t("active")}
      </label>
    </>
  );
}
