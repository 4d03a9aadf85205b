// The co-creation loop in Persian: a rep posts an idea for one of their customers from the
// customer's profile (seeing a similar idea suggested as they type), a brand manager marks it shipped with a public answer, and the rep
// finds the customer on "you asked, we built", marks them told, and sees it on the customer's timeline.
import { expect, test } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import faIdeas from "../../locales/fa/ideas.json" with { type: "json" };
import { closeE2eDb, e2eDb } from "./api";
import { expectPageLanguage, fa, signIn } from "./support";

const AFTAB = "01DEMQPARTNER0000000000006";

test.describe.configure({ timeout: 120_000 });

test.afterAll(async () => {
  await closeE2eDb();
});

test("a rep's idea for a customer ships, and the rep tells that customer", async ({ page, browser }) => {
  const db = e2eDb();
  const customer = await db.selectFrom("customers").select(["id", "display_name"]).where("registered_by_partner_id", "=", AFTAB).orderBy("id", "desc").executeTakeFirstOrThrow();
  const title = `سماور برقی با تایمر صبحگاهی ${Date.now() % 100000}`;

  // The rep posts the idea from the board, in Persian.
  await signIn(page, "rep@aftab.example");
  await expect(page).toHaveURL(/\/$/);
  await expectPageLanguage(page, "fa");
  await page.getByRole("navigation").getByRole("link", { name: fa.common.nav.ideas, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: faIdeas.board.title })).toBeVisible();
  await expect(page.getByRole("link", { name: faIdeas.board.post, exact: true })).toBeVisible();
  // From the customer's profile: the form starts with that customer ticked.
  await page.goto(`/customers/${customer.id}`);
  await page.getByTestId("needs").getByRole("link", { name: faIdeas.new.for_customer, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: faIdeas.new.title })).toBeVisible();
  await expect(page.locator(`input[name="customerId"][value="${customer.id}"]`)).toBeChecked();
  // A seeded idea is suggested while the title is typed (Arabic ي/ك and spaces for half-spaces).
  await page.getByLabel(faIdeas.title, { exact: true }).pressSequentially("يخچال با درب شيشه اي");
  await expect(page.getByTestId("similar-ideas")).toContainText("یخچال با درب شیشه‌ای");
  await page.getByLabel(faIdeas.title, { exact: true }).fill(title);
  await page.getByLabel(faIdeas.body, { exact: true }).fill("مشتری می‌خواهد چای صبح پیش از بیدار شدنش آماده باشد.");
  await page.getByLabel(faIdeas.category, { exact: true }).selectOption({ label: "لوازم کوچک آشپزخانه" });
  await page.getByLabel(faIdeas.new.customer_search, { exact: true }).fill(customer.display_name);
  await page.getByRole("button", { name: faIdeas.new.search, exact: true }).click();
  // A search of the picker keeps the customer ticked.
  await expect(page.locator(`input[name="customerId"][value="${customer.id}"]`)).toBeChecked();
  await page.getByRole("button", { name: faIdeas.new.submit, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(faIdeas.idea.posted);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("table").getByRole("link", { name: customer.display_name })).toBeVisible();
  const ideaUrl = new URL(page.url()).pathname;

  // A brand manager marks it shipped with a public answer.
  const brand = await browser.newContext();
  const manager = await brand.newPage();
  await signIn(manager, "manager@brand.example");
  await expect(manager).toHaveURL(/\/$/);
  await manager.goto(ideaUrl);
  await expect(manager.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The brand sees who asked and what they are worth; counts in Persian digits.
  await expect(manager.getByRole("table").getByRole("link", { name: customer.display_name })).toBeVisible();
  await expect(manager.locator("dl.facts")).toContainText("۱");
  await manager.getByLabel(faIdeas.status, { exact: true }).selectOption({ label: faIdeas.statuses.shipped });
  await manager.getByLabel(faIdeas.idea.public_answer, { exact: true }).fill("سماور تایمردار از ماه آینده در نمایندگی‌ها است.");
  await manager.getByRole("button", { name: faIdeas.idea.set_status, exact: true }).click();
  await expect(manager.getByRole("status")).toHaveText(faIdeas.idea.answered);
  await brand.close();

  // The rep finds the customer on "you asked, we built" and marks them told.
  await page.getByRole("navigation").getByRole("link", { name: fa.common.nav.ideas_built, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: faIdeas.built.title })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: title }).filter({ hasText: customer.display_name });
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: faIdeas.built.mark_contacted, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(faIdeas.built.contacted);
  await expect(page.getByRole("row").filter({ hasText: title })).toHaveCount(0);

  // The answer is public on the idea, and the customer's timeline has both the shipping and the call.
  await page.goto(ideaUrl);
  await expect(page.getByTestId("idea-answer")).toContainText("سماور تایمردار");
  await page.goto(`/customers/${customer.id}`);
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByText(faCustomers.interaction.idea_shipped, { exact: true })).toBeVisible();
  await expect(timeline.locator("li").filter({ hasText: faCustomers.interaction.idea_contacted }).filter({ hasText: title })).toHaveCount(1);
});
