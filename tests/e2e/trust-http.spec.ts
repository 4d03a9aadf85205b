import { request as playwrightRequest, expect, test, type APIRequestContext } from "@playwright/test";
import enCommon from "../../locales/en/common.json" with { type: "json" };
import { DEMO_PASSWORD, fa } from "./support";

// An account no other spec signs in with: these tests end its sessions.
const REP = "rep@zandiyeh.example";
/** The `lng` cookie as the app writes it for English: base64 of the JSON string "en". */
const ENGLISH = `lng=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;

/** Signs the rep in over plain HTTP and returns the session cookie as a browser would send it. */
async function sessionCookie(baseURL: string): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL });
  const response = await context.post("/login", { form: { email: REP, password: DEMO_PASSWORD }, headers: { Origin: new URL(baseURL).origin }, maxRedirects: 0 });
  expect(response.status()).toBe(302);
  const session = (await context.storageState()).cookies.find((c) => c.name === "__session");
  await context.dispose();
  expect(session).toBeDefined();
  return `__session=${session!.value}`;
}

/** A client with no cookie jar: every request says exactly the headers the test gives it. */
let bare: APIRequestContext;
test.beforeEach(async ({ baseURL }) => {
  bare = await playwrightRequest.newContext({ baseURL });
});
test.afterEach(async () => {
  await bare.dispose();
});

const signedIn = async (cookie: string) => (await bare.get("/", { headers: { Cookie: cookie }, maxRedirects: 0 })).status() === 200;

test("a POST with a session cookie but no Origin, Referer or Sec-Fetch-Site is refused in the user's language", async ({ baseURL }) => {
  const cookie = await sessionCookie(baseURL!);
  const origin = new URL(baseURL!).origin;

  const bareLogout = await bare.post("/logout", { headers: { Cookie: cookie }, maxRedirects: 0 });
  expect(bareLogout.status()).toBe(403);
  expect(bareLogout.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const body = await bareLogout.text();
  expect(body).toContain('lang="fa" dir="rtl"');
  expect(body).toContain(fa.common.errorPage.forbidden.title);
  expect(await signedIn(cookie)).toBe(true); // the session was not ended

  const english = await bare.post("/logout", { headers: { Cookie: `${ENGLISH}; ${cookie}` }, maxRedirects: 0 });
  expect(english.status()).toBe(403);
  expect(await english.text()).toContain(enCommon.errorPage.forbidden.title);

  // Another site, by Origin, by Referer, or as a fetch metadata header.
  const foreign: Record<string, string>[] = [{ Origin: "http://evil.example" }, { Referer: "http://evil.example/page" }, { "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }];
  for (const headers of foreign) {
    expect((await bare.post("/logout", { headers: { Cookie: cookie, ...headers }, maxRedirects: 0 })).status(), JSON.stringify(headers)).toBe(403);
  }
  // X-Forwarded-Host is not trusted without TRUST_PROXY, so it cannot make another origin look like ours.
  const forged = await bare.post("/logout", { headers: { Cookie: cookie, Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  expect(await signedIn(cookie)).toBe(true);

  // The same request naming our own origin (or only Sec-Fetch-Site: same-origin) goes through.
  const fetchMetadata = await bare.post("/locale", { headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" }, form: { lng: "fa", redirectTo: "/" }, maxRedirects: 0 });
  expect(fetchMetadata.status()).toBe(302);
  const own = await bare.post("/logout", { headers: { Cookie: cookie, Origin: origin }, maxRedirects: 0 });
  expect(own.status()).toBe(302);
  expect(own.headers().location).toBe("/login");
  expect(await signedIn(cookie)).toBe(false);
});

test("a form posted by the browser itself, with and without JavaScript, still works", async ({ browser, baseURL }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ baseURL, javaScriptEnabled, locale: "fa-IR" });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel(fa.auth.email, { exact: true }).fill(REP);
    await page.getByLabel(fa.auth.password, { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: fa.auth.submit, exact: true }).click();
    await expect(page, `javaScript: ${javaScriptEnabled}`).toHaveURL(/\/$/);
    await page.getByRole("button", { name: fa.common.nav.logout, exact: true }).click();
    await expect(page).toHaveURL(/\/login$/);
    await context.close();
  }
});

test("a CSV upload named a=b.csv is accepted over real HTTP; a garbled body is a 400 in Persian", async ({ baseURL }) => {
  const cookie = await sessionCookie(baseURL!);
  const headers = { Cookie: cookie, Origin: new URL(baseURL!).origin };
  const csv = Buffer.from("نام,تلفن همراه,شهر\nآرش نیکو,09351234500,تبریز\n");

  const upload = await bare.post("/customers/import", { headers, multipart: { file: { name: "a=b.csv", mimeType: "text/csv", buffer: csv } }, maxRedirects: 0 });
  expect(upload.status()).toBe(302);
  expect(upload.headers().location).toMatch(/^\/customers\/import\/[0-9A-Z]{26}$/);
  const job = await bare.get(upload.headers().location, { headers: { Cookie: cookie } });
  expect(job.status()).toBe(200);
  expect(await job.text()).toContain("a=b.csv");

  // A part that never ends: nothing to import, and the user is told so in Persian (not a 500).
  const boundary = "----e2e-boundary";
  const garbled = await bare.post("/customers/import", {
    headers: { ...headers, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    data: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x=y.csv"\r\n\r\nname,phone`,
    maxRedirects: 0,
  });
  expect(garbled.status()).toBe(400);
  expect(await garbled.text()).toContain(fa.common.errors.upload_unreadable);
});
