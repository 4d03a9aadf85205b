import { db } from "~/utils/db.server";
import { instanceId } from "~/utils/instance.server";

/** How long a scheduled run holds its claim without renewing it; renewed every third of that. */
export const JOB_LEASE_MS = 2 * 60_000;

/**
 * Claims the named run for `holder` with one conditional write: taken when nobody holds it or the
 * holder's lease ran out (it died). Works on any MariaDB/MySQL, Galera included (a row write, no
 * GET_LOCK). Returns whether this holder got it.
 */
export async function claimJob(name: string, holder: string, now = new Date(), leaseMs = JOB_LEASE_MS): Promise<boolean> {
  await db().insertInto("job_claims").ignore().values({ name }).execute();
  const taken = await db()
    .updateTable("job_claims")
    .set({ claimed_by: holder, claimed_until: new Date(now.getTime() + leaseMs), started_at: now })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("claimed_by", "is", null), eb("claimed_until", "<=", now)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Extends the lease while the holder still has it; false when it was lost (taken over after running out). */
export async function renewJob(name: string, holder: string, now = new Date(), leaseMs = JOB_LEASE_MS): Promise<boolean> {
  const r = await db()
    .updateTable("job_claims")
    .set({ claimed_until: new Date(now.getTime() + leaseMs) })
    .where("name", "=", name)
    .where("claimed_by", "=", holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the holder's claim; `finished` records that the run completed. */
export async function releaseJob(name: string, holder: string, finished: boolean, now = new Date()): Promise<void> {
  await db()
    .updateTable("job_claims")
    .set({ claimed_by: null, claimed_until: null, ...(finished ? { finished_at: now } : {}) })
    .where("name", "=", name)
    .where("claimed_by", "=", holder)
    .execute();
}

/**
 * Runs `work` only if this instance can claim the named run, renewing the lease while it works and
 * releasing it afterwards (finished when it returned). Returns undefined when another instance holds
 * it. The work must be safe to run again after a holder died half-way (the lease then runs out and
 * another instance starts it over).
 */
export async function withJobClaim<T>(name: string, work: () => Promise<T>, o: { holder?: string; leaseMs?: number } = {}): Promise<{ result: T } | undefined> {
  const holder = o.holder ?? instanceId();
  const leaseMs = o.leaseMs ?? JOB_LEASE_MS;
  if (!(await claimJob(name, holder, new Date(), leaseMs))) return undefined;
  const heartbeat = setInterval(() => void renewJob(name, holder, new Date(), leaseMs).catch((e: unknown) => console.warn(`Renewing ${name} failed:`, e)), leaseMs / 3);
  heartbeat.unref();
  let finished = false;
  try {
    const result = await work();
    finished = true;
    return { result };
  } finally {
    clearInterval(heartbeat);
    await releaseJob(name, holder, finished);
  }
}

/** What shutdown hands back: every scheduled run and import step this instance holds, for another instance to take at once. */
export async function releaseInstanceClaims(instance = instanceId()): Promise<{ jobs: number; imports: number }> {
  const jobs = await db().updateTable("job_claims").set({ claimed_by: null, claimed_until: null }).where("claimed_by", "=", instance).executeTakeFirst();
  // An import step's lease is its heartbeat (updated_at): an old one makes it stale, to be run again now.
  const imports = await db()
    .updateTable("import_jobs")
    .set({ claimed_by: null, updated_at: new Date(0) })
    .where("claimed_by", "=", instance)
    .where("status", "in", ["validating", "importing"])
    .executeTakeFirst();
  return { jobs: Number(jobs.numUpdatedRows), imports: Number(imports.numUpdatedRows) };
}
