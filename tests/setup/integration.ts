import { afterAll, afterEach, beforeEach, expect, vi } from "vitest";
import { createDb, ensureDatabase } from "#db/client";
import { migrateToLatest } from "#db/migrator";

const worker = process.env.VITEST_POOL_ID ?? "1";
const url = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
url.pathname = `/pp_test_${process.env.TEST_RUN_ID ?? "local"}_${worker}`;
process.env.DATABASE_URL = url.toString();
process.env.SESSION_SECRET = "integration-test-secret-0123456789abcdef";
process.env.UPLOAD_DIR = `/tmp/pp-uploads-${process.env.TEST_RUN_ID ?? "local"}-${worker}`;

// Migrating is a no-op once the worker's database is current, so every test file may call it.
await ensureDatabase(url.toString());
const migrationDb = createDb(url.toString(), 1);
await migrateToLatest(migrationDb);
await migrationDb.destroy();

afterAll(async () => {
  const { closeDb } = await import("~/utils/db.server");
  await closeDb();
});

// An unexpected console.error is a failure, not noise to scroll past.
beforeEach(() => {
  vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = vi.mocked(console.error).mock.calls;
  vi.mocked(console.error).mockRestore();
  expect(calls, "console.error was called").toEqual([]);
});
