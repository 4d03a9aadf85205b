import { useTranslation } from "react-i18next";
import { toSearchKey } from "~/domain/text";

/** A province's name in both languages as search keys, made once per province (the translations are bundled). */
const provinceNames = new Map<string, string[]>();

/**
 * A city as the user typed it (either language) beside the province from the locale: the city is
 * isolated so it never reorders the rest, and the separator is a middle dot, which reads the same
 * in Persian and English (a Persian comma after a Latin word, or a Latin one after a Persian word,
 * does not). A city that is the province's own name («تهران» in Tehran) is not repeated: the
 * province alone says it, in the page's language.
 */
export function Place({ city, province }: { city: string | null; province: string }) {
  const { t } = useTranslation();
  const name = t(`common:provinces.${province}`, { defaultValue: province });
  let names = provinceNames.get(province);
  if (!names) {
    names = ["fa", "en"].map((lng) => toSearchKey(t(`common:provinces.${province}`, { lng, defaultValue: province })));
    provinceNames.set(province, names);
  }
  if (!city || names.includes(toSearchKey(city))) return <>{name}</>;
  return (
    <>
      <bdi dir="auto">{city}</bdi>
      {t("common:place_separator")}
      {name}
    </>
  );
}
