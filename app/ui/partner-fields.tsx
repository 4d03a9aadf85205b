import { useTranslation } from "react-i18next";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import type { FieldErrors } from "~/utils/validation";
import { SelectField, TextAreaField, TextField } from "./form";
import { useProvinceOptions } from "./provinces";

export interface PartnerDefaults {
  name_fa?: string;
  name_en?: string;
  type?: string;
  parent_id?: string | null;
  tier?: string;
  province?: string;
  city?: string;
  phone?: string | null;
  address?: string | null;
}

/** The fields a brand admin fills for a partner, shared by "new" and "edit". */
export function PartnerFields({ defaults, distributors, errors }: { defaults: PartnerDefaults; distributors: { id: string; name_fa: string; name_en: string }[]; errors?: FieldErrors }) {
  const { t, i18n } = useTranslation("partners");
  const fa = i18n.language === "fa";
  const provinces = useProvinceOptions();
  return (
    <>
      <TextField name="nameFa" label={t("name_fa")} defaultValue={defaults.name_fa} errors={errors} required />
      <TextField name="nameEn" label={t("name_en")} defaultValue={defaults.name_en} errors={errors} dir="ltr" required />
      <SelectField name="type" label={t("type")} defaultValue={defaults.type ?? "reseller"} errors={errors} options={PARTNER_TYPES.map((v) => ({ value: v, label: t(`common:partnerTypes.${v}`) }))} />
      <SelectField
        name="parentId"
        label={t("parent")}
        hint={t("parent_hint")}
        defaultValue={defaults.parent_id ?? ""}
        errors={errors}
        options={[{ value: "", label: t("no_parent") }, ...distributors.map((d) => ({ value: d.id, label: fa ? d.name_fa : d.name_en }))]}
      />
      <SelectField name="tier" label={t("tier")} defaultValue={defaults.tier ?? "registered"} errors={errors} options={TIERS.map((v) => ({ value: v, label: t(`common:tiers.${v}`) }))} />
      <SelectField name="province" label={t("province")} defaultValue={defaults.province ?? "tehran"} errors={errors} options={provinces} />
      <TextField name="city" label={t("city")} defaultValue={defaults.city} errors={errors} required />
      <TextField name="phone" label={t("phone")} defaultValue={defaults.phone ?? ""} errors={errors} dir="ltr" inputMode="tel" />
      <TextAreaField name="address" label={t("address")} defaultValue={defaults.address ?? ""} errors={errors} />
    </>
  );
}
