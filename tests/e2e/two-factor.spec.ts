import { hash } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import { createPool } from "mysql2/promise";
import type { RowDataPacket } from "mysql2";
import { Secret, TOTP } from "otpauth";
import { ulid } from "ulid";
import faSecurity from "../../locales/fa/security.json" with { type: "json" };
import { DEMO_PASSWORD, expectPageLanguage, fa, fill, signIn, signOut } from "./support";

const toPersianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

/** A partner rep of its own, in the demo brand, so no other spec's user ends up with two-factor on. */
async function createUser() {
  const pool = createPool({ uri: new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(), connectionLimit: 1 });
  try {
    const [[rep]] = await pool.query<RowDataPacket[]>("select brand_id, partner_id from users where email = 'rep@aftab.example'");
    const id = ulid();
    const user = { email: `totp-${id.toLowerCase()}@aftab.example`, name: "کاوه رستمی" };
    const now = new Date();
    await pool.query(
      "insert into users (id, brand_id, partner_id, email, display_name, name_key, role, status, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'partner_rep', 'active', ?, ?, ?)",
      [id, rep.brand_id, rep.partner_id, user.email, user.name, user.name, await hash(DEMO_PASSWORD), now, now],
    );
    return user;
  } finally {
    await pool.end();
  }
}

test("a partner rep turns on two-factor sign-in in Persian and then signs in with password and code", async ({ page }) => {
  test.setTimeout(90_000);
  const user = await createUser();
  await signIn(page, user.email);
  await expect(page.getByRole("heading", { level: 1, name: fill(fa.home.welcome, { name: user.name }) })).toBeVisible();

  // Account security, from the main menu.
  await page.getByRole("navigation", { name: fa.common.nav.label }).getByRole("link", { name: fa.common.nav.security, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: faSecurity.title })).toBeVisible();
  await expectPageLanguage(page, "fa");
  await page.getByRole("button", { name: faSecurity.setup.start, exact: true }).click();

  // The QR code, and the key as text for typing into the app by hand (left to right).
  await expect(page.getByRole("img", { name: faSecurity.setup.qr_alt })).toBeVisible();
  const shown = page.getByTestId("totp-secret");
  await expect(shown).toHaveAttribute("dir", "ltr");
  const secret = (await shown.textContent())!.replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });

  const codeField = page.getByLabel(faSecurity.code, { exact: true });
  await expect(codeField).toHaveAttribute("inputmode", "numeric");
  await expect(codeField).toHaveAttribute("autocomplete", "one-time-code");
  await codeField.fill("000000");
  await page.getByRole("button", { name: faSecurity.setup.submit, exact: true }).click();
  await expect(page.getByText(faSecurity.code_invalid)).toBeVisible();

  // The code as a Persian keyboard types it.
  const enrolledAt = Date.now();
  await page.getByLabel(faSecurity.code, { exact: true }).fill(toPersianDigits(totp.generate({ timestamp: enrolledAt })));
  await page.getByRole("button", { name: faSecurity.setup.submit, exact: true }).click();
  await expect(page.getByText(faSecurity.recovery.shown_once)).toBeVisible();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await expect(page.getByText(faSecurity.status_on, { exact: true })).toBeVisible();

  // Signing in again now asks for a code after the password.
  await signOut(page);
  await signIn(page, user.email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expectPageLanguage(page, "fa");
  await expect(page.getByRole("heading", { level: 1, name: faSecurity.verify.title })).toBeVisible();

  // Each 30-second code works once: wait for the next one after the code used to turn it on.
  const nextStepAt = (Math.floor(enrolledAt / 30_000) + 1) * 30_000;
  if (Date.now() < nextStepAt) await page.waitForTimeout(nextStepAt - Date.now() + 200);
  const appCode = page.getByLabel(faSecurity.verify.code, { exact: true });
  await expect(appCode).toHaveAttribute("inputmode", "numeric");
  await appCode.fill(totp.generate());
  await page.locator("form", { has: appCode }).getByRole("button", { name: faSecurity.verify.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: fill(fa.home.welcome, { name: user.name }) })).toBeVisible();
});
