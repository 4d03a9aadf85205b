import { expect, test, type Page } from "@playwright/test";
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faOrders from "../../locales/fa/orders.json" with { type: "json" };
import { signInHome, users } from "./support";

/** Every page whose list is drawn by the shared table (app/ui/data-table.tsx), as the brand sees them. */
const LIST_PAGES = ["/customers", "/orders", "/products", "/pricing", "/catalog", "/partners", "/users", "/audit", "/conflicts", "/toolkits/manage", "/toolkits/analytics"];

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** What the stylesheet writes before a cell: its column's header on a phone, nothing on a wide screen. */
const labelBefore = (page: Page, cell: string) => page.locator(cell).first().evaluate((td) => getComputedStyle(td, "::before").content);

test("on a 360 px phone no list page scrolls sideways", async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 360, height: 740 });
  await signInHome(page, users.brandAdmin);
  for (const path of LIST_PAGES) {
    await page.goto(path);
    await expect(page.locator("table.data").first(), path).toBeVisible();
    expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
  }
});

test("on a phone each order is a card whose cells carry their labels; on a wide screen the same list is a table", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInHome(page, users.brandAdmin);
  await page.goto("/orders");
  const table = page.locator("table.data");
  const firstRow = table.locator("tbody tr").first();
  // Cards: the header row is out of sight, a row is a block, and the total cell says what it is.
  await expect(table.locator("thead")).not.toBeInViewport();
  expect(await firstRow.evaluate((tr) => getComputedStyle(tr).display)).toBe("block");
  const totalCell = `table.data tbody td[data-label="${faOrders.total}"]`;
  expect(await labelBefore(page, totalCell)).toBe(`"${faOrders.total}"`);
  // The first cell is the card's title: the order number, without a label.
  expect(await labelBefore(page, "table.data tbody td:first-child")).toBe("none");
  await expect(firstRow.getByRole("link")).toHaveText(/^SO-/);

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole("columnheader", { name: faOrders.total })).toBeInViewport();
  expect(await firstRow.evaluate((tr) => getComputedStyle(tr).display)).toBe("table-row");
  expect(await labelBefore(page, totalCell)).toBe("none");
});

test("the customer list goes forward and back by plain next and previous links, with the total in Persian digits", async ({ page }) => {
  await signInHome(page, users.brandAdmin);
  // The demo customers of one province that no other spec registers in (28, so two pages): other specs
  // running meanwhile must not move rows between the pages this test compares.
  await page.goto("/customers?province=khorasan_razavi");
  const nav = page.getByRole("navigation", { name: faCommon.pagination.label });
  // An exact total in Persian digits; no previous page on the first.
  await expect(nav).toContainText(/[۰-۹]{2} مورد/);
  await expect(nav.getByRole("link", { name: faCommon.pagination.prev })).toHaveCount(0);
  // The customers shown, by the link to each one's profile (names may repeat).
  const names = () => page.locator("table.data tbody tr td:first-child a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const first = await names();
  expect(first).toHaveLength(20);

  await nav.getByRole("link", { name: faCommon.pagination.next }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  // The address changes before the new rows are drawn: the previous link shows the second page is in.
  await expect(nav.getByRole("link", { name: faCommon.pagination.prev })).toHaveCount(1);
  const second = await names();
  expect(second.length).toBeGreaterThan(0);
  expect(second.filter((id) => first.includes(id))).toEqual([]);

  await page.getByRole("navigation", { name: faCommon.pagination.label }).getByRole("link", { name: faCommon.pagination.prev }).click();
  await expect(page).toHaveURL(/[?&]before=/);
  await expect.poll(names).toEqual(first);
});
