import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { getCatalogProduct, listCatalog } from "~/models/orders/catalog.server";
import * as catalogProduct from "~/routes/_app.catalog.$id";
import * as catalogIndex from "~/routes/_app.catalog._index";
import * as pricing from "~/routes/_app.pricing";
import * as productPage from "~/routes/_app.products.$id";
import * as productsNew from "~/routes/_app.products.new";
import * as productImage from "~/routes/products.$id.image";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { actorFor, createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let categoryId = "";

const productForm = (o: Record<string, string> = {}) => ({
  sku: `T-${newId().slice(-8)}`,
  nameFa: "یخچال آزمایشی",
  nameEn: "Test fridge",
  descriptionFa: "توضیح",
  descriptionEn: "",
  categoryId,
  unit: "piece",
  listPrice: "۱٬۰۰۰٬۰۰۰",
  retailPrice: "1200000",
  cost: "700000",
  fulfilment: "stock",
  stockOnHand: "۱۰",
  dailyCapacity: "0",
  leadTimeDays: "0",
  handlingDays: "1",
  active: "on",
  ...o,
});

async function createProduct(o: Record<string, string> = {}) {
  const form = productForm(o);
  const out = await hit(productsNew.action, "/products/new", {}, { as: net.users.brandManager.id, method: "POST", form });
  expect(out.status).toBe(302);
  return { id: out.location!.split("/").pop()!, sku: form.sku };
}

const count = async (table: "products" | "audit_log") => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).where("brand_id", "=", net.brandId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  net = await createNetwork();
  categoryId = newId();
  await db().insertInto("need_categories").values({ id: categoryId, brand_id: net.brandId, name_fa: "یخچال", name_en: "Fridges", sort: 1, active: true }).execute();
  // distributor is gold (createNetwork); the independent reseller is registered, reseller1 becomes silver.
  await db().updateTable("partners").set({ tier: "silver" }).where("id", "=", net.partners.reseller1).execute();
  await db()
    .insertInto("tier_discounts")
    .values([
      { brand_id: net.brandId, tier: "gold", category_id: categoryId, discount_bp: 1000 },
      { brand_id: net.brandId, tier: "silver", category_id: categoryId, discount_bp: 500 },
    ])
    .execute();
});

describe("product create and edit", () => {
  it("creates a product from Persian digits, with its search key and an audit entry", async () => {
    const { id, sku } = await createProduct();
    const row = await db().selectFrom("products").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sku, list_price_rial: "1000000", stock_on_hand: 10, stock_reserved: 0, brand_id: net.brandId });
    expect(row.search_key).toContain("یخچال ازمایشی");
    const entry = await db().selectFrom("audit_log").select("action").where("target_id", "=", id).executeTakeFirstOrThrow();
    expect(entry.action).toBe("product.created");
  });

  it("answers bad input with 400 field errors and writes nothing", async () => {
    const [products, audits] = [await count("products"), await count("audit_log")];
    const out = await hit(productsNew.action, "/products/new", {}, {
      as: net.users.brandManager.id,
      method: "POST",
      form: productForm({ sku: "bad sku!", nameFa: "", listPrice: "-5", stockOnHand: "۱۲.۵", unit: "barrel", categoryId: newId() }),
    });
    expect(out.status).toBe(400);
    expect(errorKeys(out)).toMatchObject({ sku: "errors.sku", nameFa: "errors.required", listPrice: "errors.amount", stockOnHand: "errors.number_range", unit: "errors.choice" });
    // A category of another brand is refused too, after the form itself is valid.
    const foreign = await hit(productsNew.action, "/products/new", {}, { as: net.users.brandManager.id, method: "POST", form: productForm({ categoryId: newId() }) });
    expect(errorKeys(foreign)).toEqual({ categoryId: "errors.choice" });
    expect([await count("products"), await count("audit_log")]).toEqual([products, audits]);
  });

  it("refuses a duplicate SKU and stock below what is reserved, leaving the product as it was", async () => {
    const a = await createProduct();
    const b = await createProduct();
    const dup = await hit(productPage.action, `/products/${b.id}`, { id: b.id }, { as: net.users.brandAdmin.id, method: "POST", form: productForm({ sku: a.sku }) });
    expect(errorKeys(dup)).toEqual({ sku: "errors.sku_taken" });
    await db().updateTable("products").set({ stock_reserved: 4 }).where("id", "=", b.id).execute();
    const below = await hit(productPage.action, `/products/${b.id}`, { id: b.id }, { as: net.users.brandAdmin.id, method: "POST", form: productForm({ sku: b.sku, stockOnHand: "3", listPrice: "5" }) });
    expect(below.status).toBe(400);
    expect(errorKeys(below)).toEqual({ stockOnHand: "errors.below_reserved" });
    const row = await db().selectFrom("products").select(["sku", "stock_on_hand", "list_price_rial"]).where("id", "=", b.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ sku: b.sku, stock_on_hand: 10, list_price_rial: "1000000" });
  });

  it("adds options and personalisation; a value for another product's group is refused", async () => {
    const a = await createProduct();
    const b = await createProduct();
    const as = net.users.brandManager.id;
    expect((await hit(productPage.action, `/products/${a.id}`, { id: a.id }, { as, method: "POST", form: { intent: "add_group", nameFa: "رنگ", nameEn: "Colour" } })).status).toBe(200);
    const group = await db().selectFrom("product_option_groups").select("id").where("product_id", "=", a.id).executeTakeFirstOrThrow();
    const ok = await hit(productPage.action, `/products/${a.id}`, { id: a.id }, { as, method: "POST", form: { intent: "add_value", groupId: group.id, labelFa: "مشکی", labelEn: "Black", priceDelta: "-۲۰۰۰۰" } });
    expect(ok.status).toBe(200);
    const value = await db().selectFrom("product_option_values").select(["price_delta_rial"]).where("group_id", "=", group.id).executeTakeFirstOrThrow();
    expect(value.price_delta_rial).toBe("-20000");
    const cross = await hit(productPage.action, `/products/${b.id}`, { id: b.id }, { as, method: "POST", form: { intent: "add_value", groupId: group.id, labelFa: "x", labelEn: "x", priceDelta: "0" } });
    expect(errorKeys(cross)).toEqual({ groupId: "errors.choice" });
    const pers = await hit(productPage.action, `/products/${a.id}`, { id: a.id }, { as, method: "POST", form: { intent: "add_personalisation", labelFa: "حکاکی", labelEn: "Engraving", maxLength: "۰", extraPrice: "1000" } });
    expect(errorKeys(pers)).toEqual({ maxLength: "errors.number_range" });
    expect(await db().selectFrom("product_personalisations").select("id").where("product_id", "=", a.id).execute()).toEqual([]);
  });

  it("re-encodes an uploaded image and serves only the clean file to catalogue viewers", async () => {
    const { id } = await createProduct();
    const jpeg = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: "#c00" } }).jpeg().withExif({ IFD0: { Copyright: "secret-owner" } }).toBuffer();
    const form = new FormData();
    form.set("image", new File([new Uint8Array(Buffer.concat([jpeg, Buffer.from("<script>x</script>")]))], "p.jpg"));
    const out = await hit(productPage.action, `/products/${id}`, { id }, { as: net.users.brandManager.id, method: "POST", form });
    expect(out.status).toBe(200);
    const served = await hit(productImage.loader, `/products/${id}/image`, { id }, { as: net.users.independentRep.id });
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.response!.arrayBuffer());
    expect(bytes.includes(Buffer.from("secret-owner"))).toBe(false);
    expect(bytes.includes(Buffer.from("<script>"))).toBe(false);
    expect((await sharp(bytes).metadata()).width).toBe(1024);
    const bad = new FormData();
    bad.set("image", new File([new Uint8Array(Buffer.from("not an image"))], "p.png"));
    expect(errorKeys(await hit(productPage.action, `/products/${id}`, { id }, { as: net.users.brandManager.id, method: "POST", form: bad }))).toEqual({ image: "errors.image_type" });
  });

  it("another brand's product is not found for editing", async () => {
    const other = await createNetwork();
    const { id } = await createProduct();
    const out = await hit(productPage.action, `/products/${id}`, { id }, { as: other.users.brandAdmin.id, method: "POST", form: productForm() });
    expect(out.status).toBe(404);
    expect((await hit(catalogProduct.loader, `/catalog/${id}`, { id }, { as: other.users.independentRep.id })).status).toBe(404);
  });
});

describe("the partner catalogue", () => {
  let product: { id: string; sku: string };
  beforeAll(async () => {
    product = await createProduct({ nameFa: "کولر گازی ویژه", nameEn: "Special air conditioner" });
    await db().insertInto("partner_prices").values({ brand_id: net.brandId, partner_id: net.partners.reseller2, product_id: product.id, net_price_rial: 777_000n }).execute();
  });

  const rowFor = async (userId: string) => {
    const page = await listCatalog(await actorFor(userId), { q: product.sku }, 1);
    return page.rows.find((r) => r.id === product.id)!;
  };

  it("prices each partner by its tier, and a partner's own price only for that partner", async () => {
    expect((await rowFor(net.users.distributorRep.id)).price.unitNet).toBe("900000");
    expect((await rowFor(net.users.reseller1Rep.id)).price.unitNet).toBe("950000");
    expect((await rowFor(net.users.independentRep.id)).price.unitNet).toBe("1000000");
    expect((await rowFor(net.users.reseller2Admin.id)).price).toMatchObject({ unitNet: "777000", unitRetail: "1200000", unitMargin: "423000", rules: [{ kind: "partner_price" }] });
  });

  it("never selects cost for a partner user; brand roles get it", async () => {
    for (const user of [net.users.distributorAdmin, net.users.reseller1Rep, net.users.independentAdmin]) {
      const row = await rowFor(user.id);
      expect(row).not.toHaveProperty("cost_rial");
      expect(row.cost).toBeNull();
      const detail = await getCatalogProduct(await actorFor(user.id), product.id, null);
      expect(detail!.product).not.toHaveProperty("cost_rial");
    }
    expect((await rowFor(net.users.channelManager.id)).cost).toBe("700000");
  });

  it("a distributor does not see its reseller's agreed price, nor does the route page show it", async () => {
    // reseller2 sits under the distributor: the distributor sees its customers, not its prices.
    const row = await rowFor(net.users.distributorAdmin.id);
    expect(row.price.rules).not.toContainEqual({ kind: "partner_price" });
    const page = await hit(catalogIndex.loader, `/catalog?q=${product.sku}`, {}, { as: net.users.reseller1Rep.id });
    expect(JSON.stringify(page.data)).not.toContain("777000");
    expect(JSON.stringify(page.data)).not.toContain("700000");
  });

  it("finds products by Persian or Arabic spelling and by SKU prefix", async () => {
    const actor = await actorFor(net.users.independentRep.id);
    for (const q of ["كولر", "کولر گازی", "گازي", product.sku.slice(0, 5).toLowerCase()]) {
      const page = await listCatalog(actor, { q }, 1);
      expect(page.rows.map((r) => r.id), q).toContain(product.id);
    }
    expect((await listCatalog(actor, { q: "کولرز" }, 1)).rows.map((r) => r.id)).not.toContain(product.id);
  });

  it("the product page prices a quantity in Persian digits and promises from stock to the partner's province", async () => {
    await db().insertInto("brand_transit_days").values({ brand_id: net.brandId, province: "tehran", days: 2 }).execute();
    const out = await hit(catalogProduct.loader, `/catalog/${product.id}?qty=${encodeURIComponent("۴")}`, { id: product.id }, { as: net.users.distributorRep.id });
    expect(out.status).toBe(200);
    const data = out.data as { quote: { price: { lineTotal: string }; promise: { ok: boolean; source: string; shipOn: string; deliverOn: string } } };
    expect(data.quote.price.lineTotal).toBe("3600000");
    expect(data.quote.promise).toMatchObject({ ok: true, source: "stock" });
    const partner = await db().selectFrom("partners").select("province").where("id", "=", net.partners.distributor).executeTakeFirstOrThrow();
    const transit = partner.province === "tehran" ? 2 : 5;
    const days = (Date.parse(data.quote.promise.deliverOn) - Date.parse(data.quote.promise.shipOn)) / 86_400_000;
    expect(days).toBe(transit);
    const tooMany = await hit(catalogProduct.loader, `/catalog/${product.id}?qty=11`, { id: product.id }, { as: net.users.distributorRep.id });
    expect((tooMany.data as { quote: { promise: unknown } }).quote.promise).toEqual({ ok: false, reason: "out_of_stock" });
    const bad = await hit(catalogProduct.loader, `/catalog/${product.id}?qty=0`, { id: product.id }, { as: net.users.distributorRep.id });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ qty: "errors.number_range" });
  });
});

describe("pricing rules", () => {
  it("saves the tier grid from percentages, and refuses a bad one without writing", async () => {
    const as = net.users.brandAdmin.id;
    const bad = await hit(pricing.action, "/pricing", {}, { as, method: "POST", form: { intent: "tiers", [`d.gold.${categoryId}`]: "۱۰۱" } });
    expect(errorKeys(bad)).toEqual({ [`d.gold.${categoryId}`]: "errors.percent" });
    expect((await db().selectFrom("tier_discounts").select("discount_bp").where("brand_id", "=", net.brandId).where("tier", "=", "gold").executeTakeFirstOrThrow()).discount_bp).toBe(1000);
    const ok = await hit(pricing.action, "/pricing", {}, { as, method: "POST", form: { intent: "tiers", [`d.gold.${categoryId}`]: "۱۲٫۵", [`d.silver.${categoryId}`]: "5" } });
    expect(ok.status).toBe(200);
    const rows = await db().selectFrom("tier_discounts").select(["tier", "discount_bp"]).where("brand_id", "=", net.brandId).orderBy("tier").execute();
    expect(rows).toEqual([{ tier: "gold", discount_bp: 1250 }, { tier: "silver", discount_bp: 500 }]);
    // Restore for the other tests.
    await hit(pricing.action, "/pricing", {}, { as, method: "POST", form: { intent: "tiers", [`d.gold.${categoryId}`]: "10", [`d.silver.${categoryId}`]: "5" } });
  });

  it("a volume break needs exactly one target; a partner price needs the brand's own partner", async () => {
    const as = net.users.brandManager.id;
    const both = await hit(pricing.action, "/pricing", {}, { as, method: "POST", form: { intent: "volume_break", productId: "", categoryId: "", minQuantity: "10", discount: "5" } });
    expect(errorKeys(both)).toEqual({ productId: "errors.break_target" });
    const other = await createNetwork();
    const { id } = await createProduct();
    const foreign = await hit(pricing.action, "/pricing", {}, { as, method: "POST", form: { intent: "partner_price", partnerId: other.partners.independent, productId: id, netPrice: "1" } });
    expect(errorKeys(foreign)).toEqual({ partnerId: "errors.choice" });
    expect(await db().selectFrom("partner_prices").select("partner_id").where("partner_id", "=", other.partners.independent).execute()).toEqual([]);
  });
});

describe("made-to-order promise through the model", () => {
  it("skips production days earlier orders filled (capacity ledger) and never promises a full day", async () => {
    const { id } = await createProduct({ fulfilment: "made_to_order", stockOnHand: "0", dailyCapacity: "5", leadTimeDays: "2", handlingDays: "1" });
    const now = new Date("2026-12-01T08:00:00Z");
    await db()
      .insertInto("capacity_ledger")
      .values([
        { brand_id: net.brandId, product_id: id, day: "2026-12-03", units_taken: 5 },
        { brand_id: net.brandId, product_id: id, day: "2026-12-04", units_taken: 3 },
      ])
      .execute();
    const actor = await actorFor(net.users.independentRep.id);
    const detail = await getCatalogProduct(actor, id, { quantity: 4, options: {}, personalisation: {} }, now);
    // 2 units free on the 4th, 2 more on the 5th; shipped a handling day later, then the transit to the partner's province.
    const { province } = await db().selectFrom("partners").select("province").where("id", "=", net.partners.independent).executeTakeFirstOrThrow();
    const transit = await db().selectFrom("brand_transit_days").select("days").where("brand_id", "=", net.brandId).where("province", "=", province).executeTakeFirst();
    const deliverOn = new Date(Date.parse("2026-12-06T00:00:00Z") + (transit?.days ?? 5) * 86_400_000).toISOString().slice(0, 10);
    expect(detail!.quote!.promise).toEqual({ ok: true, source: "capacity", shipOn: "2026-12-06", deliverOn });
    const options = await getCatalogProduct(actor, id, { quantity: 1, options: { [newId()]: newId() }, personalisation: {} }, now);
    expect(options!.quote!.promise).toBeNull();
  });
});

describe("options and personalisation on the product page", () => {
  it("adds the chosen option and personalisation at full price, ignores a price sent by the browser, and refuses what is not offered", async () => {
    const { id } = await createProduct();
    const as = net.users.brandManager.id;
    await hit(productPage.action, `/products/${id}`, { id }, { as, method: "POST", form: { intent: "add_group", nameFa: "رنگ", nameEn: "Colour" } });
    const group = await db().selectFrom("product_option_groups").select("id").where("product_id", "=", id).executeTakeFirstOrThrow();
    await hit(productPage.action, `/products/${id}`, { id }, { as, method: "POST", form: { intent: "add_value", groupId: group.id, labelFa: "مشکی", labelEn: "Black", priceDelta: "50000" } });
    await hit(productPage.action, `/products/${id}`, { id }, { as, method: "POST", form: { intent: "add_personalisation", labelFa: "حکاکی", labelEn: "Engraving", maxLength: "5", extraPrice: "10000" } });
    const value = await db().selectFrom("product_option_values").select("id").where("group_id", "=", group.id).executeTakeFirstOrThrow();
    const pers = await db().selectFrom("product_personalisations").select("id").where("product_id", "=", id).executeTakeFirstOrThrow();
    const page = (query: string) => hit(catalogProduct.loader, `/catalog/${id}?${query}`, { id }, { as: net.users.distributorRep.id });

    const ok = await page(`qty=2&opt.${group.id}=${value.id}&pers.${pers.id}=${encodeURIComponent("علی")}&unitNet=1&lineTotal=1`);
    expect(ok.status).toBe(200);
    // Gold: 1,000,000 − 10 % = 900,000; + 50,000 option + 10,000 engraving, each unit.
    expect((ok.data as { quote: { price: { unitNet: string; lineTotal: string } } }).quote.price).toMatchObject({ unitNet: "960000", lineTotal: "1920000" });

    const tooLong = await page(`qty=2&pers.${pers.id}=${encodeURIComponent("علی رضا")}`);
    expect(tooLong.status).toBe(400);
    expect(errorKeys(tooLong)).toEqual({ [`pers.${pers.id}`]: "errors.too_long" });
    const notOffered = await page(`qty=2&opt.${group.id}=${newId()}`);
    expect(errorKeys(notOffered)).toEqual({ [`opt.${group.id}`]: "errors.choice" });
  });
});
