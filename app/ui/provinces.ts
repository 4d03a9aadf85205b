import { useTranslation } from "react-i18next";
import { provinceOptions } from "~/domain/provinces";

/** The province list of every select, filter and checkbox group, sorted for the page's language. */
export function useProvinceOptions() {
  const { t, i18n } = useTranslation();
  return provinceOptions((p) => t(`common:provinces.${p}`), i18n.language);
}
