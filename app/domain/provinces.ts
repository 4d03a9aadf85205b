// Iran's 31 provinces; stored as these codes, shown through locales (common:provinces.*).
export const PROVINCES = [
  "alborz", "ardabil", "azarbaijan_east", "azarbaijan_west", "bushehr", "chaharmahal_bakhtiari", "fars", "gilan",
  "golestan", "hamadan", "hormozgan", "ilam", "isfahan", "kerman", "kermanshah", "khorasan_north", "khorasan_razavi",
  "khorasan_south", "khuzestan", "kohgiluyeh_boyerahmad", "kurdistan", "lorestan", "markazi", "mazandaran", "qazvin",
  "qom", "semnan", "sistan_baluchestan", "tehran", "yazd", "zanjan",
] as const;
export type Province = (typeof PROVINCES)[number];
