// Customer lists from CSV files: decoding, header reading, column mapping and row validation.
// No I/O: the import model stores files and jobs, this module only reads text.
//
// Files come from Excel, Google Sheets and hand-made exports: UTF-8 with or without a BOM, comma
// or semicolon (Excel in many locales), Persian or English headers, any digit set in phones.
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { Readable } from "node:stream";
import { z } from "zod";
import type { CustomerKind } from "#db/schema";
import enCommon from "#locales/en/common.json";
import faCommon from "#locales/fa/common.json";
import { parsePhone } from "./phone";
import { PROVINCES, type Province } from "./provinces";
import { charLength, hasControlCharacters, toAsciiDigits, toDisplayForm, toSearchKey } from "./text";

export const IMPORT_FIELDS = ["displayName", "phone", "email", "kind", "province", "city"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ["displayName", "phone", "city"];

/** Which column (0-based) feeds each field; null when the file has none. */
export type ColumnMapping = Record<ImportField, number | null>;

/** No cell is ever stored beyond this; longer ones are row errors, whichever column they are in. */
export const MAX_CELL_CHARS = 1000;
export const FIELD_MAX_CHARS = { displayName: 200, email: 254, city: 100 } as const;
export const MAX_COLUMNS = 100;
const MAX_HEADER_CHARS = 200;
// Guards the parser's buffers against a runaway quoted field; far above MAX_CELL_CHARS so long
// cells still arrive as rows and are reported as row errors.
const MAX_RECORD_CHARS = 200_000;

export type CsvFileError = "encoding" | "empty" | "no_header" | "too_many_columns" | "header_cell" | "malformed";

// ---------------------------------------------------------------------------------------------
// Bytes and header

export type DecodeResult = { ok: true; text: string } | { ok: false; error: CsvFileError };

/**
 * UTF-8 text of an uploaded file, BOM removed. Anything that is not valid UTF-8 (a Windows-1256
 * export, UTF-16) is refused rather than guessed at: a wrong guess would store garbled names.
 */
export function decodeCsv(bytes: Uint8Array): DecodeResult {
  let text: string;
  try {
    // ignoreBOM: false (the default) drops a leading BOM.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: "encoding" };
  }
  // UTF-16 without a BOM decodes "validly" as ASCII interleaved with NULs.
  if (text.includes("\u0000")) return { ok: false, error: "encoding" };
  if (text.trim() === "") return { ok: false, error: "empty" };
  return { ok: true, text };
}

export type Delimiter = "," | ";" | "\t";
const DELIMITERS: Delimiter[] = [",", ";", "\t"];

/**
 * Comma, semicolon (Excel in locales with a decimal comma) or tab (Excel's "Text (Tab delimited)"),
 * whichever separates more cells of the header line (quotes respected); comma on a tie.
 */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/\r|\n/);
  const line = end === -1 ? text : text.slice(0, end);
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return DELIMITERS.reduce((best, d) => ((counts.get(d) ?? 0) > (counts.get(best) ?? 0) ? d : best));
}

const parserOptions = (delimiter: Delimiter) => ({
  delimiter,
  relax_column_count: true,
  // A stray quote inside an unquoted cell (12" pipe) is taken literally, as spreadsheets do.
  relax_quotes: true,
  skip_empty_lines: true,
  max_record_size: MAX_RECORD_CHARS,
});

export type HeaderResult = { ok: true; delimiter: Delimiter; headers: string[] } | { ok: false; error: CsvFileError };

/** The header row: its delimiter and the column names in display form. */
export function readHeader(text: string): HeaderResult {
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    // Only the first record is needed; the slice keeps a huge file from being parsed here.
    records = parseSync(text.slice(0, 64 * 1024), { ...parserOptions(delimiter), to: 1 });
  } catch {
    return { ok: false, error: "malformed" };
  }
  const headers = (records[0] ?? []).map((h) => (hasControlCharacters(h) ? h : toDisplayForm(h)));
  if (headers.filter((h) => h !== "").length === 0) return { ok: false, error: "no_header" };
  if (headers.length > MAX_COLUMNS) return { ok: false, error: "too_many_columns" };
  if (headers.some((h) => charLength(h) > MAX_HEADER_CHARS || hasControlCharacters(h))) return { ok: false, error: "header_cell" };
  return { ok: true, delimiter, headers };
}

/** A rough row count for progress before the file has been read (quoted line breaks aside). */
export function estimateRowCount(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  if (!text.endsWith("\n")) lines++;
  return Math.max(0, lines - 1);
}

export interface CsvRecord {
  /** Line of the file where the record ends (the header is line 1): what the user looks up. */
  line: number;
  cells: string[];
}

function* slices(text: string, size = 64 * 1024): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    // Never cut a surrogate pair in two.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The data records after the header, in batches, through csv-parse's streaming parser fed in
 * slices, so a caller can yield to the event loop between batches. Rows whose cells are all empty
 * (Excel's trailing ";;;;") are skipped. A malformed file (e.g. an unclosed quote) throws a
 * CsvError whose `lines` says where.
 */
export async function* csvRecordBatches(text: string, delimiter: Delimiter, batchSize = 1000): AsyncGenerator<CsvRecord[]> {
  const parser = parse({ ...parserOptions(delimiter), info: true });
  const source = Readable.from(slices(text));
  source.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  let batch: CsvRecord[] = [];
  let header = true;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (header) {
      header = false;
      continue;
    }
    if (record.every((c) => c.trim() === "")) continue;
    batch.push({ line: info.lines, cells: record });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Line number a CsvError reports, when it has one. */
export function csvErrorLine(e: unknown): number | null {
  const lines = (e as { lines?: unknown } | null)?.lines;
  return typeof lines === "number" ? lines : null;
}

// ---------------------------------------------------------------------------------------------
// Column mapping

// Header names are compared by search key with spaces, dashes and underscores removed, so
// "نام‌ونام‌خانوادگی", "Full-Name" and "full_name" all match.
const headerKey = (s: string) =>
  toSearchKey(s)
    .replace(/\(.*?\)|\*|:/g, "")
    .replace(/[\s\-_.]/g, "");

const HEADER_NAMES: Record<ImportField, string[]> = {
  displayName: ["نام", "نام و نام خانوادگی", "نام کامل", "نام مشتری", "مشتری", "نام شخص", "نام شرکت", "name", "full name", "customer name", "customer", "display name", "contact name"],
  phone: ["موبایل", "تلفن همراه", "شماره همراه", "شماره موبایل", "تلفن", "شماره تلفن", "شماره تماس", "تلفن تماس", "همراه", "phone", "mobile", "mobile phone", "mobile number", "phone number", "cell", "cell phone", "tel", "telephone"],
  email: ["ایمیل", "رایانامه", "پست الکترونیک", "پست الکترونیکی", "نشانی ایمیل", "email", "e-mail", "email address", "mail"],
  kind: ["نوع", "نوع مشتری", "نوع شخص", "type", "kind", "customer type"],
  province: ["استان", "province", "state", "region"],
  city: ["شهر", "نام شهر", "city", "town"],
};
const HEADER_LOOKUP = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => HEADER_NAMES[field].map((name) => [headerKey(name), field] as const)),
);

/** A first guess from the header names; the user confirms or corrects it. */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  headers.forEach((header, index) => {
    const field = HEADER_LOOKUP.get(headerKey(header));
    if (field && mapping[field] === null) mapping[field] = index;
  });
  return mapping;
}

export interface MappingError {
  field: ImportField;
  key: string;
}

/** Required fields mapped, each column used once, every index inside the header. */
export function checkMapping(mapping: ColumnMapping, columnCount: number): MappingError[] {
  const errors: MappingError[] = [];
  const used = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const column = mapping[field];
    if (column === null) {
      if (REQUIRED_IMPORT_FIELDS.includes(field)) errors.push({ field, key: "imports:errors.mapping_required" });
      continue;
    }
    if (!Number.isInteger(column) || column < 0 || column >= columnCount) errors.push({ field, key: "imports:errors.mapping_column" });
    else if (used.has(column)) errors.push({ field, key: "imports:errors.mapping_twice" });
    else used.set(column, field);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Rows

export interface ImportedCustomer {
  kind: CustomerKind;
  displayName: string;
  phone: string;
  email: string | null;
  province: Province;
  city: string;
}

export interface RowError {
  field: ImportField | "row";
  /** i18n key with its namespace, translated when shown. */
  key: string;
  values?: Record<string, string | number>;
}

export type RowResult = { ok: true; customer: ImportedCustomer } | { ok: false; errors: RowError[] };

const KIND_WORDS: Record<CustomerKind, string[]> = {
  person: ["حقیقی", "شخص حقیقی", "شخص", "شخصی", "فرد", "person", "individual", "natural person", "private"],
  business: ["حقوقی", "شخص حقوقی", "شرکت", "سازمان", "کسب و کار", "فروشگاه", "business", "company", "organization", "organisation", "legal entity", "corporate"],
};
const KIND_LOOKUP = new Map<string, CustomerKind>(
  (Object.keys(KIND_WORDS) as CustomerKind[]).flatMap((kind) => KIND_WORDS[kind].map((w) => [headerKey(w), kind] as const)),
);

const provinceKey = (s: string) =>
  headerKey(s)
    .replace(/^استان/, "")
    .replace(/province$/, "");
const PROVINCE_LOOKUP = new Map<string, Province>(
  PROVINCES.flatMap((code) => [
    [provinceKey(code), code] as const,
    [provinceKey(faCommon.provinces[code]), code] as const,
    [provinceKey(enCommon.provinces[code]), code] as const,
  ]),
);

/** Province code from a code, a Persian name or an English name ("استان تهران", "Tehran"). */
export function provinceFromText(input: string): Province | null {
  return PROVINCE_LOOKUP.get(provinceKey(input)) ?? null;
}

const emailSchema = z.email();

/** A cell quoted back in an error message, cut short. */
const shortened = (s: string) => (charLength(s) > 40 ? `${Array.from(s).slice(0, 40).join("")}…` : s);

function phoneFrom(cell: string): string | null {
  // A leading apostrophe is how spreadsheets (and our own export) keep "+44…" from becoming a formula.
  const raw = cell.replace(/^'/, "");
  const phone = parsePhone(raw);
  if (phone) return phone;
  // Spreadsheets drop the "+" (and the leading zero) of numbers stored as numbers: 989121234567.
  const digits = toAsciiDigits(raw).replace(/[\s\-().]/g, "");
  return /^98\d{10}$/.test(digits) ? parsePhone(`+${digits}`) : null;
}

/**
 * One data row as a customer, or every problem with it. Cells are trimmed and stored in display
 * form; nothing longer than MAX_CELL_CHARS is ever accepted, mapped or not.
 */
export function validateRow(cells: string[], mapping: ColumnMapping, defaults: { province: Province }): RowResult {
  const errors: RowError[] = [];
  const fieldOfColumn = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) if (mapping[field] !== null) fieldOfColumn.set(mapping[field]!, field);

  const tooLong = new Set<ImportField>();
  cells.forEach((cell, column) => {
    if (charLength(cell) <= MAX_CELL_CHARS) return;
    const field = fieldOfColumn.get(column);
    if (field) tooLong.add(field);
    errors.push({ field: field ?? "row", key: field ? "imports:errors.cell_too_long" : "imports:errors.cell_too_long_column", values: { max: MAX_CELL_CHARS, column: column + 1 } });
  });

  const raw = (field: ImportField): string | null => {
    const column = mapping[field];
    if (column === null || tooLong.has(field)) return null;
    // The apostrophe a CSV export (ours too: rejected rows) puts before =, +, - and @ against formulas.
    return (cells[column] ?? "").replace(/^'(?=[=+\-@\t\r])/, "");
  };
  const textOf = (field: ImportField, max: number, required: boolean): string | null => {
    const value = raw(field);
    if (value === null) {
      if (required && !tooLong.has(field)) errors.push({ field, key: "common:errors.required" });
      return null;
    }
    if (hasControlCharacters(value)) {
      errors.push({ field, key: "common:errors.control_chars" });
      return null;
    }
    const display = toDisplayForm(value);
    if (!display) {
      if (required) errors.push({ field, key: "common:errors.required" });
      return null;
    }
    if (charLength(display) > max) {
      errors.push({ field, key: "common:errors.too_long", values: { max } });
      return null;
    }
    return display;
  };

  const displayName = textOf("displayName", FIELD_MAX_CHARS.displayName, true);
  const city = textOf("city", FIELD_MAX_CHARS.city, true);

  let phone: string | null = null;
  const phoneText = textOf("phone", MAX_CELL_CHARS, true);
  if (phoneText) {
    phone = phoneFrom(phoneText);
    if (!phone) errors.push({ field: "phone", key: "common:errors.phone" });
  }

  let email: string | null = null;
  const emailText = textOf("email", MAX_CELL_CHARS, false);
  if (emailText) {
    const candidate = toAsciiDigits(emailText).toLowerCase();
    if (charLength(candidate) > FIELD_MAX_CHARS.email) errors.push({ field: "email", key: "common:errors.too_long", values: { max: FIELD_MAX_CHARS.email } });
    else if (!emailSchema.safeParse(candidate).success) errors.push({ field: "email", key: "common:errors.email" });
    else email = candidate;
  }

  let kind: CustomerKind = "person";
  const kindText = textOf("kind", MAX_CELL_CHARS, false);
  if (kindText) {
    const found = KIND_LOOKUP.get(headerKey(kindText));
    if (found) kind = found;
    else errors.push({ field: "kind", key: "imports:errors.kind", values: { value: shortened(kindText) } });
  }

  let province: Province = defaults.province;
  const provinceText = textOf("province", MAX_CELL_CHARS, false);
  if (provinceText) {
    const found = provinceFromText(provinceText);
    if (found) province = found;
    else errors.push({ field: "province", key: "imports:errors.province", values: { value: shortened(provinceText) } });
  }

  if (errors.length || !displayName || !city || !phone) return { ok: false, errors };
  return { ok: true, customer: { kind, displayName, phone, email, province, city } };
}
