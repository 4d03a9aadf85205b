import { AsyncLocalStorage } from "node:async_hooks";
import type { LogEvent } from "kysely";

/**
 * The SQL statements run inside a scope, in order: `recordStatements(fn)` runs `fn` and returns what
 * it ran. Kysely's log hook (app/utils/db.server.ts) appends each executed statement to the
 * innermost scope, so tests can hold a page's loader to a statement budget and the benchmark's
 * server can count statements per request. Outside a scope nothing is recorded.
 */
export interface RecordedStatement {
  sql: string;
  parameters: readonly unknown[];
  /** How long the statement took, as kysely measured it. */
  ms: number;
}

const scope = new AsyncLocalStorage<RecordedStatement[]>();

export function logStatement(event: LogEvent): void {
  if (event.level === "query") scope.getStore()?.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
}

/** Runs `fn`, returning its result, the SQL text of every statement it ran and, in `details`, their parameters and durations. */
export async function recordStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[]; details: RecordedStatement[] }> {
  const details: RecordedStatement[] = [];
  const result = await scope.run(details, fn);
  return { result, statements: details.map((s) => s.sql), details };
}

/** Statements issued more than once (same SQL text) in a scope. */
export function repeatedStatements(statements: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(statements.filter((sql) => seen.size === seen.add(sql).size))];
}
