import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { localeCookie } from "~/i18n.server";
import { productSearchKey } from "~/models/orders/products.server";
import * as productImport from "~/routes/_app.products.import";
import * as productExport from "~/routes/products.export[.]csv";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { createNetwork, signedInCookie } from "../factories";
import { errorKeys, hit, makeRequest, call } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let existingId = "";

const upload = (text: string) => {
  const form = new FormData();
  form.set("file", new File([text], "products.csv", { type: "text/csv" }));
  return hit(productImport.action, "/products/import", {}, { as: net.users.brandManager.id, method: "POST", form });
};
const commit = (fileId: string) => hit(productImport.action, "/products/import", {}, { as: net.users.brandManager.id, method: "POST", form: { fileId } });
const products = () => db().selectFrom("products").select(["sku", "name_fa", "list_price_rial", "stock_on_hand", "unit", "search_key"]).where("brand_id", "=", net.brandId).orderBy("sku").execute();

beforeAll(async () => {
  net = await createNetwork();
  existingId = newId();
  await db().insertInto("products").values({ id: existingId, brand_id: net.brandId, sku: "OLD-1", name_fa: "قدیمی", name_en: "Old", category_id: null, active: true, list_price_rial: 500n, stock_on_hand: 9, stock_reserved: 3 }).execute();
});

describe("product CSV import", () => {
  it("previews row errors in the user's language and writes nothing, not even the valid rows", async () => {
    const before = await products();
    const text = "کد کالا,نام فارسی,نام انگلیسی,قیمت فهرست (ریال),موجودی انبار\nNEW-1,جدید,New,۱۰۰۰,۵\nOLD-1,,,,۲\nNEW-2,جدید ۲,New 2,,1\nNEW-1,تکراری,Dup,1,1\n";
    const out = await upload(text);
    expect(out.status).toBe(200);
    const data = out.data as { check: { created: number; updated: number; invalid: number; problems: { line: number; field: string; key: string }[] } };
    expect(data.check).toMatchObject({ created: 1, invalid: 3 });
    expect(data.check.problems.map((p) => [p.line, p.field, p.key])).toEqual([
      [3, "nameFa", "common:errors.required"],
      [3, "nameEn", "common:errors.required"],
      [3, "listPrice", "common:errors.required"],
      [4, "listPrice", "common:errors.required"],
      [5, "sku", "catalog:csv.errors.duplicate_sku"],
    ]);
    // Even with the previewed file, a commit refuses while any row has a problem.
    const fileId = (out.data as { fileId: string }).fileId;
    const refused = await commit(fileId);
    expect(refused.status).toBe(400);
    expect(await products()).toEqual(before);
  });

  it("refuses to take stock below what orders reserved", async () => {
    const out = await upload("SKU,Stock on hand\nOLD-1,2\n");
    expect((out.data as { check: { problems: { key: string }[] } }).check.problems.map((p) => p.key)).toEqual(["catalog:csv.errors.below_reserved"]);
  });

  it("commits all rows in one go: creates by SKU, updates only the columns in the file", async () => {
    const out = await upload("\uFEFFSKU;Persian name;English name;List price (Rial);Unit\nnew-9;يخچال نو;New fridge;2,500,000;جعبه\nOLD-1;قدیمی تازه;Old;;\n".replace(";;\n", ";500;\n"));
    const data = out.data as { check: { created: number; updated: number; invalid: number }; fileId: string };
    expect(data.check).toEqual({ created: 1, updated: 1, invalid: 0, problems: [] });
    const done = await commit(data.fileId);
    expect(done.status).toBe(200);
    expect(done.data).toEqual({ committed: { created: 1, updated: 1 } });
    const rows = await products();
    expect(rows).toEqual([
      expect.objectContaining({ sku: "NEW-9", name_fa: "یخچال نو", list_price_rial: "2500000", stock_on_hand: 0, unit: "box", search_key: "new-9 یخچال نو new fridge" }),
      expect.objectContaining({ sku: "OLD-1", name_fa: "قدیمی تازه", list_price_rial: "500", stock_on_hand: 9 }),
    ]);
    const audited = await db().selectFrom("audit_log").select("details").where("brand_id", "=", net.brandId).where("action", "=", "product.imported").execute();
    expect(audited).toHaveLength(1);
  });

  it("refuses a file without a SKU column, and another brand's preview id", async () => {
    expect(errorKeys(await upload("name,price\na,1\n"))).toEqual({ file: "catalog:csv.errors.no_sku_column" });
    const ok = await upload("SKU,Stock on hand\nOLD-1,4\n");
    const other = await createNetwork();
    const stolen = await hit(productImport.action, "/products/import", {}, { as: other.users.brandAdmin.id, method: "POST", form: { fileId: (ok.data as { fileId: string }).fileId } });
    expect(errorKeys(stolen)).toEqual({ file: "catalog:csv.errors.expired" });
  });
});

describe("product CSV export", () => {
  it("has a BOM, Persian headers, neutralised formulas, and reads back through the import unchanged", async () => {
    await db().insertInto("products").values({ id: newId(), brand_id: net.brandId, sku: "EVIL-1", name_fa: "=HYPERLINK(\"x\")", name_en: "+cmd", category_id: null, active: false, search_key: productSearchKey({ sku: "EVIL-1", nameFa: "=HYPERLINK(\"x\")", nameEn: "+cmd" }) }).execute();
    const out = await call(productExport.loader, await makeRequest("/products/export.csv", { as: net.users.brandAdmin.id }));
    expect(out.status).toBe(200);
    expect(out.response!.headers.get("Content-Disposition")).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await out.response!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const rows = parse(body.slice(1)) as string[][];
    expect(rows[0].slice(0, 3)).toEqual(["کد کالا", "نام فارسی", "نام انگلیسی"]);
    const evil = rows.find((r) => r[0] === "EVIL-1")!;
    expect(evil[1]).toBe("'=HYPERLINK(\"x\")");
    expect(evil[2]).toBe("'+cmd");
    expect(evil[15]).toBe("خیر");
    const before = await products();
    const again = await upload(body);
    const data = again.data as { check: { invalid: number; updated: number }; fileId: string };
    expect(data.check).toMatchObject({ invalid: 0, updated: before.length });
    expect((await commit(data.fileId)).status).toBe(200);
    expect(await products()).toEqual(before);
  });

  it("follows the viewer's language and the brand's money unit, and the import reads that back unchanged", async () => {
    await db().updateTable("brands").set({ money_unit: "toman" }).where("id", "=", net.brandId).execute();
    try {
      await db().insertInto("products").values({ id: newId(), brand_id: net.brandId, sku: "TOMAN-1", name_fa: "کتری", name_en: "Kettle", category_id: null, active: true, list_price_rial: 25_000_000n, retail_price_rial: 29_000_000n, cost_rial: 18_000_000n, fulfilment: "made_to_order", search_key: productSearchKey({ sku: "TOMAN-1", nameFa: "کتری", nameEn: "Kettle" }) }).execute();
      const english = `${await signedInCookie(net.users.brandAdmin.id)}; ${(await localeCookie.serialize("en")).split(";")[0]}`;
      const out = await call(productExport.loader, await makeRequest("/products/export.csv", { headers: { Cookie: english } }));
      const body = new TextDecoder().decode(await out.response!.arrayBuffer());
      const rows = parse(body) as string[][];
      expect(rows[0]).toEqual(["SKU", "Persian name", "English name", "Persian description", "English description", "Category", "Unit", "List price (Toman)", "Suggested retail (Toman)", "Cost (Toman)", "Fulfilment", "Stock on hand", "Daily capacity", "Lead time (days)", "Handling (days)", "Active"]);
      const kettle = rows.find((r) => r[0] === "TOMAN-1")!;
      expect([kettle[6], kettle[7], kettle[8], kettle[9], kettle[10], kettle[15]]).toEqual(["piece", "2500000", "2900000", "1800000", "Made to order", "yes"]);
      const before = await products();
      const again = await upload(body);
      const data = again.data as { check: { invalid: number; updated: number }; fileId: string };
      expect(data.check).toMatchObject({ invalid: 0, updated: before.length });
      expect((await commit(data.fileId)).status).toBe(200);
      expect(await products()).toEqual(before);
      expect(await db().selectFrom("products").select(["list_price_rial", "retail_price_rial", "cost_rial"]).where("sku", "=", "TOMAN-1").where("brand_id", "=", net.brandId).executeTakeFirst()).toEqual({ list_price_rial: "25000000", retail_price_rial: "29000000", cost_rial: "18000000" });
    } finally {
      await db().updateTable("brands").set({ money_unit: "rial" }).where("id", "=", net.brandId).execute();
    }
  });

  it("is for catalogue managers only", async () => {
    const out = await call(productExport.loader, await makeRequest("/products/export.csv", { as: net.users.distributorAdmin.id }));
    expect(out.status).toBe(403);
  });
});
