import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "#db/schema";

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Serving rows (customer_partners) carry copies of their customer's search keys (name_key,
 * name_alt_key, city_key) and of the value and contact facts the day's actions and the list's sorts
 * test (value tier, last contact, lifetime value, order history, P(alive)), so a partner's list, name
 * search and daily actions are read in index order from the serving rows alone. Every write that adds
 * a serving row or changes one of these columns of a customer goes through one of these functions in
 * the same transaction, so the copies never drift.
 */
export const COPIED = ["name_key", "name_alt_key", "city_key", "value_tier", "last_contact_at", "ltv_rial", "order_count", "last_order_at", "avg_interval_days", "p_alive", "p_alive_previous"] as const;

const columns = sql.join(COPIED.map((c) => sql.ref(c)));
const fromCustomer = sql.join(COPIED.map((c) => sql.ref(`c.${c}`)));
const setFromCustomer = sql.join(COPIED.map((c) => sql`${sql.ref(`cp.${c}`)} = ${sql.ref(`c.${c}`)}`));

/** Adds serving rows of one partner for the given customers, with the copies taken from the customers. */
export async function addServingRows(executor: Executor, brandId: string, partnerId: string, customerIds: string[], since: Date, opts: { keepExisting?: boolean } = {}) {
  if (customerIds.length === 0) return;
  await sql`insert into customer_partners (customer_id, partner_id, brand_id, since, ${columns})
    select c.id, ${partnerId}, c.brand_id, ${since}, ${fromCustomer} from customers c
    where c.brand_id = ${brandId} and c.id in (${sql.join(customerIds)})
    ${opts.keepExisting ? sql`on duplicate key update since = customer_partners.since` : sql``}`.execute(executor);
}

/** After customers' names, cities, contact or value changed: their serving rows follow. */
export async function copyToServingRows(executor: Executor, brandId: string, customerIds: string[]) {
  if (customerIds.length === 0) return;
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set ${setFromCustomer}
    where c.id in (${sql.join(customerIds)}) and c.brand_id = ${brandId}`.execute(executor);
}

/**
 * Rebuilds every copied column from the customers, from scratch, in plain SQL: after a write that
 * changed a whole brand's customers at once (the value job's tiers), after a bulk load that wrote
 * serving rows without them (the benchmark generator), or to repair them.
 */
export async function rebuildServingRows(executor: Executor, brandId?: string) {
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set ${setFromCustomer}
    where ${brandId ? sql`cp.brand_id = ${brandId} and ` : sql``}not (${sql.join(
      COPIED.map((col) => sql`${sql.ref(`cp.${col}`)} <=> ${sql.ref(`c.${col}`)}`),
      sql` and `,
    )})`.execute(executor);
}
