import { inspect } from "node:util";
import type { Kysely, MysqlPool, MysqlPoolConnection, MysqlQueryResult, Transaction } from "kysely";
import type { Pool } from "mysql2";
import { createDb } from "#db/client";
import type { DB } from "#db/schema";
import { env } from "./env.server";
import { logStatement } from "./sql-log.server";

// One Kysely instance per process; kept on globalThis so dev-server reloads do not leak pools.
const g = globalThis as typeof globalThis & { __db?: Kysely<DB> };

export function db(): Kysely<DB> {
  g.__db ??= createDb(env().DATABASE_URL, 10, answering503, logStatement);
  return g.__db;
}

export async function closeDb(): Promise<void> {
  await g.__db?.destroy();
  g.__db = undefined;
}

// ---------------------------------------------------------------------------------------------
// The database is down or unreachable: a 503 page, not a 500.

/** Node and mysql2 codes for a database that cannot be reached or dropped the connection. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT"]);
/** Server answers meaning the same: too many connections, shutting down, connection killed (MariaDB). */
const CONNECTION_ERRNOS = new Set([1040, 1053, 1927]);

function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const { code, errno } = e as { code?: unknown; errno?: unknown };
  return (
    (typeof code === "string" && CONNECTION_CODES.has(code)) ||
    (typeof errno === "number" && CONNECTION_ERRNOS.has(errno)) ||
    // mysql2 raises these without a code: a pool being shut down, a socket already closed.
    /^Pool is closed|in closed state$/.test(e.message)
  );
}

/**
 * Thrown in place of a connection error. Remix answers a thrown Response with its status and the
 * root ErrorBoundary, for document and data requests alike, so every loader and action gets the
 * 503 page in the user's language without a line of its own.
 */
export class DatabaseUnavailable extends Response {
  constructor(readonly reason: string) {
    super(null, { status: 503, statusText: "Service Unavailable" });
  }

  /** What a log line shows (e.g. a background import that lost its connection), instead of a Response dump. */
  [inspect.custom]() {
    return `DatabaseUnavailable(${this.reason})`;
  }
}

function unavailable(e: unknown): unknown {
  if (!isConnectionError(e)) return e;
  const { code, errno, message } = e as Error & { code?: string; errno?: number };
  const reason = code ?? (errno ? `errno ${errno}` : message);
  console.warn(`Database unavailable (${reason}): answering 503.`);
  return new DatabaseUnavailable(reason);
}

/**
 * The pool as kysely sees it, with connection failures (on connect and on every query) turned into
 * DatabaseUnavailable. The mysql2 pool drops broken connections and opens new ones on demand, so
 * the app recovers by itself when the database is back.
 */
function answering503(pool: Pool): MysqlPool {
  return {
    getConnection: (callback) =>
      pool.getConnection((error, connection) => {
        if (error) return callback(unavailable(error), connection);
        const query = (sql: string, parameters: unknown[], done?: (error: unknown, result: MysqlQueryResult) => void) =>
          done ? connection.query(sql, parameters, (e, result) => done(e ? unavailable(e) : null, result as MysqlQueryResult)) : connection.query(sql, parameters);
        callback(null, { query: query as MysqlPoolConnection["query"], release: () => connection.release() });
      }),
    end: (callback) => pool.end(callback),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes: one transaction, retried when the database chose it as the victim of a lock conflict.

/** ER_LOCK_DEADLOCK (also how Galera reports a failed certification) and ER_LOCK_WAIT_TIMEOUT. */
const RETRYABLE_ERRNOS = new Set([1213, 1205]);
export const TRANSACTION_ATTEMPTS = 3;

function isRetryable(e: unknown): boolean {
  return RETRYABLE_ERRNOS.has((e as { errno?: number } | null)?.errno ?? 0);
}

/** 20–60 ms, then 40–120 ms: long enough for the other transaction to finish, jittered so two retries do not collide again. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 20 * 2 ** (attempt - 1) * (1 + 2 * Math.random())));

/**
 * Runs `fn` in one transaction. A deadlock or lock-wait timeout rolls the whole transaction back,
 * so `fn` is run again from the start (at most TRANSACTION_ATTEMPTS times in all); it must not
 * have effects outside the transaction that cannot be repeated. Other errors are thrown at once.
 */
export async function transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().transaction().execute(fn);
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      // One line per retry, so an operator sees lock conflicts (and Galera's certification failures) happen.
      console.warn(`Transaction retried after errno ${(e as { errno: number }).errno} (attempt ${attempt} of ${attempts}).`);
      await backoff(attempt);
    }
  }
}
