import { describe, expect, it } from "vitest";
import {
  checkMapping,
  csvErrorLine,
  csvRecordBatches,
  decodeCsv,
  detectDelimiter,
  estimateRowCount,
  guessMapping,
  MAX_CELL_CHARS,
  provinceFromText,
  readHeader,
  validateRow,
  type ColumnMapping,
  type CsvRecord,
} from "~/domain/customer-csv";
import enImports from "#locales/en/imports.json";
import faImports from "#locales/fa/imports.json";

const utf8 = (s: string) => new TextEncoder().encode(s);
const BOM = [0xef, 0xbb, 0xbf];

// "سلام" in Windows-1256, the encoding older Persian Excel exports use.
const WINDOWS_1256_SALAM = [0xd3, 0xe1, 0xc7, 0xe3];

async function allRecords(text: string, delimiter: "," | ";", size = 1000): Promise<CsvRecord[][]> {
  const batches: CsvRecord[][] = [];
  for await (const batch of csvRecordBatches(text, delimiter, size)) batches.push(batch);
  return batches;
}

const FULL: ColumnMapping = { displayName: 0, phone: 1, email: 2, kind: 3, province: 4, city: 5 };
const defaults = { province: "tehran" as const };

describe("decodeCsv", () => {
  it("reads UTF-8 with and without a BOM to the same text", () => {
    const text = "نام,موبایل\nعلی,09121234567\n";
    const withBom = decodeCsv(new Uint8Array([...BOM, ...utf8(text)]));
    const without = decodeCsv(utf8(text));
    expect(withBom).toEqual({ ok: true, text });
    expect(without).toEqual({ ok: true, text });
  });

  it("refuses Windows-1256 bytes, UTF-16 and empty files", () => {
    expect(decodeCsv(new Uint8Array([...utf8("name,phone\n"), ...WINDOWS_1256_SALAM, ...utf8(",0912\n")]))).toEqual({ ok: false, error: "encoding" });
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(utf8("ab")).flatMap((b) => [b, 0])]);
    expect(decodeCsv(utf16)).toEqual({ ok: false, error: "encoding" });
    const utf16NoBom = new Uint8Array(Array.from(utf8("name,phone")).flatMap((b) => [b, 0]));
    expect(decodeCsv(utf16NoBom)).toEqual({ ok: false, error: "encoding" });
    expect(decodeCsv(utf8(" \n\n"))).toEqual({ ok: false, error: "empty" });
  });
});

describe("header", () => {
  it("detects comma, semicolon and tab from the header line, ignoring quoted separators", () => {
    expect(detectDelimiter("نام\tموبایل\tشهر\n")).toBe("\t");
    expect(detectDelimiter('"a\tb",phone,city')).toBe(",");
    expect(readHeader("نام\tموبایل\tشهر\nعلی\t0912\tشیراز\n")).toEqual({ ok: true, delimiter: "\t", headers: ["نام", "موبایل", "شهر"] });
    expect(detectDelimiter("name,phone,city\n1;2;3")).toBe(",");
    expect(detectDelimiter("name;phone;city\n")).toBe(";");
    expect(detectDelimiter('"a, b, c";phone;city')).toBe(";");
    expect(detectDelimiter("name")).toBe(",");
  });

  it("reads the header cells in display form", () => {
    const r = readHeader("نام;تلفن همراه;شهر\r\nعلی;0912;تهران\r\n");
    expect(r).toEqual({ ok: true, delimiter: ";", headers: ["نام", "تلفن همراه", "شهر"] });
    // Arabic yeh/kaf from an Arabic keyboard are stored as the Persian letters.
    expect(readHeader("نام مشتري,شهر\n")).toMatchObject({ ok: true, headers: ["نام مشتری", "شهر"] });
  });

  it("refuses a file without a header, with an overlong header cell or too many columns", () => {
    expect(readHeader(",,,\n1,2,3\n")).toEqual({ ok: false, error: "no_header" });
    expect(readHeader(`${"x".repeat(201)},phone\n`)).toEqual({ ok: false, error: "header_cell" });
    expect(readHeader(`${Array.from({ length: 101 }, (_, i) => `c${i}`).join(",")}\n`)).toEqual({ ok: false, error: "too_many_columns" });
  });

  it("estimates the number of data rows for progress", () => {
    expect(estimateRowCount("a\n1\n2\n")).toBe(2);
    expect(estimateRowCount("a\r\n1\r\n2")).toBe(2);
    expect(estimateRowCount("a")).toBe(0);
  });
});

describe("guessMapping", () => {
  it("maps Persian headers, whatever the spacing, ZWNJ or Arabic letters", () => {
    expect(guessMapping(["نام و نام خانوادگی", "تلفن همراه", "ایمیل", "نوع", "استان", "شهر"])).toEqual(FULL);
    expect(guessMapping(["شهر", "موبایل", "نام‌ونام‌خانوادگی"])).toEqual({ displayName: 2, phone: 1, email: null, kind: null, province: null, city: 0 });
    expect(guessMapping(["نام مشتري", "تلفن"])).toMatchObject({ displayName: 0, phone: 1 });
  });

  it("maps English headers in any case and punctuation", () => {
    expect(guessMapping(["Full Name", "Mobile", "E-mail", "Type", "Province", "City"])).toEqual(FULL);
    expect(guessMapping(["full_name", "phone number", "CITY", "notes"])).toEqual({ displayName: 0, phone: 1, email: null, kind: null, province: null, city: 2 });
  });

  it("uses the first column when two headers mean the same field", () => {
    expect(guessMapping(["name", "phone", "mobile", "city"]).phone).toBe(1);
  });

  it("recognises the headers of the app's own export in both languages", () => {
    for (const columns of [faImports.export.columns, enImports.export.columns]) {
      const m = guessMapping([columns.displayName, columns.kind, columns.phone, columns.email, columns.province, columns.city]);
      expect(m).toEqual({ displayName: 0, kind: 1, phone: 2, email: 3, province: 4, city: 5 });
    }
  });
});

describe("checkMapping", () => {
  it("requires name, phone and city, a column at most once, and columns that exist", () => {
    expect(checkMapping(FULL, 6)).toEqual([]);
    expect(checkMapping({ ...FULL, phone: null }, 6)).toEqual([{ field: "phone", key: "imports:errors.mapping_required" }]);
    expect(checkMapping({ ...FULL, email: null, kind: null, province: null }, 6)).toEqual([]);
    expect(checkMapping({ ...FULL, city: 0 }, 6)).toEqual([{ field: "city", key: "imports:errors.mapping_twice" }]);
    expect(checkMapping({ ...FULL, city: 9 }, 6)).toEqual([{ field: "city", key: "imports:errors.mapping_column" }]);
  });
});

describe("csvRecordBatches", () => {
  it("skips the header and blank rows, keeps quoted separators and line breaks, reports lines", async () => {
    const text = 'name;phone;city\n"Ali; Jr";0912;"Tehran\nwest"\n\n;;\nSara;0935;Qom';
    const [batch] = await allRecords(text, ";");
    expect(batch).toEqual([
      { line: 3, cells: ["Ali; Jr", "0912", "Tehran\nwest"] },
      { line: 6, cells: ["Sara", "0935", "Qom"] },
    ]);
  });

  it("yields batches of the requested size and keeps multi-byte text whole across slices", async () => {
    const name = "زهرا 👩‍💻 محمدی";
    const rows = Array.from({ length: 2500 }, (_, i) => `${name},0912${String(i).padStart(7, "0")},شیراز`);
    const batches = await allRecords(`name,phone,city\n${rows.join("\n")}\n`, ",", 1000);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat().every((r) => r.cells[0] === name)).toBe(true);
    expect(batches[2][499].line).toBe(2501);
  });

  it("throws on an unclosed quote, saying where", async () => {
    const error = await allRecords('name,phone\n"Ali,0912\nSara,0935\n', ",").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(csvErrorLine(error)).toBeGreaterThanOrEqual(2);
  });
});

describe("validateRow", () => {
  const row = (over: Partial<Record<keyof ColumnMapping, string>> = {}) => {
    const v = { displayName: "علی رضایی", phone: "0912 123 4567", email: "", kind: "", province: "", city: "تهران", ...over };
    return [v.displayName, v.phone, v.email, v.kind, v.province, v.city];
  };

  it("accepts a row and normalises what it stores", () => {
    expect(validateRow(row({ displayName: "  علي  رضايي ", email: " Ali@Example.COM ", kind: "حقوقی", province: "استان اصفهان" }), FULL, defaults)).toEqual({
      ok: true,
      customer: { kind: "business", displayName: "علی رضایی", phone: "+989121234567", email: "ali@example.com", province: "isfahan", city: "تهران" },
    });
  });

  it("reads phones in Persian and Arabic-Indic digits, without the leading zero or plus, or formula-escaped", () => {
    for (const phone of ["۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+98 912 123 4567", "00989121234567", "989121234567", "9121234567", "'+98 912 123 4567"]) {
      expect(validateRow(row({ phone }), FULL, defaults)).toMatchObject({ ok: true, customer: { phone: "+989121234567" } });
    }
  });

  it("defaults the kind to person and the province to the given one", () => {
    expect(validateRow(row(), FULL, defaults)).toMatchObject({ ok: true, customer: { kind: "person", province: "tehran" } });
    const noOptional: ColumnMapping = { displayName: 0, phone: 1, email: null, kind: null, province: null, city: 5 };
    expect(validateRow(row(), noOptional, { province: "fars" })).toMatchObject({ ok: true, customer: { province: "fars", email: null } });
  });

  it("accepts province names in Persian, English and as codes, and kinds in both languages", () => {
    expect(provinceFromText("آذربایجان‌شرقی")).toBe("azarbaijan_east");
    expect(provinceFromText("East Azerbaijan")).toBe("azarbaijan_east");
    expect(provinceFromText("kohgiluyeh and boyer-ahmad")).toBe("kohgiluyeh_boyerahmad");
    expect(provinceFromText("خراسان رضوي")).toBe("khorasan_razavi");
    expect(provinceFromText("tehran")).toBe("tehran");
    expect(provinceFromText("Atlantis")).toBeNull();
    expect(validateRow(row({ kind: "Company" }), FULL, defaults)).toMatchObject({ ok: true, customer: { kind: "business" } });
    expect(validateRow(row({ kind: "person" }), FULL, defaults)).toMatchObject({ ok: true, customer: { kind: "person" } });
  });

  it("reports every problem of a row with field, key and values", () => {
    const r = validateRow(row({ displayName: "", phone: "0950 123 4567", email: "not-an-email", kind: "robot", province: "Atlantis", city: " " }), FULL, defaults);
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: "displayName", key: "common:errors.required" },
        { field: "city", key: "common:errors.required" },
        { field: "phone", key: "common:errors.phone" },
        { field: "email", key: "common:errors.email" },
        { field: "kind", key: "imports:errors.kind", values: { value: "robot" } },
        { field: "province", key: "imports:errors.province", values: { value: "Atlantis" } },
      ],
    });
  });

  it("limits name and city length in characters, not UTF-16 units", () => {
    expect(validateRow(row({ displayName: "ب".repeat(200) }), FULL, defaults).ok).toBe(true);
    expect(validateRow(row({ displayName: "😀".repeat(200) }), FULL, defaults).ok).toBe(true);
    expect(validateRow(row({ displayName: "ب".repeat(201) }), FULL, defaults)).toEqual({ ok: false, errors: [{ field: "displayName", key: "common:errors.too_long", values: { max: 200 } }] });
    expect(validateRow(row({ city: "ش".repeat(101) }), FULL, defaults)).toEqual({ ok: false, errors: [{ field: "city", key: "common:errors.too_long", values: { max: 100 } }] });
  });

  it("refuses any cell over the cell limit, even in a column that is not imported", () => {
    const huge = "ا".repeat(10_000);
    expect(validateRow(row({ displayName: huge }), FULL, defaults)).toEqual({
      ok: false,
      errors: [{ field: "displayName", key: "imports:errors.cell_too_long", values: { max: MAX_CELL_CHARS, column: 1 } }],
    });
    expect(validateRow([...row(), huge], FULL, defaults)).toEqual({
      ok: false,
      errors: [{ field: "row", key: "imports:errors.cell_too_long_column", values: { max: MAX_CELL_CHARS, column: 7 } }],
    });
  });

  it("refuses control and direction-override characters instead of storing them", () => {
    expect(validateRow(row({ displayName: "علی\u202Eرضایی" }), FULL, defaults)).toEqual({ ok: false, errors: [{ field: "displayName", key: "common:errors.control_chars" }] });
    expect(validateRow(row({ city: "a\u0007b" }), FULL, defaults)).toEqual({ ok: false, errors: [{ field: "city", key: "common:errors.control_chars" }] });
  });

  it("treats a missing cell of a short row as empty", () => {
    expect(validateRow(["علی", "09121234567"], FULL, defaults)).toEqual({ ok: false, errors: [{ field: "city", key: "common:errors.required" }] });
  });
});
