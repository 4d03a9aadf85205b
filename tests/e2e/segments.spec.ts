import { expect, test } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import faImports from "../../locales/fa/imports.json" with { type: "json" };
import { closeE2eDb, e2eDb } from "./api";
import { expectPageLanguage, fa, fill, signInHome, users } from "./support";

const s = faImports.segments;
const NOOR = "01DEMQPARTNER0000000000003";
const toPersianDigits = (n: number) => new Intl.NumberFormat("fa-IR").format(n);

test.afterAll(closeE2eDb);

test("a rep builds a segment with the filter form, sees its filters in Persian, opens its customers and deletes it after confirming", async ({ page }) => {
  // The province where the rep's partner has the most tier-A customers in the demo data.
  const [{ province, n }] = await e2eDb()
    .selectFrom("customers")
    .innerJoin("customer_partners", "customer_partners.customer_id", "customers.id")
    .select(["customers.province", (eb) => eb.fn.countAll<number>().as("n")])
    .where("customer_partners.partner_id", "=", NOOR)
    .where("customers.value_tier", "=", "A")
    .groupBy("customers.province")
    .orderBy("n", "desc")
    .limit(1)
    .execute();
  const count = Number(n);
  const provinceName = fa.common.provinces[province as keyof typeof fa.common.provinces];
  const name = `مشتریان ردهٔ الف ${provinceName} ${Date.now() % 100000}`;

  await signInHome(page, users.noorRep);
  await page.goto("/segments");
  await expectPageLanguage(page, "fa");
  await page.getByLabel(s.name, { exact: true }).fill(name);
  await page.getByLabel(faCustomers.value_tier, { exact: true }).selectOption({ label: faCustomers.tier.A });
  await page.getByLabel(faCustomers.province, { exact: true }).selectOption({ label: provinceName });
  await page.getByRole("button", { name: s.create, exact: true }).click();

  await expect(page.getByRole("status")).toHaveText(fill(s.saved, { name }));
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.locator(".chip")).toHaveText([`${s.filter.valueTier}: ${faCustomers.tier.A}`, `${s.filter.province}: ${provinceName}`]);
  await expect(row).toContainText(toPersianDigits(count));
  await expect(row).not.toContainText("valueTier");

  await row.getByRole("link", { name: s.open, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/customers\\?valueTier=A&province=${province}$`));
  const customers = page.locator("table.data tbody tr");
  await expect(customers).toHaveCount(Math.min(count, 20));
  for (const text of await customers.allInnerTexts()) {
    expect(text).toContain(faCustomers.tier.A);
    expect(text).toContain(provinceName);
  }

  await page.goto("/segments");
  const again = page.getByRole("row").filter({ hasText: name });
  await again.getByText(s.delete, { exact: true }).click();
  await expect(again.getByText(fill(s.delete_question, { name }))).toBeVisible();
  await again.getByRole("button", { name: s.delete_confirm, exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(s.deleted);
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
});
