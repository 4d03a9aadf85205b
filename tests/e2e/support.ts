import { expect, type Page } from "@playwright/test";
import faAuth from "../../locales/fa/auth.json" with { type: "json" };
import faCommon from "../../locales/fa/common.json" with { type: "json" };
import faHome from "../../locales/fa/home.json" with { type: "json" };
import faPartners from "../../locales/fa/partners.json" with { type: "json" };
import faUsers from "../../locales/fa/users.json" with { type: "json" };
import enCommon from "../../locales/en/common.json" with { type: "json" };
import enHome from "../../locales/en/home.json" with { type: "json" };

/** UI strings straight from the locale files, so the journeys follow the translations. */
export const fa = { auth: faAuth, common: faCommon, home: faHome, partners: faPartners, users: faUsers };
export const en = { common: enCommon, home: enHome };

/** Demo users from db/seed/foundation.ts. */
export const DEMO_PASSWORD = "portal-demo-1404";
export const users = {
  brandAdmin: { email: "admin@brand.example", name: "سارا احمدی" },
  noorRep: { email: "rep@noor.example", name: "زهرا جعفری" },
  alborzRep: { email: "rep@alborz.example", name: "نگار حسینی" },
} as const;

/** "{{name}}، خوش آمدید" → "زهرا جعفری، خوش آمدید" (plain interpolation only). */
export const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? "");

/** Signs in through the Persian login form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(fa.auth.email, { exact: true }).fill(email);
  await page.getByLabel(fa.auth.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: fa.auth.submit, exact: true }).click();
}

/** Signs in and waits for the home page greeting. */
export async function signInHome(page: Page, user: { email: string; name: string }, password = DEMO_PASSWORD) {
  await signIn(page, user.email, password);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: fill(fa.home.welcome, { name: user.name }) })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: fa.common.nav.logout, exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function expectPageLanguage(page: Page, lang: "fa" | "en") {
  const html = page.locator("html");
  await expect(html).toHaveAttribute("lang", lang);
  await expect(html).toHaveAttribute("dir", lang === "fa" ? "rtl" : "ltr");
}
