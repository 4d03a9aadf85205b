import { describe, expect, it } from "vitest";
import { moneyInRial } from "~/models/orders/product-forms";
import * as partnerPage from "~/routes/_app.partners.$id";
import * as productsNew from "~/routes/_app.products.new";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { createNetwork } from "../factories";
import { errorKeys, hit } from "../routes";

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
};

describe("money typed in the brand's unit", () => {
  it("turns Toman into Rial, keeps Rial, and leaves what is not an amount for the schema to refuse", () => {
    const toman = moneyInRial(form({ listPrice: "۱۲٬۵۰۰", priceDelta: "-۳۰۰", sku: "123", cost: "abc" }), "toman");
    expect(Object.fromEntries(toman)).toEqual({ listPrice: "125000", priceDelta: "-3000", sku: "123", cost: "abc" });
    const rial = form({ listPrice: "۱۲٬۵۰۰" });
    expect(moneyInRial(rial, "rial")).toBe(rial);
  });

  it("stores integer Rial from a product and a credit limit typed in Toman", async () => {
    const net = await createNetwork();
    await db().updateTable("brands").set({ money_unit: "toman" }).where("id", "=", net.brandId).execute();
    const sku = `T-${newId().slice(-8)}`;
    const product = { sku, nameFa: "یخچال", nameEn: "Fridge", descriptionFa: "", descriptionEn: "", categoryId: "", unit: "piece", listPrice: "۱۰۰٬۰۰۰", retailPrice: "120000", cost: "70000", fulfilment: "stock", stockOnHand: "1", dailyCapacity: "0", leadTimeDays: "0", handlingDays: "1", active: "on" };
    const created = await hit(productsNew.action, "/products/new", {}, { as: net.users.brandManager.id, method: "POST", form: product });
    expect(created.status).toBe(302);
    const row = await db().selectFrom("products").select(["list_price_rial", "retail_price_rial", "cost_rial"]).where("brand_id", "=", net.brandId).where("sku", "=", sku).executeTakeFirstOrThrow();
    expect([row.list_price_rial, row.retail_price_rial, row.cost_rial].map(String)).toEqual(["1000000", "1200000", "700000"]);

    const bad = await hit(partnerPage.action, `/partners/${net.partners.independent}`, { id: net.partners.independent }, { as: net.users.channelManager.id, method: "POST", form: { intent: "credit", creditLimit: "ده" } });
    expect([bad.status, Object.keys(errorKeys(bad))]).toEqual([400, ["creditLimit"]]);
    const ok = await hit(partnerPage.action, `/partners/${net.partners.independent}`, { id: net.partners.independent }, { as: net.users.channelManager.id, method: "POST", form: { intent: "credit", creditLimit: "۵۰۰٬۰۰۰" } });
    expect(ok.status).toBeLessThan(400);
    const partner = await db().selectFrom("partners").select("credit_limit_rial").where("id", "=", net.partners.independent).executeTakeFirstOrThrow();
    expect(String(partner.credit_limit_rial)).toBe("5000000");
  });
});
