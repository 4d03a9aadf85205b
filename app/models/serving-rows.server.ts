import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "#db/schema";

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Serving rows (customer_partners) carry copies of their customer's search keys (name_key,
 * name_alt_key, city_key), so a partner's list and name search are read in index order from the
 * serving rows alone. Every write that adds a serving row or changes a customer's name or city goes
 * through one of these functions in the same transaction, so the copies never drift.
 */

/** Adds serving rows of one partner for the given customers, with the keys copied from the customers. */
export async function addServingRows(executor: Executor, brandId: string, partnerId: string, customerIds: string[], since: Date, opts: { keepExisting?: boolean } = {}) {
  if (customerIds.length === 0) return;
  await sql`insert into customer_partners (customer_id, partner_id, brand_id, since, name_key, name_alt_key, city_key)
    select c.id, ${partnerId}, c.brand_id, ${since}, c.name_key, c.name_alt_key, c.city_key from customers c
    where c.brand_id = ${brandId} and c.id in (${sql.join(customerIds)})
    ${opts.keepExisting ? sql`on duplicate key update since = customer_partners.since` : sql``}`.execute(executor);
}

/** After a customer's name or city changed: the serving rows follow. */
export async function copyKeysToServingRows(executor: Executor, brandId: string, customerId: string) {
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set cp.name_key = c.name_key, cp.name_alt_key = c.name_alt_key, cp.city_key = c.city_key
    where c.id = ${customerId} and c.brand_id = ${brandId}`.execute(executor);
}

/**
 * Rebuilds every copied column from the customers, from scratch, in plain SQL: after a bulk load that
 * wrote serving rows without them (the benchmark generator), or to repair them.
 */
export async function rebuildServingRowKeys(executor: Executor) {
  await sql`update customer_partners cp join customers c on c.id = cp.customer_id
    set cp.name_key = c.name_key, cp.name_alt_key = c.name_alt_key, cp.city_key = c.city_key
    where cp.name_key <> c.name_key or cp.name_alt_key <> c.name_alt_key or cp.city_key <> c.city_key`.execute(executor);
}
