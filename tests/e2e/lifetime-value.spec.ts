import { expect, test } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { closeE2eDb, e2eDb } from "./api";
import { expectPageLanguage, fa, fill, signInHome, users } from "./support";

const NOOR = "01DEMQPARTNER0000000000003";
const persian = (n: number) => new Intl.NumberFormat("fa-IR").format(n);
const ltv = fa.common.settings.ltv;

test.afterAll(closeE2eDb);

test("the brand admin reads the demo's lifetime-value fit in Persian on the settings page", async ({ page }) => {
  const fit = await e2eDb().selectFrom("brand_value_fits").selectAll().executeTakeFirstOrThrow();
  expect(fit.last_outcome).toBe("fitted");
  await signInHome(page, users.brandAdmin);
  await page.goto("/settings");
  await expectPageLanguage(page, "fa");
  const section = page.getByTestId("lifetime-value-settings");
  await expect(section.getByRole("heading", { name: ltv.title })).toBeVisible();
  const summary = section.getByTestId("fit-summary");
  // "… روی ۱۷۶ مشتری خریدار، که ۱۲۳ نفرشان …": the counts in Persian digits.
  await expect(summary).toContainText(`${persian(fit.customers)} مشتری خریدار`);
  await expect(summary).toContainText(`${persian(fit.repeat_customers)} نفرشان`);
  await expect(summary).toContainText(fill(ltv.summary_active, { percent: persian(Math.round(fit.active_share! * 100)) }));
  await expect(summary).not.toContainText(/[0-9]/);
  await expect(section.getByLabel(ltv.horizon_months, { exact: true })).toHaveValue(persian(36));
});

test("a rep sees the purchase forecast beside a customer's orders, in Persian", async ({ page }) => {
  const buyer = await e2eDb()
    .selectFrom("customers")
    .innerJoin("customer_partners", "customer_partners.customer_id", "customers.id")
    .select(["customers.id", "customers.p_alive", "customers.expected_purchases"])
    .where("customer_partners.partner_id", "=", NOOR)
    .where("customers.p_alive", "is not", null)
    .orderBy("customers.order_count", "desc")
    .orderBy("customers.id")
    .executeTakeFirstOrThrow();
  await signInHome(page, users.noorRep);
  await page.goto(`/customers/${buyer.id}`);
  const forecast = page.getByTestId("purchase-forecast");
  await expect(forecast.getByRole("heading", { name: faCustomers.model_title })).toBeVisible();
  await expect(forecast).toContainText(fill(faCustomers.p_alive_value, { percent: persian(Math.round(buyer.p_alive! * 100)) }));
  await expect(forecast).toContainText(fill(faCustomers.expected_purchases, { months: persian(36) }));
  await expect(forecast).toContainText(persian(Math.round(buyer.expected_purchases! * 10) / 10));
});
