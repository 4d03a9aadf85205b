import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db } from "~/utils/db.server";

/**
 * Home-page numbers kept as counters, so a page reads a handful of rows instead of counting a
 * partner's (or the network's) whole customer set.
 *
 * `customer_counts` holds, per brand and per scope, how many customers fall in each bucket:
 * - scope '' is the brand's whole network; a partner id is what a user of that partner sees (its own
 *   customers and, for a distributor, its resellers'). A customer counts once per scope, however many
 *   of the scope's partners serve it: the same answer as `customerScope`.
 * - metric 'tier': bucket A, B, C or none (not yet valued).
 * - metric 'need': bucket a need category; the customer has an open need of it that the scope may
 *   see (`needVisible`: recorded by one of the scope's partners, or shared by the customer's consent).
 *
 * Every write that changes a customer's tier, serving partners, open needs or sharing consent runs
 * inside `trackCustomerCounts`, in the same transaction: the customer's contributions are read
 * before and after the write and the difference is added. Bulk changes (the value job's tiering, a
 * reseller moved to another distributor) recount with `rebuildCustomerCounts`, the same SQL the
 * migration and the benchmark generator use.
 */

type Executor = Kysely<DB>;

/** Each customer's scopes: the network, every serving partner, and the distributor above each. */
function scopesOf(brandId: string, ids: string[] | null): RawBuilder<unknown> {
  const only = (column: string) => (ids ? sql`and ${sql.ref(column)} in (${sql.join(ids)})` : sql``);
  return sql`select c.id as customer_id, '' as scope_id from customers c where c.brand_id = ${brandId} ${only("c.id")}
    union select cp.customer_id, cp.partner_id from customer_partners cp where cp.brand_id = ${brandId} ${only("cp.customer_id")}
    union select cp.customer_id, p.parent_id from customer_partners cp join partners p on p.id = cp.partner_id
      where cp.brand_id = ${brandId} and p.parent_id is not null ${only("cp.customer_id")}`;
}

/** What the given customers (all of the brand's when null) add to each counter, as (scope, metric, bucket, n). */
function contributions(brandId: string, ids: string[] | null): RawBuilder<CountRow> {
  return sql<CountRow>`select scope_id, metric, bucket, count(*) as n from (
      select s.customer_id, s.scope_id, 'tier' as metric, coalesce(c.value_tier, 'none') as bucket
        from (${scopesOf(brandId, ids)}) s join customers c on c.id = s.customer_id
      union all
      select distinct s.customer_id, s.scope_id, 'need', n.category_id
        from (${scopesOf(brandId, ids)}) s
        join customers c on c.id = s.customer_id
        join customer_needs n on n.customer_id = s.customer_id and n.status = 'open'
        left join partners np on np.id = n.partner_id
        where s.scope_id = '' or c.consent_share_partners = 1 or n.partner_id = s.scope_id or np.parent_id = s.scope_id
    ) x group by scope_id, metric, bucket`;
}

type CountRow = {
  scope_id: string;
  metric: string;
  bucket: string;
  n: number | string;
};
const keyOf = (r: CountRow) => `${r.scope_id}\t${r.metric}\t${r.bucket}`;

/**
 * Runs `write` (inside the caller's transaction) and moves the brand's counters by what it changed
 * for the given customers. The customers' rows are locked first, so two writes to one customer
 * count in turn; `created` says the customers are new (the write inserts them).
 */
export async function trackCustomerCounts<T>(trx: Executor, brandId: string, customerIds: string[], write: () => Promise<T>, opts: { created?: boolean } = {}): Promise<T> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return write();
  // New customers (ids made here, not yet written) count nothing before; no row to lock either.
  let before: CountRow[] = [];
  if (!opts.created) {
    await trx.selectFrom("customers").select("id").where("id", "in", ids).forUpdate().execute();
    before = (await contributions(brandId, ids).execute(trx)).rows;
  }
  const result = await write();
  const after = (await contributions(brandId, ids).execute(trx)).rows;
  const delta = new Map<string, { row: CountRow; n: number }>();
  for (const [rows, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const row of rows) {
      const entry = delta.get(keyOf(row)) ?? { row, n: 0 };
      entry.n += sign * Number(row.n);
      delta.set(keyOf(row), entry);
    }
  }
  const changed = [...delta.values()].filter((d) => d.n !== 0);
  if (changed.length) {
    await trx
      .insertInto("customer_counts")
      .values(
        changed.map(({ row, n }) => ({
          brand_id: brandId,
          scope_id: row.scope_id,
          metric: row.metric as "tier" | "need",
          bucket: row.bucket,
          n,
        }))
      )
      .onDuplicateKeyUpdate({ n: sql`n + values(n)` })
      .execute();
  }
  return result;
}

/** Recounts a brand's counters from its customers (backfill, bulk changes, and the check in tests). */
export async function rebuildCustomerCounts(executor: Executor, brandId: string): Promise<void> {
  await executor.deleteFrom("customer_counts").where("brand_id", "=", brandId).execute();
  await sql`insert into customer_counts (brand_id, scope_id, metric, bucket, n)
    select ${brandId}, scope_id, metric, bucket, n from (${contributions(brandId, null)}) t`.execute(executor);
}

/** A fresh count of a brand's counters, without touching them: what they should hold. */
export async function recountCustomerCounts(executor: Executor, brandId: string): Promise<CountRow[]> {
  return (await contributions(brandId, null).execute(executor)).rows;
}

/** The actor's counters: the network's for brand roles, the actor's partner's otherwise. */
const scopeOf = (actor: Actor) => (actor.scope === "network" ? "" : (actor.partnerId ?? "-"));

/**
 * How many customers the actor sees, of one value tier ("none": not yet valued) or all: the list's
 * total without a search or other filter, from 1–4 counter rows instead of the customers themselves.
 */
export function customersInScope(actor: Actor, tier?: string): RawBuilder<{ n: number | string }> {
  return sql<{ n: number | string }>`select coalesce(sum(n), 0) as n from customer_counts where brand_id = ${actor.brandId} and scope_id = ${scopeOf(actor)} and metric = 'tier'${tier ? sql` and bucket = ${tier}` : sql``}`;
}

/** The counter rows of the actor's scope (the network for brand roles, the actor's partner otherwise). */
export async function countsOfScope(actor: Actor) {
  const scopeId = scopeOf(actor);
  return db()
    .selectFrom("customer_counts")
    .leftJoin("need_categories", (j) => j.onRef("need_categories.id", "=", "customer_counts.bucket").on("customer_counts.metric", "=", "need"))
    .select(["customer_counts.metric", "customer_counts.bucket", "customer_counts.n", "need_categories.name_fa", "need_categories.name_en"])
    .where("customer_counts.brand_id", "=", actor.brandId)
    .where("customer_counts.scope_id", "=", scopeId)
    .where("customer_counts.n", ">", 0)
    .execute();
}
