import { expect, test } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { closeE2eDb, e2eDb } from "./api";
import { fa, signInHome, users } from "./support";

const c = faCustomers;
const NOOR = "01DEMQPARTNER0000000000003";

test.afterAll(async () => {
  await closeE2eDb();
});
const toPersianDigits = (s: string) => s.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);

test("a rep finds a customer by a phone typed in Persian digits, records a need and an interaction, and sees them on the timeline", async ({ page }) => {
  const suffix = String(Date.now()).slice(-7);
  const phone = `0935${suffix}`;
  const name = `کیوان رستمی ${toPersianDigits(suffix.slice(-3))}`;

  await signInHome(page, users.noorRep);
  await page.getByRole("link", { name: fa.common.nav.customers, exact: true }).click();
  await page.getByRole("link", { name: c.register, exact: true }).click();
  // Typed on an Arabic keyboard: ي and ك arrive, the record stores ی and ک.
  await page.getByLabel(c.name, { exact: true }).fill(name.replace("ی", "ي").replace("ک", "ك"));
  await page.getByLabel(c.mobile, { exact: true }).fill(phone);
  await page.getByLabel(c.city, { exact: true }).fill("تهران");
  await page.getByLabel(c.consent.partner_contact).check();
  await page.getByRole("button", { name: c.register_submit }).click();
  await expect(page.getByText(c.registered)).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");

  await page.getByRole("link", { name: fa.common.nav.customers, exact: true }).click();
  await page.getByRole("searchbox", { name: c.search }).fill(toPersianDigits(phone));
  await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(toPersianDigits(`${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`));
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  await page.getByText(c.add_need, { exact: true }).first().click();
  const needs = page.getByTestId("needs");
  await needs.getByLabel(c.need_body).fill("دنبال یخچال کم‌مصرف برای آشپزخانهٔ کوچک است");
  await needs.getByLabel(c.priority_label).selectOption({ label: c.priority.high });
  await needs.getByRole("button", { name: c.add_need }).click();
  await expect(page.getByText(fa.common.saved)).toBeVisible();
  await expect(needs).toContainText("دنبال یخچال کم‌مصرف");

  await page.getByText(c.record_interaction, { exact: true }).click();
  await page.getByLabel(c.interaction_kind).selectOption({ label: c.interaction.call });
  await page.getByLabel(c.interaction_channel).selectOption({ label: c.interactionChannel.phone });
  await page.getByLabel(c.note, { exact: true }).fill("تماس گرفته شد؛ عصر پنجشنبه به فروشگاه می‌آید");
  await page.getByRole("button", { name: c.save_interaction }).click();
  await expect(page.getByText(fa.common.saved)).toBeVisible();

  const timeline = page.getByTestId("timeline");
  await expect(timeline).toContainText(c.interaction.call);
  await expect(timeline).toContainText("عصر پنجشنبه به فروشگاه می‌آید");
  await expect(timeline).toContainText(c.interaction.need_recorded);
  await expect(timeline).toContainText(/[۰-۹]/);
});

test("an impossible Jalali date is refused with a Persian message and nothing is recorded", async ({ page }) => {
  await signInHome(page, users.noorRep);
  await page.goto("/customers?sort=recent_contact");
  await page.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByTestId("timeline")).toBeVisible();
  const before = await page.getByTestId("timeline").locator("li").count();
  await page.getByText(c.record_interaction, { exact: true }).click();
  await page.getByLabel(c.occurred_on, { exact: true }).fill("۱۴۰۴/۱۲/۳۰");
  await page.getByRole("button", { name: c.save_interaction }).click();
  await expect(page.getByText(fa.common.errors.date_impossible)).toBeVisible();
  await expect(page.getByTestId("timeline").locator("li")).toHaveCount(before);
});

test("on a phone the profile leads with the name, a call link and the latest timeline; its forms open on demand and work", async ({ page }) => {
  // A customer of Noor's whose number Noor may see, with the longest timeline of Noor's touchpoints.
  const customer = await e2eDb()
    .selectFrom("customers")
    .innerJoin("interactions", (j) => j.onRef("interactions.customer_id", "=", "customers.id").on("interactions.partner_id", "=", NOOR))
    .select(["customers.id", "customers.phone"])
    .where("customers.registered_by_partner_id", "=", NOOR)
    .where("customers.consent_partner_contact", "=", 1)
    .where("customers.phone", "is not", null)
    .groupBy(["customers.id", "customers.phone"])
    .having((eb) => eb.fn.countAll(), ">=", 5)
    .orderBy("customers.id")
    .executeTakeFirstOrThrow();

  await page.setViewportSize({ width: 390, height: 844 });
  await signInHome(page, users.noorRep);
  await page.goto(`/customers/${customer.id}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  // In the first screen: who it is and a tap to call.
  const call = page.locator(`a[href="tel:${customer.phone}"]`);
  for (const first of [page.getByRole("heading", { level: 1 }), call]) {
    await expect(first).toBeVisible();
    expect((await first.boundingBox())!.y).toBeLessThan(844);
  }
  await expect(page.locator(`a[href="sms:${customer.phone}"]`)).toBeVisible();

  // The forms wait behind their buttons.
  for (const field of [c.interaction_kind, c.need_body, c.consent_given_on]) await expect(page.getByLabel(field, { exact: true }).first()).toBeHidden();
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator("li")).toHaveCount(5);

  const note = `پیگیری تلفنی ${Date.now()}`;
  await page.getByText(c.record_interaction, { exact: true }).click();
  await page.getByLabel(c.interaction_kind).selectOption({ label: c.interaction.call });
  await page.getByLabel(c.interaction_channel).selectOption({ label: c.interactionChannel.phone });
  await page.getByLabel(c.note, { exact: true }).fill(note);
  await page.getByRole("button", { name: c.save_interaction }).click();
  await expect(page.getByText(fa.common.saved)).toBeVisible();
  await expect(timeline.locator("li").first()).toContainText(note);
  await expect(timeline.locator("li")).toHaveCount(5);
  // Saved, the form closes and is empty again.
  await expect(page.getByLabel(c.note, { exact: true })).toBeHidden();

  // The rest of the timeline is one tap away.
  await page.getByRole("link", { name: /^نمایش همهٔ [۰-۹]+ رویداد$/ }).click();
  await expect(page).toHaveURL(/timeline=all/);
  await expect(page.getByRole("link", { name: c.timeline_show_latest })).toBeVisible();
  expect(await timeline.locator("li").count()).toBeGreaterThan(5);

  // On a wide screen the record stands beside the work.
  await page.setViewportSize({ width: 1280, height: 800 });
  const main = (await page.locator(".profile-main").boundingBox())!;
  const side = (await page.locator(".profile-side").boundingBox())!;
  expect(side.y).toBe(main.y);
  expect(side.x + side.width).toBeLessThanOrEqual(main.x);
});

test("on a phone the profile of a customer with many orders stays short: the latest three orders, and a link to all of them on the orders list", async ({ page }) => {
  // The Noor customer with the most of Noor's orders.
  const customer = await e2eDb()
    .selectFrom("orders")
    .select(["orders.customer_id as id", (eb) => eb.fn.countAll<string>().as("n")])
    .where("orders.partner_id", "=", NOOR)
    .where("orders.customer_id", "is not", null)
    .groupBy("orders.customer_id")
    .orderBy("n", "desc")
    .orderBy("orders.customer_id")
    .executeTakeFirstOrThrow();
  expect(Number(customer.n)).toBeGreaterThan(3);
  const ids = new Set((await e2eDb().selectFrom("orders").select("id").where("customer_id", "=", customer.id!).execute()).map((o) => o.id));

  await page.setViewportSize({ width: 390, height: 844 });
  await signInHome(page, users.noorRep);
  await page.goto(`/customers/${customer.id}`);
  const orders = page.getByTestId("orders");
  await expect(orders.locator("tbody tr")).toHaveCount(3);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(3000);

  const all = orders.getByRole("link", { name: /^همهٔ [۰-۹]+ سفارش این مشتری$/ });
  const total = Number((await all.textContent())!.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d))).replace(/\D/g, ""));
  expect(total).toBeGreaterThanOrEqual(Number(customer.n));
  await all.click();
  await expect(page).toHaveURL(new RegExp(`/orders\\?customer=${customer.id}$`));
  const hrefs = await page.locator("main table.data tbody a[href^='/orders/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!.slice("/orders/".length)));
  expect(hrefs.length).toBe(Math.min(total, 20));
  expect(hrefs.filter((id) => !ids.has(id))).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the profile's forms are not sent until asked for; a link opens one, it saves and closes again", async ({ page }) => {
    await signInHome(page, users.noorRep);
    await page.goto("/customers?sort=recent_contact");
    await page.getByRole("row").nth(1).getByRole("link").first().click();
    const profile = page.url();
    for (const field of [c.interaction_kind, c.need_body, c.consent_given_on]) await expect(page.getByLabel(field, { exact: true })).toHaveCount(0);

    const note = `بدون جاوااسکریپت ${Date.now()}`;
    await page.getByText(c.record_interaction, { exact: true }).click();
    await page.locator("#form-interaction").getByRole("link", { name: c.open_form }).click();
    await expect(page).toHaveURL(/\?form=interaction#form-interaction$/);
    await page.getByLabel(c.interaction_kind).selectOption({ label: c.interaction.call });
    await page.getByLabel(c.interaction_channel).selectOption({ label: c.interactionChannel.phone });
    await page.getByLabel(c.note, { exact: true }).fill(note);
    await page.getByRole("button", { name: c.save_interaction }).click();
    await expect(page.getByText(fa.common.saved)).toBeVisible();
    await expect(page.getByTestId("timeline").locator("li").first()).toContainText(note);
    await expect(page.getByLabel(c.note, { exact: true })).toHaveCount(0);

    // The need form opens with the catalogue's products to choose from.
    await page.goto(profile);
    await page.getByText(c.add_need, { exact: true }).first().click();
    await page.locator("#add-need").getByRole("link", { name: c.open_form }).click();
    await expect(page).toHaveURL(/\?products=1#add-need$/);
    expect(await page.getByLabel(c.need_product).locator("option").count()).toBeGreaterThan(1);
  });
});

test("the brand filters the list by a serving partner whose choices load when the filter is used, and without JavaScript through the list's link", async ({ browser }) => {
  test.setTimeout(60_000); // two browsers, each signing in
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled });
    const page = await context.newPage();
    await signInHome(page, users.brandAdmin);
    await page.goto("/customers");
    const partner = page.getByLabel(c.serving_partner, { exact: true });
    // Only "all" comes with the page: the network's partners are not sent with every view.
    await expect(partner.locator("option")).toHaveCount(1);
    if (javaScriptEnabled) await partner.focus();
    else await page.getByRole("link", { name: c.serving_partner_choose }).click();
    await expect(partner.locator("option", { hasText: "فروشگاه نور ونک" })).toHaveCount(1);
    await partner.selectOption({ label: "فروشگاه نور ونک" });
    await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`partnerId=${NOOR}`));
    // The chosen partner stays chosen; the list is that partner's customers.
    await expect(partner).toHaveValue(NOOR);
    await expect(page.locator("table.data tbody tr").first()).toBeVisible();
    await context.close();
  }
});
