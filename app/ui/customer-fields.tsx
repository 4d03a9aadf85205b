import { useTranslation } from "react-i18next";
import { CONTACT_CHANNELS, CUSTOMER_KINDS } from "#db/schema";
import type { FieldErrors } from "~/utils/validation";
import { SelectField, TextField } from "./form";
import { useProvinceOptions } from "./provinces";

export type CustomerDefaults = Partial<Record<"kind" | "displayName" | "phone" | "email" | "province" | "city" | "preferredLocale" | "preferredChannel" | "preferredTimes", string | null>>;

/** Identity and contact fields, shared by registration, editing and correction proposals (without contact when hidden). */
export function CustomerFields({ defaults, errors, contact = true, idPrefix }: { defaults: CustomerDefaults; errors?: FieldErrors; contact?: boolean; idPrefix?: string }) {
  const { t } = useTranslation("customers");
  const provinces = useProvinceOptions();
  const v = (k: keyof CustomerDefaults) => defaults[k] ?? undefined;
  return (
    <>
      <SelectField idPrefix={idPrefix} name="kind" label={t("kind_label")} defaultValue={v("kind") ?? "person"} errors={errors} options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
      <TextField idPrefix={idPrefix} name="displayName" label={t("name")} defaultValue={v("displayName")} errors={errors} required maxLength={200} />
      {contact ? (
        <>
          <TextField idPrefix={idPrefix} name="phone" label={t("mobile")} hint={t("mobile_hint")} defaultValue={v("phone")} errors={errors} dir="ltr" inputMode="tel" autoComplete="off" required />
          <TextField idPrefix={idPrefix} name="email" label={t("email")} defaultValue={v("email")} errors={errors} dir="ltr" type="email" />
        </>
      ) : null}
      <SelectField idPrefix={idPrefix} name="province" label={t("province")} defaultValue={v("province") ?? "tehran"} errors={errors} options={provinces} />
      <TextField idPrefix={idPrefix} name="city" label={t("city")} defaultValue={v("city")} errors={errors} required maxLength={100} />
      <SelectField idPrefix={idPrefix} name="preferredLocale" label={t("preferred_locale")} defaultValue={v("preferredLocale") ?? "fa"} errors={errors} options={["fa", "en"].map((l) => ({ value: l, label: t(`common:language.${l}`) }))} />
      <SelectField idPrefix={idPrefix} name="preferredChannel" label={t("preferred_channel")} defaultValue={v("preferredChannel") ?? "phone"} errors={errors} options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
      {contact ? <TextField idPrefix={idPrefix} name="preferredTimes" label={t("preferred_times")} hint={t("preferred_times_hint")} defaultValue={v("preferredTimes")} errors={errors} maxLength={200} /> : null}
    </>
  );
}

/** `withdrawOnly`: the brand's form, where only consents now given can be switched (off). */
export function ConsentFields({ defaults, prefix = "", withdrawOnly = false }: { defaults: Record<"partner_contact" | "brand_contact" | "share_partners", boolean>; prefix?: string; withdrawOnly?: boolean }) {
  const { t } = useTranslation("customers");
  const name = (p: string) => (prefix ? `${prefix}${p.replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase())}` : p);
  return (
    <fieldset className="consents">
      <legend>{t("consent_title")}</legend>
      {(["partner_contact", "brand_contact", "share_partners"] as const).map((purpose) => (
        <label key={purpose} className="check">
          <input type="checkbox" name={name(purpose)} defaultChecked={defaults[purpose]} disabled={withdrawOnly && !defaults[purpose]} /> {t(`consent.${purpose}`)}
        </label>
      ))}
    </fieldset>
  );
}
