// axe on the main pages in Persian, on a desktop and on a phone: no serious or critical violation
// of WCAG 2.1 A/AA (contrast, names of controls and links, landmarks, ARIA, language, titles).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Cookie, type Page } from "@playwright/test";
import { signInHome, users } from "./support";

const ID = "[0-9A-Z]{26}";

/** The main pages, with the detail pages reached by the list's first link of that form. */
const PAGES: Record<"partner" | "brand", (string | [string, RegExp])[]> = {
  partner: [
    "/",
    "/customers",
    ["/customers", new RegExp(`^/customers/${ID}$`)],
    "/customers/today",
    ["/customers/today", /^\/customers\/today\?later=/],
    "/customers/new",
    "/segments",
    "/serve-requests",
    "/notifications",
    "/toolkits",
    ["/toolkits", new RegExp(`^/toolkits/${ID}$`)],
    "/catalog",
    ["/catalog", new RegExp(`^/catalog/${ID}$`)],
    "/cart",
    "/orders",
    ["/orders", new RegExp(`^/orders/${ID}$`)],
    "/ideas",
    ["/ideas", new RegExp(`^/ideas/${ID}$`)],
    "/ideas/new",
    "/ideas/built",
    "/account/security",
  ],
  brand: ["/", "/partners", ["/partners", new RegExp(`^/partners/${ID}$`)], "/users", "/products", "/pricing", "/settings", "/audit", "/conflicts", "/toolkits/manage", "/insights", "/insights/truths", ["/insights/truths", /^\/insights\/truths\?category=/], "/ideas", ["/ideas", new RegExp(`^/ideas/${ID}$`)], "/no-such-page"],
};

async function visit(page: Page, target: string | [string, RegExp]): Promise<string> {
  const [path, link] = typeof target === "string" ? [target, null] : target;
  await page.goto(path);
  if (!link) return path;
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => link.test(h));
  expect(href, `a link of the form ${link} on ${path}`).toBeDefined();
  await page.goto(href!);
  return href!;
}

/** Serious and critical violations, one line each: rule, impact, and the first few offending elements. */
async function seriousViolations(page: Page): Promise<string[]> {
  // The co-brand preview frame is the material's own document (tested as a PDF/PNG), not the app's page.
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .options({ resultTypes: ["violations"] })
    .exclude("iframe")
    .analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

const label = (target: string | [string, RegExp]) => (typeof target === "string" ? target : `${target[0]} → ${target[1].source}`);

// One test per page, each with its own time limit, spread over the workers.
test.describe.configure({ mode: "parallel" });

for (const viewport of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
]) {
  test.describe(`axe on a ${viewport.name}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("the sign-in page", async ({ page }) => {
      await page.goto("/login");
      expect(await seriousViolations(page)).toEqual([]);
    });

    for (const [who, user] of [
      ["partner", users.noorRep],
      ["brand", users.brandAdmin],
    ] as const) {
      test.describe(`the ${who} pages`, () => {
        // Signed in once per worker; each test starts from that session's cookies.
        let cookies: Cookie[];
        test.beforeAll(async ({ browser }) => {
          const page = await browser.newPage();
          await signInHome(page, user);
          cookies = await page.context().cookies();
          await page.close();
        });

        for (const target of PAGES[who]) {
          test(label(target), async ({ page }) => {
            test.setTimeout(90_000);
            await page.context().addCookies(cookies);
            const path = await visit(page, target);
            expect(await seriousViolations(page), path).toEqual([]);
          });
        }
      });
    }
  });
}
