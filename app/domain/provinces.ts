// Iran's 31 provinces; stored as these codes, shown through locales (common:provinces.*).
export const PROVINCES = [
  "alborz", "ardabil", "azarbaijan_east", "azarbaijan_west", "bushehr", "chaharmahal_bakhtiari", "fars", "gilan",
  "golestan", "hamadan", "hormozgan", "ilam", "isfahan", "kerman", "kermanshah", "khorasan_north", "khorasan_razavi",
  "khorasan_south", "khuzestan", "kohgiluyeh_boyerahmad", "kurdistan", "lorestan", "markazi", "mazandaran", "qazvin",
  "qom", "semnan", "sistan_baluchestan", "tehran", "yazd", "zanjan",
] as const;
export type Province = (typeof PROVINCES)[number];

/**
 * Every province with its name, in the alphabetical order of the reader's language: the codes are
 * in English order, which a Persian reader cannot scan (آذربایجان is not near the end).
 */
export function provinceOptions(label: (code: Province) => string, locale: string): { value: Province; label: string }[] {
  const collator = new Intl.Collator(locale);
  return PROVINCES.map((value) => ({ value, label: label(value) })).sort((a, b) => collator.compare(a.label, b.label));
}
