import type { Kysely } from "kysely";
import { createDb } from "#db/client";
import type { DB } from "#db/schema";
import { env } from "./env.server";

// One Kysely instance per process; kept on globalThis so dev-server reloads do not leak pools.
const g = globalThis as typeof globalThis & { __db?: Kysely<DB> };

export function db(): Kysely<DB> {
  g.__db ??= createDb(env().DATABASE_URL);
  return g.__db;
}

export async function closeDb(): Promise<void> {
  await g.__db?.destroy();
  g.__db = undefined;
}
