import { useTranslation } from "react-i18next";
import { PARTNER_TYPES, TIERS } from "#db/schema";
import type { Audience } from "~/domain/toolkit-audience";
import { ErrorText } from "~/ui/form";
import { useProvinceOptions } from "~/ui/provinces";
import type { FieldErrors } from "~/utils/validation";

/** One line saying who a toolkit reaches, e.g. "Gold, Platinum · Tehran + 2 chosen partners". */
export function AudienceSummary({ audience }: { audience: Audience }) {
  const { t } = useTranslation("toolkits");
  if (audience.all) return <>{t("audience.everyone")}</>;
  const parts = [
    audience.tiers.map((v) => t(`common:tiers.${v}`)).join(t("conflicts:list.separator")),
    audience.types.map((v) => t(`common:partnerTypes.${v}`)).join(t("conflicts:list.separator")),
    audience.provinces.map((v) => t(`common:provinces.${v}`)).join(t("conflicts:list.separator")),
  ].filter(Boolean);
  const picked = audience.partnerIds.length ? t("audience.picked", { count: audience.partnerIds.length }) : "";
  const text = [parts.join(" · "), picked].filter(Boolean).join(" + ");
  return <>{text || t("audience.nobody")}</>;
}

interface Partner {
  id: string;
  name_fa: string;
  name_en: string;
}

function Checkboxes({ name, legend, options, checked }: { name: string; legend: string; options: { value: string; label: string }[]; checked: string[] }) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The audience editor: everyone, or criteria that must all hold, or partners picked by hand (or both). */
export function AudienceFields({ audience, partners, errors }: { audience: Audience; partners: Partner[]; errors?: FieldErrors }) {
  const { t, i18n } = useTranslation("toolkits");
  const fa = i18n.language === "fa";
  const provinces = useProvinceOptions();
  return (
    <>
      <label>
        <input type="checkbox" name="all" defaultChecked={audience.all} /> {t("audience.all")}
      </label>
      <p className="hint">{t("audience.rule")}</p>
      <Checkboxes name="tiers" legend={t("audience.tiers")} options={TIERS.map((v) => ({ value: v, label: t(`common:tiers.${v}`) }))} checked={audience.tiers} />
      <Checkboxes name="types" legend={t("audience.types")} options={PARTNER_TYPES.map((v) => ({ value: v, label: t(`common:partnerTypes.${v}`) }))} checked={audience.types} />
      <Checkboxes name="provinces" legend={t("audience.provinces")} options={provinces} checked={audience.provinces} />
      <Checkboxes name="partnerIds" legend={t("audience.partners")} options={partners.map((p) => ({ value: p.id, label: fa ? p.name_fa : p.name_en }))} checked={audience.partnerIds} />
      <ErrorText id="e-audience" error={errors?.tiers ?? errors?.types ?? errors?.provinces ?? errors?.partnerIds} />
    </>
  );
}
