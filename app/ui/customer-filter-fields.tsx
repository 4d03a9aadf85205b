import { useTranslation } from "react-i18next";
import { NEED_STATUSES, VALUE_TIERS } from "#db/schema";
import { CUSTOMER_SORTS, SEARCH_MAX_CHARS } from "~/models/customer-filters";
import type { FieldErrors } from "~/utils/validation";
import { DateField } from "./date-field";
import { ErrorText } from "./form";
import { useProvinceOptions } from "./provinces";

type Named = { id: string; name_fa: string; name_en: string };

/**
 * The customer list's filters as form fields, named as the list's query string: the list submits
 * them with GET, the segments page posts them (with a name) to save a segment.
 */
export function CustomerFilterFields({ value, errors, categories, partners, folded = false }: { value: (name: string) => string; errors?: FieldErrors; categories: Named[]; partners: Named[]; folded?: boolean }) {
  const { t, i18n } = useTranslation("customers");
  const provinces = useProvinceOptions();
  const fa = i18n.language === "fa";
  const nameOf = (x: Named) => (fa ? x.name_fa : x.name_en);
  const invalid = (name: string) => (errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `e-${name}` } : {});
  const select = (name: string, label: string, options: { value: string; label: string }[], all = true) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value(name) || (all ? "" : options[0].value)} {...invalid(name)}>
        {all ? <option value="">{t("all")}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`e-${name}`} error={errors?.[name]} />
    </div>
  );
  const dateField = (name: string, label: string) => <DateField name={name} label={label} defaultValue={value(name)} errors={errors} size={10} />;
  const search = (
    <div className="field">
      <label htmlFor="q">{t("search")}</label>
      <input id="q" name="q" type="search" defaultValue={value("q")} placeholder={t("search_hint")} dir="auto" size={28} maxLength={SEARCH_MAX_CHARS} {...invalid("q")} />
      <ErrorText id="e-q" error={errors?.q} />
    </div>
  );
  const rest = (
    <>
      {select("needCategory", t("need_category"), categories.map((c) => ({ value: c.id, label: nameOf(c) })))}
      {select("needStatus", t("need_status"), NEED_STATUSES.map((s) => ({ value: s, label: t(`needStatus.${s}`) })))}
      {select("valueTier", t("value_tier"), [...VALUE_TIERS, "none" as const].map((v) => ({ value: v, label: t(`tier.${v}`) })))}
      {select("province", t("province"), provinces)}
      {dateField("contactFrom", t("contact_from"))}
      {dateField("contactTo", t("contact_to"))}
      {partners.length > 0 ? select("partnerId", t("serving_partner"), partners.map((p) => ({ value: p.id, label: nameOf(p) }))) : null}
      {select("sort", t("sort"), CUSTOMER_SORTS.map((s) => ({ value: s, label: t(`sort_${s}`) })), false)}
    </>
  );
  if (!folded) {
    return (
      <>
        {search}
        {rest}
      </>
    );
  }
  // On a phone the search box comes first and the other filters open on demand (always shown on a
  // wide screen, see styles.css); open when one of them is set or refused.
  const active = FOLDED_FILTERS.filter((name) => value(name) !== "" || errors?.[name]).length;
  return (
    <>
      {search}
      <details className="more-filters" open={active > 0}>
        <summary>{active > 0 ? t("more_filters_active", { count: active }) : t("more_filters")}</summary>
        <div className="filters">{rest}</div>
      </details>
    </>
  );
}

const FOLDED_FILTERS = ["needCategory", "needStatus", "valueTier", "province", "contactFrom", "contactTo", "partnerId"];
