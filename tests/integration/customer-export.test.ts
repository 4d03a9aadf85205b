import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Locale } from "~/domain/format";
import type { Actor } from "~/domain/permissions";
import { csvDate, EXPORT_PAGE_ROWS, exportCustomersCsv } from "~/models/customer-export.server";
import { parseCustomerFilters } from "~/models/customer-filters";
import { nameKeys } from "~/models/customers.server";
import { createSegment } from "~/models/segments.server";
import { loader as exportLoader } from "~/routes/customers.export[.]csv";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { registerAs } from "../customer-factories";
import { actorFor, createBrand, createPartner, createUser } from "../factories";
import { hit } from "../routes";
import { addServingRows } from "~/models/serving-rows.server";

async function csvOf(actor: Actor, query = "", locale: Locale = "fa"): Promise<string> {
  const { filters } = parseCustomerFilters(new URLSearchParams(query), locale);
  return textWithBom(new Response(await exportCustomersCsv(actor, filters, locale)));
}

/** Response.text() drops a BOM; keep it to check it is there. */
async function textWithBom(response: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
}

/** The export as records, header first, BOM checked and removed. */
function records(csv: string): string[][] {
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  return parse(csv.slice(1), { relax_column_count: false });
}

/**
 * Partner A registers a customer who did not consent to sharing; partner B serves them too;
 * partner C has a customer of its own.
 */
async function network() {
  const brandId = await createBrand();
  const [a, b, c] = [await createPartner(brandId), await createPartner(brandId), await createPartner(brandId)];
  const users = {
    a: await createUser(brandId, "partner_admin", a),
    b: await createUser(brandId, "partner_admin", b),
    bRep: await createUser(brandId, "partner_rep", b),
    c: await createUser(brandId, "partner_admin", c),
    brand: await createUser(brandId, "brand_manager"),
  };
  const shared = await registerAs(users.a.id, {
    displayName: "مریم احمدی",
    phone: "+989121110001",
    email: "maryam@example.com",
    province: "isfahan",
    city: "کاشان",
    consents: { partner_contact: true, brand_contact: false, share_partners: false },
  });
  await addServingRows(db(), brandId, b, [shared], new Date());
  const other = await registerAs(users.c.id, { displayName: "رضا کریمی", phone: "+989121110002", email: "reza@example.com", consents: { partner_contact: true, brand_contact: true, share_partners: true } });
  return { brandId, partners: { a, b, c }, users, customers: { shared, other } };
}

describe("customer export", () => {
  it("starts with a BOM and Persian headers, and holds only the rows in the viewer's scope", async () => {
    const net = await network();
    const rows = records(await csvOf(await actorFor(net.users.b.id)));
    expect(rows[0]).toEqual(["نام", "نوع", "تلفن همراه", "ایمیل", "استان", "شهر", "ردهٔ ارزش", "ارزش طول عمر (ریال)", "تعداد سفارش", "آخرین تماس", "تاریخ ثبت"]);
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(0, 6)).toEqual(["مریم احمدی", "حقیقی", "", "", "اصفهان", "کاشان"]);
  });

  it("leaves consent-hidden phone and email empty, and shows them to those who may see them", async () => {
    const net = await network();
    const asB = records(await csvOf(await actorFor(net.users.b.id)));
    expect(asB[1][2]).toBe("");
    expect(asB[1][3]).toBe("");
    const asA = records(await csvOf(await actorFor(net.users.a.id)));
    expect(asA[1].slice(2, 4)).toEqual(["0912 111 0001", "maryam@example.com"]);
    // The brand sees the whole network, contact details only where the customer allowed the brand.
    const asBrand = records(await csvOf(await actorFor(net.users.brand.id), "", "en"));
    expect(asBrand[0].slice(0, 4)).toEqual(["Name", "Type", "Mobile phone", "Email"]);
    expect(asBrand.slice(1).map((r) => [r[0], r[2], r[3]]).sort()).toEqual([
      ["رضا کریمی", "0912 111 0002", "reza@example.com"],
      ["مریم احمدی", "", ""],
    ]);
    expect(await csvOf(await actorFor(net.users.brand.id))).not.toContain("maryam@example.com");
  });

  it("applies the list filters and writes dates in the viewer's calendar", async () => {
    const net = await network();
    const brand = await actorFor(net.users.brand.id);
    const rows = records(await csvOf(brand, "province=isfahan"));
    expect(rows.map((r) => r[0])).toEqual(["نام", "مریم احمدی"]);
    expect(rows[1][10]).toBe(csvDate(new Date(), "fa"));
    expect(csvDate(new Date("2024-04-03T10:00:00Z"), "fa")).toBe("1403/01/15");
    expect(csvDate(new Date("2024-04-03T22:00:00Z"), "en")).toBe("2024-04-04"); // already the 4th in Tehran
    expect(csvDate(null, "en")).toBe("");
  });

  it("writes tiers, kinds and provinces in the viewer's language and money in the brand's unit", async () => {
    const net = await network();
    await db().updateTable("customers").set({ value_tier: "A", ltv_rial: "123456780" }).where("id", "=", net.customers.shared).execute();
    const brand = await actorFor(net.users.brand.id);
    const fa = records(await csvOf(brand, "province=isfahan"));
    expect([fa[0][7], fa[1][1], fa[1][4], fa[1][6], fa[1][7]]).toEqual(["ارزش طول عمر (ریال)", "حقیقی", "اصفهان", "ردهٔ الف", "123456780"]);
    await db().updateTable("brands").set({ money_unit: "toman" }).where("id", "=", net.brandId).execute();
    const en = records(await csvOf(brand, "province=isfahan", "en"));
    expect(en[0]).toEqual(["Name", "Type", "Mobile phone", "Email", "Province", "City", "Value tier", "Lifetime value (Toman)", "Orders", "Last contact", "Registered"]);
    expect([en[1][1], en[1][4], en[1][6], en[1][7]]).toEqual(["Person", "Isfahan", "Tier A", "12345678"]);
    expect(records(await csvOf(brand, "province=isfahan"))[0][7]).toBe("ارزش طول عمر (تومان)");
  });

  it("refuses roles without the export permission", async () => {
    const net = await network();
    await expect(csvOf(await actorFor(net.users.bRep.id))).rejects.toMatchObject({ status: 403 });
  });

  it("neutralises spreadsheet formulas in names", async () => {
    const brandId = await createBrand();
    const partner = await createPartner(brandId);
    const admin = await createUser(brandId, "partner_admin", partner);
    await registerAs(admin.id, { displayName: "=HYPERLINK(\"http://evil.example\")", phone: "+989121110003" });
    const rows = records(await csvOf(await actorFor(admin.id)));
    expect(rows[1][0]).toBe("'=HYPERLINK(\"http://evil.example\")");
  });

  it("streams more rows than one page, each row exactly once", async () => {
    const brandId = await createBrand();
    const partner = await createPartner(brandId);
    const admin = await createUser(brandId, "partner_admin", partner);
    const total = EXPORT_PAGE_ROWS * 2 + 37;
    const now = new Date();
    const ids: string[] = [];
    for (let start = 0; start < total; start += 500) {
      const batch = Array.from({ length: Math.min(500, total - start) }, (_, k) => {
        const i = start + k;
        const id = newId();
        ids.push(id);
        const name = `مشتری ${i}`;
        return {
          id, brand_id: brandId, kind: "person" as const, display_name: name, ...nameKeys(name), phone: `+98912${String(i).padStart(7, "0")}`, email: null,
          province: "tehran", city: "تهران", city_key: "تهران", preferred_locale: "fa" as const, preferred_channel: "phone" as const, preferred_times: null,
          consent_partner_contact: false, consent_brand_contact: false, consent_share_partners: false, registered_by_partner_id: partner,
          registered_at: now, created_by_user_id: admin.id, created_at: now, updated_at: now,
        };
      });
      await db().insertInto("customers").values(batch).execute();
      await addServingRows(db(), brandId, partner, batch.map((c) => c.id), now);
    }
    const rows = records(await csvOf(await actorFor(admin.id)));
    expect(rows).toHaveLength(total + 1);
    const phones = rows.slice(1).map((r) => r[2]);
    expect(new Set(phones).size).toBe(total);
  });
});

describe("customer export (route)", () => {
  it("answers a CSV attachment with the list's query string, 403 without the permission", async () => {
    const net = await network();
    const ok = await hit(exportLoader, "/customers/export.csv?province=isfahan", {}, { as: net.users.b.id });
    expect(ok.status).toBe(200);
    expect(ok.response!.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(ok.response!.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.csv"; filename\*=UTF-8''/);
    expect(records(await textWithBom(ok.response!))).toHaveLength(2);

    expect((await hit(exportLoader, "/customers/export.csv", {}, { as: net.users.bRep.id })).status).toBe(403);
    expect((await hit(exportLoader, "/customers/export.csv?contactFrom=1403/12/31", {}, { as: net.users.b.id })).status).toBe(400);
  });

  it("exports a segment's rows; another partner's segment is a 404", async () => {
    const net = await network();
    const a = await actorFor(net.users.a.id);
    const segment = await createSegment(a, { name: "اصفهانی‌ها", province: "isfahan" }, "fa");
    if (!segment.ok) throw new Error("segment");
    const own = await hit(exportLoader, `/customers/export.csv?segment=${segment.id}`, {}, { as: net.users.a.id });
    expect(own.status).toBe(200);
    expect(decodeURIComponent(own.response!.headers.get("Content-Disposition")!)).toContain("اصفهانی‌ها");
    expect(records(await textWithBom(own.response!)).map((r) => r[0])).toEqual(["نام", "مریم احمدی"]);
    expect((await hit(exportLoader, `/customers/export.csv?segment=${segment.id}`, {}, { as: net.users.c.id })).status).toBe(404);
    expect((await hit(exportLoader, "/customers/export.csv?segment=nope", {}, { as: net.users.a.id })).status).toBe(404);
  });
});
