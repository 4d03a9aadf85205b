import { expect, test } from "@playwright/test";
import { fa } from "./support";

test("a POST from another origin is refused with 403", async ({ request, baseURL }) => {
  // A fresh unknown address, so these failures never trip the sign-in lockout of a real account.
  const credentials = { email: `nobody-${Date.now()}-${test.info().workerIndex}@http-check.example`, password: "not-the-password" };
  const foreign = await request.post("/login", { form: credentials, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
  expect(foreign.status()).toBe(403);
  const body = await foreign.text();
  expect(body).toContain(fa.common.errorPage.forbidden.title);
  expect(body).toContain('lang="fa" dir="rtl"');

  // Control: the same request from the portal's own origin reaches the sign-in action.
  const own = await request.post("/login", { form: credentials, headers: { Origin: new URL(baseURL!).origin }, maxRedirects: 0 });
  expect(own.status()).toBe(400);
  expect(await own.text()).toContain(fa.auth.invalid);
});

test("a body over 1 MB is refused with 413 and the Persian message", async ({ request, baseURL }) => {
  const big = "a".repeat(1024 * 1024 + 1);
  const response = await request.post("/login", {
    headers: { Origin: new URL(baseURL!).origin, "Content-Type": "application/x-www-form-urlencoded" },
    data: `email=nobody%40http-check.example&password=${big}`,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
  const body = await response.text();
  expect(body).toContain(fa.common.errorPage.too_large.title);
  expect(body).toContain(fa.common.errorPage.too_large.body);
});

test("responses carry the security headers", async ({ request }) => {
  const response = await request.get("/login");
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});
