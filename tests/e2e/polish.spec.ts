import { expect, test } from "@playwright/test";
import type { RowDataPacket } from "mysql2";
import { createPool } from "mysql2/promise";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { expectPageLanguage, fa, signIn, signInHome, users } from "./support";

const required = fa.common.errors.required;

test("an empty required form on a Persian page gets the server's Persian message beside each field", async ({ page }) => {
  await signInHome(page, users.noorRep);
  await page.goto("/customers/new");
  await expectPageLanguage(page, "fa");
  // The browser adds no check of its own (it would speak its own language): required is for assistive tech.
  await expect(page.getByLabel(faCustomers.name, { exact: true })).toHaveAttribute("aria-required", "true");
  await expect(page.getByLabel(faCustomers.name, { exact: true })).not.toHaveAttribute("required", /.*/);
  await page.getByRole("button", { name: faCustomers.register_submit, exact: true }).click();
  await expect(page.locator('[id$="e-displayName"]')).toHaveText(required);
  await expect(page.locator('[id$="e-city"]')).toHaveText(required);
});

test("a day picked from the Solar Hijri calendar on a Persian page fills the field in Persian digits and the form accepts it", async ({ page }) => {
  await signInHome(page, users.noorRep);
  await page.goto("/customers");
  const from = page.getByLabel(faCustomers.contact_from, { exact: true });
  await expect(from).toHaveAttribute("placeholder", fa.common.date.format);
  await page.getByRole("button", { name: fa.common.date.pick }).first().click();
  const calendar = page.getByRole("dialog", { name: fa.common.date.pick });
  await expect(calendar).toBeVisible();
  await calendar.locator("[role=gridcell] button").first().click();
  await expect(calendar).toBeHidden();
  await expect(from).toHaveValue(/^[۰-۹]{4}\/[۰-۹]{2}\/۰۱$/);
  const picked = await from.inputValue();
  await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
  await expect(page).toHaveURL(/contactFrom=/);
  await expect(page.getByLabel(faCustomers.contact_from, { exact: true })).toHaveValue(picked);
  await expect(page.locator("#e-contactFrom")).toHaveCount(0);
  // Typed in ASCII digits, the field shows Persian ones.
  await from.fill("");
  await from.pressSequentially("1404/01/15");
  await expect(from).toHaveValue("۱۴۰۴/۰۱/۱۵");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a refused request to serve shows the form again with the error beside the reason", async ({ page }) => {
    const pool = createPool({ uri: new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(), connectionLimit: 1 });
    // A customer Noor does not serve, registered by a partner with no users (no other spec reads it).
    const [rows] = await pool.query<RowDataPacket[]>(
      `select c.phone from customers c join partners p on p.id = c.registered_by_partner_id
       where p.name_en = 'Mehr Mashhad Store'
         and not exists (select 1 from customer_partners cp join users u on u.partner_id = cp.partner_id where cp.customer_id = c.id and u.email = ?)
       order by c.id limit 1`,
      [users.noorRep.email],
    );
    await pool.end();
    expect(rows).toHaveLength(1);
    await signIn(page, users.noorRep.email);
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/customers/new");
    await page.getByLabel(faCustomers.name, { exact: true }).fill("مشتری آزمایشی");
    await page.getByLabel(faCustomers.mobile, { exact: true }).fill(rows[0].phone as string);
    await page.getByLabel(faCustomers.city, { exact: true }).fill("مشهد");
    await page.getByRole("button", { name: faCustomers.register_submit, exact: true }).click();
    await page.getByRole("button", { name: faCustomers.request_to_serve, exact: true }).first().click();
    await expect(page).toHaveURL(/\/serve-requests$/);
    await expect(page.getByLabel(faCustomers.request_reason, { exact: true })).toBeVisible();
    await expect(page.locator('[id$="e-reason"]')).toHaveText(required);
  });
});

test("the audit log on a Persian page isolates each IP address left to right, so ::1 is not reversed", async ({ page }) => {
  await signInHome(page, users.brandAdmin);
  await page.goto("/audit");
  const ip = page.locator("table tbody tr").first().locator("td").nth(5).locator("bdi");
  await expect(ip).toHaveAttribute("dir", "ltr");
  await expect(ip).toHaveText(/^[0-9a-f:.]+$/i);
});

test("an address the portal does not know shows a signed-in person the Persian 404 page inside the app, menu and all", async ({ page }) => {
  await signInHome(page, users.noorRep);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expectPageLanguage(page, "fa");
  await expect(page.getByRole("main").getByRole("heading", { level: 1, name: fa.common.errorPage.not_found.title })).toBeVisible();
  const menu = page.getByRole("navigation", { name: fa.common.nav.label });
  await expect(menu.getByRole("link", { name: fa.common.nav.customers, exact: true })).toBeVisible();
  await expect(menu.locator('[aria-current="page"]')).toHaveCount(0);
  await expect(page).toHaveTitle(new RegExp(`^${fa.common.errorPage.not_found.title} · `));
});
