// The catalogue in Persian: a brand manager changes a product's price, a gold and a silver rep
// see their own (different) net prices for it, and a rep types a quantity in Persian digits and
// gets the net total and a Jalali promise date. The product is the spec's own, so no demo data
// other specs read is touched.
import { expect, test, type Page } from "@playwright/test";
import faCatalog from "../../locales/fa/catalog.json" with { type: "json" };
import { formatDate, formatMoney } from "../../app/domain/format";
import { addDays, tehranToday } from "../../app/domain/promise-date";
import { fa, fill, signInHome } from "./support";

const c = faCatalog;
const toPersianDigits = (s: string) => s.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
/** The demo brand shows money in Toman. */
const toman = (rial: bigint) => `${formatMoney(rial, "fa", "toman")} ${fa.common.money.toman}`;
/** Prices are typed in the brand's unit, which the field's label names. */
const inToman = (label: string) => fill(label, { unit: fa.common.money.toman });

const manager = { email: "manager@brand.example", name: "علی رضایی" };
const goldRep = { email: "rep@noor.example", name: "زهرا جعفری" }; // Noor: gold, Tehran
const silverRep = { email: "rep@zandiyeh.example", name: "فاطمه صادقی" }; // Zandiyeh: silver, Fars

async function signOut(page: Page) {
  await page.getByRole("button", { name: fa.common.nav.logout, exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

test("a manager reprices a product; gold and silver reps see their own net prices; a rep gets a total and a Jalali promise date", async ({ page }) => {
  const sku = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const name = `چای‌ساز آزمایشی ${toPersianDigits(sku.slice(-4))}`;

  await signInHome(page, manager);
  await page.getByRole("link", { name: fa.common.nav.products, exact: true }).click();
  await page.getByRole("link", { name: c.new_product, exact: true }).click();
  await page.getByLabel(c.sku, { exact: true }).fill(sku);
  await page.getByLabel(c.name_fa, { exact: true }).fill(name);
  await page.getByLabel(c.name_en, { exact: true }).fill("Test tea maker");
  await page.getByLabel(c.category, { exact: true }).selectOption({ label: "لوازم کوچک آشپزخانه" });
  await page.getByLabel(inToman(c.list_price_rial), { exact: true }).fill("۱٬۰۰۰٬۰۰۰");
  await page.getByLabel(inToman(c.retail_price_rial), { exact: true }).fill("۱٬۵۰۰٬۰۰۰");
  await page.getByLabel(inToman(c.cost_rial), { exact: true }).fill("۶۰۰٬۰۰۰");
  await page.getByLabel(c.stock_on_hand, { exact: true }).fill("۵۰");
  await page.getByRole("button", { name: fa.common.save, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  // The price change: 1,000,000 → 1,200,000 Toman (12,000,000 Rial), typed with Persian digits and separators.
  await page.getByLabel(inToman(c.list_price_rial), { exact: true }).fill("۱٬۲۰۰٬۰۰۰");
  await page.getByRole("button", { name: fa.common.save, exact: true }).click();
  await expect(page.getByText(fa.common.saved)).toBeVisible();
  await expect(page.getByLabel(inToman(c.list_price_rial), { exact: true })).toHaveValue("۱٬۲۰۰٬۰۰۰");
  await signOut(page);

  // Small kitchen appliances: gold 12 %, silver 7 % off the list price (demo tier discounts).
  const netFor = { gold: 10_560_000n, silver: 11_160_000n };
  for (const [rep, net] of [[goldRep, netFor.gold], [silverRep, netFor.silver]] as const) {
    await signInHome(page, rep);
    await page.getByRole("link", { name: fa.common.nav.catalog, exact: true }).click();
    await page.getByRole("searchbox", { name: c.search }).fill(sku.toLowerCase());
    await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.getByTestId("net-price")).toHaveText(toman(net));
    // Cost is the brand's: not on the partner's page at all.
    await expect(page.getByText(c.cost, { exact: true })).toHaveCount(0);
    if (rep === silverRep) break;
    await signOut(page);
  }
  await signOut(page);

  // The gold rep asks for twelve: the category's volume break (3 % from 10 units) applies on top.
  await signInHome(page, goldRep);
  await page.getByRole("link", { name: fa.common.nav.catalog, exact: true }).click();
  await page.getByRole("searchbox", { name: c.search }).fill(name);
  await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByLabel(c.quantity, { exact: true }).fill("۱۲");
  await page.getByRole("button", { name: c.calculate, exact: true }).click();
  const unit = netFor.gold - (netFor.gold * 300n) / 10_000n;
  await expect(page.getByTestId("line-total")).toHaveText(toman(unit * 12n));
  // From stock: shipped after one handling day, delivered after one day of transit to Tehran.
  const ship = addDays(tehranToday(), 1);
  const delivery = addDays(ship, 1);
  await expect(page.getByTestId("promise")).toHaveText(
    fill(c.promise_stock, { ship: formatDate(`${ship}T12:00:00Z`, "fa"), delivery: formatDate(`${delivery}T12:00:00Z`, "fa") }),
  );
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
});
