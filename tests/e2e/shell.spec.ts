import { expect, test } from "@playwright/test";
import { en, expectPageLanguage, fa, fill, signInHome, users } from "./support";

test("a partner rep sees the shell in Persian, switches to English and back", async ({ page }) => {
  await signInHome(page, users.noorRep);
  await expectPageLanguage(page, "fa");

  // Numbers on the home page are in Persian digits, and no ASCII digit slips into the stats.
  const stats = page.locator(".stats");
  await expect(stats.first()).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: fa.home.users_partner })).toBeVisible();
  for (const value of await stats.locator(".value").allTextContents()) expect(value).toMatch(/^[۰-۹٬]+$/);
  await expect(stats.first()).toHaveText(/[۰-۹]/);
  for (const text of await stats.allTextContents()) expect(text).not.toMatch(/[0-9]/);

  // Switch to English.
  await page.getByRole("button", { name: fa.common.language.en, exact: true }).click();
  await expectPageLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1, name: fill(en.home.welcome, { name: users.noorRep.name }) })).toBeVisible();
  await expect(stats.first()).toHaveText(/[0-9]/);

  // Remembered after a reload and on another page.
  await page.reload();
  await expectPageLanguage(page, "en");
  await page.goto("/partners");
  await expectPageLanguage(page, "en");
  await expect(page.getByRole("heading", { level: 1, name: en.common.errorPage.forbidden.title })).toBeVisible();

  // And back to Persian.
  await page.getByRole("link", { name: en.common.errorPage.home }).click();
  await expect(page.getByRole("heading", { level: 1, name: fill(en.home.welcome, { name: users.noorRep.name }) })).toBeVisible();
  await page.getByRole("button", { name: fa.common.language.fa, exact: true }).click();
  await expectPageLanguage(page, "fa");
  await expect(page.getByRole("heading", { level: 1, name: fill(fa.home.welcome, { name: users.noorRep.name }) })).toBeVisible();
  await page.reload();
  await expectPageLanguage(page, "fa");
});
