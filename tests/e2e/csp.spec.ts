import { expect, test, type Page } from "@playwright/test";
import faImports from "../../locales/fa/imports.json" with { type: "json" };
import { DEMO_PASSWORD, fa, signIn, signInHome, users } from "./support";

// Accounts no other spec signs in with, so this file cannot disturb them (or be disturbed).
const zandiyehAdmin = { email: "admin@zandiyeh.example", name: "مهدی کاظمی" };
const zandiyehRep = "rep@zandiyeh.example";

/** Every CSP violation the page reports, from the DOM event and from Chromium's console. */
let violations: string[] = [];

test.beforeEach(async ({ page }) => {
  violations = [];
  await page.exposeFunction("reportCspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
});

test.afterEach(() => {
  expect(violations).toEqual([]);
});

/**
 * Loads a page and checks what the server sent: the policy with a nonce, and that nonce on every
 * script tag; then that React hydrated the page (it marks the DOM nodes it takes over).
 */
async function visit(page: Page, path: string, status = 200): Promise<string> {
  const response = await page.goto(path);
  expect(response!.status(), path).toBe(status);
  const policy = response!.headers()["content-security-policy"];
  expect(policy, path).toContain("default-src 'self'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("unsafe-inline");
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'/.exec(policy)?.[1];
  expect(nonce, path).toBeDefined();
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, path).toBeGreaterThanOrEqual(3);
  for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  await expectHydrated(page);
  return nonce!;
}

async function expectHydrated(page: Page) {
  await expect.poll(() => page.evaluate(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber"))), { message: "hydrated" }).toBe(true);
}

/** A client-side navigation keeps the window: the marker survives only if the app is live. */
async function expectClientNavigation(page: Page, act: () => Promise<void>) {
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await act();
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
}

test("the policy is enforced: an inline script without the nonce does not run and is reported", async ({ page }) => {
  await visit(page, "/login");
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.injectedRan = true";
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { injectedRan?: boolean }).injectedRan ?? false;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join("\n")).toContain("script-src");
  violations = [];
});

test("each response has a fresh nonce", async ({ page }) => {
  const first = await visit(page, "/login");
  const second = await visit(page, "/login");
  expect(second).not.toBe(first);
});

test("sign-in page and an unknown page: policy, nonces, hydration, no violation", async ({ page }) => {
  await visit(page, "/login");
  await expectClientNavigation(page, async () => {
    await page.getByLabel(fa.auth.email, { exact: true }).fill(`nobody-${Date.now()}@csp-check.example`);
    await page.getByLabel(fa.auth.password, { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: fa.auth.submit, exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(fa.auth.invalid);
  });
  // Signed out, an unknown address asks for the sign-in first (the 404 is inside the app, below).
  await visit(page, "/no-such-page");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fno-such-page$/);
});

test("brand admin pages: home, lists, a customer profile, a form, the audit log, a 404 inside the app", async ({ page }) => {
  test.setTimeout(90_000);
  await signInHome(page, users.brandAdmin);
  await visit(page, "/");
  await visit(page, "/customers");
  await expectClientNavigation(page, async () => {
    await page.getByRole("row").nth(1).getByRole("link").first().click();
    await expect(page).toHaveURL(/\/customers\/[0-9A-Z]{26}$/);
    await expect(page.getByTestId("timeline")).toBeVisible();
  });
  await visit(page, new URL(page.url()).pathname);
  await visit(page, "/partners");
  await visit(page, "/partners/new");
  await visit(page, "/segments");
  await visit(page, "/audit");
  await expectClientNavigation(page, async () => {
    await page.getByRole("navigation", { name: fa.common.nav.label }).getByRole("link", { name: fa.common.nav.partners, exact: true }).click();
    await expect(page).toHaveURL(/\/partners$/);
  });
  await visit(page, "/partners/01XXXXXXXXXXXXXXXXXXXXXXXX", 404);
  await visit(page, "/no-such-page", 404);
  await expect(page.getByRole("navigation", { name: fa.common.nav.label })).toBeAttached();
  await expect(page.getByRole("heading", { level: 1, name: fa.common.errorPage.not_found.title })).toBeVisible();
});

test("partner pages: profile and user forms; a CSV upload named a=b.csv and its import page", async ({ page }) => {
  test.setTimeout(90_000);
  await signInHome(page, zandiyehAdmin);
  await visit(page, "/profile");
  await visit(page, "/users/new");
  await visit(page, "/audit");

  await page.context().clearCookies();
  await signIn(page, zandiyehRep, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await visit(page, "/customers/import");
  await page.getByLabel(faImports.upload.file, { exact: true }).setInputFiles({
    name: "a=b.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("نام,تلفن همراه,شهر\nسینا کرمی,09351112233,شیراز\n"),
  });
  await page.getByRole("button", { name: faImports.upload.submit, exact: true }).click();
  await expect(page).toHaveURL(/\/customers\/import\/[0-9A-Z]{26}$/);
  // The job page (progress, mapping, samples) is the one that used to carry style attributes.
  await visit(page, new URL(page.url()).pathname);
  await page.goto("/customers/import");
  await expect(page.getByRole("link", { name: "a=b.csv" }).first()).toBeVisible();
});
