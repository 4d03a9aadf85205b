// The order proforma through the real Chromium and poppler's pdftotext.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localeCookie } from "~/i18n.server";
import { closeRenderer } from "~/models/toolkits/render.server";
import * as packingSlip from "~/routes/orders.$id.packing-slip[.]pdf";
import * as proforma from "~/routes/orders.$id.proforma[.]pdf";
import { db } from "~/utils/db.server";
import { createStockProduct, placeOrder } from "../erp-helpers";
import { actorFor, createNetwork, signedInCookie } from "../factories";
import { call, hit } from "../routes";

const tmp = mkdtempSync(path.join(tmpdir(), "pp-proforma-test-"));
function pdftotext(pdf: Uint8Array): string {
  const file = path.join(tmp, `${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(file, pdf);
  // pdftotext marks right-to-left runs with embedding controls; the words between them are what count.
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
}

let net: Awaited<ReturnType<typeof createNetwork>>;
let orderId = "";
let number = "";
let sku = "";

beforeAll(async () => {
  net = await createNetwork();
  sku = (await createStockProduct(net.brandId, 1_250_000n)).sku;
  orderId = (await placeOrder(await actorFor(net.users.independentAdmin.id), `${sku} 3`)).orderId;
  number = (await db().selectFrom("orders").select("number").where("id", "=", orderId).executeTakeFirstOrThrow()).number;
});
afterAll(() => closeRenderer());

describe("order proforma PDF", () => {
  it("is a Persian PDF with the order number and SKU kept whole, the product name in logical order and amounts in Persian digits", async () => {
    const r = await hit(proforma.loader, `/orders/${orderId}/proforma.pdf`, { id: orderId }, { as: net.users.independentRep.id });
    expect(r.status).toBe(200);
    expect(r.response!.headers.get("Content-Type")).toBe("application/pdf");
    expect(r.response!.headers.get("Content-Disposition")).toContain(`proforma-${number}.pdf`);
    const text = pdftotext(new Uint8Array(await r.response!.arrayBuffer()));
    expect(text).toContain(number);
    expect(text).toContain(sku);
    expect(text).toContain(`دفتر یادداشت`);
    expect(text).toContain("پیش‌فاکتور سفارش");
    // 3 × 1,250,000 Rial at the independent partner's price: some amount in Persian digits with Persian separators.
    expect(text).toMatch(/[۰-۹]{1,3}(٬[۰-۹]{3})+/);
    expect(text).toContain("۳");
  });

  it("is in English for an English reader, and the brand sees it too", async () => {
    const cookie = `${await signedInCookie(net.users.channelManager.id)}; ${(await localeCookie.serialize("en")).split(";")[0]}`;
    const r = await call(proforma.loader, new Request(`http://localhost/orders/${orderId}/proforma.pdf`, { headers: { Cookie: cookie } }), { id: orderId });
    expect(r.status).toBe(200);
    const text = pdftotext(new Uint8Array(await r.response!.arrayBuffer()));
    expect(text).toContain("Order proforma");
    expect(text).toContain("Notebook");
    expect(text).toContain(number);
  });

  it("is a 404 for another partner's user, with nothing rendered for them", async () => {
    for (const user of [net.users.reseller1Admin.id, net.users.distributorRep.id]) {
      for (const [loader, file] of [[proforma.loader, "proforma"], [packingSlip.loader, "packing-slip"]] as const) {
        const r = await hit(loader, `/orders/${orderId}/${file}.pdf`, { id: orderId }, { as: user });
        expect(r.status).toBe(404);
      }
    }
  });

  it("has a packing slip that leaves the prices out when the order asked to hide them on the slip", async () => {
    const slip = async () => {
      const r = await hit(packingSlip.loader, `/orders/${orderId}/packing-slip.pdf`, { id: orderId }, { as: net.users.independentRep.id });
      expect(r.status).toBe(200);
      expect(r.response!.headers.get("Content-Disposition")).toContain(`packing-slip-${number}.pdf`);
      return pdftotext(new Uint8Array(await r.response!.arrayBuffer()));
    };
    const amount = /[۰-۹]{1,3}(٬[۰-۹]{3})+/;
    const priced = await slip();
    expect(priced).toContain("بسته‌بندی"); // pdftotext moves the hamza of «برگهٔ», so the second word is checked
    expect(priced).toMatch(amount);

    await db().updateTable("orders").set({ hide_prices_on_slip: true }).where("id", "=", orderId).execute();
    const hidden = await slip();
    expect(hidden).toContain(number);
    expect(hidden).toContain(sku);
    expect(hidden).toContain("دفتر یادداشت");
    expect(hidden).not.toMatch(amount);
    expect(hidden).not.toContain("جمع کل");
  });
});
