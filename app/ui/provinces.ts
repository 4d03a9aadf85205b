import { useTranslation } from "react-i18next";
import { provinceOptions, type Province } from "~/domain/provinces";

// The translations are bundled, so a language's sorted list never changes: made once, not per render.
const sorted = new Map<string, { value: Province; label: string }[]>();

/** The province list of every select, filter and checkbox group, sorted for the page's language. */
export function useProvinceOptions() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  let options = sorted.get(lng);
  if (!options) {
    options = provinceOptions((p) => t(`common:provinces.${p}`), lng);
    sorted.set(lng, options);
  }
  return options;
}
