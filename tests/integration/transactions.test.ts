import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { db, transaction, TRANSACTION_ATTEMPTS } from "~/utils/db.server";
import { createBrand, createPartner } from "../factories";

const partnerRow = (id: string) => db().selectFrom("partners").select(["phone", "address"]).where("id", "=", id).executeTakeFirstOrThrow();

async function deadlocksSoFar(): Promise<number> {
  const { rows } = await sql<{ Value: string }>`show global status like 'Innodb_deadlocks'`.execute(db());
  return Number(rows[0].Value);
}

/** Resolves once both sides have called it: each transaction holds its first lock before asking for the second. */
function barrier(parties: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return opened;
  };
}

describe("transaction(): deadlocks and lock waits are retried, the rest is not", () => {
  it("two transactions locking two rows in opposite order deadlock for real; the victim is run again and both complete", async () => {
    const brandId = await createBrand();
    const [a, b] = [await createPartner(brandId), await createPartner(brandId)];
    const bothHoldOneRow = barrier(2);
    const attempts = { first: 0, second: 0 };
    const deadlocksBefore = await deadlocksSoFar();

    const lockInOrder = (who: keyof typeof attempts, first: string, second: string) =>
      transaction(async (trx) => {
        attempts[who]++;
        await trx.updateTable("partners").set({ phone: who }).where("id", "=", first).execute();
        if (attempts[who] === 1) await bothHoldOneRow();
        await trx.updateTable("partners").set({ address: who }).where("id", "=", second).execute();
        return who;
      });

    expect(await Promise.all([lockInOrder("first", a, b), lockInOrder("second", b, a)])).toEqual(["first", "second"]);
    // InnoDB chose one victim (ER_LOCK_DEADLOCK); it ran once more, after the other had committed.
    expect(attempts.first + attempts.second).toBe(3);
    expect(Math.max(attempts.first, attempts.second)).toBe(2);
    expect(await deadlocksSoFar()).toBeGreaterThan(deadlocksBefore);
    // Both transactions' writes are there, each exactly as its own transaction left it.
    expect(await partnerRow(a)).toEqual({ phone: "first", address: "second" });
    expect(await partnerRow(b)).toEqual({ phone: "second", address: "first" });
  });

  it("a non-retryable error (a duplicate key) is thrown at once and the transaction leaves nothing", async () => {
    const brandId = await createBrand();
    const taken = await createPartner(brandId);
    let attempts = 0;
    const failing = transaction(async (trx) => {
      attempts++;
      await trx.updateTable("partners").set({ phone: "changed" }).where("id", "=", taken).execute();
      await sql`insert into partners (id, brand_id, name_fa, name_en, name_key, type, tier, province, city, active, created_at, updated_at)
                select id, brand_id, name_fa, name_en, name_key, type, tier, province, city, active, created_at, updated_at from partners where id = ${taken}`.execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: "ER_DUP_ENTRY", errno: 1062 });
    expect(attempts).toBe(1);
    expect(await partnerRow(taken)).toMatchObject({ phone: null });
  });

  it("a lock that is never released ends after a bounded number of attempts with ER_LOCK_WAIT_TIMEOUT", async () => {
    const brandId = await createBrand();
    const held = await createPartner(brandId);
    const holder = await db().startTransaction().execute();
    try {
      await holder.updateTable("partners").set({ phone: "holder" }).where("id", "=", held).execute();
      let attempts = 0;
      const started = Date.now();
      const waiting = transaction(async (trx) => {
        attempts++;
        await sql`set statement innodb_lock_wait_timeout = 1 for update partners set phone = 'waiter' where id = ${held}`.execute(trx);
      });
      await expect(waiting).rejects.toMatchObject({ code: "ER_LOCK_WAIT_TIMEOUT", errno: 1205 });
      expect(attempts).toBe(TRANSACTION_ATTEMPTS);
      // Three one-second waits and short pauses between them, not an endless loop.
      expect(Date.now() - started).toBeLessThan(TRANSACTION_ATTEMPTS * 1000 + 2000);
    } finally {
      await holder.rollback().execute();
    }
    expect(await partnerRow(held)).toMatchObject({ phone: null });
  });
});
