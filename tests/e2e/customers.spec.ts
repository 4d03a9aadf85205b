import { expect, test } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { fa, signInHome, users } from "./support";

const c = faCustomers;
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
  await page.getByLabel(c.occurred_on, { exact: true }).fill("۱۴۰۴/۱۲/۳۰");
  await page.getByRole("button", { name: c.save_interaction }).click();
  await expect(page.getByText(fa.common.errors.date_impossible)).toBeVisible();
  await expect(page.getByTestId("timeline").locator("li")).toHaveCount(before);
});
