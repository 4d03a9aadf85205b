import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/permissions";
import { addInteraction } from "~/models/customer-activity.server";
import { recomputeBrandValues } from "~/models/customer-value.server";
import { confirmQuickOrder, setRecipient } from "~/models/orders/cart.server";
import { transitionOrder } from "~/models/orders/orders.server";
import { submitOrder } from "~/models/orders/submit.server";
import * as cartRoute from "~/routes/_app.cart";
import * as orderPage from "~/routes/_app.orders.$id";
import * as ordersIndex from "~/routes/_app.orders._index";
import { db } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import { registerAs, servingRowDrift } from "../customer-factories";
import { actorFor, createNetwork, createPartner, createUser } from "../factories";
import { errorKeys, hit } from "../routes";

type Network = Awaited<ReturnType<typeof createNetwork>>;
let net: Network;
let rep: Actor;
let customerId = "";

async function createProduct(o: { stock?: number; fulfilment?: "stock" | "made_to_order"; capacity?: number; lead?: number; list?: bigint; active?: boolean } = {}) {
  const id = newId();
  const sku = `O-${id.slice(-8)}`;
  await db()
    .insertInto("products")
    .values({
      id,
      brand_id: net.brandId,
      sku,
      name_fa: `کالای ${sku}`,
      name_en: `Product ${sku}`,
      category_id: null,
      active: o.active ?? true,
      list_price_rial: o.list ?? 1_000_000n,
      retail_price_rial: ((o.list ?? 1_000_000n) * 12n) / 10n,
      fulfilment: o.fulfilment ?? "stock",
      stock_on_hand: o.stock ?? 100,
      daily_capacity: o.capacity ?? 0,
      lead_time_days: o.lead ?? 0,
      handling_days: 1,
    })
    .execute();
  return { id, sku };
}

const productRow = (id: string) => db().selectFrom("products").select(["stock_on_hand", "stock_reserved"]).where("id", "=", id).executeTakeFirstOrThrow();
const orderRow = (id: string) => db().selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const countWhere = async (table: "orders" | "cart_lines" | "order_lines" | "notifications", column: "brand_id" | "user_id" | "order_id" | "partner_id", value: string) =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).where(column, "=", value).executeTakeFirstOrThrow()).n);
const cartLineCount = (userId: string) => countWhere("cart_lines", "user_id", userId);

/** A cart for `actor` with these lines (and a recipient), as the quick order and recipient forms leave it. */
async function cartWith(actor: Actor, text: string, recipient: string | null = null) {
  await db().deleteFrom("cart_lines").where("user_id", "=", actor.userId).execute();
  const preview = await confirmQuickOrder(actor, text);
  expect(preview.errors).toEqual([]);
  expect(await setRecipient(actor, { customerId: recipient, shipTo: recipient ? "customer" : "partner", hidePrices: false })).toEqual({ ok: true });
}

async function placeOrder(actor: Actor, text: string, recipient: string | null = null) {
  await cartWith(actor, text, recipient);
  const r = await submitOrder(actor, { key: newId() });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
}

beforeAll(async () => {
  net = await createNetwork();
  rep = await actorFor(net.users.independentRep.id);
  customerId = await registerAs(net.users.independentRep.id);
});

describe("quick order", () => {
  it("previews typed lines in Persian digits with per-line errors in the user's language, writes nothing until confirmed, then adds only the valid lines", async () => {
    const a = await createProduct();
    const b = await createProduct();
    const gone = await createProduct({ active: false });
    const text = `${a.sku} ۳\n${b.sku}\t۱٬۲۰۰\nNOPE-1 2\n${gone.sku} 1\n${a.sku} ۰`;
    const user = net.users.independentAdmin.id;
    const preview = await hit(cartRoute.action, "/cart", {}, { as: user, form: { intent: "quick", lines: text } });
    expect(preview.status).toBe(400);
    const data = preview.data as { preview: { valid: { sku: string; quantity: number }[]; errors: { line: number; key: string }[] } };
    expect(data.preview.valid.map((l) => [l.sku, l.quantity])).toEqual([[a.sku, 3], [b.sku, 1200]]);
    expect(data.preview.errors.map((e) => [e.line, e.key])).toEqual([[3, "orders:errors.unknown_sku"], [4, "orders:errors.inactive_sku"], [5, "orders:errors.quantity_range"]]);
    expect(await cartLineCount(user)).toBe(0);

    const confirmed = await hit(cartRoute.action, "/cart", {}, { as: user, form: { intent: "quick", lines: text, confirm: "1" } });
    expect(confirmed.status).toBe(303);
    expect(await cartLineCount(user)).toBe(2);
    const page = await hit(cartRoute.loader, "/cart", {}, { as: user });
    const cart = page.data as { lines: { promise: { ok: boolean } | null; price: { unitNet: string } | null }[]; submittable: boolean };
    // 1,200 from a stock of 100 cannot be promised: shown, and it blocks the submit.
    expect(cart.lines.map((l) => l.promise?.ok)).toEqual([true, false]);
    expect(cart.submittable).toBe(false);
  });

  it("reads a CSV upload of SKU and quantity with a header row", async () => {
    const a = await createProduct();
    const form = new FormData();
    form.set("file", new File([`SKU,Quantity\n${a.sku},"1,500"\nNOPE-2,1\n`], "order.csv", { type: "text/csv" }));
    const out = await hit(cartRoute.action, "/cart", {}, { as: net.users.independentAdmin.id, form });
    expect(out.status).toBe(400);
    const data = out.data as { preview: { valid: { sku: string; quantity: number }[]; errors: { line: number; key: string }[] } };
    expect(data.preview.valid.map((l) => [l.sku, l.quantity])).toEqual([[a.sku, 1500]]);
    expect(data.preview.errors.map((e) => [e.line, e.key])).toEqual([[3, "orders:errors.unknown_sku"]]);
  });
});

describe("cart", () => {
  it("refuses another partner's customer as recipient and writes nothing", async () => {
    const other = await registerAs(net.users.reseller1Rep.id);
    const user = net.users.independentRep.id;
    await setRecipient(rep, { customerId, shipTo: "customer", hidePrices: false });
    const out = await hit(cartRoute.action, "/cart", {}, { as: user, form: { intent: "recipient", customerId: other, shipTo: "customer" } });
    expect(out.status).toBe(400);
    expect(errorKeys(out)).toEqual({ customerId: "errors.choice" });
    expect((await db().selectFrom("carts").select("customer_id").where("user_id", "=", user).executeTakeFirstOrThrow()).customer_id).toBe(customerId);
  });

  it("refuses an option the product does not offer and personalisation over its length, writing nothing", async () => {
    const p = await createProduct();
    const group = newId();
    const value = newId();
    const otherGroup = newId();
    const foreignValue = newId();
    const field = newId();
    await db().insertInto("product_option_groups").values([{ id: group, brand_id: net.brandId, product_id: p.id, name_fa: "رنگ", name_en: "Colour" }, { id: otherGroup, brand_id: net.brandId, product_id: newId(), name_fa: "اندازه", name_en: "Size" }]).execute();
    await db().insertInto("product_option_values").values([{ id: value, brand_id: net.brandId, product_id: p.id, group_id: group, label_fa: "سفید", label_en: "White", price_delta_rial: 50_000n }, { id: foreignValue, brand_id: net.brandId, product_id: newId(), group_id: otherGroup, label_fa: "بزرگ", label_en: "Large", price_delta_rial: 0n }]).execute();
    await db().insertInto("product_personalisations").values({ id: field, brand_id: net.brandId, product_id: p.id, label_fa: "نام", label_en: "Name", max_length: 5, extra_price_rial: 10_000n, required: false }).execute();
    await cartWith(rep, `${p.sku} 1`);
    const line = await db().selectFrom("cart_lines").select(["id", "options", "personalisation", "quantity"]).where("user_id", "=", rep.userId).executeTakeFirstOrThrow();

    const bad = await hit(cartRoute.action, "/cart", {}, { as: rep.userId, form: { intent: "line", lineId: line.id, quantity: "2", [`opt.${group}`]: foreignValue, [`pers.${field}`]: "بیش از پنج" } });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ [`opt.${group}`]: "errors.choice", [`pers.${field}`]: "errors.too_long" });
    expect(await db().selectFrom("cart_lines").select(["options", "personalisation", "quantity"]).where("id", "=", line.id).executeTakeFirstOrThrow()).toEqual({ options: line.options, personalisation: line.personalisation, quantity: 1 });

    const bidi = await hit(cartRoute.action, "/cart", {}, { as: rep.userId, form: { intent: "line", lineId: line.id, quantity: "1", [`pers.${field}`]: "آ\u202Eش" } });
    expect(errorKeys(bidi)).toEqual({ [`pers.${field}`]: "errors.control_chars" });

    const good = await hit(cartRoute.action, "/cart", {}, { as: rep.userId, form: { intent: "line", lineId: line.id, quantity: "۲", [`opt.${group}`]: value, [`pers.${field}`]: "آرش" } });
    expect(good.status).toBe(303);
    const r = await submitOrder(rep, { key: newId() });
    expect(r.ok).toBe(true);
    const ol = await db().selectFrom("order_lines").select(["unit_net_rial", "line_total_rial", "quantity"]).where("order_id", "=", (r as { orderId: string }).orderId).executeTakeFirstOrThrow();
    // list 1,000,000 (registered tier, no discount) + option 50,000 + personalisation 10,000
    expect(ol).toEqual({ unit_net_rial: "1060000", line_total_rial: "2120000", quantity: 2 });
  });

  it("a configured product is added from its catalogue page; a choice it does not offer is refused with nothing written", async () => {
    const catalogProduct = await import("~/routes/_app.catalog.$id");
    const p = await createProduct();
    const group = newId();
    const value = newId();
    await db().insertInto("product_option_groups").values({ id: group, brand_id: net.brandId, product_id: p.id, name_fa: "رنگ", name_en: "Colour" }).execute();
    await db().insertInto("product_option_values").values({ id: value, brand_id: net.brandId, product_id: p.id, group_id: group, label_fa: "سفید", label_en: "White", price_delta_rial: 0n }).execute();
    const user = net.users.independentAdmin.id;
    await db().deleteFrom("cart_lines").where("user_id", "=", user).execute();
    const bad = await hit(catalogProduct.action, `/catalog/${p.id}`, { id: p.id }, { as: user, form: { qty: "۲", [`opt.${group}`]: newId() } });
    expect(bad.status).toBe(400);
    expect(errorKeys(bad)).toEqual({ [`opt.${group}`]: "errors.choice" });
    expect(await cartLineCount(user)).toBe(0);
    const good = await hit(catalogProduct.action, `/catalog/${p.id}`, { id: p.id }, { as: user, form: { qty: "۲", [`opt.${group}`]: value } });
    expect(good).toMatchObject({ status: 303, location: "/cart" });
    expect(await db().selectFrom("cart_lines").select(["product_id", "quantity", "options"]).where("user_id", "=", user).execute()).toEqual([{ product_id: p.id, quantity: 2, options: JSON.stringify({ [group]: value }) }]);
  });

  it("another user's cart line is not found", async () => {
    await cartWith(rep, `${(await createProduct()).sku} 1`);
    const line = await db().selectFrom("cart_lines").select("id").where("user_id", "=", rep.userId).executeTakeFirstOrThrow();
    const out = await hit(cartRoute.action, "/cart", {}, { as: net.users.independentAdmin.id, form: { intent: "remove", lineId: line.id } });
    expect(out.status).toBe(404);
    expect(await cartLineCount(rep.userId)).toBe(1);
  });
});

describe("submit", () => {
  it("prices on the server (a price sent from the browser is ignored), reserves stock, dates the order and puts it on the customer's timeline", async () => {
    const p = await createProduct({ stock: 5 });
    await cartWith(rep, `${p.sku} 2`, customerId);
    const key = newId();
    const out = await hit(cartRoute.action, "/cart", {}, { as: rep.userId, form: { intent: "submit", key, price: "1", unitNet: "1", total: "1", total_rial: "1" } });
    expect(out.status).toBe(303);
    const orderId = out.location!.split("/").pop()!;
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: "confirmed", total_rial: "2000000", customer_id: customerId, partner_id: net.partners.independent, ship_to: "customer", idempotency_key: key });
    expect(order.promised_ship_on).not.toBeNull();
    expect(await productRow(p.id)).toEqual({ stock_on_hand: 5, stock_reserved: 2 });
    expect(await cartLineCount(rep.userId)).toBe(0);
    const interaction = await db().selectFrom("interactions").select(["kind", "note"]).where("customer_id", "=", customerId).where("kind", "=", "order").executeTakeFirstOrThrow();
    expect(interaction.note).toBe(order.number);
    const customer = await db().selectFrom("customers").select(["order_count", "monetary_rial"]).where("id", "=", customerId).executeTakeFirstOrThrow();
    expect(customer.order_count).toBeGreaterThanOrEqual(1);
    const history = await db().selectFrom("order_status_history").select(["status", "user_id"]).where("order_id", "=", orderId).orderBy("created_at").execute();
    expect(history).toEqual([{ status: "submitted", user_id: rep.userId }, { status: "confirmed", user_id: rep.userId }]);
  });

  it("50 concurrent submits with one key make exactly one order", async () => {
    const p = await createProduct({ stock: 100 });
    await cartWith(rep, `${p.sku} 1`);
    const key = newId();
    const before = await countWhere("orders", "partner_id", net.partners.independent);
    const results = await Promise.all(Array.from({ length: 50 }, () => submitOrder(rep, { key })));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r as { orderId: string }).orderId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await countWhere("orders", "partner_id", net.partners.independent)).toBe(before + 1);
    expect(await productRow(p.id)).toEqual({ stock_on_hand: 100, stock_reserved: 1 });
  });

  it("200 concurrent one-unit orders for the last 10 in stock: exactly 10 succeed, nothing is oversold, the losers are told", async () => {
    const p = await createProduct({ stock: 10 });
    const buyers: Actor[] = [];
    for (let i = 0; i < 20; i++) {
      const partner = await createPartner(net.brandId);
      for (let j = 0; j < 10; j++) buyers.push(await actorFor((await createUser(net.brandId, "partner_rep", partner)).id));
    }
    for (const b of buyers) await cartWith(b, `${p.sku} 1`);
    let peak = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const row = await productRow(p.id);
        peak = Math.max(peak, row.stock_reserved);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const results = await Promise.all(buyers.map((b) => submitOrder(b, { key: newId() })));
    watching = false;
    await watch;
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const losers = results.filter((r) => !r.ok);
    expect(losers).toHaveLength(190);
    for (const l of losers) expect(l).toMatchObject({ ok: false, errors: { form: { key: "orders:errors.availability_changed" } }, lines: [{ sku: p.sku, key: "orders:errors.no_longer_available" }] });
    expect(peak).toBeLessThanOrEqual(10);
    expect(await productRow(p.id)).toEqual({ stock_on_hand: 10, stock_reserved: 10 });
    const lines = await db().selectFrom("order_lines").select((eb) => eb.fn.sum<string>("quantity").as("n")).where("product_id", "=", p.id).executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(10);
    // The losers' carts are untouched, ready for another try.
    expect(await cartLineCount(buyers.find((_, i) => !results[i].ok)!.userId)).toBe(1);
  }, 120_000);

  it("concurrent made-to-order submits never overfill a production day", async () => {
    const p = await createProduct({ stock: 0, fulfilment: "made_to_order", capacity: 3, lead: 2 });
    const buyers: Actor[] = [];
    for (let i = 0; i < 12; i++) buyers.push(await actorFor((await createUser(net.brandId, "partner_rep", await createPartner(net.brandId))).id));
    for (const b of buyers) await cartWith(b, `${p.sku} 2`);
    const results = await Promise.all(buyers.map((b) => submitOrder(b, { key: newId() })));
    const ledger = await db().selectFrom("capacity_ledger").select(["day", "units_taken"]).where("product_id", "=", p.id).execute();
    for (const d of ledger) expect(d.units_taken).toBeLessThanOrEqual(3);
    // A year of 3 a day is room for all of them, each on its own (later) days.
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(ledger.reduce((s, d) => s + d.units_taken, 0)).toBe(24);
    expect(Math.max(...ledger.map((d) => d.units_taken))).toBe(3);
    expect((await productRow(p.id)).stock_reserved).toBe(0);
  }, 60_000);

  it("the loser of the last unit is told the new promise date when the product can still be made", async () => {
    const p = await createProduct({ stock: 1, fulfilment: "made_to_order", capacity: 5, lead: 10 });
    const [first, second] = [rep, await actorFor(net.users.independentAdmin.id)];
    await cartWith(first, `${p.sku} 1`);
    await cartWith(second, `${p.sku} 1`);
    const page = await hit(cartRoute.loader, "/cart", {}, { as: second.userId });
    const seenLine = (page.data as { lines: { id: string; promise: { shipOn: string } }[] }).lines[0];
    expect((await submitOrder(first, { key: newId() })).ok).toBe(true);
    const out = await hit(cartRoute.action, "/cart", {}, { as: second.userId, form: { intent: "submit", key: newId(), [`seen.${seenLine.id}`]: seenLine.promise.shipOn } });
    expect(out.status).toBe(409);
    const problems = (out.data as { problems: { key: string; values: { date: string } }[] }).problems;
    expect(problems).toEqual([expect.objectContaining({ key: "orders:errors.promise_moved", values: { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } })]);
    expect(problems[0].values.date > seenLine.promise.shipOn).toBe(true);
    expect(await cartLineCount(second.userId)).toBe(1);
    expect(await db().selectFrom("capacity_ledger").select("units_taken").where("product_id", "=", p.id).execute()).toEqual([]);
  });

  it("an empty cart is refused", async () => {
    await db().deleteFrom("cart_lines").where("user_id", "=", rep.userId).execute();
    const out = await hit(cartRoute.action, "/cart", {}, { as: rep.userId, form: { intent: "submit", key: newId() } });
    expect(out.status).toBe(400);
    expect(errorKeys(out)).toEqual({ form: "orders:errors.cart_empty" });
  });
});

describe("approvals and lifecycle", () => {
  let partner = "";
  let buyer: Actor;
  let channel: Actor;
  beforeAll(async () => {
    partner = await createPartner(net.brandId);
    buyer = await actorFor((await createUser(net.brandId, "partner_admin", partner)).id);
    channel = await actorFor(net.users.channelManager.id);
    await db().updateTable("partners").set({ credit_limit_rial: 1_500_000n }).where("id", "=", partner).execute();
  });

  it("an order over the credit limit waits; the channel team is told; approving confirms it and tells the partner", async () => {
    const p = await createProduct({ stock: 10 });
    const r = await placeOrder(buyer, `${p.sku} 2`);
    expect(r.status).toBe("awaiting_approval");
    const order = await orderRow(r.orderId);
    expect(order.approval_reason).toBe("credit_limit");
    expect(await db().selectFrom("notifications").select(["kind", "link"]).where("brand_id", "=", net.brandId).where("partner_id", "is", null).where("link", "=", `/orders/${r.orderId}`).execute()).toEqual([{ kind: "order_awaiting_approval", link: `/orders/${r.orderId}` }]);

    const refused = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: buyer.userId, form: { intent: "approve" } });
    expect(refused.status).toBe(403);
    const approved = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: channel.userId, form: { intent: "approve" } });
    expect(approved.status).toBe(303);
    expect((await orderRow(r.orderId)).status).toBe("confirmed");
    expect((await db().selectFrom("order_status_history").select("status").where("order_id", "=", r.orderId).orderBy("created_at").execute()).map((h) => h.status)).toEqual(["submitted", "awaiting_approval", "approved", "confirmed"]);
    expect(await db().selectFrom("notifications").select("kind").where("partner_id", "=", partner).where("link", "=", `/orders/${r.orderId}`).execute()).toEqual([{ kind: "order_approved" }]);
    // Approving again finds the order no longer waiting.
    const again = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: channel.userId, form: { intent: "approve" } });
    expect(again.status).toBe(409);
  });

  it("a discount above the brand's threshold waits too", async () => {
    const p = await createProduct({ stock: 10, list: 100_000n });
    await db().insertInto("partner_prices").values({ brand_id: net.brandId, partner_id: net.partners.independent, product_id: p.id, net_price_rial: 50_000n }).execute();
    const r = await placeOrder(rep, `${p.sku} 1`);
    expect(r.status).toBe("awaiting_approval");
    expect((await orderRow(r.orderId)).approval_reason).toBe("discount");
  });

  it("rejecting needs a reason, releases the reservation and tells the partner", async () => {
    const p = await createProduct({ stock: 10 });
    const r = await placeOrder(buyer, `${p.sku} 3`);
    expect(r.status).toBe("awaiting_approval");
    expect((await productRow(p.id)).stock_reserved).toBe(3);
    const noReason = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: channel.userId, form: { intent: "reject", reason: "" } });
    expect(noReason.status).toBe(400);
    expect(errorKeys(noReason)).toEqual({ reason: "orders:errors.reason_required" });
    const out = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: channel.userId, form: { intent: "reject", reason: "سقف اعتبار پر است" } });
    expect(out.status).toBe(303);
    expect(await orderRow(r.orderId)).toMatchObject({ status: "rejected", decision_reason: "سقف اعتبار پر است", decided_by_user_id: channel.userId });
    expect(await productRow(p.id)).toEqual({ stock_on_hand: 10, stock_reserved: 0 });
    expect(await db().selectFrom("notifications").select(["kind", "params"]).where("partner_id", "=", partner).where("link", "=", `/orders/${r.orderId}`).execute()).toEqual([{ kind: "order_rejected", params: expect.stringContaining("سقف اعتبار پر است") }]);
  });

  it("cancelling releases stock and production capacity; shipping records the date and takes the stock off the shelf", async () => {
    const stock = await createProduct({ stock: 10 });
    const made = await createProduct({ stock: 0, fulfilment: "made_to_order", capacity: 4, lead: 3 });
    const r = await placeOrder(rep, `${stock.sku} 2\n${made.sku} 6`);
    expect(r.status).toBe("confirmed");
    expect((await productRow(stock.id)).stock_reserved).toBe(2);
    const taken = async () => (await db().selectFrom("capacity_ledger").select("units_taken").where("product_id", "=", made.id).execute()).reduce((s, d) => s + d.units_taken, 0);
    expect(await taken()).toBe(6);
    const out = await hit(orderPage.action, `/orders/${r.orderId}`, { id: r.orderId }, { as: rep.userId, form: { intent: "cancel" } });
    expect(out.status).toBe(303);
    expect((await orderRow(r.orderId)).status).toBe("cancelled");
    expect((await productRow(stock.id)).stock_reserved).toBe(0);
    expect(await taken()).toBe(0);

    const shipped = await placeOrder(rep, `${stock.sku} 4`);
    expect((await hit(orderPage.action, `/orders/${shipped.orderId}`, { id: shipped.orderId }, { as: rep.userId, form: { intent: "ship" } })).status).toBe(403);
    expect((await hit(orderPage.action, `/orders/${shipped.orderId}`, { id: shipped.orderId }, { as: channel.userId, form: { intent: "ship" } })).status).toBe(303);
    expect(await productRow(stock.id)).toEqual({ stock_on_hand: 6, stock_reserved: 0 });
    const row = await orderRow(shipped.orderId);
    expect(row.status).toBe("shipped");
    expect(row.shipped_on).not.toBeNull();
    // Shipped orders are no longer cancelled, by anyone.
    for (const who of [rep, channel]) expect((await hit(orderPage.action, `/orders/${shipped.orderId}`, { id: shipped.orderId }, { as: who.userId, form: { intent: "cancel" } })).status).toBe(409);
    expect((await hit(orderPage.action, `/orders/${shipped.orderId}`, { id: shipped.orderId }, { as: channel.userId, form: { intent: "deliver" } })).status).toBe(303);
    expect((await orderRow(shipped.orderId)).status).toBe("delivered");
    expect(await db().selectFrom("notifications").select("kind").where("link", "=", `/orders/${shipped.orderId}`).execute()).toEqual([{ kind: "order_shipped" }]);
  });

  it("two people acting at once: only one transition wins", async () => {
    const p = await createProduct({ stock: 10 });
    const r = await placeOrder(rep, `${p.sku} 1`);
    const results = await Promise.all([transitionOrder(channel, r.orderId, "cancel", null), transitionOrder(rep, r.orderId, "cancel", null), transitionOrder(channel, r.orderId, "ship", null)]);
    expect(results.filter((x) => x?.ok)).toHaveLength(1);
    const row = await productRow(p.id);
    expect(row.stock_reserved).toBe(0);
  });
});

describe("visibility", () => {
  let resellerOrder = "";
  beforeAll(async () => {
    const p = await createProduct({ stock: 10 });
    resellerOrder = (await placeOrder(await actorFor(net.users.reseller1Rep.id), `${p.sku} 1`)).orderId;
  });

  it("a distributor sees its resellers' orders; the brand sees all", async () => {
    for (const user of [net.users.distributorAdmin.id, net.users.reseller1Admin.id, net.users.brandManager.id]) {
      const page = await hit(orderPage.loader, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user });
      expect(page.status, user).toBe(200);
      const list = await hit(ordersIndex.loader, "/orders", {}, { as: user });
      expect((list.data as { result: { rows: { id: string }[] } }).result.rows.map((o) => o.id)).toContain(resellerOrder);
    }
  });

  it("another partner's order is 404, in the list it is absent, and it cannot be reordered", async () => {
    for (const user of [net.users.reseller2Admin.id, net.users.independentRep.id]) {
      expect((await hit(orderPage.loader, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user })).status).toBe(404);
      expect((await hit(orderPage.action, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user, form: { intent: "cancel" } })).status).toBe(404);
      expect((await hit(orderPage.action, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user, form: { intent: "reorder" } })).status).toBe(404);
      const list = await hit(ordersIndex.loader, "/orders", {}, { as: user });
      expect((list.data as { result: { rows: { id: string }[] } }).result.rows.map((o) => o.id)).not.toContain(resellerOrder);
    }
  });

  it("the list of one customer's orders (the profile's link) holds only that customer's orders the user may see; another partner's customer gives nothing", async () => {
    const resellerRep = await actorFor(net.users.reseller1Rep.id);
    const p = await createProduct({ stock: 10 });
    const customer = await registerAs(net.users.reseller1Rep.id);
    const first = (await placeOrder(resellerRep, `${p.sku} 1`, customer)).orderId;
    const second = (await placeOrder(resellerRep, `${p.sku} 2`, customer)).orderId;
    await placeOrder(resellerRep, `${p.sku} 1`, await registerAs(net.users.reseller1Rep.id));
    const listed = async (user: string, customerFilter: string, status = "") => {
      const list = await hit(ordersIndex.loader, `/orders?customer=${customerFilter}${status ? `&status=${status}` : ""}`, {}, { as: user });
      expect(list.status).toBe(200);
      return (list.data as { result: { rows: { id: string }[]; total: number } }).result;
    };
    for (const user of [net.users.reseller1Rep.id, net.users.distributorAdmin.id, net.users.brandManager.id]) {
      const result = await listed(user, customer);
      expect(result.rows.map((o) => o.id).sort(), user).toEqual([first, second].sort());
      expect(result.total, user).toBe(2);
    }
    expect((await listed(net.users.reseller1Rep.id, customer, "cancelled")).rows).toEqual([]);
    // Another partner's customer, and no customer at all: an empty list, not the user's own orders.
    for (const [user, id] of [[net.users.independentRep.id, customer], [net.users.reseller2Admin.id, customer], [net.users.reseller1Rep.id, customerId], [net.users.reseller1Rep.id, newId()]]) {
      expect(await listed(user, id), `${user} ${id}`).toMatchObject({ rows: [], total: 0 });
    }
  });

  it("reorder copies the lines into the cart, priced again today", async () => {
    const user = net.users.reseller1Admin.id;
    await db().deleteFrom("cart_lines").where("user_id", "=", user).execute();
    const out = await hit(orderPage.action, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user, form: { intent: "reorder" } });
    expect(out).toMatchObject({ status: 303, location: "/cart" });
    expect(await cartLineCount(user)).toBe(1);
  });

  it("a distributor sees its reseller's order but cannot copy it into its own cart", async () => {
    const user = net.users.distributorRep.id;
    await db().deleteFrom("cart_lines").where("user_id", "=", user).execute();
    const page = await hit(orderPage.loader, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user });
    expect((page.data as { canReorder: boolean }).canReorder).toBe(false);
    expect((await hit(orderPage.action, `/orders/${resellerOrder}`, { id: resellerOrder }, { as: user, form: { intent: "reorder" } })).status).toBe(404);
    expect(await cartLineCount(user)).toBe(0);
  });
});

describe("money rules", () => {
  it("the brand's discount threshold is set on the settings page in Persian digits", async () => {
    const settings = await import("~/routes/_app.settings");
    const out = await hit(settings.action, "/settings", {}, { as: net.users.brandManager.id, form: { intent: "orders", discountApproval: "۱۲٫۵" } });
    expect(out.status).toBe(200);
    expect((await db().selectFrom("brands").select("discount_approval_bp").where("id", "=", net.brandId).executeTakeFirstOrThrow()).discount_approval_bp).toBe(1250);
    await db().updateTable("brands").set({ discount_approval_bp: 3000 }).where("id", "=", net.brandId).execute();
  });

  it("a partner's credit limit is set by the channel team on the partner page, and emptied for none", async () => {
    const partners = await import("~/routes/_app.partners.$id");
    const partner = await createPartner(net.brandId);
    const limit = () => db().selectFrom("partners").select("credit_limit_rial").where("id", "=", partner).executeTakeFirstOrThrow().then((r) => r.credit_limit_rial);
    const set = (value: string, as = net.users.channelManager.id) => hit(partners.action, `/partners/${partner}`, { id: partner }, { as, form: { intent: "credit", creditLimit: value } });
    expect((await set("۲٬۰۰۰٬۰۰۰")).status).toBe(200);
    expect(await limit()).toBe("2000000");
    expect((await set("2000", net.users.brandManager.id)).status).toBe(403);
    expect(await limit()).toBe("2000000");
    expect((await set("")).status).toBe(200);
    expect(await limit()).toBeNull();
  });
});

describe("the serving rows' copies of the customer's value and contact", () => {
  it("follow an order, a cancellation, a touchpoint and the value job", async () => {
    const id = await registerAs(net.users.independentRep.id);
    const copies = () => db().selectFrom("customer_partners").select(["value_tier", "last_contact_at", "order_count", "ltv_rial", "last_order_at"]).where("customer_id", "=", id).executeTakeFirstOrThrow();
    const p = await createProduct({ list: 5_000_000n });
    await placeOrder(rep, `${p.sku} 1`, id);
    const second = await placeOrder(rep, `${p.sku} 2`, id);
    expect(await copies()).toMatchObject({ order_count: 2 });
    expect((await copies()).last_contact_at).not.toBeNull();
    expect(await servingRowDrift(net.brandId)).toBe(0);
    expect(await transitionOrder(rep, second.orderId, "cancel", "مشتری منصرف شد")).toMatchObject({ ok: true });
    expect(await copies()).toMatchObject({ order_count: 1 });
    expect(await servingRowDrift(net.brandId)).toBe(0);
    const later = new Date(Date.now() + 60_000);
    expect(await addInteraction(rep, id, { kind: "call", channel: "phone", note: null, occurredAt: later, needId: null })).toHaveProperty("id");
    expect((await copies()).last_contact_at).toEqual(later);
    expect(await servingRowDrift(net.brandId)).toBe(0);
    await recomputeBrandValues(net.brandId);
    expect((await copies()).value_tier).not.toBeNull();
    expect(await servingRowDrift(net.brandId)).toBe(0);
  });
});
