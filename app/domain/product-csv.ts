// Products, prices and stock from CSV: the header names a file may use and one row's validation.
// No I/O: decoding and record reading are shared with the customer import (customer-csv.ts).
//
// A row is identified by its SKU. Only the columns the file has are read, so a file with just
// "SKU" and "stock on hand" updates stock and nothing else; a new SKU needs its names and list price.
import { FULFILMENTS, PRODUCT_UNITS, type Fulfilment, type ProductUnit } from "#db/schema";
import enCatalog from "#locales/en/catalog.json";
import enCommon from "#locales/en/common.json";
import faCatalog from "#locales/fa/catalog.json";
import faCommon from "#locales/fa/common.json";
import { charLength, hasControlCharacters, parseAmount, parseInteger, toDisplayForm, toSearchKey } from "./text";

export const PRODUCT_CSV_FIELDS = [
  "sku",
  "nameFa",
  "nameEn",
  "descriptionFa",
  "descriptionEn",
  "category",
  "unit",
  "listPrice",
  "retailPrice",
  "cost",
  "fulfilment",
  "stockOnHand",
  "dailyCapacity",
  "leadTimeDays",
  "handlingDays",
  "active",
] as const;
export type ProductCsvField = (typeof PRODUCT_CSV_FIELDS)[number];

/** Limits shared with the product form. */
export const PRODUCT_LIMITS = { name: 200, description: 4000, units: 10_000_000, days: 365 } as const;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

const key = (s: string) =>
  toSearchKey(s)
    .replace(/\(.*?\)|\*|:/g, "")
    .replace(/[\s\-_.]/g, "");

const HEADER_LOOKUP = new Map<string, ProductCsvField>(
  PRODUCT_CSV_FIELDS.flatMap((f) => [[key(f), f] as const, [key(faCatalog.csv.columns[f]), f] as const, [key(enCatalog.csv.columns[f]), f] as const]),
);

export const MONEY_FIELDS = ["listPrice", "retailPrice", "cost"] as const;
export type MoneyField = (typeof MONEY_FIELDS)[number];
export type MoneyUnit = "rial" | "toman";
const UNIT_LOOKUP = new Map<string, MoneyUnit>(
  (["rial", "toman"] as const).flatMap((u) => [u, faCommon.money[u], enCommon.money[u]].map((w) => [key(w), u] as const)),
);
/** The unit a header names in brackets ("List price (Toman)", «قیمت فهرست (ریال)»), if any. */
const unitOfHeader = (header: string): MoneyUnit | undefined => {
  const inBrackets = /\((.*?)\)/.exec(header)?.[1];
  return inBrackets === undefined ? undefined : UNIT_LOOKUP.get(key(inBrackets));
};

/**
 * Which column holds each field (first one wins), and the unit of each price column: the one its
 * header names, else `defaultUnit` (the brand's). SKU is required.
 */
export function mapProductHeader(
  headers: string[],
  defaultUnit: MoneyUnit,
): { ok: true; columns: Partial<Record<ProductCsvField, number>>; units: Record<MoneyField, MoneyUnit> } | { ok: false; key: string } {
  const columns: Partial<Record<ProductCsvField, number>> = {};
  headers.forEach((h, i) => {
    const field = HEADER_LOOKUP.get(key(h));
    if (field && columns[field] === undefined) columns[field] = i;
  });
  if (columns.sku === undefined) return { ok: false, key: "catalog:csv.errors.no_sku_column" };
  const unitOf = (f: MoneyField) => (columns[f] === undefined ? undefined : unitOfHeader(headers[columns[f]])) ?? defaultUnit;
  return { ok: true, columns, units: { listPrice: unitOf("listPrice"), retailPrice: unitOf("retailPrice"), cost: unitOf("cost") } };
}

function lookup<T extends string>(values: readonly T[], labels: (v: T) => string[]) {
  const map = new Map<string, T>(values.flatMap((v) => [v, ...labels(v)].map((l) => [key(l), v] as const)));
  return (s: string) => map.get(key(s)) ?? null;
}
const unitOf = lookup(PRODUCT_UNITS, (u) => [faCatalog.units[u], enCatalog.units[u]]);
const fulfilmentOf = lookup(FULFILMENTS, (f) => [faCatalog.fulfilments[f], enCatalog.fulfilments[f]]);
const YES = new Set(["1", "true", "yes", "بله", "آری", "فعال", "active"].map(key));
const NO = new Set(["0", "false", "no", "خیر", "نه", "غیرفعال", "inactive"].map(key));

export interface ProductCsvValues {
  sku: string;
  nameFa?: string;
  nameEn?: string;
  descriptionFa?: string | null;
  descriptionEn?: string | null;
  categoryId?: string | null;
  unit?: ProductUnit;
  listPrice?: bigint;
  retailPrice?: bigint;
  cost?: bigint;
  fulfilment?: Fulfilment;
  stockOnHand?: number;
  dailyCapacity?: number;
  leadTimeDays?: number;
  handlingDays?: number;
  active?: boolean;
}

export interface ProductRowError {
  field: ProductCsvField | "row";
  key: string;
  values?: Record<string, string | number>;
}

export type ProductRowResult = { ok: true; values: ProductCsvValues } | { ok: false; errors: ProductRowError[] };

/** One data row: the SKU and every present cell, validated, prices in Rial; empty optional cells clear the field. */
export function validateProductRow(
  cells: string[],
  columns: Partial<Record<ProductCsvField, number>>,
  categories: { id: string; name_fa: string; name_en: string }[],
  units: Record<MoneyField, MoneyUnit>,
): ProductRowResult {
  const errors: ProductRowError[] = [];
  const cell = (f: ProductCsvField): string | undefined => {
    const i = columns[f];
    if (i === undefined) return undefined;
    const raw = (cells[i] ?? "").replace(/^'(?=[=+\-@])/, "");
    if (hasControlCharacters(raw)) {
      errors.push({ field: f, key: "common:errors.control_chars" });
      return undefined;
    }
    return toDisplayForm(raw, { multiline: f === "descriptionFa" || f === "descriptionEn" });
  };
  const add = (field: ProductCsvField, k: string, values?: Record<string, string | number>) => errors.push({ field, key: k, values });

  const sku = (cell("sku") ?? "").toUpperCase();
  if (!sku) add("sku", "common:errors.required");
  else if (!SKU_PATTERN.test(sku)) add("sku", "common:errors.sku");
  const values: ProductCsvValues = { sku };

  const text = (f: "nameFa" | "nameEn", max: number) => {
    const v = cell(f);
    if (v === undefined) return;
    if (!v) add(f, "common:errors.required");
    else if (charLength(v) > max) add(f, "common:errors.too_long", { max });
    else values[f] = v;
  };
  text("nameFa", PRODUCT_LIMITS.name);
  text("nameEn", PRODUCT_LIMITS.name);
  for (const f of ["descriptionFa", "descriptionEn"] as const) {
    const v = cell(f);
    if (v === undefined) continue;
    if (charLength(v) > PRODUCT_LIMITS.description) add(f, "common:errors.too_long", { max: PRODUCT_LIMITS.description });
    else values[f] = v || null;
  }
  const category = cell("category");
  if (category !== undefined) {
    const found = category ? categories.find((c) => key(c.name_fa) === key(category) || key(c.name_en) === key(category)) : null;
    if (category && !found) add("category", "catalog:csv.errors.category", { value: category.slice(0, 40) });
    else values.categoryId = found?.id ?? null;
  }
  const unit = cell("unit");
  if (unit) {
    const u = unitOf(unit);
    if (u) values.unit = u;
    else add("unit", "common:errors.choice");
  }
  const fulfilment = cell("fulfilment");
  if (fulfilment) {
    const f = fulfilmentOf(fulfilment);
    if (f) values.fulfilment = f;
    else add("fulfilment", "common:errors.choice");
  }
  for (const f of MONEY_FIELDS) {
    const v = cell(f);
    if (v === undefined) continue;
    const amount = parseAmount(v);
    if (amount === null) add(f, v ? "common:errors.amount" : "common:errors.required");
    else values[f] = units[f] === "toman" ? amount * 10n : amount;
  }
  for (const [f, max] of [["stockOnHand", PRODUCT_LIMITS.units], ["dailyCapacity", PRODUCT_LIMITS.units], ["leadTimeDays", PRODUCT_LIMITS.days], ["handlingDays", PRODUCT_LIMITS.days]] as const) {
    const v = cell(f);
    if (v === undefined) continue;
    const n = parseInteger(v);
    if (n === null || n < 0 || n > max) add(f, v ? "common:errors.number_range" : "common:errors.required", { min: 0, max });
    else values[f] = n;
  }
  const active = cell("active");
  if (active) {
    if (YES.has(key(active))) values.active = true;
    else if (NO.has(key(active))) values.active = false;
    else add("active", "common:errors.choice");
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}
