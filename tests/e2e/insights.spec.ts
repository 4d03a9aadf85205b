// Network insights in Persian: a brand manager opens insights from the menu, reads a chart drawn
// right-to-left with Persian digits, switches it to its table, downloads its CSV, is told plainly
// about a bad filter, and opens the three truths of a category with its capability statement.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import faInsights from "../../locales/fa/insights.json" with { type: "json" };
import { expectPageLanguage, fa, signInHome } from "./support";

const manager = { email: "manager@brand.example", name: "علی رضایی" };
const t = faInsights;
const PERSIAN_DIGIT = /[۰-۹]/;

test("a brand manager reads network insights, their tables and CSV, and the three truths of a category", async ({ page }) => {
  await signInHome(page, manager);
  await page.getByRole("navigation").getByRole("link", { name: fa.common.nav.insights, exact: true }).click();
  await expect(page).toHaveURL(/\/insights$/);
  await expect(page.getByRole("heading", { level: 1, name: t.title })).toBeVisible();
  await expectPageLanguage(page, "fa");
  await expect(page.getByText(/^به‌روز تا /)).toBeVisible();

  const panel = page.locator("section", { has: page.getByRole("heading", { level: 2, name: t.tables.needs_category }) });
  const chart = panel.getByRole("img", { name: t.tables.needs_category });
  await expect(chart).toBeVisible();
  // Ticks in Persian digits; labels on the right and bars growing leftwards from them.
  const ticks = await chart.locator("text.chart-tick").allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  expect(ticks.every((s) => PERSIAN_DIGIT.test(s) && !/[0-9]/.test(s))).toBe(true);
  const label = await chart.locator("text.chart-label").first().boundingBox();
  const bar = await chart.locator("rect").first().boundingBox();
  expect(bar!.x + bar!.width).toBeLessThanOrEqual(label!.x + 2);

  await panel.getByRole("button", { name: t.show_table }).click();
  const table = panel.getByRole("table");
  await expect(table).toBeVisible();
  await expect(table.getByRole("columnheader", { name: t.open, exact: true })).toBeVisible();
  const firstRow = table.locator("tbody tr").first();
  const cells = await firstRow.locator("td").allTextContents();
  expect(cells.slice(1).every((c) => PERSIAN_DIGIT.test(c))).toBe(true);
  await panel.getByRole("button", { name: t.show_chart }).click();
  await expect(panel.getByRole("img")).toBeVisible();

  const download = page.waitForEvent("download");
  await panel.getByRole("link", { name: t.csv }).click();
  const file = await (await download).path();
  const bytes = await readFile(file!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split(/\r?\n/);
  expect(lines[0]).toBe([t.category, t.open, t.met, t.declined].join(","));
  // The table's first row, in the file with ASCII digits.
  const toAscii = (s: string) => s.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d))).replace(/٬/g, "");
  expect(lines[1]).toBe([cells[0], ...cells.slice(1).map(toAscii)].join(","));

  // A date that does not exist (1404 is not a leap year) is refused, in Persian.
  const bad = await page.goto(`/insights?from=${encodeURIComponent("۱۴۰۴/۱۲/۳۰")}`);
  expect(bad?.status()).toBe(400);
  await expect(page.getByRole("alert").filter({ hasText: t.bad_filters })).toBeVisible();
  await expect(page.getByText(fa.common.errors.date_impossible)).toBeVisible();

  await page.goto("/insights");
  await page.getByRole("link", { name: t.truths_link }).click();
  await page.getByRole("link", { name: "یخچال و فریزر", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "سه حقیقت: یخچال و فریزر" })).toBeVisible();
  for (const truth of [t.truths.customer, t.truths.profit, t.truths.capability]) await expect(page.getByRole("heading", { level: 2, name: truth })).toBeVisible();
  const statement = page.getByTestId("capability-statement");
  await expect(statement).toBeVisible();
  // Whatever the demo's numbers are today, the answer is a plain yes or no with Persian figures.
  const said = await statement.textContent();
  expect(said).toMatch(/^(بله|نه)/);
  expect(said).toMatch(PERSIAN_DIGIT);
});
