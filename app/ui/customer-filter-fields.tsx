import { Link, useFetcher, useLocation } from "@remix-run/react";
import type { ReactNode, SelectHTMLAttributes } from "react";
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
 *
 * With `partnersOnDemand` (a network's list) `partners` holds only the chosen one: a network has
 * hundreds, too many to send with every view of the list. The rest are loaded (/partners/choices)
 * when the filter is about to be used; without JavaScript a link reloads the list with them
 * (`?partners=1`, the loader's full `partners`).
 */
export function CustomerFilterFields({ value, errors, categories, partners, partnersOnDemand = false, folded = false }: { value: (name: string) => string; errors?: FieldErrors; categories: Named[]; partners: Named[]; partnersOnDemand?: boolean; folded?: boolean }) {
  const { t, i18n } = useTranslation("customers");
  const provinces = useProvinceOptions();
  const choices = useFetcher<{ partners: Named[] }>();
  const location = useLocation();
  const partnerList = choices.data?.partners ?? partners;
  const onDemand = partnersOnDemand && !choices.data;
  const loadPartners = () => {
    if (onDemand && choices.state === "idle") choices.load("/partners/choices");
  };
  const fa = i18n.language === "fa";
  const nameOf = (x: Named) => (fa ? x.name_fa : x.name_en);
  const invalid = (name: string) => (errors?.[name] ? { "aria-invalid": true as const, "aria-describedby": `e-${name}` } : {});
  const select = (name: string, label: string, options: { value: string; label: string }[], all = true, more?: { props: SelectHTMLAttributes<HTMLSelectElement>; after: ReactNode }) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value(name) || (all ? "" : options[0].value)} {...invalid(name)} {...more?.props}>
        {all ? <option value="">{t("all")}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {more?.after}
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
      {partnersOnDemand || partners.length > 0
        ? select(
            "partnerId",
            t("serving_partner"),
            partnerList.map((p) => ({ value: p.id, label: nameOf(p) })),
            true,
            onDemand ? { props: { onFocus: loadPartners, onPointerEnter: loadPartners, onTouchStart: loadPartners }, after: <Link to={`?${withAllPartners(location.search)}#partnerId`} className="tap">{t("serving_partner_choose")}</Link> } : undefined,
          )
        : null}
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
  // Also open when the partner list was asked for without JavaScript, and load it when opened on a phone.
  const active = FOLDED_FILTERS.filter((name) => value(name) !== "" || errors?.[name]).length;
  return (
    <>
      {search}
      <details className="more-filters" open={active > 0 || value("partners") !== ""} onToggle={(e) => e.currentTarget.open && loadPartners()}>
        <summary>{active > 0 ? t("more_filters_active", { count: active }) : t("more_filters")}</summary>
        <div className="filters">{rest}</div>
      </details>
    </>
  );
}

const FOLDED_FILTERS = ["needCategory", "needStatus", "valueTier", "province", "contactFrom", "contactTo", "partnerId"];

function withAllPartners(search: string) {
  const params = new URLSearchParams(search);
  params.set("partners", "1");
  return params.toString();
}
