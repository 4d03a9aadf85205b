import { describe, expect, it } from "vitest";
import { mapProductHeader, validateProductRow } from "~/domain/product-csv";
import { parsePercentToBasisPoints } from "~/domain/text";

const CATEGORIES = [{ id: "C1", name_fa: "یخچال و فریزر", name_en: "Refrigerators" }];
const RIAL = { listPrice: "rial", retailPrice: "rial", cost: "rial" } as const;

describe("mapProductHeader", () => {
  it("reads Persian, English and code headers, and needs a SKU column", () => {
    expect(mapProductHeader(["کد کالا", "قیمت فهرست (ریال)", "Stock on hand", "active"], "rial")).toEqual({ ok: true, columns: { sku: 0, listPrice: 1, stockOnHand: 2, active: 3 }, units: RIAL });
    expect(mapProductHeader(["نام فارسی", "list price"], "rial")).toEqual({ ok: false, key: "catalog:csv.errors.no_sku_column" });
  });

  it("takes each price column's unit from its header, else the brand's unit", () => {
    expect(mapProductHeader(["SKU", "List price (Toman)", "قیمت پیشنهادی فروش (ريال)", "Cost"], "rial")).toMatchObject({ units: { listPrice: "toman", retailPrice: "rial", cost: "rial" } });
    expect(mapProductHeader(["SKU", "قیمت فهرست (تومان)", "Cost"], "toman")).toMatchObject({ units: { listPrice: "toman", retailPrice: "toman", cost: "toman" } });
    expect(mapProductHeader(["SKU", "قیمت فهرست (ریال)"], "toman")).toMatchObject({ units: { listPrice: "rial" } });
  });
});

describe("validateProductRow", () => {
  const columns = { sku: 0, nameFa: 1, listPrice: 2, stockOnHand: 3, category: 4, unit: 5, fulfilment: 6, active: 7 };

  it("accepts Persian digits and separators, localised units and categories in either language", () => {
    expect(validateProductRow(["rf-1", "يخچال كوچك", "۱٬۲۰۰٬۰۰۰", "۱۲", "Refrigerators", "جعبه", "ساخت سفارشی", "بله"], columns, CATEGORIES, RIAL)).toEqual({
      ok: true,
      values: { sku: "RF-1", nameFa: "یخچال کوچک", listPrice: 1_200_000n, stockOnHand: 12, categoryId: "C1", unit: "box", fulfilment: "made_to_order", active: true },
    });
  });

  it("stores prices given in Toman as Rial", () => {
    expect(validateProductRow(["RF-1", "۱۲۰٬۰۰۰"], { sku: 0, listPrice: 1 }, CATEGORIES, { ...RIAL, listPrice: "toman" })).toEqual({ ok: true, values: { sku: "RF-1", listPrice: 1_200_000n } });
  });

  it("reads only the columns the file has", () => {
    expect(validateProductRow(["RF-1", "7"], { sku: 0, stockOnHand: 1 }, CATEGORIES, RIAL)).toEqual({ ok: true, values: { sku: "RF-1", stockOnHand: 7 } });
  });

  it("reports every problem of a row with its field", () => {
    const result = validateProductRow(["bad sku", "", "-5", "1.5", "Washers", "barrel", "soon", "maybe"], columns, CATEGORIES, RIAL);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.field, e.key])).toEqual([
      ["sku", "common:errors.sku"],
      ["nameFa", "common:errors.required"],
      ["category", "catalog:csv.errors.category"],
      ["unit", "common:errors.choice"],
      ["fulfilment", "common:errors.choice"],
      ["listPrice", "common:errors.amount"],
      ["stockOnHand", "common:errors.number_range"],
      ["active", "common:errors.choice"],
    ]);
  });

  it("takes back a formula guard our export added, and refuses control characters", () => {
    expect(validateProductRow(["'=X1", "x"], { sku: 0, nameFa: 1 }, CATEGORIES, RIAL)).toMatchObject({ ok: false, errors: [{ field: "sku", key: "common:errors.sku" }] });
    expect(validateProductRow(["A1", "x\u202Ey"], { sku: 0, nameFa: 1 }, CATEGORIES, RIAL)).toMatchObject({ ok: false, errors: [{ field: "nameFa", key: "common:errors.control_chars" }] });
  });
});

describe("parsePercentToBasisPoints", () => {
  it("reads percentages in any digit set with up to two decimals", () => {
    expect(parsePercentToBasisPoints("12")).toBe(1200);
    expect(parsePercentToBasisPoints("۱۲٫۵")).toBe(1250);
    expect(parsePercentToBasisPoints("7.25%")).toBe(725);
    expect(parsePercentToBasisPoints("100")).toBe(10_000);
    for (const bad of ["100.01", "-1", "1.234", "abc", ""]) expect(parsePercentToBasisPoints(bad), bad).toBeNull();
  });
});
