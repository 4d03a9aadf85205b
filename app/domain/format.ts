// Locale-aware display helpers, used on server and client. Output must be identical on both
// (hydration), so every date formatter gets an explicit time zone and nothing reads the host's
// locale or zone.
import { toAsciiDigits } from "./text";

export type Locale = "fa" | "en";

export const TIME_ZONE = "Asia/Tehran";

const NUMBER_LOCALE: Record<Locale, string> = { fa: "fa-IR", en: "en-US" };
const numberFormats: Partial<Record<Locale, Intl.NumberFormat>> = {};

function numberFormat(locale: Locale): Intl.NumberFormat {
  return (numberFormats[locale] ??= new Intl.NumberFormat(NUMBER_LOCALE[locale]));
}

/**
 * Grouped number in the locale's digits (fa: ۱٬۲۳۴٬۵۶۷, en: 1,234,567).
 * Strings (MySQL BIGINT/DECIMAL arrive as strings) are formatted exactly, never through a float.
 * Throws TypeError for a string that is not a plain decimal number — that is a programming error.
 */
export function formatNumber(n: number | bigint | string, locale: Locale): string {
  if (typeof n === "string") {
    const s = n.trim();
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(s)) throw new TypeError(`formatNumber: not a number: ${JSON.stringify(n)}`);
    // ES2023 Intl.NumberFormat formats numeric strings with full precision.
    return numberFormat(locale).format(s as Intl.StringNumericLiteral);
  }
  return numberFormat(locale).format(n);
}

function toBigInt(value: bigint | number | string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`money must be a safe integer, got ${value}`);
    return BigInt(value);
  }
  const s = value.trim();
  if (!/^-?[0-9]+$/.test(s)) throw new TypeError(`money must be an integer string, got ${JSON.stringify(value)}`);
  return BigInt(s);
}

/**
 * Amount without unit word (the UI adds it from locales). Money is integer Rial everywhere.
 * Toman = Rial / 10 using BigInt division, i.e. truncated toward zero (15 Rial → 1 Toman,
 * -15 Rial → -1 Toman); prices are expected to be whole Toman, so this rarely drops anything.
 */
export function formatMoney(rial: bigint | number | string, locale: Locale, unit: "rial" | "toman" = "rial"): string {
  return formatNumber(amountInUnit(rial, unit), locale);
}

/** The amount in the display unit, as a plain integer (CSV cells); Toman truncated as in formatMoney. */
export function amountInUnit(rial: bigint | number | string, unit: "rial" | "toman"): bigint {
  const amount = toBigInt(rial);
  return unit === "toman" ? amount / 10n : amount;
}

/** Strings without a zone designator (e.g. MySQL "2024-03-20 12:00:00") are taken as UTC,
 * because dates are stored in UTC and the host's zone must not leak into the output. */
function toDate(d: Date | string): Date {
  if (d instanceof Date) return d;
  let s = d.trim().replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, "$1T");
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += "Z";
  const date = new Date(s);
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid date: ${JSON.stringify(d)}`);
  return date;
}

const DATE_LOCALE: Record<Locale, string> = { fa: "fa-IR-u-ca-persian", en: "en-GB" };
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, kind: "date" | "time"): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "date"
        ? { year: "numeric", month: "long", day: "numeric" }
        : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    f = new Intl.DateTimeFormat(DATE_LOCALE[locale], { ...options, timeZone: TIME_ZONE });
    dateFormats.set(key, f);
  }
  return f;
}

/** fa: "۱ فروردین ۱۴۰۳" (Solar Hijri), en: "20 March 2024" — the day in Asia/Tehran. */
export function formatDate(d: Date | string, locale: Locale): string {
  return dateFormat(locale, "date").format(toDate(d));
}

// Date and time are formatted separately and joined here: the connector ICU puts between them
// ("at", "ساعت", ",") differs between ICU versions, i.e. between Node and browsers.
const DATE_TIME_JOINER: Record<Locale, string> = { fa: "، ", en: ", " };

/** fa: "۱ فروردین ۱۴۰۳، ۱۵:۳۰", en: "20 March 2024, 15:30" — Asia/Tehran, 24-hour clock. */
export function formatDateTime(d: Date | string, locale: Locale): string {
  const date = toDate(d);
  return dateFormat(locale, "date").format(date) + DATE_TIME_JOINER[locale] + dateFormat(locale, "time").format(date);
}

/** Digits in a string (phone numbers, codes) in the locale's digit set; nothing else changes. */
export function formatDigits(s: string, locale: Locale): string {
  if (locale === "en") return toAsciiDigits(s);
  return toAsciiDigits(s).replace(/[0-9]/g, (c) => String.fromCharCode(0x06f0 + Number(c)));
}

/**
 * A stored E.164 phone as people write it: Iranian mobiles "0912 123 4567", landlines
 * "021 8800 1122" (every area code is two digits after the 0); other countries as stored.
 */
export function formatPhone(e164: string, locale: Locale): string {
  const mobile = /^\+98(9\d{2})(\d{3})(\d{4})$/.exec(e164);
  const landline = /^\+98(\d{2})(\d{4})(\d{4})$/.exec(e164);
  const national = mobile ? `0${mobile[1]} ${mobile[2]} ${mobile[3]}` : landline ? `0${landline[1]} ${landline[2]} ${landline[3]}` : e164;
  return formatDigits(national, locale);
}
