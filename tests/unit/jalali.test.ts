import { describe, it, expect } from "vitest";
import { isLeapJalaaliYear } from "jalaali-js";
import { dateInputValue, parseDateInput, parseGregorianDate, parseJalaliDate } from "../../app/domain/jalali";
import { formatDate } from "../../app/domain/format";

// Pick leap / non-leap years from the library rather than assuming the 33-year arithmetic.
const LEAP = 1403;
const NON_LEAP = 1404;

describe("parseJalaliDate", () => {
  it("uses a leap and a non-leap year, as jalaali-js says", () => {
    expect(isLeapJalaaliYear(LEAP)).toBe(true);
    expect(isLeapJalaaliYear(NON_LEAP)).toBe(false);
  });

  it("parses 1 Farvardin 1403 to 00:00 Tehran on 2024-03-20", () => {
    const r = parseJalaliDate("1403/01/01");
    expect(r).toEqual({ ok: true, iso: "2024-03-20", date: new Date("2024-03-19T20:30:00.000Z") });
    if (r.ok) expect(formatDate(r.date, "fa")).toBe("۱ فروردین ۱۴۰۳");
  });

  it("accepts dashes, single-digit parts and any digit set", () => {
    const expected = parseJalaliDate("1403/01/01");
    for (const input of ["1403-01-01", "1403/1/1", "۱۴۰۳/۰۱/۰۱", "١٤٠٣/١/١", "۱۴۰۳-1-٠١", " 1403/01/01 ", "\u200F۱۴۰۳/۰۱/۰۱"]) {
      expect(parseJalaliDate(input), input).toEqual(expected);
    }
  });

  it("accepts 30 Esfand only in a leap year", () => {
    const r = parseJalaliDate(`${LEAP}/12/30`);
    expect(r).toMatchObject({ ok: true, iso: "2025-03-20" });
    expect(parseJalaliDate(`${NON_LEAP}/12/30`)).toEqual({ ok: false, reason: "impossible" });
    expect(parseJalaliDate(`${NON_LEAP}/12/29`)).toMatchObject({ ok: true, iso: "2026-03-20" });
  });

  it("rejects impossible dates instead of rolling over", () => {
    for (const input of ["1403/13/01", "1403/00/10", "1403/01/00", "1403/07/31", "1403/12/31", "1403/01/32", "1403/10/32"]) {
      expect(parseJalaliDate(input), input).toEqual({ ok: false, reason: "impossible" });
    }
    // first six months have 31 days
    expect(parseJalaliDate("1403/06/31")).toMatchObject({ ok: true, iso: "2024-09-21" });
  });

  it("rejects malformed input", () => {
    for (const input of ["", "1403", "1403/01", "03/01/01", "1403/01/01/01", "1403/01-01", "1403.01.01", "1403/001/01", "abc", "۱۴۰۳/۰۱/۰۱ ۱۲:۰۰"]) {
      expect(parseJalaliDate(input), input).toEqual({ ok: false, reason: "format" });
    }
  });
});

describe("parseGregorianDate / parseDateInput", () => {
  it("parses strict ISO dates for en", () => {
    expect(parseDateInput("2024-03-20", "en")).toEqual({
      ok: true,
      iso: "2024-03-20",
      date: new Date("2024-03-19T20:30:00.000Z"),
    });
    expect(parseDateInput("۲۰۲۴-۰۲-۲۹", "en")).toMatchObject({ ok: true, iso: "2024-02-29" });
  });

  it("rejects impossible Gregorian dates", () => {
    for (const input of ["2025-02-30", "2025-02-29", "2024-13-01", "2024-04-31", "2024-00-10"]) {
      expect(parseGregorianDate(input), input).toEqual({ ok: false, reason: "impossible" });
    }
  });

  it("rejects non-ISO Gregorian formats", () => {
    for (const input of ["2024/03/20", "20-03-2024", "2024-3-20", "2024-03-20T00:00", ""]) {
      expect(parseGregorianDate(input), input).toEqual({ ok: false, reason: "format" });
    }
  });

  it("uses the Jalali calendar for fa", () => {
    expect(parseDateInput("۱۴۰۳/۱۲/۳۰", "fa")).toMatchObject({ ok: true, iso: "2025-03-20" });
    expect(parseDateInput("1404/12/30", "fa")).toEqual({ ok: false, reason: "impossible" });
  });

  it("round-trips with formatDate in the Tehran zone", () => {
    const r = parseDateInput("1403/12/30", "fa");
    expect(r.ok && formatDate(r.date, "fa")).toBe("۳۰ اسفند ۱۴۰۳");
    const e = parseDateInput("2025-03-20", "en");
    expect(e.ok && formatDate(e.date, "en")).toBe("20 March 2025");
  });
});

describe("dateInputValue", () => {
  it("shows a stored day again in the form the date field reads, in the user's calendar", () => {
    for (const [input, locale] of [["1405/01/01", "fa"], ["1403/12/30", "fa"], ["2026-03-21", "en"]] as const) {
      const parsed = parseDateInput(input, locale);
      expect(parsed.ok && dateInputValue(parsed.date, locale)).toBe(input);
    }
    const nowruz = parseJalaliDate("1405/01/01");
    expect(nowruz.ok && dateInputValue(nowruz.date, "en")).toBe("2026-03-21");
  });
});
