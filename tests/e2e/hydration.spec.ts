import { expect, test } from "@playwright/test";
import { signInHome, users } from "./support";

// A click while a slow phone is still starting the page's scripts: React must not fail on it
// (minified error #345 when it tries to hydrate before the page's data is decoded), and the page
// must still become interactive.
// The demo's Nowruz greeting card (db/seed/toolkits.ts), a form page with a customer picker.
const CARD_PATH = "/toolkits/01DEMQTOOLKIT0000000000001/templates/01DEMQTKTEMPL0000000000001";

test("clicks and changes while the page is still hydrating raise no script error, and the page hydrates", async ({ page, context }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signInHome(page, users.noorRep);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  for (let i = 0; i < 20; i++) {
    await page.goto(`${CARD_PATH}?edited=1&q=${encodeURIComponent("ا")}`, { waitUntil: "commit" });
    await page.waitForTimeout((i * 15) % 300);
    await page.locator("select[name=customerId]").selectOption({ index: 1 });
  }
  await expect.poll(() => page.evaluate(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber"))), { message: "hydrated" }).toBe(true);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  expect(errors).toEqual([]);
});
