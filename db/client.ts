import { createPool, type Pool } from "mysql2";
import { Kysely, MysqlDialect, type LogEvent, type MysqlPool } from "kysely";
import type { DB } from "./schema";

export const DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306/partner_portal";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** `adaptPool` lets the app put a layer between kysely and the pool (see app/utils/db.server.ts). */
export function createDb(
  url = databaseUrl(),
  connectionLimit = 10,
  adaptPool: (pool: Pool) => MysqlPool = (pool) => pool,
  log?: (event: LogEvent) => void,
): Kysely<DB> {
  const pool = createPool({
    uri: url,
    connectionLimit,
    charset: "utf8mb4_unicode_ci",
    timezone: "Z",
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
  });
  return new Kysely<DB>({ dialect: new MysqlDialect({ pool: adaptPool(pool) }), log });
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url = databaseUrl()): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
  parsed.pathname = "/";
  const admin = createPool({ uri: parsed.toString(), connectionLimit: 1 }).promise();
  try {
    await admin.query(`create database if not exists \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = "/";
  const admin = createPool({ uri: parsed.toString(), connectionLimit: 1 }).promise();
  try {
    await admin.query(`drop database if exists \`${name}\``);
  } finally {
    await admin.end();
  }
}
