import { describe, expect, it } from "vitest";
import { parseDateInput } from "~/domain/jalali";
import { dayText, textDay } from "~/ui/date-field";

describe("date field text", () => {
  it("writes a picked day as the server reads it: Jalali in Persian digits for fa, ISO for en", () => {
    const day = new Date(2026, 2, 20); // 20 March 2026 = 29 Esfand 1404
    expect(dayText(day, "fa")).toBe("۱۴۰۴/۱۲/۲۹");
    expect(dayText(day, "en")).toBe("2026-03-20");
    const fa = parseDateInput(dayText(day, "fa"), "fa");
    expect(fa.ok && fa.iso).toBe("2026-03-20");
    const en = parseDateInput(dayText(day, "en"), "en");
    expect(en.ok && en.iso).toBe("2026-03-20");
  });

  it("opens the calendar on the typed day, in any digits, and on nothing for a half-typed one", () => {
    expect(textDay("۱۴۰۴/۰۱/۰۱", "fa")).toEqual(new Date(2025, 2, 21));
    expect(textDay("1404/1/1", "fa")).toEqual(new Date(2025, 2, 21));
    expect(textDay("2025-03-21", "en")).toEqual(new Date(2025, 2, 21));
    expect(textDay("۱۴۰۴/۰۱", "fa")).toBeUndefined();
    expect(textDay("", "en")).toBeUndefined();
  });
});
