import { expect, test } from "@playwright/test";
import { closeE2eDb, e2eDb, get, post, signedIn } from "./api";
import { ACTOR_EMAILS, CASES, customerForm, type Actor, type Fixtures } from "./hostile-cases";

const ZANDIYEH = "01DEMQPARTNER0000000000005";

test.describe("hostile input through the real server", () => {
  let fx: Fixtures;

  test.beforeAll(async ({ playwright }) => {
    const db = e2eDb();
    // One stamp per run (the database name holds the start time), so data made before a worker
    // restart is still found by the rows after it.
    const stamp = process.env.E2E_DB_NAME!.slice(-6);
    const api = {
      anonymous: await playwright.request.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT}` }),
      zandiyehRep: await signedIn(ACTOR_EMAILS.zandiyehRep),
      zandiyehAdmin: await signedIn(ACTOR_EMAILS.zandiyehAdmin),
      brandAdmin: await signedIn(ACTOR_EMAILS.brandAdmin),
    } satisfies Record<Actor, unknown>;
    const registered = await post(api.zandiyehRep, "/customers/new", customerForm({ displayName: `مشتری ساده ${stamp} ${test.info().workerIndex}` }));
    expect(registered.status()).toBe(302);
    const [category, prefKey, pending] = await Promise.all([
      db.selectFrom("need_categories").select("id").where("active", "=", true).orderBy("sort").executeTakeFirstOrThrow(),
      db.selectFrom("preference_keys").select("id").orderBy("sort").executeTakeFirstOrThrow(),
      db.selectFrom("serve_requests").select("id").where("status", "=", "pending").orderBy("id", "desc").executeTakeFirstOrThrow(),
    ]);
    fx = {
      stamp,
      customerId: /\/customers\/([0-9A-Z]{26})/.exec(registered.headers().location)![1],
      categoryId: category.id,
      prefKeyId: prefKey.id,
      pendingRequestId: pending.id,
      zandiyehId: ZANDIYEH,
      api,
    };
  });

  test.afterAll(async () => {
    await Promise.all(Object.values(fx?.api ?? {}).map((ctx) => ctx.dispose()));
    await closeE2eDb();
  });

  const tally = new Map<string, number>();
  for (const c of CASES) tally.set(c.class, (tally.get(c.class) ?? 0) + 1);
  test(`the table holds ${CASES.length} cases`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    console.log(`hostile cases: ${CASES.length} (${[...tally].map(([k, n]) => `${k} ${n}`).join(", ")})`);
  });

  CASES.forEach((c, i) => {
    test(`H${String(i + 1).padStart(2, "0")} ${c.class}: ${c.name}`, async () => {
      const { path, body, withoutOrigin } = c.request(fx);
      const api = fx.api[c.as];
      const response = body ? await post(api, path, body, { withOrigin: !withoutOrigin }) : await get(api, path);
      const html = await response.text();
      expect(response.status(), `${body ? "POST" : "GET"} ${path.slice(0, 120)}`).not.toBe(500);
      expect([c.status].flat()).toContain(response.status());
      // React 18 can emit NUL bytes inside Persian text (see app/utils/html-stream.server.ts).
      expect(html).not.toContain("\u0000");
      for (const text of c.shows ?? []) expect(html).toContain(text);
      await c.then?.(fx, html);
    });
  });

  test("a customer named with markup renders as text in the browser and runs nothing", async ({ page }) => {
    const payload = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>${fx.stamp}`;
    const registered = await post(fx.api.zandiyehRep, "/customers/new", customerForm({ displayName: payload, city: payload.slice(0, 90) }));
    expect(registered.status()).toBe(302);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.context().addCookies((await fx.api.zandiyehRep.storageState()).cookies);
    await page.goto(registered.headers().location);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(payload);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
