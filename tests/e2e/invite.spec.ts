import { expect, test } from "@playwright/test";
import { expectPageLanguage, fa, fill, signIn, signInHome, signOut, users } from "./support";

test("a brand admin invites a partner admin, who sets a password and signs in", async ({ page, browser }) => {
  const stamp = `${Date.now()}${test.info().workerIndex}`;
  const invitee = { name: "پریسا نیک‌نام", email: `invitee-${stamp}@noor.example` };
  const password = "رمز-تازه-1404-امن";
  const partner = "فروشگاه نور ونک";

  // The brand admin opens Users → Invite user and fills the form in Persian.
  await signInHome(page, users.brandAdmin);
  await page.getByRole("navigation", { name: fa.common.nav.label }).getByRole("link", { name: fa.common.nav.users, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: fa.users.title, exact: true })).toBeVisible();
  await page.getByRole("link", { name: fa.users.invite, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: fa.users.invite, exact: true })).toBeVisible();
  await page.getByLabel(fa.users.name, { exact: true }).fill(invitee.name);
  await page.getByLabel(fa.users.email, { exact: true }).fill(invitee.email);
  await page.getByLabel(fa.users.role, { exact: true }).selectOption({ label: fa.common.roles.partner_admin });
  await page.getByLabel(fa.users.partner, { exact: true }).selectOption({ label: partner });
  await page.getByRole("button", { name: fa.users.send_invite, exact: true }).click();

  const linkBox = page.getByTestId("invite-link");
  await expect(linkBox).toHaveText(/\/invite\/\S+$/);
  const link = (await linkBox.textContent())!.trim();
  await expect(page.getByRole("status")).toContainText(fa.users.invite_created);
  await signOut(page);

  // The invitee opens the link in a fresh browser context.
  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(link);
  await expectPageLanguage(guest, "fa");
  await expect(guest.getByRole("heading", { level: 1, name: fa.auth.invite_title })).toBeVisible();
  await expect(guest.getByText(invitee.email)).toBeVisible();
  await guest.getByLabel(fa.auth.new_password, { exact: true }).fill(password);
  await guest.getByLabel(fa.auth.confirm_password, { exact: true }).fill(password);
  await guest.getByRole("button", { name: fa.auth.invite_submit, exact: true }).click();

  // Signed in on the home page with their name, role and partner.
  await expect(guest).toHaveURL(/\/$/);
  await expect(guest.getByRole("heading", { level: 1, name: fill(fa.home.welcome, { name: invitee.name }) })).toBeVisible();
  const sidebar = guest.getByRole("navigation", { name: fa.common.nav.label });
  await expect(sidebar).toContainText(fa.common.roles.partner_admin);
  await expect(sidebar).toContainText(partner);

  // The link works once only.
  await guest.goto(link);
  await expect(guest.getByText(fa.auth.invite_invalid)).toBeVisible();
  await expect(guest.getByLabel(fa.auth.new_password, { exact: true })).toHaveCount(0);

  // Sign out, then in again with the new password.
  await guest.goto("/");
  await signOut(guest);
  await signInHome(guest, invitee, password);

  // Only the new password opens the account.
  await signOut(guest);
  await signIn(guest, invitee.email, "portal-demo-1404");
  await expect(guest.getByRole("alert")).toHaveText(fa.auth.invalid);
  await context.close();
});
