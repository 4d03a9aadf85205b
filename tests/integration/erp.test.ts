import { createHmac, timingSafeEqual } from "node:crypto";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/permissions";
import { erpHandoffOf } from "~/models/orders/erp.server";
import { transitionOrder } from "~/models/orders/orders.server";
import { deliverDue } from "~/models/outbox.server";
import * as orderPage from "~/routes/_app.orders.$id";
import { db } from "~/utils/db.server";
import { createStockProduct, placeOrder } from "../erp-helpers";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { hit } from "../routes";

// Set before anything reads the environment (env() is read once, on first use).
const ERP_URL = "https://erp.example.test/orders";
const SECRET = "erp-shared-secret-for-tests-0123456789abcdef";
process.env.ERP_URL = ERP_URL;
process.env.ERP_SECRET = SECRET;

const HOUR = 3_600_000;

interface Received {
  id: string;
  number: string;
  partner: string;
  body: Record<string, unknown>;
}
/** Every POST the ERP accepted, and how many it was sent in all. */
let accepted: Received[] = [];
let posts = 0;
/** Order numbers the ERP answers with this status instead of accepting. */
const failing = new Map<string, number>();

function validSignature(request: Request, body: string): boolean {
  const ts = request.headers.get("X-Timestamp") ?? "";
  const expected = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(`${ts}.${body}`).digest("hex")}`);
  const got = Buffer.from(request.headers.get("X-Signature") ?? "");
  return got.length === expected.length && timingSafeEqual(got, expected) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

const erp = setupServer(
  http.post(ERP_URL, async ({ request }) => {
    posts++;
    const text = await request.text();
    if (!validSignature(request, text)) return new HttpResponse("bad signature", { status: 401 });
    const body = JSON.parse(text) as { number: string; partner: { id: string } };
    const status = failing.get(body.number);
    if (status) return new HttpResponse("ERP is down", { status });
    // A receiver that honours the delivery id: a repeat is acknowledged, not booked again.
    const id = request.headers.get("X-Delivery-Id")!;
    if (!accepted.some((r) => r.id === id)) accepted.push({ id, number: body.number, partner: body.partner.id, body: body as unknown as Record<string, unknown> });
    return HttpResponse.json({ ok: true });
  }),
);

/** Delivery passes at `now` until nothing is due (other files' mail may be queued in this database too). */
async function drain(now = new Date()) {
  for (;;) {
    const r = await deliverDue(now);
    if (r.sent + r.retried + r.failed === 0) return;
  }
}

const erpRows = (orderId: string) =>
  db().selectFrom("outbox").select(["id", "status", "attempts", "ordering_key", "last_error"]).where("channel", "=", "erp").where(({ fn, val }) => fn("json_value", ["payload", val("$.orderId")]), "=", orderId).execute();

let net: Awaited<ReturnType<typeof createNetwork>>;
let buyer: Actor;
let channel: Actor;
let sku = "";

beforeAll(async () => {
  erp.listen({ onUnhandledRequest: "error" });
  // Anything queued earlier in this database goes first, so each test sees only its own messages.
  await drain(new Date(Date.now() + 30 * 24 * HOUR));
  net = await createNetwork();
  buyer = await actorFor(net.users.independentAdmin.id);
  channel = await actorFor(net.users.channelManager.id);
  sku = (await createStockProduct(net.brandId, 2_500_000n)).sku;
});
afterEach(() => {
  accepted = [];
  posts = 0;
  failing.clear();
});
afterAll(() => erp.close());

describe("ERP hand-off", () => {
  it("a confirmed order is queued in its own transaction and POSTed once, signed, with the outbox id as delivery id; brand operations see it sent", async () => {
    const r = await placeOrder(buyer, `${sku} 3`);
    expect(r.status).toBe("confirmed");
    const [row] = await erpRows(r.orderId);
    expect(row).toMatchObject({ status: "pending", ordering_key: net.partners.independent });
    await drain();
    expect(posts).toBe(1);
    expect(accepted).toHaveLength(1);
    expect(accepted[0].id).toBe(row.id);
    const order = await db().selectFrom("orders").select(["number"]).where("id", "=", r.orderId).executeTakeFirstOrThrow();
    expect(accepted[0].body).toMatchObject({
      orderId: r.orderId,
      number: order.number,
      partner: { id: net.partners.independent },
      customerId: null,
      shipTo: "partner",
      lines: [{ sku, quantity: 3, unitNetRial: expect.stringMatching(/^\d+$/), lineTotalRial: expect.stringMatching(/^\d+$/), options: {}, personalisation: {}, promisedShipOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) }],
      totals: { totalRial: expect.stringMatching(/^\d+$/) },
    });
    expect((await erpRows(r.orderId))[0].status).toBe("sent");
    // Brand operations see the state on the order page, in Persian; the partner does not.
    expect(await erpHandoffOf(channel, r.orderId)).toMatchObject({ status: "sent", error: null });
    expect(await erpHandoffOf(buyer, r.orderId)).toBeNull();
    const page = await hit(orderPage.loader, `/orders/${r.orderId}`, { id: r.orderId }, { as: net.users.channelManager.id });
    expect((page.data as { erp: { status: string } }).erp.status).toBe("sent");
  });

  it("an ERP failing twice with 500 gets the order on the third pass, once", async () => {
    const r = await placeOrder(buyer, `${sku} 1`);
    const { number } = await db().selectFrom("orders").select("number").where("id", "=", r.orderId).executeTakeFirstOrThrow();
    failing.set(number, 500);
    let now = Date.now();
    await drain(new Date(now));
    expect((await erpRows(r.orderId))[0]).toMatchObject({ status: "pending", attempts: 1, last_error: expect.stringContaining("500") });
    // Not due again until the backoff has passed.
    await drain(new Date(now + 1000));
    expect(posts).toBe(1);
    now += HOUR;
    await drain(new Date(now));
    expect((await erpRows(r.orderId))[0]).toMatchObject({ status: "pending", attempts: 2 });
    failing.delete(number);
    now += HOUR;
    await drain(new Date(now));
    expect(posts).toBe(3);
    expect(accepted.map((a) => a.number)).toEqual([number]);
    expect((await erpRows(r.orderId))[0]).toMatchObject({ status: "sent", attempts: 3, last_error: null });
  });

  it("a 4xx refusal is not retried: the order shows the hand-off failed with the ERP's answer", async () => {
    const r = await placeOrder(buyer, `${sku} 1`);
    const { number } = await db().selectFrom("orders").select("number").where("id", "=", r.orderId).executeTakeFirstOrThrow();
    failing.set(number, 422);
    await drain();
    await drain(new Date(Date.now() + 10 * HOUR));
    expect(posts).toBe(1);
    expect(await erpHandoffOf(channel, r.orderId)).toMatchObject({ status: "failed", error: expect.stringContaining("ERP answered 422") });
  });

  it("two workers racing never send one delivery twice", async () => {
    const buyers = await Promise.all([0, 1, 2, 3].map(async () => actorFor((await createUser(net.brandId, "partner_admin", await createPartner(net.brandId))).id)));
    const ids = [];
    for (const b of buyers) ids.push((await placeOrder(b, `${sku} 1`)).orderId);
    await Promise.all([deliverDue(new Date(), { worker: "worker-a" }), deliverDue(new Date(), { worker: "worker-b" }), deliverDue(new Date(), { worker: "worker-c" })]);
    await drain();
    expect(posts).toBe(4);
    expect(accepted).toHaveLength(4);
    expect(new Set(accepted.map((a) => a.body.orderId))).toEqual(new Set(ids));
  });

  it("keeps each partner's order while its first message is failing, without holding up other partners", async () => {
    const other = await actorFor((await createUser(net.brandId, "partner_admin", await createPartner(net.brandId))).id);
    const first = await placeOrder(buyer, `${sku} 1`);
    const second = await placeOrder(buyer, `${sku} 2`);
    const elsewhere = await placeOrder(other, `${sku} 1`);
    const numberOf = async (id: string) => (await db().selectFrom("orders").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
    failing.set(await numberOf(first.orderId), 503);
    let now = Date.now();
    for (let pass = 0; pass < 3; pass++, now += HOUR) await drain(new Date(now));
    // Only the other partner's order got through; the second never left while the first was failing.
    expect(accepted.map((a) => a.body.orderId)).toEqual([elsewhere.orderId]);
    expect((await erpRows(second.orderId))[0]).toMatchObject({ status: "pending", attempts: 0 });
    failing.clear();
    for (let pass = 0; pass < 3; pass++, now += HOUR) await drain(new Date(now));
    expect(accepted.filter((a) => a.partner === net.partners.independent).map((a) => a.body.orderId)).toEqual([first.orderId, second.orderId]);
  });

  it("an order awaiting approval is sent only once approved; a rejected one never", async () => {
    const partner = await createPartner(net.brandId);
    const strict = await actorFor((await createUser(net.brandId, "partner_admin", partner)).id);
    await db().updateTable("partners").set({ credit_limit_rial: 1_000n }).where("id", "=", partner).execute();
    const approved = await placeOrder(strict, `${sku} 1`);
    const rejected = await placeOrder(strict, `${sku} 1`);
    expect([approved.status, rejected.status]).toEqual(["awaiting_approval", "awaiting_approval"]);
    await drain(new Date(Date.now() + HOUR));
    expect(posts).toBe(0);
    expect(await erpRows(approved.orderId)).toEqual([]);
    expect(await transitionOrder(channel, approved.orderId, "approve", null)).toEqual({ ok: true });
    expect(await transitionOrder(channel, rejected.orderId, "reject", "سقف اعتبار")).toEqual({ ok: true });
    await drain(new Date(Date.now() + 2 * HOUR));
    expect(accepted.map((a) => a.body.orderId)).toEqual([approved.orderId]);
    expect(await erpRows(rejected.orderId)).toEqual([]);
  });
});
