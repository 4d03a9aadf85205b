// Every main page on a phone, in Persian: nothing wider than the screen, the page's heading inside
// it, every tap target at least 44 px tall, and a menu that opens from its button and takes the
// user to another page.
import { expect, test, type Page } from "@playwright/test";
import faCustomers from "../../locales/fa/customers.json" with { type: "json" };
import { can, type Permission } from "../../app/domain/permissions";
import type { Role } from "../../db/schema";
import { fa, signInHome } from "./support";

interface MainPage {
  name: string;
  path: string;
  /** What the role needs to open it; omitted: everyone. */
  permission?: Permission;
  /** A page reached from `path` by its first link to an address of this form (a customer, an order). */
  link?: RegExp;
}

const ID = "[0-9A-Z]{26}";
const PAGES: MainPage[] = [
  { name: "home", path: "/" },
  { name: "customers", path: "/customers", permission: "customers.view" },
  { name: "a customer", path: "/customers", permission: "customers.view", link: new RegExp(`^/customers/${ID}$`) },
  { name: "new customer", path: "/customers/new", permission: "customers.register" },
  { name: "today", path: "/customers/today", permission: "customers.register" },
  { name: "segments", path: "/segments", permission: "customers.view" },
  { name: "insights", path: "/insights", permission: "insights.view" },
  { name: "three truths", path: "/insights/truths", permission: "insights.view" },
  { name: "import", path: "/customers/import", permission: "customers.import" },
  { name: "serve requests", path: "/serve-requests", permission: "customers.register" },
  { name: "incoming requests", path: "/serve-requests/incoming", permission: "serve_requests.decide" },
  { name: "registration requests", path: "/conflicts", permission: "conflicts.resolve" },
  { name: "a registration request", path: "/conflicts", permission: "conflicts.resolve", link: new RegExp(`^/conflicts/${ID}$`) },
  { name: "co-creation board", path: "/ideas", permission: "ideas.view" },
  { name: "an idea", path: "/ideas", permission: "ideas.view", link: new RegExp(`^/ideas/${ID}$`) },
  { name: "new idea", path: "/ideas/new", permission: "ideas.post" },
  { name: "you asked, we built", path: "/ideas/built", permission: "ideas.follow_up" },
  { name: "notifications", path: "/notifications" },
  { name: "toolkits", path: "/toolkits", permission: "toolkits.view" },
  { name: "a toolkit", path: "/toolkits", permission: "toolkits.view", link: new RegExp(`^/toolkits/${ID}$`) },
  { name: "toolkits to manage", path: "/toolkits/manage", permission: "toolkits.manage" },
  { name: "a toolkit to manage", path: "/toolkits/manage", permission: "toolkits.manage", link: new RegExp(`^/toolkits/manage/${ID}$`) },
  { name: "toolkit analytics", path: "/toolkits/analytics", permission: "toolkits.analytics" },
  { name: "catalog", path: "/catalog", permission: "catalog.view" },
  { name: "a product", path: "/catalog", permission: "catalog.view", link: new RegExp(`^/catalog/${ID}$`) },
  { name: "cart", path: "/cart", permission: "orders.place" },
  { name: "orders", path: "/orders", permission: "orders.view" },
  { name: "an order", path: "/orders", permission: "orders.view", link: new RegExp(`^/orders/${ID}$`) },
  { name: "products", path: "/products", permission: "catalog.manage" },
  { name: "a product to edit", path: "/products", permission: "catalog.manage", link: new RegExp(`^/products/${ID}$`) },
  { name: "new product", path: "/products/new", permission: "catalog.manage" },
  { name: "products CSV", path: "/products/import", permission: "catalog.manage" },
  { name: "pricing", path: "/pricing", permission: "catalog.manage" },
  { name: "partners", path: "/partners", permission: "partners.view" },
  { name: "a partner", path: "/partners", permission: "partners.view", link: new RegExp(`^/partners/${ID}$`) },
  { name: "new partner", path: "/partners/new", permission: "partners.manage" },
  { name: "users", path: "/users", permission: "users.manage" },
  { name: "a user", path: "/users", permission: "users.manage", link: new RegExp(`^/users/${ID}$`) },
  { name: "invite a user", path: "/users/new", permission: "users.manage" },
  { name: "settings", path: "/settings", permission: "settings.manage" },
  { name: "audit", path: "/audit", permission: "audit.view" },
  { name: "profile", path: "/profile", permission: "profile.edit" },
  { name: "account security", path: "/account/security" },
];

const PEOPLE: { label: string; role: Role; email: string; name: string }[] = [
  { label: "partner rep", role: "partner_rep", email: "rep@noor.example", name: "زهرا جعفری" },
  { label: "partner admin", role: "partner_admin", email: "admin@alborz.example", name: "حسین محمدی" },
  { label: "brand admin", role: "brand_admin", email: "admin@brand.example", name: "سارا احمدی" },
];

const pagesFor = (role: Role) => PAGES.filter((p) => !p.permission || can({ role }, p.permission));

/** Opens a main page (following the list's first link for a detail page) and returns its address. */
async function open(page: Page, p: MainPage): Promise<string> {
  const response = await page.goto(p.path);
  expect(response?.status(), p.name).toBe(200);
  if (!p.link) return p.path;
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => p.link!.test(h));
  expect(href, `${p.name}: a link on ${p.path}`).toBeDefined();
  expect((await page.goto(href!))?.status(), p.name).toBe(200);
  return href!;
}

/** No sideways scrolling, and the page's heading starts and ends on the screen. */
async function expectFits(page: Page, what: string) {
  const fit = await page.evaluate(() => {
    const h1 = document.querySelector("main h1")!.getBoundingClientRect();
    return { scroll: document.documentElement.scrollWidth, width: innerWidth, left: h1.left, right: h1.right };
  });
  expect(fit.scroll, `${what}: page width`).toBeLessThanOrEqual(fit.width);
  expect(fit.right, `${what}: heading's right edge`).toBeLessThanOrEqual(fit.width);
  expect(fit.left, `${what}: heading's left edge`).toBeGreaterThanOrEqual(0);
}

/**
 * Every control a finger aims at is at least 44 px tall: buttons, fields, disclosures, the label of
 * a checkbox, and links that stand on their own (a card's title, a way back, a list of links). A
 * link inside a sentence is read, not aimed at, and the skip link shows only to the keyboard.
 */
async function expectTapTargets(page: Page, what: string) {
  const small = await page.evaluate(() => {
    const inSentence = (a: Element) =>
      getComputedStyle(a).display === "inline" && [...a.parentElement!.childNodes].some((n) => n !== a && (n.textContent ?? "").trim() !== "");
    const found: string[] = [];
    for (const control of document.querySelectorAll("a[href]:not(.skip-link), button, input:not([type=hidden]), select, textarea, summary")) {
      const target = control.matches("[type=checkbox], [type=radio]") ? (control.closest("label") ?? control) : control;
      const box = target.getBoundingClientRect();
      if (box.width === 0 || (control.tagName === "A" && inSentence(control))) continue;
      if (box.height < 43.5) found.push(`${target.tagName.toLowerCase()} «${(target.textContent ?? "").trim().slice(0, 30)}» ${Math.round(box.height)} px`);
    }
    return [...new Set(found)];
  });
  expect(small, `${what}: targets under 44 px`).toEqual([]);
}

/** The menu is closed on a phone; its button opens it, and a link in it navigates and closes it. */
async function expectMenuWorks(page: Page) {
  // By id: a hidden element is not in the accessibility tree, so a role query would find nothing.
  const menu = page.locator("nav#menu");
  const button = page.getByRole("button", { name: fa.common.nav.menu });
  await expect(menu).toHaveAttribute("aria-label", fa.common.nav.label);
  await expect(menu).toBeHidden();
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(menu).toBeVisible();
  await menu.getByRole("link", { name: fa.common.nav.notifications }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(menu).toBeHidden();
  await expect(menu.locator('a[aria-current="page"]')).toHaveAttribute("href", "/notifications");
}

test.describe("on a 390 × 844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const person of PEOPLE) {
    test(`a ${person.label} uses every main page without sideways scrolling`, async ({ page }) => {
      test.setTimeout(120_000);
      await signInHome(page, person);
      await expectMenuWorks(page);
      const titles = new Set<string>();
      for (const p of pagesFor(person.role)) {
        const path = await open(page, p);
        await expectFits(page, `${p.name} (${path})`);
        await expectTapTargets(page, `${p.name} (${path})`);
        // One main landmark, and at most one menu entry marked as the current page.
        await expect(page.locator("main"), p.name).toHaveCount(1);
        expect(await page.locator('nav#menu [aria-current="page"]').count(), p.name).toBeLessThanOrEqual(1);
        // Each page is named in the browser's tab and history, followed by the brand's Persian name.
        const title = await page.title();
        expect(title, p.name).toMatch(/.+ · [^·]*[\u0600-\u06FF][^·]*$/);
        titles.add(title);
      }
      expect(titles.size).toBe(pagesFor(person.role).length);
    });
  }

  test("a partner rep opens an action's later forms on today's list, and they fit", async ({ page }) => {
    await signInHome(page, PEOPLE[0]);
    await page.goto("/customers/today");
    const later = page.getByTestId("today-action").first().getByRole("button", { name: faCustomers.today.later, exact: true });
    await later.click();
    await expect(later).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByLabel(faCustomers.today.snooze_until)).toBeVisible();
    await expectFits(page, "today, later forms open");
    await expectTapTargets(page, "today, later forms open");
  });
});

test.describe("on a 360 × 740 phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("a brand admin uses every main page without sideways scrolling", async ({ page }) => {
    test.setTimeout(120_000);
    const person = PEOPLE.find((p) => p.role === "brand_admin")!;
    await signInHome(page, person);
    await expectMenuWorks(page);
    for (const p of pagesFor(person.role)) {
      const path = await open(page, p);
      await expectFits(page, `${p.name} (${path})`);
    }
  });

  test("without JavaScript the menu button still opens the menu", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await signInHome(page, PEOPLE[0]);
    const menu = page.locator("nav#menu");
    await expect(menu).toBeAttached();
    await expect(menu).toBeHidden();
    await page.getByRole("button", { name: fa.common.nav.menu }).click();
    await expect(menu).toBeVisible();
    await menu.getByRole("link", { name: fa.common.nav.catalog }).click();
    await expect(page).toHaveURL(/\/catalog$/);
    await expect(menu).toBeHidden();
    await context.close();
  });
});

test("the customer list leads with its search box on a phone; the other filters open on demand and stay open while set", async ({ browser }) => {
  test.setTimeout(60_000); // two browsers, each signing in: 22 s alone, more beside the other specs
  for (const [width, height, folded] of [[390, 844, true], [1280, 800, false]] as const) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await signInHome(page, PEOPLE[0]);
    await page.goto("/customers");
    const province = page.getByLabel(faCustomers.province, { exact: true });
    await expect(page.getByLabel(faCustomers.search, { exact: true })).toBeVisible();
    if (folded) {
      await expect(province).toBeHidden();
      await page.getByText(faCustomers.more_filters, { exact: true }).click();
    }
    await expect(province).toBeVisible();
    await page.getByLabel(faCustomers.value_tier, { exact: true }).selectOption("A");
    await page.getByRole("button", { name: fa.common.filter, exact: true }).click();
    await expect(page).toHaveURL(/valueTier=A/);
    // One filter set: still open after the page reloads, and its summary counts it.
    await expect(province).toBeVisible();
    if (folded) await expect(page.getByText(faCustomers.more_filters_active_one.replace("{{count, number}}", "۱"), { exact: true })).toBeVisible();
    await context.close();
  }
});

test("the portal can be added to a phone's home screen: a manifest with its Persian name and icons of the sizes it names", async ({ page, request }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const response = await request.get(href!);
  expect(response.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = (await response.json()) as { name: string; lang: string; dir: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
  expect(manifest).toMatchObject({ lang: "fa", dir: "rtl", start_url: "/", display: "standalone" });
  expect(manifest.name).toMatch(/[\u0600-\u06FF]/);
  const pngs = manifest.icons.filter((i) => i.type === "image/png");
  expect(pngs.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(pngs.some((i) => i.purpose === "maskable")).toBe(true);
  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
  for (const icon of [...pngs, { src: touchIcon!, sizes: "180x180" }]) {
    const png = await request.get(icon.src);
    expect(png.headers()["content-type"], icon.src).toBe("image/png");
    const body = await png.body();
    // Width and height from the PNG header (IHDR), big-endian at bytes 16 and 20.
    expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
  }
});
