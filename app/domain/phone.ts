// Phone numbers: accept what people type, store E.164 in ASCII (see L10N.md).
//
// The "max" metadata is used on purpose: the default ("min") build only checks lengths, so it
// accepts non-existent Iranian ranges such as 0950 / 0960 / 0980 as valid.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { toAsciiDigits } from "./text";

// Only digits and the usual punctuation are allowed. libphonenumber would otherwise happily pull a
// number out of arbitrary text ("call me 0912…") or drop an extension, losing information.
const PHONE_CHARS = /^\+?[0-9\s\-().]+$/;
// Invisible characters that ride along with pasted numbers (bidi marks, ZWNJ/ZWSP, BOM).
const INVISIBLE = /[\u200B-\u200F\u061C\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** E.164 (e.g. "+989121234567") for a valid number, otherwise null. */
export function parsePhone(input: string, defaultCountry: CountryCode = "IR"): string | null {
  const s = toAsciiDigits(input.replace(INVISIBLE, ""))
    .replace(/[\u00A0\u202F]/g, " ")
    .replace(/^\s*\uFF0B/, "+") // fullwidth plus from some mobile keyboards
    .trim();
  if (!PHONE_CHARS.test(s)) return null;
  const phone = parsePhoneNumberFromString(s, defaultCountry);
  if (!phone || !phone.isValid()) return null;
  return phone.number;
}

/** True for mobile numbers (and FIXED_LINE_OR_MOBILE, where the metadata cannot tell). */
export function isMobile(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE";
}

/**
 * National format with ASCII digits ("0912 123 4567"); numbers from other countries are shown in
 * international format since their national form is ambiguous here. Unparseable input is returned
 * unchanged. The UI converts digits per locale (formatDigits) and isolates it with <bdi dir="ltr">.
 */
export function formatPhoneForDisplay(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.country === "IR" ? phone.formatNational() : phone.formatInternational();
}
