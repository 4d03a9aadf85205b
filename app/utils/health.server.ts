import { sql } from "kysely";
import { DatabaseUnavailable, db } from "./db.server";
import { env } from "./env.server";
import { instanceId } from "./instance.server";
import { storage } from "./storage.server";

/** How long each readiness probe may take before the instance counts as not ready. */
export const READY_TIMEOUT_MS = 2_000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function probe(work: () => Promise<unknown>, ms: number): Promise<string> {
  try {
    await within(ms, work());
    return "ok";
  } catch (e) {
    if (e instanceof DatabaseUnavailable) return `unavailable (${e.reason})`;
    return e instanceof Error ? e.message.slice(0, 200) || e.name : String(e);
  }
}

/**
 * For /readyz: the database answers a trivial query and the file store answers, each within a
 * short time. Ready only when both say "ok"; the other values say what failed. The instance's id
 * tells which one answered through the load balancer.
 */
export async function readiness(ms = READY_TIMEOUT_MS): Promise<{ ready: boolean; database: string; storage: string; instance: string }> {
  const [database, files] = await Promise.all([probe(() => sql`select 1`.execute(db()), ms), probe(() => storage().check(), ms)]);
  return { ready: database === "ok" && files === "ok", database, storage: files, instance: instanceId() };
}

/** server.mjs: how long requests in flight may take to finish after SIGTERM. */
export const shutdownGraceMs = (): number => env().SHUTDOWN_GRACE_MS;
