import { spawnSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";

// One throw-away database and one free port per run. The config module is evaluated again in every
// worker process; workers inherit the environment of the main process, so `??=` keeps one value.
process.env.E2E_DB_NAME ??= `pp_e2e_${Date.now()}`;
process.env.E2E_PORT ??= freePort();

// The server sends its e-mail over SMTP to a real local SMTP server started beside it
// (tests/e2e/smtp-sink.ts), which appends each message it accepts to the mailbox file that
// password-reset.spec.ts reads. A second server a spec starts (trust-login.spec.ts) has no SMTP and
// writes its mail log under /tmp.
process.env.E2E_SMTP_PORT ??= freePort();
process.env.E2E_MAILBOX ??= `/tmp/${process.env.E2E_DB_NAME}-mailbox.jsonl`;
process.env.MAIL_LOG ??= `/tmp/${process.env.E2E_DB_NAME}-mail.log`;

const DB_ADMIN_URL = process.env.E2E_DB_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/";
process.env.E2E_DB_ADMIN_URL = DB_ADMIN_URL;
const DATABASE_URL = new URL(process.env.E2E_DB_NAME, DB_ADMIN_URL).toString();
const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT}`;

/** Asks the OS for a free TCP port (synchronously, as the config cannot wait). */
function freePort(): string {
  const probe = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const out = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  return /^\d+$/.test(out.stdout) ? out.stdout : "3210";
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  workers: 2,
  retries: 0,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  globalTeardown: "./tests/e2e/global-teardown.ts",
  use: {
    baseURL: BASE_URL,
    locale: "fa-IR",
    timezoneId: "Asia/Tehran",
    trace: "off",
    screenshot: "off",
    video: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: "npx tsx tests/e2e/smtp-sink.ts",
      port: Number(process.env.E2E_SMTP_PORT),
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { E2E_SMTP_PORT: process.env.E2E_SMTP_PORT, E2E_MAILBOX: process.env.E2E_MAILBOX },
    },
    {
      // Seed (creates the database, migrates, loads the Persian demo data), then serve the build.
      // When the seed fails Playwright skips globalTeardown, so the command drops the database itself.
      command: "npx tsx db/seed/index.ts && exec node server.mjs || { npx tsx tests/e2e/global-teardown.ts; exit 1; }",
      url: `${BASE_URL}/login`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      env: {
        NODE_ENV: "production",
        PORT: process.env.E2E_PORT,
        DATABASE_URL,
        SESSION_SECRET: "e2e-only-session-secret-0123456789abcdef",
        COOKIE_SECURE: "false",
        SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
      },
    },
  ],
});
