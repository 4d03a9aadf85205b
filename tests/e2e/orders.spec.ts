// Orders in Persian: a distributor's rep quick-orders two SKUs typed with Persian digits for a named
// customer of theirs, sees the Jalali promise dates, double-clicks submit (one order) and finds the
// order on the customer's timeline and downloads its proforma PDF; then the channel manager approves an order over the credit
// limit. Uses Alborz (no other spec places orders or reads its credit limit) and stock products no
// other spec counts.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import faOrders from "../../locales/fa/orders.json" with { type: "json" };
import { formatDate } from "../../app/domain/format";
import { addDays, tehranToday } from "../../app/domain/promise-date";
import { ulid } from "ulid";
import { closeE2eDb, e2eDb, post, signedIn } from "./api";
import { fa, fill, signInHome, signOut } from "./support";

const o = faOrders;
const ALBORZ = "01DEMQPARTNER0000000000001";
const rep = { email: "rep@alborz.example", name: "نگار حسینی" };
const channel = { email: "channel@brand.example", name: "مریم کریمی" };
const jalali = (day: string) => formatDate(`${day}T12:00:00Z`, "fa");

test.afterAll(async () => {
  await closeE2eDb();
});

test("a rep quick-orders for a customer in Persian digits, sees Jalali promise dates, a double click makes one order, on the customer's timeline", async ({ page }) => {
  const db = e2eDb();
  const customer = await db
    .selectFrom("customers")
    .select(["id", "display_name"])
    .where("registered_by_partner_id", "=", ALBORZ)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const started = new Date(Date.now() - 1000);
  const repId = (await db.selectFrom("users").select("id").where("email", "=", rep.email).executeTakeFirstOrThrow()).id;

  await signInHome(page, rep);
  await page.getByRole("link", { name: fa.common.nav.cart, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(o.cart_title);

  await page.getByLabel(o.customer, { exact: true }).selectOption({ label: customer.display_name });
  await page.getByLabel(o.ship_to, { exact: true }).selectOption({ label: o.ship_to_options.customer });
  await page.getByRole("button", { name: o.save_recipient, exact: true }).click();
  await expect(page.getByLabel(o.customer, { exact: true })).toHaveValue(customer.id);

  // Typed the way a rep types it: Persian digits, a tab, a bogus SKU among the good ones.
  await page.getByLabel(o.quick_lines, { exact: true }).fill("ec-7000 ۲\nAF-55\t۳\nNOPE-404 ۱");
  await page.getByRole("button", { name: o.quick_preview, exact: true }).click();
  const preview = page.getByTestId("quick-preview");
  await expect(preview).toContainText(fill(o.errors.unknown_sku, { sku: "NOPE-404" }));
  await preview.getByRole("button", { name: o.quick_confirm_other.replace("{{count, number}}", "۲") }).click();
  await expect(page.getByTestId("cart-line")).toHaveCount(2);

  // Stock products: today (Tehran) + one handling day, + one day in transit to Tehran.
  const ship = addDays(tehranToday(), 1);
  const expected = fill(o.promise_stock, { ship: jalali(ship), delivery: jalali(addDays(ship, 1)) });
  for (const promise of await page.getByTestId("promise").all()) await expect(promise).toHaveText(expected);

  await page.getByRole("button", { name: o.submit, exact: true }).dblclick();
  await expect(page).toHaveURL(/\/orders\/[0-9A-Z]{26}$/);
  await expect(page.getByTestId("promised-ship")).toHaveText(jalali(ship));
  const placed = await db.selectFrom("orders").select(["id", "number", "status"]).where("created_by_user_id", "=", repId).where("created_at", ">=", started).execute();
  expect(placed).toHaveLength(1);
  expect(placed[0].status).toBe("confirmed");

  // The proforma, as the rep downloads it: Persian, with the order number kept whole.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: o.proforma.download, exact: true }).click();
  const pdf = await (await download).path();
  // pdftotext marks right-to-left runs with embedding controls; the words between them are what count.
  const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
  expect(text).toContain(o.proforma.title);
  expect(text).toContain(placed[0].number);
  expect(text).toContain("کولر آبی سلولزی");
  expect(text).toMatch(/[۰-۹]{1,3}(٬[۰-۹]{3})+/);

  await page.goto(`/customers/${customer.id}`);
  await expect(page.getByText(placed[0].number, { exact: true }).first()).toBeVisible();
  await signOut(page);
});

test("the channel manager approves an order over the partner's credit limit", async ({ page }) => {
  const db = e2eDb();
  const brand = await signedIn(channel.email);
  const buyer = await signedIn(rep.email);
  try {
    // A limit of one Rial: any order of Alborz now waits for the channel team.
    expect((await post(brand, `/partners/${ALBORZ}`, { intent: "credit", creditLimit: "۱" })).status()).toBe(200);
    expect((await post(buyer, "/cart", { intent: "recipient", customerId: "", shipTo: "partner" })).status()).toBe(303);
    expect((await post(buyer, "/cart", { intent: "quick", lines: "EC-7000 ۱", confirm: "1" })).status()).toBe(303);
    const submitted = await post(buyer, "/cart", { intent: "submit", key: ulid() });
    expect(submitted.status()).toBe(303);
    const orderPath = submitted.headers().location;
    expect(orderPath).toMatch(/^\/orders\/[0-9A-Z]{26}$/);
    const orderId = orderPath.split("/").pop()!;
    expect((await db.selectFrom("orders").select("status").where("id", "=", orderId).executeTakeFirstOrThrow()).status).toBe("awaiting_approval");

    await signInHome(page, channel);
    await page.goto(orderPath);
    await expect(page.getByText(o.statuses.awaiting_approval, { exact: true })).toBeVisible();
    await expect(page.getByText(o.approval_reasons.credit_limit, { exact: true }).first()).toBeVisible();
    await page.getByRole("button", { name: o.actions.approve, exact: true }).click();
    await expect(page.getByText(o.statuses.confirmed, { exact: true }).first()).toBeVisible();
    expect((await db.selectFrom("orders").select("status").where("id", "=", orderId).executeTakeFirstOrThrow()).status).toBe("confirmed");
    expect(await db.selectFrom("notifications").select("kind").where("partner_id", "=", ALBORZ).where("link", "=", orderPath).execute()).toEqual([{ kind: "order_approved" }]);
  } finally {
    await post(brand, `/partners/${ALBORZ}`, { intent: "credit", creditLimit: "" });
    await Promise.all([brand.dispose(), buyer.dispose()]);
  }
});
