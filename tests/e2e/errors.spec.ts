import { expect, test } from "@playwright/test";
import { expectPageLanguage, fa, signIn, signInHome, users } from "./support";

test("a wrong password shows the Persian message and stays on the sign-in page", async ({ page }) => {
  await signIn(page, "manager@brand.example", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText(fa.auth.invalid);
  await expect(page).toHaveURL(/\/login$/);
  await expectPageLanguage(page, "fa");
  await expect(page.getByLabel(fa.auth.email, { exact: true })).toHaveValue("manager@brand.example");
});

test("a partner rep opening the partner directory gets the Persian 403 page", async ({ page }) => {
  await signInHome(page, users.alborzRep);
  const response = await page.goto("/partners");
  expect(response?.status()).toBe(403);
  await expectPageLanguage(page, "fa");
  await expect(page.getByRole("heading", { level: 1, name: fa.common.errorPage.forbidden.title })).toBeVisible();
  await expect(page.getByText(fa.common.errorPage.forbidden.body)).toBeVisible();
  await expect(page.getByRole("link", { name: fa.common.errorPage.home })).toHaveAttribute("href", "/");
});

test.describe("as brand admin", () => {
  test.beforeEach(async ({ page }) => {
    await signInHome(page, users.brandAdmin);
  });

  test("an unknown partner id gets the Persian 404 page", async ({ page }) => {
    const response = await page.goto("/partners/01XXXXXXXXXXXXXXXXXXXXXXXX");
    expect(response?.status()).toBe(404);
    await expectPageLanguage(page, "fa");
    await expect(page.getByRole("heading", { level: 1, name: fa.common.errorPage.not_found.title })).toBeVisible();
    await expect(page.getByText(fa.common.errorPage.not_found.body)).toBeVisible();
  });

  test("a new partner without names shows inline Persian field errors", async ({ page }) => {
    await page.getByRole("navigation", { name: fa.common.nav.label }).getByRole("link", { name: fa.common.nav.partners, exact: true }).click();
    await page.getByRole("link", { name: fa.partners.new, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: fa.partners.new })).toBeVisible();
    await page.getByLabel(fa.partners.city, { exact: true }).fill("تهران");
    await page.getByRole("button", { name: fa.partners.create, exact: true }).click();

    await expect(page.locator(".alert.error")).toHaveText(fa.common.errors.fix_below);
    for (const label of [fa.partners.name_fa, fa.partners.name_en]) {
      const input = page.getByLabel(label, { exact: true });
      await expect(input).toHaveAttribute("aria-invalid", "true");
      await expect(input).toHaveAccessibleDescription(fa.common.errors.required);
    }
    await expect(page.locator("#e-nameFa")).toHaveText(fa.common.errors.required);
    await expect(page.locator("#e-nameEn")).toHaveText(fa.common.errors.required);
    const city = page.getByLabel(fa.partners.city, { exact: true });
    await expect(city).not.toHaveAttribute("aria-invalid", "true");
    await expect(city).toHaveValue("تهران");
    await expect(page).toHaveURL(/\/partners\/new$/);
  });
});
