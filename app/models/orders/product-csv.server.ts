// Products, prices and stock in and out as CSV. Import: upload → preview with every row's problems
// in the user's language → commit all or nothing in one transaction, upserting by SKU. Files are
// capped (PRODUCT_IMPORT_MAX_ROWS), so both steps read the whole file synchronously; the uploaded
// file waits in storage between the two, under the brand's own prefix.
import { stringify } from "csv-stringify/sync";
import type { Transaction } from "kysely";
import type { DB } from "#db/schema";
import { csvRecordBatches, decodeCsv, readHeader } from "~/domain/customer-csv";
import { amountInUnit, type Locale } from "~/domain/format";
import type { Actor } from "~/domain/permissions";
import { mapProductHeader, MONEY_FIELDS, PRODUCT_CSV_FIELDS, validateProductRow, type MoneyField, type ProductCsvValues, type ProductRowError } from "~/domain/product-csv";
import { resources } from "~/i18n";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { storage } from "~/utils/storage.server";
import { ID_PATTERN } from "~/utils/validation";
import { audit } from "../audit.server";
import { csvDate } from "../customer-export.server";
import { assertCan } from "../scope.server";
import type { ProductInput } from "./product-forms";
import { productCategories, productColumns } from "./products.server";

export const PRODUCT_IMPORT_MAX_ROWS = 5000;
export const PRODUCT_IMPORT_MAX_BYTES = 4 * 1024 * 1024;

export interface ImportProblem extends ProductRowError {
  line: number;
}
export interface ImportCheck {
  created: number;
  updated: number;
  invalid: number;
  problems: ImportProblem[];
}
type Checked = ImportCheck & { writes: { id: string | null; input: ProductInput }[] };

const fileKey = (actor: Actor, fileId: string) => `catalog-imports/${actor.brandId}/${fileId.toLowerCase()}.csv`;

/** What a new product takes when its file leaves a column out. */
const NEW_DEFAULTS = { descriptionFa: null, descriptionEn: null, categoryId: null, unit: "piece", retailPrice: 0n, cost: 0n, fulfilment: "stock", stockOnHand: 0, dailyCapacity: 0, leadTimeDays: 0, handlingDays: 1, active: true } as const;
const REQUIRED_FOR_NEW = ["nameFa", "nameEn", "listPrice"] as const;

type Existing = Awaited<ReturnType<typeof existingBySku>>[number];
const existingBySku = (executor: Transaction<DB>, actor: Actor, skus: string[]) =>
  skus.length === 0
    ? Promise.resolve([])
    : executor.selectFrom("products").selectAll().where("brand_id", "=", actor.brandId).where("sku", "in", skus).forUpdate().execute();

const fromRow = (p: Existing): ProductInput => ({
  sku: p.sku,
  nameFa: p.name_fa,
  nameEn: p.name_en,
  descriptionFa: p.description_fa,
  descriptionEn: p.description_en,
  categoryId: p.category_id,
  unit: p.unit,
  listPrice: BigInt(p.list_price_rial),
  retailPrice: BigInt(p.retail_price_rial),
  cost: BigInt(p.cost_rial),
  fulfilment: p.fulfilment,
  stockOnHand: p.stock_on_hand,
  dailyCapacity: p.daily_capacity,
  leadTimeDays: p.lead_time_days,
  handlingDays: p.handling_days,
  active: Boolean(p.active),
});

const brandMoneyUnit = async (actor: Actor) => (await db().selectFrom("brands").select("money_unit").where("id", "=", actor.brandId).executeTakeFirstOrThrow()).money_unit;

/** Reads and checks the whole file against the brand's products, inside the transaction that may write it. */
async function check(actor: Actor, bytes: Uint8Array, trx: Transaction<DB>): Promise<Checked | { fileError: { key: string; values?: Record<string, number> } }> {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return { fileError: { key: "catalog:csv.errors.file" } };
  const header = readHeader(decoded.text);
  if (!header.ok) return { fileError: { key: "catalog:csv.errors.file" } };
  const mapped = mapProductHeader(header.headers, await brandMoneyUnit(actor));
  if (!mapped.ok) return { fileError: { key: mapped.key } };
  const categories = await productCategories(actor);
  const rows: { line: number; values: ProductCsvValues }[] = [];
  const problems: ImportProblem[] = [];
  const invalidLines = new Set<number>();
  try {
    for await (const batch of csvRecordBatches(decoded.text, header.delimiter)) {
      for (const record of batch) {
        if (rows.length + invalidLines.size >= PRODUCT_IMPORT_MAX_ROWS) return { fileError: { key: "catalog:csv.errors.too_many_rows", values: { max: PRODUCT_IMPORT_MAX_ROWS } } };
        const result = validateProductRow(record.cells, mapped.columns, categories, mapped.units);
        if (result.ok) rows.push({ line: record.line, values: result.values });
        else {
          invalidLines.add(record.line);
          problems.push(...result.errors.map((e) => ({ ...e, line: record.line })));
        }
      }
    }
  } catch {
    return { fileError: { key: "catalog:csv.errors.file" } };
  }

  const existing = new Map((await existingBySku(trx, actor, [...new Set(rows.map((r) => r.values.sku))])).map((p) => [p.sku, p]));
  const firstLine = new Map<string, number>();
  const writes: Checked["writes"] = [];
  let created = 0;
  for (const { line, values } of rows) {
    const fail = (e: ProductRowError) => {
      invalidLines.add(line);
      problems.push({ ...e, line });
    };
    const seen = firstLine.get(values.sku);
    if (seen !== undefined) {
      fail({ field: "sku", key: "catalog:csv.errors.duplicate_sku", values: { line: seen } });
      continue;
    }
    firstLine.set(values.sku, line);
    const current = existing.get(values.sku);
    const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    if (current) {
      const input = { ...fromRow(current), ...defined } as ProductInput;
      if (input.stockOnHand < current.stock_reserved) fail({ field: "stockOnHand", key: "catalog:csv.errors.below_reserved", values: { reserved: current.stock_reserved } });
      else writes.push({ id: current.id, input });
    } else {
      const missing = REQUIRED_FOR_NEW.filter((f) => values[f] === undefined);
      missing.forEach((field) => fail({ field, key: "catalog:csv.errors.new_needs" }));
      if (missing.length === 0) {
        writes.push({ id: null, input: { ...NEW_DEFAULTS, ...defined } as ProductInput });
        created += 1;
      }
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { created, updated: writes.length - created, invalid: invalidLines.size, problems, writes };
}

const summary = ({ created, updated, invalid, problems }: Checked): ImportCheck => ({ created, updated, invalid, problems: problems.slice(0, 500) });

/** Keeps the file for the commit and reports what it would do; nothing in the catalogue changes. */
export async function previewProductImport(actor: Actor, bytes: Uint8Array): Promise<{ ok: true; fileId: string; check: ImportCheck } | { ok: false; error: { key: string; values?: Record<string, number> } }> {
  assertCan(actor, "catalog.manage");
  // The same reading the commit does; it writes nothing.
  const result = await db().transaction().execute(async (trx) => check(actor, bytes, trx));
  if ("fileError" in result) return { ok: false, error: result.fileError };
  const fileId = newId();
  await storage().put(fileKey(actor, fileId), bytes, "text/csv");
  return { ok: true, fileId, check: summary(result) };
}

/**
 * Writes every row or none: any problem (found again now, against the catalogue as it is) writes
 * nothing. Committing the same file again is harmless: it sets the same values by SKU.
 */
export async function commitProductImport(actor: Actor, fileId: string): Promise<{ ok: true; created: number; updated: number } | { ok: false; check?: ImportCheck; error?: { key: string; values?: Record<string, number> } }> {
  assertCan(actor, "catalog.manage");
  if (!ID_PATTERN.test(fileId)) return { ok: false, error: { key: "catalog:csv.errors.expired" } };
  const bytes = await storage().get(fileKey(actor, fileId));
  if (!bytes) return { ok: false, error: { key: "catalog:csv.errors.expired" } };
  class Refused extends Error {
    constructor(readonly outcome: { check?: ImportCheck; error?: { key: string; values?: Record<string, number> } }) {
      super("refused");
    }
  }
  try {
    const done = await transaction(async (trx) => {
      const result = await check(actor, new Uint8Array(bytes), trx);
      if ("fileError" in result) throw new Refused({ error: result.fileError });
      if (result.invalid > 0) throw new Refused({ check: summary(result) });
      for (const w of result.writes) {
        if (w.id) await trx.updateTable("products").set(productColumns(w.input)).where("id", "=", w.id).where("brand_id", "=", actor.brandId).execute();
        else await trx.insertInto("products").values({ id: newId(), brand_id: actor.brandId, ...productColumns(w.input) }).execute();
      }
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "product.imported", targetType: "product", details: { created: result.created, updated: result.updated } }, trx);
      return { created: result.created, updated: result.updated };
    });
    return { ok: true, ...done };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, ...e.outcome };
    throw e;
  }
}

/**
 * Every product of the brand as CSV in the viewer's language, prices in the brand's unit (named in
 * their headers, so the import reads them back in it), with a UTF-8 BOM (for Excel) and
 * formula-looking cells neutralised. Brand-only (it carries cost), like the page that offers it.
 */
export async function exportProductsCsv(actor: Actor, locale: Locale): Promise<{ fileName: string; body: string }> {
  assertCan(actor, "catalog.manage");
  const t = resources[locale].catalog;
  const [products, categories, unit] = await Promise.all([
    db().selectFrom("products").selectAll().where("brand_id", "=", actor.brandId).orderBy("sku").execute(),
    productCategories(actor),
    brandMoneyUnit(actor),
  ]);
  const money = (rial: string) => String(amountInUnit(rial, unit));
  const categoryName = new Map(categories.map((c) => [c.id, locale === "fa" ? c.name_fa : c.name_en]));
  const records = products.map((p) => [
    p.sku,
    p.name_fa,
    p.name_en,
    p.description_fa ?? "",
    p.description_en ?? "",
    (p.category_id && categoryName.get(p.category_id)) ?? "",
    t.units[p.unit],
    money(p.list_price_rial),
    money(p.retail_price_rial),
    money(p.cost_rial),
    t.fulfilments[p.fulfilment],
    String(p.stock_on_hand),
    String(p.daily_capacity),
    String(p.lead_time_days),
    String(p.handling_days),
    p.active ? t.csv.yes : t.csv.no,
  ]);
  await audit({ brandId: actor.brandId, actorUserId: actor.userId, action: "product.exported", targetType: "product", details: { rows: records.length } });
  const body = `\uFEFF${stringify([PRODUCT_CSV_FIELDS.map((f) => (MONEY_FIELDS.includes(f as MoneyField) ? `${t.csv.columns[f]} (${resources[locale].common.money[unit]})` : t.csv.columns[f])), ...records], { record_delimiter: "windows", escape_formulas: true })}`;
  return { fileName: `${t.csv.file_name}-${csvDate(new Date(), locale).replaceAll("/", "-")}.csv`, body };
}
