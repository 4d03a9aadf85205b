import type { Kysely } from "kysely";
import { ulid } from "ulid";
import { afterAll, beforeAll, expect } from "vitest";
import { createDb, dropDatabase, ensureDatabase } from "#db/client";
import { migrator } from "#db/migrator";
import type { DB } from "#db/schema";

/**
 * A throw-away database of the test file's own (dropped afterwards), for migrating part of the way
 * with data in place. Returns a getter, since the database exists only once beforeAll has run.
 */
export function ownDatabase(tag: string): () => Kysely<DB> {
  const url = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/");
  url.pathname = `/pp_test_${process.env.TEST_RUN_ID ?? "local"}_${tag}_${ulid().slice(-8).toLowerCase()}`;
  let db: Kysely<DB> | undefined;
  beforeAll(async () => {
    await ensureDatabase(url.toString());
    db = createDb(url.toString(), 2);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url.toString());
  });
  return () => db!;
}

/** Migrates up to the migration just before `name`, so the test can put data in the old shape. */
export async function migrateToJustBefore(db: Kysely<DB>, name: string) {
  const m = migrator(db);
  const names = (await m.getMigrations()).map((x) => x.name);
  const at = names.indexOf(name);
  expect(at).toBeGreaterThan(0);
  const previous = names[at - 1];
  expect((await m.migrateTo(previous)).error).toBeUndefined();
  return { m, previous };
}
