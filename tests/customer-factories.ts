import type { ValueTier } from "~/domain/customer-value";
import { trackCustomerCounts } from "~/models/customer-counts.server";
import type { CustomerInput } from "~/models/customers.server";
import { registerCustomer } from "~/models/customers.server";
import { COPIED, copyToServingRows } from "~/models/serving-rows.server";
import { sql } from "kysely";
import { db, transaction } from "~/utils/db.server";
import { actorFor } from "./factories";

let sequence = 0;

/** A valid registration with a phone and email no other test uses. */
export function customerInput(o: Partial<CustomerInput> = {}): CustomerInput {
  sequence += 1;
  const unique = `${Date.now() % 1_000_000}${String(sequence).padStart(3, "0")}`.slice(-7);
  return {
    kind: "person",
    displayName: `مشتری ${unique}`,
    phone: `+98912${unique}`,
    email: `c${unique}-${Math.random().toString(36).slice(2, 8)}@test.example`,
    province: "tehran",
    city: "تهران",
    preferredLocale: "fa",
    preferredChannel: "phone",
    preferredTimes: null,
    consents: { partner_contact: true, brand_contact: false, share_partners: false },
    ...o,
  };
}

/** Registers a customer as the given partner user, through the same model the registration page uses. */
export async function registerAs(userId: string, o: Partial<CustomerInput> = {}): Promise<string> {
  const result = await registerCustomer(await actorFor(userId), customerInput(o));
  if (!("id" in result)) throw new Error(`registration failed: ${JSON.stringify(result)}`);
  return result.id;
}

/** Gives a customer a value tier as the value job writes one: the row, its serving rows and the home page's counters together. */
export async function setValueTier(brandId: string, customerId: string, tier: ValueTier | null): Promise<void> {
  await transaction(async (trx) => {
    await trackCustomerCounts(trx, brandId, [customerId], () =>
      trx
        .updateTable("customers")
        .set({ value_tier: tier, order_count: tier ? 1 : 0 })
        .where("id", "=", customerId)
        .execute(),
    );
    await copyToServingRows(trx, brandId, [customerId]);
  });
}

/**
 * The brand's serving rows whose copies (app/models/serving-rows.server.ts) differ from their
 * customer's columns; other test files' brands in the same database are not looked at.
 */
export async function servingRowDrift(brandId: string): Promise<number> {
  const differs = sql.join(
    COPIED.map((c) => sql`not (${sql.ref(`cp.${c}`)} <=> ${sql.ref(`c.${c}`)})`),
    sql` or `,
  );
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from customer_partners cp join customers c on c.id = cp.customer_id where c.brand_id = ${brandId} and (${differs})`.execute(db());
  return Number(rows[0].n);
}
