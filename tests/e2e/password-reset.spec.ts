import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import faMail from "../../locales/fa/mail.json" with { type: "json" };
import { expectPageLanguage, fa, signIn, signInHome, signOut, users } from "./support";

// The e2e server sends over SMTP to a local SMTP server (tests/e2e/smtp-sink.ts), which keeps
// every message it accepts in this mailbox, one JSON line each.
const MAILBOX = process.env.E2E_MAILBOX!;
type Received = { to: string[]; subject: string; text: string; html: string };

/** The newest e-mail to `to` with this subject that reached the SMTP server, once the server's outbox loop has sent it. */
async function mailTo(to: string, subject: string): Promise<Received> {
  let mail: Received | undefined;
  await expect
    .poll(
      async () => {
        const lines = (await readFile(MAILBOX, "utf8").catch(() => "")).split("\n").filter(Boolean);
        mail = lines
          .map((l) => JSON.parse(l) as Received)
          .filter((m) => m.to.includes(to) && m.subject === subject)
          .at(-1);
        return mail;
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBeTruthy();
  return mail!;
}

/** The link (to `path`) in that e-mail; a Persian e-mail reads right to left. */
async function linkFromMail(to: string, subject: string, path: string): Promise<string> {
  const mail = await mailTo(to, subject);
  expect(mail.html).toContain('<html lang="fa" dir="rtl">');
  const link = new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  return new URL(link!).pathname;
}

async function setPassword(page: Page, password: string, submit: string) {
  await page.getByLabel(fa.auth.new_password, { exact: true }).fill(password);
  await page.getByLabel(fa.auth.confirm_password, { exact: true }).fill(password);
  await page.getByRole("button", { name: submit, exact: true }).click();
}

test("a person who forgot their password gets a link by e-mail, sets a new one and signs in with it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // A user of this test's own: invited by the brand admin, the invitation read from the mail log.
  const stamp = `${Date.now()}${test.info().workerIndex}`;
  const person = { name: "کاوه فراموش‌کار", email: `forgetful-${stamp}@noor.example` };
  await signInHome(page, users.brandAdmin);
  await page.goto("/users/new");
  await page.getByLabel(fa.users.name, { exact: true }).fill(person.name);
  await page.getByLabel(fa.users.email, { exact: true }).fill(person.email);
  await page.getByLabel(fa.users.role, { exact: true }).selectOption({ label: fa.common.roles.partner_admin });
  await page.getByLabel(fa.users.partner, { exact: true }).selectOption({ label: "فروشگاه نور ونک" });
  await page.getByRole("button", { name: fa.users.send_invite, exact: true }).click();
  await expect(page.getByRole("status")).toContainText(fa.users.invite_created);
  await signOut(page);

  const context = await browser.newContext();
  const guest = await context.newPage();
  const invitationSubject = faMail.invitation.subject.replace("{{brand}}", "لوازم خانگی آرمان");
  await guest.goto(await linkFromMail(person.email, invitationSubject, "/invite"));
  await expectPageLanguage(guest, "fa");
  await setPassword(guest, "گذرواژهٔ-نخست-1404", fa.auth.invite_submit);
  await expect(guest).toHaveURL(/\/$/);
  await signOut(guest);

  // Forgot it: "forgot password?" on the sign-in page, in Persian.
  await guest.goto("/login");
  await expectPageLanguage(guest, "fa");
  await guest.getByRole("link", { name: fa.auth.forgot_link, exact: true }).click();
  await expect(guest.getByRole("heading", { level: 1, name: fa.auth.forgot_title, exact: true })).toBeVisible();
  await guest.getByLabel(fa.auth.email, { exact: true }).fill(person.email);
  await guest.getByRole("button", { name: fa.auth.forgot_submit, exact: true }).click();
  await expect(guest.getByRole("status")).toHaveText(fa.auth.forgot_sent);

  // The link from the e-mail sets a new password, then sends the person to sign in.
  const resetPath = await linkFromMail(person.email, faMail.reset.subject, "/login/reset");
  await guest.goto(resetPath);
  await expectPageLanguage(guest, "fa");
  await expect(guest.getByRole("heading", { level: 1, name: fa.auth.reset_title, exact: true })).toBeVisible();
  const fresh = "گذرواژهٔ-تازه-1404-امن";
  await setPassword(guest, fresh, fa.auth.reset_submit);
  await expect(guest).toHaveURL(/\/login\?reset=done$/);
  await expect(guest.getByRole("status")).toHaveText(fa.auth.reset_done);

  // The link works once; the old password no longer opens the account, the new one does.
  await guest.goto(resetPath);
  await expect(guest.getByText(fa.auth.reset_invalid)).toBeVisible();
  await signIn(guest, person.email, "گذرواژهٔ-نخست-1404");
  await expect(guest.getByRole("alert")).toHaveText(fa.auth.invalid);
  await signInHome(guest, person, fresh);
  await context.close();
});
