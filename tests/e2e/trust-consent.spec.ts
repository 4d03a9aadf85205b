import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { DEMO_PASSWORD, fa, signInHome } from "./support";

// Demo seed (db/seed/customers.ts): customer 96 is registered by Pars Jonoub, served by Aftab too, and
// did not consent to sharing; customer 285 is registered by Zandiyeh and also served by Aftab.
const HIDDEN_FROM_AFTAB = { id: "01DEMQCUST0000000000000096", phone: "+989102520538" };
const ZANDIYEH_CUSTOMER = "01DEMQCUST0000000000000285";

/** A signed-in API client of its own (cookie jar), with the Origin header state-changing requests need. */
async function signedIn(baseURL: string, email: string): Promise<APIRequestContext> {
  const origin = new URL(baseURL).origin;
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: origin } });
  const login = await client.post("/login", { form: { email, password: DEMO_PASSWORD }, maxRedirects: 0 });
  expect(login.status()).toBe(302);
  return client;
}

const phoneDigits = (phone: string) => phone.slice(-7);

test("a serving partner that did not register the customer cannot switch consent on to read the hidden phone", async ({ baseURL }) => {
  const aftab = await signedIn(baseURL!, "rep@aftab.example");
  const profile = `/customers/${HIDDEN_FROM_AFTAB.id}`;
  const before = await aftab.get(profile);
  expect(before.status()).toBe(200);
  expect(await before.text()).not.toContain(phoneDigits(HIDDEN_FROM_AFTAB.phone));

  // The reported reproduction, and the same with a complete consent form: both refused.
  const reproduction = await aftab.post(profile, { form: { intent: "consent", partner_contact: "on", brand_contact: "on", share_partners: "on" }, maxRedirects: 0 });
  expect(reproduction.status()).toBe(403);
  expect(await reproduction.text()).toContain(fa.common.errorPage.forbidden.title);
  const complete = await aftab.post(profile, { form: { intent: "consent", partner_contact: "on", brand_contact: "on", share_partners: "on", channel: "phone", givenOn: "۱۴۰۴/۰۹/۰۱" }, maxRedirects: 0 });
  expect(complete.status()).toBe(403);

  const after = await (await aftab.get(profile)).text();
  expect(after).not.toContain(phoneDigits(HIDDEN_FROM_AFTAB.phone));
  expect(after).toContain(faCustomers.hidden_by_consent);
  expect(after).toContain(faCustomers.consent_owner_only);
  await aftab.dispose();
});

test("sharing lets another serving partner read the registrant's need, not decline it", async ({ baseURL }) => {
  const zandiyeh = await signedIn(baseURL!, "rep@zandiyeh.example");
  const aftab = await signedIn(baseURL!, "rep@aftab.example");
  const profile = `/customers/${ZANDIYEH_CUSTOMER}`;
  // The registrant records the customer's consent to share and a need of its own.
  const consent = await zandiyeh.post(profile, { form: { intent: "consent", partner_contact: "on", share_partners: "on", channel: "in_person", givenOn: "۱۴۰۵/۰۹/۰۱", note: "در فروشگاه" }, maxRedirects: 0 });
  expect(consent.status()).toBe(200);
  const body = `نیاز آزمون اشتراک ${Date.now()}`;
  // The need form is sent when asked for (without JavaScript, by its link).
  const categoryId = /id="need-f-categoryId"[^>]*>\s*<option value="([0-9A-Z]{26})"/.exec(await (await zandiyeh.get(`${profile}?products=1`)).text())?.[1];
  expect(categoryId).toBeTruthy();
  const added = await zandiyeh.post(profile, { form: { intent: "need", categoryId: categoryId!, body, priority: "high", productId: "" }, maxRedirects: 0 });
  expect(added.status()).toBe(200);
  const needId = /name="needId" value="([0-9A-Z]{26})"/.exec(await (await zandiyeh.get(profile)).text())?.[1];
  expect(needId).toBeTruthy();

  // Aftab now sees the need, but has no control to change it, and a hand-made request is refused.
  const seen = await (await aftab.get(profile)).text();
  expect(seen).toContain(body);
  expect(seen).not.toContain(`name="needId" value="${needId}"`);
  const declined = await aftab.post(profile, { form: { intent: "need_status", needId: needId!, status: "declined" }, maxRedirects: 0 });
  expect(declined.status()).toBe(403);
  // Still open, as the registrant sees it: its controls offer "declined" and no "reopen".
  const item = (await (await zandiyeh.get(profile)).text()).split("<li").find((li) => li.includes(body) && li.includes(`name="needId" value="${needId}"`));
  expect(item).toContain(`value="declined"`);
  expect(item).not.toContain(`value="open"`);
  await zandiyeh.dispose();
  await aftab.dispose();
});

test("the registrant records consent in Persian with how and when it was given; a future date is refused", async ({ page }) => {
  const c = faCustomers;
  await signInHome(page, { email: "rep@zandiyeh.example", name: "فاطمه صادقی" });
  await page.goto(`/customers/${ZANDIYEH_CUSTOMER}`);
  const section = page.getByTestId("consent");
  await section.getByText(c.consent_change, { exact: true }).click();
  // Flip the brand-contact consent, whatever it is now: a grant or a withdrawal, both the owner's to record.
  const box = section.getByLabel(c.consent.brand_contact);
  const granting = !(await box.isChecked());
  await box.setChecked(granting);
  await section.getByLabel(c.consent_channel_label).selectOption({ label: c.consentChannel.whatsapp });
  await section.getByLabel(c.consent_given_on).fill("۱۴۹۹/۰۱/۰۱");
  await section.getByRole("button", { name: c.save_consent }).click();
  await expect(section.getByText(faCommon.errors.date_future)).toBeVisible();

  await box.setChecked(granting);
  await section.getByLabel(c.consent_channel_label).selectOption({ label: c.consentChannel.whatsapp });
  await section.getByLabel(c.consent_given_on).fill("۱۴۰۵/۰۹/۰۵");
  await section.getByLabel(c.consent_note).fill("پیام مشتری در واتس‌اپ");
  await section.getByRole("button", { name: c.save_consent }).click();
  await expect(page.getByText(fa.common.saved)).toBeVisible();
  // The saved form closes; opened again, it starts from what was recorded.
  await section.getByText(c.consent_change, { exact: true }).click();
  await expect(box).toBeChecked({ checked: granting });
  await section.getByText(c.consent_history).click();
  const latest = section.locator("li").filter({ hasText: "پیام مشتری در واتس‌اپ" }).first();
  await expect(latest).toContainText(`${c.consent.brand_contact}: ${granting ? c.granted : c.withdrawn}`);
  await expect(latest).toContainText(c.consentChannel.whatsapp);
  await expect(latest).toContainText("۱۴۰۵");
});
