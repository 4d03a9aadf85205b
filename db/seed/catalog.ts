// The demo catalogue: prices, stock and capacity for the demo products, options, one
// personalisation field, tier discounts, one partner price, volume breaks and transit days.
//
// Deterministic and idempotent: a product is filled in only while it has never been saved
// (updated_at is null), so a price a manager changed in the demo stays; rule rows are inserted
// only when their key is missing.
import type { Kysely } from "kysely";
import type { DB, Fulfilment, ProductUnit, Tier } from "../schema";
import { toSearchKey } from "../../app/domain/text";
import { DEMO_BRAND_ID, DEMO_PARTNERS } from "./foundation";
import { demoCategoryId, demoProductId, type CategoryKey } from "./customers";
import { fixedId } from "./random";

const M = 1_000_000n; // a million Rial

interface DemoStock {
  descFa: string;
  descEn: string;
  unit?: ProductUnit;
  list: bigint;
  onHand: number;
  fulfilment?: Fulfilment;
  capacity?: number;
  lead?: number;
  handling?: number;
}

// Suggested retail is list + 20 %, cost list − 28 % (see below).
const CATALOG: Record<string, DemoStock> = {
  "RF-540": { descFa: "یخچال فریزر ساید بای ساید با یخ‌ساز و آبسردکن، کلاس انرژی A+.", descEn: "Side-by-side fridge freezer with ice maker and water dispenser, energy class A+.", list: 1_650n * M, onHand: 14 },
  "RF-320": { descFa: "یخچال و فریزر دوقلوی ۱۶ فوت با بدنهٔ استیل.", descEn: "Twin 16 ft fridge and freezer, stainless steel body.", unit: "pair", list: 1_320n * M, onHand: 6 },
  "RF-480": { descFa: "مدل قدیم؛ دیگر عرضه نمی‌شود.", descEn: "Old model; no longer offered.", list: 980n * M, onHand: 0 },
  "FZ-260": { descFa: "فریزر ایستاده با شش کشوی شفاف و قفل کودک.", descEn: "Upright freezer with six clear drawers and child lock.", list: 890n * M, onHand: 3 },
  "WM-914": { descFa: "لباسشویی ۹ کیلویی با موتور اینورتر و ۱۶ برنامهٔ شست‌وشو.", descEn: "9 kg washing machine, inverter motor, 16 programmes.", list: 1_120n * M, onHand: 25 },
  "WM-812": { descFa: "مدل قدیم؛ دیگر عرضه نمی‌شود.", descEn: "Old model; no longer offered.", list: 760n * M, onHand: 0 },
  "DW-1412": { descFa: "ظرفشویی ۱۴ نفره با خشک‌کن هوای گرم.", descEn: "Dishwasher for 14 place settings with hot-air drying.", list: 1_080n * M, onHand: 0 },
  "GS-590": { descFa: "اجاق گاز پنج شعلهٔ فردار با شیشهٔ نسوز و ترموکوپل.", descEn: "Five-burner gas range with oven, tempered glass and flame safety.", list: 640n * M, onHand: 9 },
  "BO-600": { descFa: "فر توکار برقی که پس از سفارش ساخته می‌شود؛ نصب رایگان.", descEn: "Built-in electric oven made after ordering; free installation.", list: 720n * M, onHand: 0, fulfilment: "made_to_order", capacity: 4, lead: 7, handling: 2 },
  "HD-900": { descFa: "هود مورب ۹۰ سانتی با مکش ۸۰۰ مترمکعب؛ ساخت سفارشی در رنگ دلخواه.", descEn: "Slanted 90 cm hood, 800 m³/h; made to order in your colour.", list: 310n * M, onHand: 2, fulfilment: "made_to_order", capacity: 10, lead: 3, handling: 1 },
  "AC-24I": { descFa: "کولر گازی اینورتر ۲۴۰۰۰ با گاز R410؛ فعلاً ناموجود.", descEn: "Inverter air conditioner 24,000 BTU, R410 gas; currently out of stock.", list: 1_450n * M, onHand: 0 },
  "AC-18": { descFa: "مدل قدیم؛ دیگر عرضه نمی‌شود.", descEn: "Old model; no longer offered.", list: 690n * M, onHand: 0 },
  "EC-7000": { descFa: "کولر آبی سلولزی ۷۰۰۰ با پوشال سلولزی.", descEn: "Evaporative cooler 7000 with cellulose pads.", list: 290n * M, onHand: 40 },
  "AF-55": { descFa: "سرخ‌کن بدون روغن ۵٫۵ لیتری با صفحهٔ لمسی.", descEn: "5.5 L air fryer with touch panel.", list: 48n * M, onHand: 120 },
  "TM-210": { descFa: "چای‌ساز برقی با کتری استیل؛ امکان حک نام روی بدنه.", descEn: "Electric tea maker with steel kettle; a name can be engraved on it.", list: 26n * M, onHand: 80 },
  "VC-2200": { descFa: "جاروبرقی ۲۲۰۰ وات با کیسهٔ پارچه‌ای و فیلتر HEPA.", descEn: "2200 W vacuum cleaner with cloth bag and HEPA filter.", list: 39n * M, onHand: 0 },
};

const TIER_BP: Record<Tier, number> = { registered: 0, silver: 500, gold: 1000, platinum: 1500 };
const DISCOUNTED: CategoryKey[] = ["fridge", "washer", "oven", "cooling", "small"];
const TRANSIT: Record<string, number> = { tehran: 1, alborz: 2, isfahan: 3, fars: 4, khorasan_razavi: 5, mazandaran: 3 };
const NOOR = DEMO_PARTNERS[2].id;

export async function seedCatalog(db: Kysely<DB>): Promise<number> {
  let changed = 0;
  await db.transaction().execute(async (trx) => {
    const products = await trx.selectFrom("products").select(["id", "sku", "name_fa", "name_en"]).where("brand_id", "=", DEMO_BRAND_ID).where("updated_at", "is", null).execute();
    for (const p of products) {
      const c = CATALOG[p.sku];
      if (!c) continue;
      await trx
        .updateTable("products")
        .set({
          description_fa: c.descFa,
          description_en: c.descEn,
          unit: c.unit ?? "piece",
          list_price_rial: c.list,
          retail_price_rial: (c.list * 120n) / 100n,
          cost_rial: (c.list * 72n) / 100n,
          search_key: toSearchKey(`${p.sku} ${p.name_fa} ${p.name_en}`),
          fulfilment: c.fulfilment ?? "stock",
          stock_on_hand: c.onHand,
          daily_capacity: c.capacity ?? 0,
          lead_time_days: c.lead ?? 0,
          handling_days: c.handling ?? 1,
          updated_at: new Date(Date.UTC(2026, 11, 1)),
        })
        .where("id", "=", p.id)
        .execute();
      changed += 1;
    }

    const insertMissing = async <T extends object>(table: keyof DB, rows: T[], exists: (row: T) => Promise<boolean>) => {
      for (const row of rows) {
        if (await exists(row)) continue;
        await trx.insertInto(table).values(row as never).execute();
        changed += 1;
      }
    };
    const byId = (table: "product_option_groups" | "product_option_values" | "product_personalisations" | "volume_breaks") => async (row: { id: string }) =>
      Boolean(await trx.selectFrom(table).select("id").where("id", "=", row.id).executeTakeFirst());

    const rf540 = demoProductId("RF-540");
    const hd900 = demoProductId("HD-900");
    const groupId = (n: number) => fixedId("01DEMQOPTGROUP", n);
    const valueId = (n: number) => fixedId("01DEMQOPTVALUE", n);
    await insertMissing(
      "product_option_groups",
      [
        { id: groupId(1), brand_id: DEMO_BRAND_ID, product_id: rf540, name_fa: "رنگ", name_en: "Colour", sort: 10 },
        { id: groupId(2), brand_id: DEMO_BRAND_ID, product_id: hd900, name_fa: "رنگ", name_en: "Colour", sort: 10 },
        { id: groupId(3), brand_id: DEMO_BRAND_ID, product_id: hd900, name_fa: "کانال خروجی", name_en: "Duct", sort: 20 },
      ],
      byId("product_option_groups"),
    );
    const value = (n: number, product: string, group: number, fa: string, en: string, delta: bigint) => ({ id: valueId(n), brand_id: DEMO_BRAND_ID, product_id: product, group_id: groupId(group), label_fa: fa, label_en: en, price_delta_rial: delta, sort: n * 10 });
    await insertMissing(
      "product_option_values",
      [
        value(1, rf540, 1, "استیل", "Stainless steel", 0n),
        value(2, rf540, 1, "سفید", "White", -20n * M),
        value(3, rf540, 1, "مشکی مات", "Matte black", 35n * M),
        value(4, hd900, 2, "استیل", "Stainless steel", 0n),
        value(5, hd900, 2, "مشکی", "Black", 12n * M),
        value(6, hd900, 3, "کانال ۱ متری", "1 m duct", 0n),
        value(7, hd900, 3, "کانال ۳ متری", "3 m duct", 4n * M),
      ],
      byId("product_option_values"),
    );
    await insertMissing(
      "product_personalisations",
      [{ id: fixedId("01DEMQPERSONAL", 1), brand_id: DEMO_BRAND_ID, product_id: demoProductId("TM-210"), label_fa: "حکاکی نام", label_en: "Name engraving", max_length: 20, extra_price_rial: 3n * M, required: false, sort: 10 }],
      byId("product_personalisations"),
    );
    await insertMissing(
      "tier_discounts",
      DISCOUNTED.flatMap((key) =>
        (Object.entries(TIER_BP) as [Tier, number][]).filter(([, bp]) => bp > 0).map(([tier, bp]) => ({ brand_id: DEMO_BRAND_ID, tier, category_id: demoCategoryId(key), discount_bp: key === "small" ? bp + 200 : bp })),
      ),
      async (r) => Boolean(await trx.selectFrom("tier_discounts").select("tier").where("brand_id", "=", r.brand_id).where("tier", "=", r.tier).where("category_id", "=", r.category_id).executeTakeFirst()),
    );
    await insertMissing(
      "partner_prices",
      [{ brand_id: DEMO_BRAND_ID, partner_id: NOOR, product_id: demoProductId("WM-914"), net_price_rial: 960n * M }],
      async (r) => Boolean(await trx.selectFrom("partner_prices").select("partner_id").where("brand_id", "=", r.brand_id).where("partner_id", "=", r.partner_id).where("product_id", "=", r.product_id).executeTakeFirst()),
    );
    await insertMissing(
      "volume_breaks",
      [
        { id: fixedId("01DEMQVOLBREAK", 1), brand_id: DEMO_BRAND_ID, product_id: null, category_id: demoCategoryId("small"), min_quantity: 10, discount_bp: 300 },
        { id: fixedId("01DEMQVOLBREAK", 2), brand_id: DEMO_BRAND_ID, product_id: demoProductId("AF-55"), category_id: null, min_quantity: 20, discount_bp: 500 },
      ],
      byId("volume_breaks"),
    );
    await insertMissing(
      "brand_transit_days",
      Object.entries(TRANSIT).map(([province, days]) => ({ brand_id: DEMO_BRAND_ID, province, days })),
      async (r) => Boolean(await trx.selectFrom("brand_transit_days").select("days").where("brand_id", "=", r.brand_id).where("province", "=", r.province).executeTakeFirst()),
    );
  });
  return changed;
}
