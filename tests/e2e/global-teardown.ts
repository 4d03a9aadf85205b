import { rm } from "node:fs/promises";
import { createPool } from "mysql2/promise";
import type { RowDataPacket } from "mysql2";

// Stale databases from runs that died before their teardown (e.g. the seed failed) go too.
const STALE_AFTER_MS = 6 * 3600_000;

/** Drops this run's e2e database (its name is set in playwright.config.ts). */
export default async function globalTeardown() {
  const name = process.env.E2E_DB_NAME;
  const admin = createPool({ uri: process.env.E2E_DB_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/", connectionLimit: 1 });
  try {
    const [rows] = await admin.query<RowDataPacket[]>(
      "select schema_name as name from information_schema.schemata where schema_name like 'pp\\_e2e\\_%'",
    );
    for (const { name: db } of rows as { name: string }[]) {
      const started = Number(/^pp_e2e_(\d+)$/.exec(db)?.[1]);
      if (db === name || (started && Date.now() - started > STALE_AFTER_MS)) await admin.query(`drop database if exists \`${db}\``);
    }
  } finally {
    await admin.end();
  }
  // The run's mail log and mailbox (playwright.config.ts).
  for (const file of [process.env.MAIL_LOG, process.env.E2E_MAILBOX]) if (file?.startsWith("/tmp/")) await rm(file, { force: true });
}

// Run directly (`tsx tests/e2e/global-teardown.ts`) by the webServer command when seeding fails.
if (process.argv[1]?.endsWith("global-teardown.ts")) await globalTeardown();
