import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";
import { ulid } from "ulid";
import { DEMO_PASSWORD, fa } from "./support";

// Every account and address here is this spec's own, so its failures never slow down another spec.
let pool: Pool;
test.beforeAll(() => {
  pool = createPool({ uri: new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(), connectionLimit: 2 });
});
test.afterAll(async () => {
  await pool?.end();
});

const unknownEmail = () => `nobody-${ulid().toLowerCase()}@trust-login.example`;

/** A new brand manager who signs in with the demo password (copied from the seeded brand admin). */
async function ownAccount(): Promise<string> {
  const email = `own-${ulid().toLowerCase()}@trust-login.example`;
  await pool.query(
    `insert into users (id, brand_id, partner_id, email, display_name, name_key, role, status, password_hash, created_at, updated_at)
     select ?, brand_id, null, ?, display_name, name_key, 'brand_manager', 'active', password_hash, now(3), now(3) from users where email = 'admin@brand.example'`,
    [ulid(), email],
  );
  return email;
}

const failedSignInAddresses = async (email: string) => {
  const [rows] = await pool.query<RowDataPacket[]>("select ip from audit_log where action = 'auth.sign_in_failed' and details = ? order by created_at, id", [JSON.stringify({ email })]);
  return rows.map((r) => r.ip as string | null);
};

const signIn = (request: APIRequestContext, base: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  request.post(`${base}/login`, { form, headers: { Origin: base, ...headers }, maxRedirects: 0 });

test("a Persian redirectTo comes back percent-encoded in Location, with the session cookie", async ({ request, baseURL }) => {
  const email = await ownAccount();
  const response = await signIn(request, baseURL!, { email, password: DEMO_PASSWORD, redirectTo: "/customers?q=علی" });
  expect([302, 303]).toContain(response.status());
  expect(response.headers()["location"]).toBe("/customers?q=%D8%B9%D9%84%DB%8C");
  expect(response.headers()["set-cookie"]).toMatch(/__session=[^;]+;/);
  // The cookie carries the one session that was written, and the search arrives intact.
  const page = await request.get(`${baseURL}${response.headers()["location"]}`, { maxRedirects: 0 });
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('value="علی"');
});

test("with no proxy trusted, a rotating or missing X-Forwarded-For does not avoid the limit", async ({ request, baseURL }) => {
  const email = unknownEmail();
  for (const forwarded of ["203.0.113.10", "203.0.113.11", undefined]) {
    const response = await signIn(request, baseURL!, { email, password: "not-the-password" }, forwarded ? { "X-Forwarded-For": forwarded } : {});
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain(fa.auth.invalid);
  }
  const throttled = await signIn(request, baseURL!, { email, password: "not-the-password" }, { "X-Forwarded-For": "203.0.113.12" });
  expect(throttled.status()).toBe(429);
  const seconds = Number(throttled.headers()["retry-after"]);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(2);
  const template = seconds === 1 ? fa.auth.wait_seconds_one : fa.auth.wait_seconds_other;
  expect(await throttled.text()).toContain(template.replace("{{count, number}}", seconds.toLocaleString("fa-IR")));
  // The audit log holds the socket's address, not what the client wrote.
  const addresses = await failedSignInAddresses(email);
  expect(addresses).toHaveLength(3);
  for (const ip of addresses) expect(ip).toMatch(/^(127\.0\.0\.1|::1)$/);
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A second server on the same build and database, told that one proxy stands in front of it. */
async function startBehindOneProxy(request: APIRequestContext): Promise<{ base: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      TRUST_PROXY: "1",
      DATABASE_URL: new URL(process.env.E2E_DB_NAME!, process.env.E2E_DB_ADMIN_URL).toString(),
      SESSION_SECRET: "e2e-only-session-secret-0123456789abcdef",
      COOKIE_SECURE: "false",
    },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await request.get(`${base}/login`, { timeout: 1_000 }).catch(() => null);
    if (up?.ok()) return { base, server };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill("SIGTERM");
  throw new Error("the second server did not start");
}

test("with TRUST_PROXY=1 the address the proxy saw counts, not what the client prepended", async ({ request }) => {
  const { base, server } = await startBehindOneProxy(request);
  try {
    const email = unknownEmail();
    // The proxy appends the address it saw; anything to its left was written by the client.
    for (const forged of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) {
      expect((await signIn(request, base, { email, password: "not-the-password" }, { "X-Forwarded-For": `${forged}, 198.51.100.77` })).status()).toBe(400);
    }
    expect((await signIn(request, base, { email, password: "not-the-password" }, { "X-Forwarded-For": "10.0.0.4, 198.51.100.77" })).status()).toBe(429);
    // Another client behind the same proxy is its own address.
    expect((await signIn(request, base, { email, password: "not-the-password" }, { "X-Forwarded-For": "198.51.100.78" })).status()).toBe(400);
    expect(await failedSignInAddresses(email)).toEqual(["198.51.100.77", "198.51.100.77", "198.51.100.77", "198.51.100.78"]);
  } finally {
    server.kill("SIGTERM");
  }
});
