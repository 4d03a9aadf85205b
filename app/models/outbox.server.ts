import { sql, type Kysely, type Transaction, type UpdateObject } from "kysely";
import type { DB } from "#db/schema";
import { PermanentDeliveryError, retryDelay, type RetryRule } from "~/domain/retry";
import { db, transaction } from "~/utils/db.server";
import { sendToErp } from "~/utils/erp.server";
import { newId } from "~/utils/ids";
import { instanceId } from "~/utils/instance.server";
import { sendEmail, type EmailPayload } from "~/utils/mail.server";

/**
 * A claimed message belongs to its worker until the lease ends; a worker that died mid-batch loses
 * its claims then, and the messages go back to the queue. Longer than any one send can take (the
 * SMTP client gives up after its own timeouts, well below this).
 */
export const OUTBOX_LEASE_MS = 2 * 60_000;
/** 30 s, 1 min, 2 min … up to 1 h between attempts; after the 8th failure the message is dead (status failed). */
export const OUTBOX_RETRY: RetryRule = { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 8 };
export const OUTBOX_BATCH = 20;

export interface OutboxInput {
  /** Made here unless the caller needs to know it first. */
  id?: string;
  brandId: string | null;
  channel: string;
  /** Messages with the same key are delivered in the order they were written; null when order does not matter. */
  orderingKey?: string | null;
  payload: unknown;
  /** The payload carries a secret (a sign-in link): emptied once it is delivered or given up. */
  sensitive?: boolean;
}

/** Written inside the caller's transaction, so a message exists only if the change it tells of does. */
export async function enqueue(trx: Kysely<DB> | Transaction<DB>, m: OutboxInput, now = new Date()): Promise<string> {
  const id = m.id ?? newId();
  await trx
    .insertInto("outbox")
    .values({
      id,
      brand_id: m.brandId,
      channel: m.channel,
      ordering_key: m.orderingKey ?? null,
      payload: JSON.stringify(m.payload),
      erase_payload: m.sensitive ?? false,
      status: "pending",
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
  return id;
}

export interface OutboxMessage {
  id: string;
  brand_id: string | null;
  channel: string;
  payload: unknown;
  attempts: number;
}

/** Delivers one message or throws; the outbox id is the message's stable identity (e.g. its Message-ID). */
export type Sender = (message: OutboxMessage) => Promise<void>;

export const SENDERS: Record<string, Sender> = {
  email: (m) => sendEmail(m.id, m.payload as EmailPayload),
  erp: (m) => sendToErp(m.id, m.payload),
};

/**
 * Claims up to `limit` due messages for `worker` with one conditional update, so two workers (or
 * app instances) never claim the same row, then reads back what this claim token got. Due: pending
 * and its time has come, or claimed by a worker whose lease ran out. A message waits while an
 * earlier one with its ordering key is still pending or being sent.
 */
export async function claimBatch(now: Date, worker: string, limit = OUTBOX_BATCH): Promise<OutboxMessage[]> {
  await transaction(async (trx) => {
    // A worker that died on a message's last attempt leaves it claimed: it is dead, not retried again.
    await trx
      .updateTable("outbox")
      .set({ status: "failed", claimed_by: null, claimed_until: null, last_error: "lease expired on the last attempt" })
      .where("status", "=", "sending")
      .where("claimed_until", "<=", now)
      .where("attempts", ">=", OUTBOX_RETRY.maxAttempts)
      .execute();
    await sql`
      update outbox set status = 'sending', claimed_by = ${worker}, claimed_until = ${new Date(now.getTime() + OUTBOX_LEASE_MS)}, attempts = attempts + 1
      where ((status = 'pending' and next_attempt_at <= ${now}) or (status = 'sending' and claimed_until <= ${now}))
        and attempts < ${OUTBOX_RETRY.maxAttempts}
        and (ordering_key is null or not exists (
          select 1 from outbox earlier
          where earlier.ordering_key = outbox.ordering_key and earlier.id < outbox.id and earlier.status in ('pending', 'sending')))
      order by next_attempt_at, id
      limit ${limit}`.execute(trx);
  });
  const rows = await db()
    .selectFrom("outbox")
    .select(["id", "brand_id", "channel", "payload", "attempts"])
    .where("claimed_by", "=", worker)
    .where("status", "=", "sending")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, payload: r.payload === null ? null : JSON.parse(r.payload) }));
}

/** Ends this worker's claim on a message; a claim that was lost (the lease ran out and another worker took it) changes nothing. */
async function settle(id: string, worker: string, values: UpdateObject<DB, "outbox">): Promise<void> {
  await db()
    .updateTable("outbox")
    .set({ ...values, claimed_by: null, claimed_until: null })
    .where("id", "=", id)
    .where("claimed_by", "=", worker)
    .where("status", "=", "sending")
    .execute();
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * One pass of the worker: claims a batch and sends each message. Sent is marked only under this
 * worker's claim, so once a message is marked sent nobody sends it again; a failure waits
 * (exponential backoff with jitter) or, after the last attempt or a refusal (PermanentDeliveryError),
 * is marked failed with its error.
 */
export async function deliverDue(now = new Date(), o: { worker?: string; limit?: number; senders?: Record<string, Sender>; signal?: AbortSignal } = {}): Promise<DeliveryReport> {
  // The instance, then the pass: each pass's claims are its own, and shutdown knows the instance's.
  const worker = o.worker ?? `${instanceId()}/${newId()}`;
  const senders = o.senders ?? SENDERS;
  const started = Date.now();
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  const batch = await claimBatch(now, worker, o.limit);
  for (const [i, message] of batch.entries()) {
    // Shutting down: what this pass has not started goes back to the queue at once, for another
    // instance, as if never claimed.
    if (o.signal?.aborted) {
      for (const rest of batch.slice(i)) await settle(rest.id, worker, { status: "pending", attempts: rest.attempts - 1 });
      break;
    }
    // Slow sends ate into the lease: leave the rest to run out and return to the queue, rather than
    // start a send another worker may start too.
    if (Date.now() - started > OUTBOX_LEASE_MS / 2) break;
    try {
      const send = senders[message.channel];
      if (!send) throw new Error(`no sender for channel ${message.channel}`);
      await send(message);
    } catch (e) {
      const last_error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      if (message.attempts >= OUTBOX_RETRY.maxAttempts || e instanceof PermanentDeliveryError) {
        await settle(message.id, worker, { status: "failed", last_error, payload: sql<string | null>`if(erase_payload, null, payload)` });
        report.failed++;
      } else {
        await settle(message.id, worker, { status: "pending", last_error, next_attempt_at: new Date(now.getTime() + retryDelay(message.attempts, OUTBOX_RETRY)) });
        report.retried++;
      }
      continue;
    }
    // Should this write fail, the claim runs out and the message is sent again: at least once, with
    // the same Message-ID, never "maybe not at all".
    await settle(message.id, worker, { status: "sent", sent_at: new Date(), last_error: null, payload: sql<string | null>`if(erase_payload, null, payload)` });
    report.sent++;
  }
  return report;
}

/**
 * The server's delivery loop: a pass every `intervalMs`, never two at once in this process (other
 * instances may run theirs; the claims keep them apart). Returns a stop function that lets the
 * message being sent finish (waiting a little), hands back the rest of the pass's claims, and
 * starts no further pass.
 */
export function startOutboxWorker(intervalMs = 5_000): () => Promise<void> {
  let stopped = false;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = deliverDue(new Date(), { signal: stopping.signal })
      .catch((e) => console.warn("Outbox delivery pass failed:", e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    stopping.abort();
    clearTimeout(timer);
    // A pass stuck on an unreachable relay must not hold up shutdown: its claims run out by themselves.
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 4_000).unref())]);
  };
}
