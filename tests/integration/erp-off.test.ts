import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliverDue } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { createStockProduct, placeOrder } from "../erp-helpers";
import { actorFor, createNetwork } from "../factories";

// No ERP configured in this file: confirmed orders must reach no receiver.
delete process.env.ERP_URL;
delete process.env.ERP_SECRET;
let posts = 0;
const erp = setupServer(http.post("*", () => (posts++, HttpResponse.json({ ok: true }))));
beforeAll(() => erp.listen({ onUnhandledRequest: "error" }));
afterAll(() => erp.close());

it("without ERP_URL a confirmed order queues nothing for the ERP and nothing is sent", async () => {
  const net = await createNetwork();
  const { sku } = await createStockProduct(net.brandId);
  const r = await placeOrder(await actorFor(net.users.independentAdmin.id), `${sku} 2`);
  expect(r.status).toBe("confirmed");
  for (let i = 0; i < 3; i++) await deliverDue(new Date(Date.now() + i * 3_600_000));
  expect(posts).toBe(0);
  expect(await db().selectFrom("outbox").select("id").where("channel", "=", "erp").where("brand_id", "=", net.brandId).execute()).toEqual([]);
});
