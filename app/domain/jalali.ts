// Strict date input parsing: Jalali (Solar Hijri) for fa, ISO Gregorian for en.
// Impossible dates are rejected, never rolled over (L10N.md). Calendar maths is jalaali-js's.
//
// Time zone assumption: Asia/Tehran is a fixed UTC+03:30 (Iran abolished DST in 2022). For
// historic dates that fell in the old DST period (+04:30) the returned instant is 01:00 local
// time instead of 00:00 — still the same Tehran calendar day, which is what callers format.
import { isValidJalaaliDate, toGregorian, toJalaali } from "jalaali-js";
import type { Locale } from "./format";
import { toAsciiDigits, toDisplayForm } from "./text";

export type DateInputResult =
  | { ok: true; /** UTC instant of 00:00 Asia/Tehran on that day */ date: Date; /** Gregorian YYYY-MM-DD */ iso: string }
  | { ok: false; reason: "format" | "impossible" };

const TEHRAN_OFFSET_MS = 3.5 * 60 * 60 * 1000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function result(gy: number, gm: number, gd: number): DateInputResult {
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const utcMidnight = new Date(0);
  utcMidnight.setUTCFullYear(gy, gm - 1, gd);
  return {
    ok: true,
    date: new Date(utcMidnight.getTime() - TEHRAN_OFFSET_MS),
    iso: `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`,
  };
}

// Four-digit year, one or two digit month/day, one separator ("/" or "-") used consistently.
const JALALI_RE = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function clean(input: string): string {
  // toDisplayForm strips bidi marks that ride along when pasting dates from RTL text.
  return toAsciiDigits(toDisplayForm(input));
}

/** Parses "1403/12/30" or "1403-12-30" in any digit set. */
export function parseJalaliDate(input: string): DateInputResult {
  const m = JALALI_RE.exec(clean(input));
  if (!m) return { ok: false, reason: "format" };
  const [jy, jm, jd] = [Number(m[1]), Number(m[3]), Number(m[4])];
  // isValidJalaaliDate checks month 1–12 and the month's real length (Esfand 29/30 by leap year).
  if (!isValidJalaaliDate(jy, jm, jd)) return { ok: false, reason: "impossible" };
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return result(gy, gm, gd);
}

/** Strict ISO "YYYY-MM-DD" (any digit set); 2025-02-30 is impossible, not 2 March. */
export function parseGregorianDate(input: string): DateInputResult {
  const m = ISO_RE.exec(clean(input));
  if (!m) return { ok: false, reason: "format" };
  const [gy, gm, gd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(0);
  check.setUTCFullYear(gy, gm - 1, gd);
  // Date rolls over out-of-range parts; a round-trip mismatch means the date does not exist.
  if (check.getUTCFullYear() !== gy || check.getUTCMonth() !== gm - 1 || check.getUTCDate() !== gd) {
    return { ok: false, reason: "impossible" };
  }
  return result(gy, gm, gd);
}

/** Date typed in a form: Jalali for fa, ISO Gregorian for en. */
export function parseDateInput(input: string, locale: Locale): DateInputResult {
  return locale === "fa" ? parseJalaliDate(input) : parseGregorianDate(input);
}

/** A stored day as a form field shows it again, in the form parseDateInput reads: "1404/12/25" for fa, "2026-03-16" for en. */
export function dateInputValue(d: Date | string, locale: Locale): string {
  const tehran = new Date(new Date(d).getTime() + TEHRAN_OFFSET_MS);
  const [gy, gm, gd] = [tehran.getUTCFullYear(), tehran.getUTCMonth() + 1, tehran.getUTCDate()];
  if (locale === "en") return `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`;
  const { jy, jm, jd } = toJalaali(gy, gm, gd);
  return `${pad(jy, 4)}/${pad(jm, 2)}/${pad(jd, 2)}`;
}
