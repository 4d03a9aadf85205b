import { AsyncLocalStorage } from "node:async_hooks";
import type { LogEvent } from "kysely";

/**
 * The SQL statements run inside a scope, in order: `recordStatements(fn)` runs `fn` and returns what
 * it ran. Kysely's log hook (app/utils/db.server.ts) appends each executed statement to the
 * innermost scope, so tests can hold a page's loader to a statement budget and the benchmark's
 * server can count statements per request. Outside a scope nothing is recorded.
 */
const scope = new AsyncLocalStorage<RecordedQuery[]>();

export interface RecordedQuery {
  sql: string;
  parameters: readonly unknown[];
}

export function logStatement(event: LogEvent): void {
  if (event.level === "query") scope.getStore()?.push({ sql: event.query.sql, parameters: event.query.parameters });
}

export async function recordStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const { result, queries } = await recordQueries(fn);
  return { result, statements: queries.map((q) => q.sql) };
}

/** The same record with each statement's parameters, so a test can ask the database for its plan. */
export async function recordQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: RecordedQuery[] }> {
  const queries: RecordedQuery[] = [];
  const result = await scope.run(queries, fn);
  return { result, queries };
}

/** Statements issued more than once (same SQL text) in a scope. */
export function repeatedStatements(statements: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(statements.filter((sql) => seen.size === seen.add(sql).size))];
}
