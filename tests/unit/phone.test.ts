import { describe, it, expect } from "vitest";
import { formatPhoneForDisplay, isMobile, parsePhone } from "../../app/domain/phone";

describe("parsePhone", () => {
  it("normalises the usual ways of writing an Iranian mobile to one E.164 value", () => {
    const inputs = [
      "09121234567",
      "9121234567",
      "+989121234567",
      "00989121234567",
      "0098 912 123 4567",
      "+98 912 123 4567",
      "+98 (0) 912 123 4567",
      "0912-123-4567",
      "(0912) 123 4567",
      "۰۹۱۲۱۲۳۴۵۶۷",
      "٠٩١٢١٢٣٤٥٦٧",
      "۰۹۱۲-۱۲۳-٤٥٦٧",
      "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
      "\u200E+98 912 123 4567\u200F",
      " 0912\u00A0123\u00A04567 ",
    ];
    for (const input of inputs) expect(parsePhone(input), input).toBe("+989121234567");
  });

  it("accepts landlines and foreign numbers", () => {
    expect(parsePhone("021 8877 6655")).toBe("+982188776655");
    expect(parsePhone("+1 415 555 2671")).toBe("+14155552671");
    expect(parsePhone("(415) 555-2671", "US")).toBe("+14155552671");
  });

  it("returns null for invalid numbers", () => {
    const bad = [
      "",
      "abc",
      "0912",
      "0912123456", // one digit short
      "091212345678", // one digit long
      "09501234567", // no such mobile range (the "min" metadata would accept it)
      "09801234567",
      "+98",
      "0912123456a",
      "0912 123 4567 ext 5",
      "call 09121234567",
      "0912/123/4567",
    ];
    for (const input of bad) expect(parsePhone(input), input).toBeNull();
  });
});

describe("isMobile", () => {
  it("tells mobiles from landlines", () => {
    expect(isMobile("+989121234567")).toBe(true);
    expect(isMobile("+989901234567")).toBe(true);
    expect(isMobile("+982188776655")).toBe(false);
    expect(isMobile("not a number")).toBe(false);
  });
});

describe("formatPhoneForDisplay", () => {
  it("uses the national format with ASCII digits for Iran", () => {
    expect(formatPhoneForDisplay("+989121234567")).toBe("0912 123 4567");
    expect(formatPhoneForDisplay("+982188776655")).toBe("021 8877 6655");
  });

  it("uses the international format for other countries and passes junk through", () => {
    expect(formatPhoneForDisplay("+14155552671")).toBe("+1 415 555 2671");
    expect(formatPhoneForDisplay("junk")).toBe("junk");
  });
});
