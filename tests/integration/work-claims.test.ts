import { describe, expect, it } from "vitest";
import { confirmMapping, getImportJob, startImport } from "~/models/customer-import.server";
import { claimJob, JOB_LEASE_MS, releaseInstanceClaims, renewJob, withJobClaim } from "~/models/job-claims.server";
import { claimBatch, deliverDue, enqueue } from "~/models/outbox.server";
import { db } from "~/utils/db.server";
import { instanceId } from "~/utils/instance.server";
import { newId } from "~/utils/ids";
import { actorFor, createBrand, createPartner, createUser } from "../factories";

const unique = (what: string) => `${what}:${newId()}`;

describe("scheduled runs claimed through the database", () => {
  it("two instances racing for the same runs never both get one", async () => {
    const names = Array.from({ length: 20 }, () => unique("race"));
    const results = await Promise.all(names.flatMap((name) => [claimJob(name, "instance-a"), claimJob(name, "instance-b")]));
    for (let i = 0; i < names.length; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
  });

  it("runs the work once when two instances start it at the same moment", async () => {
    const name = unique("values");
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      return runs;
    };
    const [a, b] = await Promise.all([withJobClaim(name, work, { holder: "instance-a" }), withJobClaim(name, work, { holder: "instance-b" })]);
    expect(runs).toBe(1);
    expect([a, b].filter(Boolean)).toEqual([{ result: 1 }]);
    // Finished and released: the next scheduled pass may run it again.
    expect(await db().selectFrom("job_claims").select(["claimed_by", "finished_at"]).where("name", "=", name).executeTakeFirstOrThrow()).toMatchObject({ claimed_by: null, finished_at: expect.any(Date) });
  });

  it("a holder that died loses its run when the lease runs out, not before, and cannot renew it afterwards", async () => {
    const name = unique("lease");
    const t0 = new Date();
    expect(await claimJob(name, "dead-instance", t0)).toBe(true);
    expect(await claimJob(name, "instance-b", new Date(t0.getTime() + JOB_LEASE_MS - 1000))).toBe(false);
    expect(await claimJob(name, "instance-b", new Date(t0.getTime() + JOB_LEASE_MS + 1000))).toBe(true);
    expect(await renewJob(name, "dead-instance")).toBe(false);
    expect(await renewJob(name, "instance-b")).toBe(true);
  });

  it("an instance shutting down hands its runs back at once", async () => {
    const name = unique("shutdown");
    expect(await claimJob(name, "leaving-instance")).toBe(true);
    expect(await claimJob(name, "instance-b")).toBe(false);
    expect((await releaseInstanceClaims("leaving-instance")).jobs).toBe(1);
    expect(await claimJob(name, "instance-b")).toBe(true);
  });
});

describe("outbox claims on shutdown", () => {
  it("hands back what a pass had not started, sends it once elsewhere, and never claims a sent message again", async () => {
    const key = unique("shutdown-outbox");
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueue(db(), { brandId: null, channel: "test", orderingKey: null, payload: { i, key } }, now));
    const sent: string[] = [];
    const stopping = new AbortController();
    // The first message sent makes the instance stop (SIGTERM arrives while it sends).
    const sender = async (m: { id: string }) => {
      sent.push(m.id);
      stopping.abort();
    };
    const mine = (m: { id: string }) => ids.includes(m.id);
    // Other test files' messages may be due too: only this test's three take part.
    await db().updateTable("outbox").set({ next_attempt_at: new Date(now.getTime() + 3_600_000) }).where("id", "not in", ids).where("status", "=", "pending").execute();
    const report = await deliverDue(now, { worker: "leaving/pass", limit: 3, senders: { test: sender }, signal: stopping.signal });
    expect(report.sent).toBe(1);
    const rows = await db().selectFrom("outbox").select(["id", "status", "claimed_by", "attempts"]).where("id", "in", ids).orderBy("id").execute();
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending")).toEqual(expect.arrayContaining([expect.objectContaining({ claimed_by: null, attempts: 0 })]));
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(2);

    const again = await deliverDue(now, { worker: "other/pass", limit: 3, senders: { test: async (m) => void sent.push(m.id) } });
    expect(again.sent).toBe(2);
    expect([...sent].sort()).toEqual([...ids].sort());
    // Finished items are never due again, even long after.
    expect((await claimBatch(new Date(now.getTime() + 365 * 86_400_000), "late/pass", 1000)).filter(mine)).toEqual([]);
  });
});

describe("import steps on shutdown", () => {
  it("a step this instance runs is claimed by it, and handed back stale so it can be run again at once", async () => {
    const brandId = await createBrand();
    const partnerId = await createPartner(brandId);
    const actor = await actorFor((await createUser(brandId, "partner_rep", partnerId)).id);
    const started = await startImport(actor, { name: "c.csv", bytes: new TextEncoder().encode("نام,موبایل,شهر\nعلی رضایی,09121234567,تهران\n") });
    if (!started.ok) throw new Error("upload refused");
    const job = await getImportJob(actor, started.jobId);
    // As if the check were still running on an instance that is now going away.
    await db().updateTable("import_jobs").set({ status: "validating", claimed_by: "leaving-instance", updated_at: new Date() }).where("id", "=", started.jobId).execute();
    expect(await confirmMapping(actor, started.jobId, job!.mapping)).toEqual({ ok: false, errors: { form: { key: "imports:errors.busy" } } });
    expect((await releaseInstanceClaims("leaving-instance")).imports).toBe(1);
    expect(await getImportJob(actor, started.jobId)).toMatchObject({ status: "validating", stale: true });
    expect(await confirmMapping(actor, started.jobId, job!.mapping)).toEqual({ ok: true });
    const claimed = await db().selectFrom("import_jobs").select("claimed_by").where("id", "=", started.jobId).executeTakeFirstOrThrow();
    expect([instanceId(), null]).toContain(claimed.claimed_by);
  });
});
