import { describe, it, expect } from "vitest";
import { formatDate, formatDateTime, formatDigits, formatMoney, formatNumber, formatPhone } from "../../app/domain/format";

const PERSIAN_DIGIT = /[۰-۹]/;
const ASCII_DIGIT = /[0-9]/;

describe("formatNumber", () => {
  it("uses Persian digits and separators for fa", () => {
    expect(formatNumber(1234567, "fa")).toBe("۱٬۲۳۴٬۵۶۷");
    expect(formatNumber(0, "fa")).toBe("۰");
    expect(formatNumber(1234567, "fa")).not.toMatch(ASCII_DIGIT);
  });

  it("uses ASCII digits for en", () => {
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(1234567, "en")).not.toMatch(PERSIAN_DIGIT);
  });

  it("formats bigint and digit strings (MySQL BIGINT) without precision loss", () => {
    expect(formatNumber(9007199254740993n, "en")).toBe("9,007,199,254,740,993");
    expect(formatNumber("9007199254740993", "en")).toBe("9,007,199,254,740,993");
    expect(formatNumber("9223372036854775807", "fa")).toBe("۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۷");
    expect(formatNumber(" -12 ", "en")).toBe("-12");
  });

  it("throws for strings that are not numbers", () => {
    expect(() => formatNumber("abc", "en")).toThrow(TypeError);
    expect(() => formatNumber("", "fa")).toThrow(TypeError);
  });
});

describe("formatMoney", () => {
  it("formats Rial in the locale's digits", () => {
    expect(formatMoney(1500000n, "fa")).toBe("۱٬۵۰۰٬۰۰۰");
    expect(formatMoney("1500000", "en")).toBe("1,500,000");
    expect(formatMoney(1500000, "en", "rial")).toBe("1,500,000");
  });

  it("converts to Toman by dividing by 10, truncating toward zero", () => {
    expect(formatMoney(1500000n, "fa", "toman")).toBe("۱۵۰٬۰۰۰");
    expect(formatMoney("1500000", "en", "toman")).toBe("150,000");
    expect(formatMoney(15n, "en", "toman")).toBe("1");
    expect(formatMoney(-15n, "en", "toman")).toBe("-1");
    expect(formatMoney("92233720368547758079", "en", "toman")).toBe("9,223,372,036,854,775,807");
  });

  it("rejects non-integer amounts", () => {
    expect(() => formatMoney(1.5, "en")).toThrow(RangeError);
    expect(() => formatMoney("1.5", "en")).toThrow(TypeError);
  });
});

describe("formatDate / formatDateTime", () => {
  // 2024-03-20T12:00:00Z is 15:30 on 1 Farvardin 1403 in Tehran (Nowruz).
  const nowruz = new Date("2024-03-20T12:00:00Z");

  it("shows fa dates in the Solar Hijri calendar with Persian digits", () => {
    const s = formatDate(nowruz, "fa");
    expect(s).toContain("۱۴۰۳");
    expect(s).toContain("فروردین");
    expect(s).toBe("۱ فروردین ۱۴۰۳");
  });

  it("shows en dates in the Gregorian calendar", () => {
    expect(formatDate(nowruz, "en")).toBe("20 March 2024");
  });

  it("uses the Tehran day, not the UTC day", () => {
    // 21:00 UTC on 19 March is 00:30 on 20 March in Tehran
    const late = new Date("2024-03-19T21:00:00Z");
    expect(formatDate(late, "en")).toBe("20 March 2024");
    expect(formatDate(late, "fa")).toBe("۱ فروردین ۱۴۰۳");
  });

  it("accepts ISO strings and treats zone-less strings as UTC", () => {
    expect(formatDate("2024-03-20T12:00:00Z", "fa")).toBe("۱ فروردین ۱۴۰۳");
    expect(formatDateTime("2024-03-20 12:00:00", "en")).toBe("20 March 2024, 15:30");
    expect(formatDateTime("2024-03-20T12:00:00.000", "en")).toBe("20 March 2024, 15:30");
    expect(() => formatDate("not a date", "en")).toThrow(RangeError);
  });

  it("adds a 24-hour Tehran time", () => {
    expect(formatDateTime(nowruz, "en")).toBe("20 March 2024, 15:30");
    const fa = formatDateTime(nowruz, "fa");
    expect(fa).toBe("۱ فروردین ۱۴۰۳، ۱۵:۳۰");
    expect(fa).not.toMatch(ASCII_DIGIT);
    expect(formatDateTime(new Date("2024-03-20T20:45:00Z"), "en")).toBe("21 March 2024, 00:15");
  });
});

describe("formatDigits", () => {
  it("converts digits for fa and leaves other characters alone", () => {
    expect(formatDigits("0912 123 4567", "fa")).toBe("۰۹۱۲ ۱۲۳ ۴۵۶۷");
    expect(formatDigits("SKU-42a", "fa")).toBe("SKU-۴۲a");
    expect(formatDigits("٤٥", "fa")).toBe("۴۵");
  });

  it("gives ASCII digits for en", () => {
    expect(formatDigits("0912 123 4567", "en")).toBe("0912 123 4567");
    expect(formatDigits("۰۹۱۲", "en")).toBe("0912");
  });
});

describe("formatPhone", () => {
  it("writes Iranian mobiles and landlines in national form, digits per locale", () => {
    expect(formatPhone("+989121234567", "en")).toBe("0912 123 4567");
    expect(formatPhone("+989121234567", "fa")).toBe("۰۹۱۲ ۱۲۳ ۴۵۶۷");
    expect(formatPhone("+982188001122", "en")).toBe("021 8800 1122");
    expect(formatPhone("+14155552671", "en")).toBe("+14155552671");
  });
});
