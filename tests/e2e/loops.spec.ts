// Loops that close, in Persian: a rep given a hidden-contact customer by an approved request records
// the contact the customer gave them and finds the customer by it; the owning partner's admin opens
// the ask it sent (read, badge down, on the customer); a rep completes and snoozes the day's actions,
// opening an action's later forms with or without JavaScript.
import { expect, request, test, type APIRequestContext, type Page } from "@playwright/test";
import faConflicts from "../../locales/fa/conflicts.json" with { type: "json" };
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { dateInputValue } from "../../app/domain/jalali";
import { toAsciiDigits } from "../../app/domain/text";
import { baseURL, closeE2eDb, e2eDb, post, signedIn } from "./api";
import { expectPageLanguage, signIn, users } from "./support";

/** Khazar Distribution: no demo user and no other spec touches it, so its admin's notifications are this spec's alone. */
const KHAZAR = "01DEMQPARTNER0000000000008";
const NOOR_REP = users.noorRep.email;
const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? "");

// Several people and pages in one journey: more than the default 30 s on a busy 2-core machine.
test.describe.configure({ timeout: 120_000 });

test.afterAll(async () => {
  await closeE2eDb();
});

/** The unread count on the menu's notifications link (0 when there is no badge). */
async function badge(page: Page): Promise<number> {
  const b = page.locator('nav a[href="/notifications"] .badge');
  if ((await b.count()) === 0) return 0;
  return Number(toAsciiDigits((await b.innerText()).trim()));
}

/** An admin for Khazar, invited by the brand admin and signed in by accepting the invitation. */
async function khazarAdmin(): Promise<{ email: string; password: string; api: APIRequestContext }> {
  const brand = await signedIn(users.brandAdmin.email);
  const email = `loops-${Date.now()}@khazar.example`;
  const invited = await post(brand, "/users/new", { email, displayName: "مدیر خزر", role: "partner_admin", partnerId: KHAZAR });
  expect(invited.status()).toBe(200);
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(await invited.text())![1];
  await brand.dispose();
  const password = "khazar-password-1404";
  const api = await request.newContext({ baseURL });
  expect((await post(api, `/invite/${token}`, { password, confirm: password })).status()).toBe(302);
  return { email, password, api };
}

test("a rep given a customer whose contact is hidden records what the customer told them, finds them by it, and the owner's admin opens the ask", async ({ page, browser }) => {
  const db = e2eDb();
  const admin = await khazarAdmin();
  // A Khazar customer who did not consent to sharing contact, not yet served by Noor.
  const customer = await db
    .selectFrom("customers")
    .select(["id", "phone", "display_name", "city"])
    .where("registered_by_partner_id", "=", KHAZAR)
    .where("consent_share_partners", "=", 0)
    .where("id", "not in", db.selectFrom("customer_partners").select("customer_id").where("partner_id", "=", "01DEMQPARTNER0000000000003"))
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();

  // The request, and the owner's admin accepting it (trust-serve-requests.spec.ts walks through the pages).
  const rep = await signedIn(NOOR_REP);
  expect((await post(rep, "/serve-requests", { match: "phone", phone: customer.phone, email: "", displayName: customer.display_name, city: customer.city, reason: "مشتری به فروشگاه ما در ونک آمده است." })).status()).toBe(302);
  await rep.dispose();
  const request = await db.selectFrom("serve_requests").select("id").where("customer_id", "=", customer.id).where("status", "=", "pending").executeTakeFirstOrThrow();
  const decision = "مشتری خودش خدمت شعبهٔ ونک را خواست.";
  expect((await post(admin.api, "/serve-requests/incoming", { id: request.id, decision: "approve", reason: decision })).status()).toBe(302);
  await admin.api.dispose();

  // The rep sees why the contact is hidden, and records the number the customer gave in the shop.
  await signIn(page, NOOR_REP);
  await expect(page).toHaveURL(/\/$/);
  // "My requests": the request with its status and the decision's reason, in Persian.
  await page.goto("/serve-requests");
  const sentRow = page.getByRole("row").filter({ hasText: "مشتری به فروشگاه ما در ونک آمده است." });
  await expect(sentRow.getByText(faConflicts.status.approved, { exact: true })).toBeVisible();
  await expect(sentRow.getByText(decision, { exact: true })).toBeVisible();
  // The registrant's number, hidden from this rep, finds no one, and the page says what will.
  await page.goto(`/customers?q=${encodeURIComponent(customer.phone)}`);
  await expect(page.getByText(faCustomers.contact_search_empty)).toBeVisible();
  await page.goto(`/customers/${customer.id}`);
  await expectPageLanguage(page, "fa");
  const section = page.getByTestId("contact-access");
  await expect(section.getByText(faCustomers.contact_access.hidden.not_shared)).toBeVisible();
  await section.getByText(faCustomers.contact_access.record, { exact: true }).click();
  const direct = `0936${String(Date.now()).slice(-7)}`;
  const persianDigits = direct.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
  await section.getByLabel(faCustomers.mobile, { exact: true }).fill("۱۲۳");
  await section.getByRole("button", { name: faCustomers.contact_access.save }).click();
  await expect(page.getByTestId("contact-access").getByRole("alert")).toBeVisible(); // a wrong number is refused in Persian
  expect(await db.selectFrom("customer_collected_contacts").select("id").where("customer_id", "=", customer.id).execute()).toEqual([]);
  await page.getByTestId("contact-access").getByLabel(faCustomers.mobile, { exact: true }).fill(persianDigits);
  await page.getByTestId("contact-access").getByLabel(faCustomers.contact_access.channel).selectOption("in_person");
  await page.getByTestId("contact-access").getByRole("button", { name: faCustomers.contact_access.save }).click();
  const collected = page.getByTestId("collected-contact");
  await expect(collected).toHaveCount(1);
  await expect(collected.locator('a[href^="tel:+98936"]')).toBeVisible();
  await expect(collected).toContainText(faCustomers.contact_access.collected_by_you.split("{{date}}")[0].trim());
  await expect(collected).toContainText(faCustomers.interactionChannel.in_person);

  // The search by that number now finds the customer (for this partner).
  await page.goto(`/customers?q=${encodeURIComponent(persianDigits)}`);
  await expect(page.locator(`a[href="/customers/${customer.id}"]`).first()).toBeVisible();

  // Ask the owner to share; the page says it was asked.
  await page.goto(`/customers/${customer.id}`);
  await page.getByRole("button", { name: faCustomers.contact_access.ask }).click();
  await expect(page.getByTestId("ask-open")).toBeVisible();

  // The owner's admin: the ask is unread; opening it marks it read and lands on the customer.
  const context = await browser.newContext({ baseURL, locale: "fa-IR" });
  const adminPage = await context.newPage();
  await signIn(adminPage, admin.email, admin.password);
  await expect(adminPage).toHaveURL(/\/$/);
  await adminPage.goto("/notifications");
  const before = await badge(adminPage);
  expect(before).toBeGreaterThan(0);
  const message = adminPage.locator("ul.timeline li").filter({ hasText: customer.display_name }).filter({ hasText: faConflicts.notifications.new }).getByRole("link").first();
  await expect(message).toContainText(customer.display_name);
  await message.click();
  await expect(adminPage).toHaveURL(new RegExp(`/customers/${customer.id}$`));
  expect(await badge(adminPage)).toBe(before - 1);
  await context.close();
});

test("a rep completes one of today's actions (on the customer's timeline) and snoozes another (gone from the list)", async ({ page }) => {
  await signIn(page, NOOR_REP);
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/customers/today");
  await expectPageLanguage(page, "fa");
  const actions = page.getByTestId("today-action");
  expect(await actions.count()).toBeGreaterThan(1);
  // Each action by its customer and rule: the list is paged, so counts alone would not show which one left.
  const byKey = async (action: typeof actions) => page.locator(`[data-action="${await action.getAttribute("data-action")}"]`);

  // Done, with a note.
  const first = await byKey(actions.first());
  const label = (await first.locator("strong").innerText()).trim();
  const row = page.locator("tr").filter({ has: first });
  const customerHref = (await row.locator('a[href^="/customers/"]').first().getAttribute("href"))!;
  const note = `مشتری تلفنی پاسخ داد ${Date.now()}`;
  await first.getByLabel(faCustomers.today.note).fill(note);
  await first.getByRole("button", { name: faCustomers.today.done, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(faCustomers.today.saved_done);
  await expect(first).toHaveCount(0);
  await page.goto(customerHref);
  const entry = page.getByTestId("timeline").locator("li").filter({ hasText: note });
  await expect(entry).toContainText(fill(faCustomers.action_done, { action: label }));
  await expect(entry).toContainText(users.noorRep.name);

  // Snoozed to a day after today: a wrong day is refused in Persian, a right one takes it off the list.
  await page.goto("/customers/today");
  const next = await byKey(actions.first());
  const later = next.getByRole("button", { name: faCustomers.today.later, exact: true });
  await expect(later).toHaveAttribute("aria-expanded", "false");
  await later.click();
  await expect(later).toHaveAttribute("aria-expanded", "true");
  await next.getByLabel(faCustomers.today.snooze_until).fill(dateInputValue(new Date(), "fa"));
  await next.getByRole("button", { name: faCustomers.today.snooze, exact: true }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(next).toHaveCount(1);
  await next.getByLabel(faCustomers.today.snooze_until).fill(dateInputValue(new Date(Date.now() + 3 * 86_400_000), "fa"));
  await next.getByRole("button", { name: faCustomers.today.snooze, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(faCustomers.today.saved_snooze);
  await expect(next).toHaveCount(0);
});

test("without JavaScript, \"later\" is a link: the server renders that action's forms alone, and a refused day comes back open", async ({ browser }) => {
  const context = await browser.newContext({ baseURL, locale: "fa-IR", javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, NOOR_REP);
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/customers/today");
  const snoozeFields = page.getByLabel(faCustomers.today.snooze_until);
  await expect(snoozeFields).toHaveCount(0);
  const key = (await page.getByTestId("today-action").first().getAttribute("data-action"))!;
  const action = page.locator(`[data-action="${key}"]`);
  const later = action.getByRole("button", { name: faCustomers.today.later, exact: true });
  await expect(later).toHaveAttribute("aria-expanded", "false");

  await later.click();
  await expect(page).toHaveURL((url) => url.searchParams.get("later") === key && url.hash.endsWith("-later"));
  await expect(later).toHaveAttribute("aria-expanded", "true");
  await expect(snoozeFields).toHaveCount(1);
  await expect(action.getByLabel(faCustomers.today.snooze_until)).toBeVisible();
  await expect(action.getByLabel(faCustomers.today.follow_up_on)).toBeVisible();

  // A day that is not after today: refused, and the forms are open again with the error.
  await action.getByLabel(faCustomers.today.snooze_until).fill(dateInputValue(new Date(), "fa"));
  await action.getByRole("button", { name: faCustomers.today.snooze, exact: true }).click();
  await expect(action.getByRole("alert")).toBeVisible();
  await expect(action.getByLabel(faCustomers.today.snooze_until)).toHaveAttribute("aria-invalid", "true");

  // The same control closes them.
  await action.getByRole("button", { name: faCustomers.today.later, exact: true }).click();
  await expect(page).toHaveURL((url) => !url.searchParams.has("later"));
  await expect(snoozeFields).toHaveCount(0);
  await context.close();
});

test("with JavaScript, \"later\" opens and closes in place, from the mouse or the keyboard, without asking the server", async ({ page }) => {
  await signIn(page, NOOR_REP);
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/customers/today");
  const action = page.getByTestId("today-action").first();
  const later = action.getByRole("button", { name: faCustomers.today.later, exact: true });
  await expect.poll(() => later.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))), { message: "hydrated" }).toBe(true);
  const address = page.url();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  await later.click();
  await expect(later).toHaveAttribute("aria-expanded", "true");
  await expect(action.getByLabel(faCustomers.today.snooze_until)).toBeVisible();
  await expect(later).toBeFocused();
  // The space bar closes it like a button; Enter opens it again, and Tab goes on into its first field.
  await page.keyboard.press(" ");
  await expect(later).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByLabel(faCustomers.today.snooze_until)).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(later).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Tab");
  await expect(action.getByLabel(faCustomers.today.snooze_until)).toBeFocused();
  expect(page.url()).toBe(address);
  expect(requests).toEqual([]);
});
