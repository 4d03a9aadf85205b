import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from "kysely";
import type { ConsentChannel, ConsentPurpose, ContactChannel, CustomerKind, DB } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { parsePhone } from "~/domain/phone";
import { protectionEnd, type DuplicateMatch } from "~/domain/serve-requests";
import { toAsciiDigits, toSearchKey } from "~/domain/text";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import { countsOfScope, trackCustomerCounts } from "./customer-counts.server";
import { addServingRows, copyToServingRows } from "./serving-rows.server";
import type { CustomerFilters } from "./customer-filters";
import { can } from "~/domain/permissions";
import { assertAllowed, assertCan, contactVisible, customerScope, keptByOwnPartner, mayEditCustomer, mayRecordConsent, needVisible } from "./scope.server";

type CustomerQuery = SelectQueryBuilder<DB, "customers", object>;

const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

export const isDuplicateKey = (e: unknown) => (e as { code?: string } | null)?.code === "ER_DUP_ENTRY";

/** Search keys of a name: from the first word, and from the second word on (surname first). */
export function nameKeys(displayName: string): { name_key: string; name_alt_key: string } {
  const key = toSearchKey(displayName).slice(0, 200);
  const space = key.indexOf(" ");
  return { name_key: key, name_alt_key: space > 0 ? key.slice(space + 1) : key };
}

/** Fewer digits than this search names, as before: too many numbers end in the same three. */
export const LAST_DIGITS_MIN = 4;

/**
 * What a search box holds: a phone number (any digits, any format), the last digits of a mobile
 * (4 or more, not a whole number), an email, or a name or city.
 */
export function searchTerm(q: string): { phone: string } | { lastDigits: string } | { email: string } | { key: string } {
  const compact = toAsciiDigits(q).replace(/[\s\-()+.]/g, "");
  if (/^\d{7,15}$/.test(compact)) {
    const phone = parsePhone(q);
    if (phone) return { phone };
  }
  if (/^\d+$/.test(compact) && compact.length >= LAST_DIGITS_MIN && compact.length <= 15) return { lastDigits: compact };
  if (q.includes("@")) return { email: q.trim().toLowerCase() };
  return { key: toSearchKey(q) };
}

/** A phone or e-mail the customer gave one of the actor's own partner's people directly. */
const collectedContact = (actor: Actor, column: "phone" | "email", value: string) =>
  sql<SqlBool>`customers.id in (select cc.customer_id from customer_collected_contacts cc where ${sql.ref(`cc.${column}`)} = ${value} and ${keptByOwnPartner(actor, "cc.partner_id", "cc.brand_id")})`;

/** The search keys a name or city search matches by prefix: from the first name, from the surname, the city. */
export const SEARCH_KEY_COLUMNS = ["name_key", "name_alt_key", "city_key"] as const;

/** A name or city search: the LIKE pattern its prefix matches; undefined for other searches or none. */
export function namePrefix(f: CustomerFilters): string | undefined {
  if (!f.q) return undefined;
  const term = searchTerm(f.q);
  return "key" in term && term.key ? `${escapeLike(term.key)}%` : undefined;
}

/**
 * A phone, e-mail or last-digits search as conditions on `customers`, any of which matches: each is
 * served by its own index, so the list reads them as separate branches. Matching on a hidden phone
 * or email would reveal it, so those searches only see visible contacts, and those the customer gave
 * the actor's own partner directly. Undefined for a name search or none.
 */
export function contactSearch(actor: Actor, q: string | undefined): Expression<SqlBool>[] | undefined {
  if (!q) return undefined;
  const term = searchTerm(q);
  const visible = contactVisible(actor);
  if ("phone" in term) return [sql<SqlBool>`(customers.phone = ${term.phone} and ${visible})`, collectedContact(actor, "phone", term.phone)];
  if ("email" in term) return [sql<SqlBool>`(customers.email = ${term.email} and ${visible})`, collectedContact(actor, "email", term.email)];
  // The number read backwards (phone_rev, indexed) starts with the digits read backwards.
  if ("lastDigits" in term) return [sql<SqlBool>`(customers.phone_rev like ${`${[...term.lastDigits].reverse().join("")}%`} and ${visible})`];
  return undefined;
}

/**
 * The list filters other than the search box and the partner, as conditions on `customers`: list
 * pages, exports and segment counts apply the same ones.
 */
export function filterConditions(actor: Actor, f: CustomerFilters, facts: "customers" | "cp" = "customers"): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  const tier = sql.ref(`${facts}.value_tier`);
  const contact = sql.ref(`${facts}.last_contact_at`);
  if (f.valueTier === "none") conditions.push(sql<SqlBool>`${tier} is null`);
  else if (f.valueTier) conditions.push(sql<SqlBool>`${tier} = ${f.valueTier}`);
  if (f.province) conditions.push(sql<SqlBool>`customers.province = ${f.province}`);
  if (f.contactFrom) conditions.push(sql<SqlBool>`${contact} >= ${f.contactFrom}`);
  if (f.contactTo) conditions.push(sql<SqlBool>`${contact} < ${f.contactTo}`);
  if (f.needCategory || f.needStatus) {
    // Filtering by a need the actor may not see would reveal it, so only visible needs count. The
    // brand condition lets the (brand_id, status, category_id) index serve the filter.
    conditions.push(sql<SqlBool>`exists (select fn.id from customer_needs fn where fn.brand_id = ${actor.brandId} and fn.customer_id = customers.id and ${needVisible(actor, "fn.partner_id")}${
      f.needCategory ? sql` and fn.category_id = ${f.needCategory}` : sql``
    }${f.needStatus ? sql` and fn.status = ${f.needStatus}` : sql``})`);
  }
  return conditions;
}

/**
 * Whether the filters test the customers row itself; the tier and last contact can be tested on the
 * serving rows' copies (`filterConditions(…, "cp")`).
 */
export const filtersNeedCustomerRow = (f: CustomerFilters) => Boolean(f.province || f.needCategory || f.needStatus);

/** Customers one partner serves (the brand filtering its network by partner). */
export const servedByPartner = (partnerId: string) => sql<SqlBool>`exists (select fp.partner_id from customer_partners fp where fp.customer_id = customers.id and fp.partner_id = ${partnerId})`;

/** Applies the tenant scope and the list filters; every customer export and count goes through here. */
export function filteredCustomers(actor: Actor, f: CustomerFilters, executor: Kysely<DB> = db()): CustomerQuery {
  let query: CustomerQuery = executor.selectFrom("customers").where(customerScope(actor));
  const prefix = namePrefix(f);
  const contact = contactSearch(actor, f.q);
  if (prefix) query = query.where((eb) => eb.or(SEARCH_KEY_COLUMNS.map((column) => eb(`customers.${column}`, "like", prefix))));
  else if (contact) query = query.where(sql<SqlBool>`(${sql.join(contact, sql` or `)})`);
  for (const condition of filterConditions(actor, f)) query = query.where(condition);
  if (f.partnerId && actor.scope === "network") query = query.where(servedByPartner(f.partnerId));
  return query;
}

/** Columns of a customer row as this actor may see them: consent-restricted contact fields are null otherwise. */
export function visibleCustomerColumns(actor: Actor) {
  const visible = contactVisible(actor);
  return [
    "customers.id",
    "customers.kind",
    "customers.display_name",
    "customers.province",
    "customers.city",
    "customers.value_tier",
    "customers.ltv_rial",
    "customers.order_count",
    "customers.last_contact_at",
    "customers.last_order_at",
    "customers.registered_at",
    "customers.registered_by_partner_id",
    "customers.preferred_locale",
    "customers.preferred_channel",
    "customers.consent_partner_contact",
    "customers.consent_brand_contact",
    "customers.consent_share_partners",
    sql<string | null>`case when ${visible} then customers.phone end`.as("phone"),
    sql<string | null>`case when ${visible} then customers.email end`.as("email"),
    sql<string | null>`case when ${visible} then customers.preferred_times end`.as("preferred_times"),
    sql<number>`case when ${visible} then 1 else 0 end`.as("contact_visible"),
  ] as const;
}

export async function countCustomers(actor: Actor, f: CustomerFilters): Promise<number> {
  const row = await filteredCustomers(actor, f).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One customer as the actor may see it, or undefined (a 404: never another partner's customer). */
export async function getCustomer(actor: Actor, id: string) {
  assertCan(actor, "customers.view");
  return db().selectFrom("customers").select(visibleCustomerColumns(actor)).select(["customers.avg_interval_days", "customers.first_order_at", "customers.monetary_rial", "customers.p_alive", "customers.p_alive_previous", "customers.expected_purchases", "customers.ltv_fit_at"])
    .select((eb) => eb.selectFrom("brand_value_fits").select("brand_value_fits.horizon_months").whereRef("brand_value_fits.brand_id", "=", "customers.brand_id").as("ltv_horizon_months"))
    .where("customers.id", "=", id).where(customerScope(actor)).executeTakeFirst();
}

/** The partners serving each of the given customers (those the actor may see), oldest first. */
export async function servingPartnersOf(actor: Actor, customerIds: string[]) {
  const byCustomer = new Map<string, { id: string; name_fa: string; name_en: string; since: Date }[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db()
    .selectFrom("customer_partners")
    .innerJoin("partners", "partners.id", "customer_partners.partner_id")
    .select(["customer_partners.customer_id", "partners.id", "partners.name_fa", "partners.name_en", "customer_partners.since"])
    .where("customer_partners.customer_id", "in", [...new Set(customerIds)])
    .where(customerScope(actor, "customer_partners.customer_id", "customer_partners.brand_id"))
    .orderBy("customer_partners.since")
    .execute();
  for (const { customer_id, ...partner } of rows) byCustomer.set(customer_id, [...(byCustomer.get(customer_id) ?? []), partner]);
  return byCustomer;
}

export interface CustomerInput {
  kind: CustomerKind;
  displayName: string;
  phone: string;
  email: string | null;
  province: string;
  city: string;
  preferredLocale: "fa" | "en";
  preferredChannel: ContactChannel;
  preferredTimes: string | null;
  consents: Record<ConsentPurpose, boolean>;
}

/** The identity and contact columns a customer form sets, for registration and edit alike. */
export const customerColumns = (input: Omit<CustomerInput, "consents">) => ({
  kind: input.kind,
  display_name: input.displayName,
  ...nameKeys(input.displayName),
  phone: input.phone,
  email: input.email,
  province: input.province,
  city: input.city,
  city_key: toSearchKey(input.city).slice(0, 100),
  preferred_locale: input.preferredLocale,
  preferred_channel: input.preferredChannel,
  preferred_times: input.preferredTimes,
});

/**
 * A record the registration matched. Another partner's customer is told only as a fact (how it
 * matched, when it was registered, whether it is still protected): no id, no name, nothing that
 * opens it, so the requester can read nothing of it before a decision. A customer the actor
 * already serves comes with its id and name, to open it.
 */
export type Duplicate = {
  match: DuplicateMatch;
  registeredAt: Date;
  protectedUntil: Date | null;
  pendingRequest: boolean;
} & ({ servedByYou: true; id: string; displayName: string } | { servedByYou: false });

/**
 * Looks for the customer across the whole brand, before a partner registers them. This is the one
 * read that crosses partners, so it returns only the fact that a record exists (and whether the
 * actor already serves it), never another partner's details.
 */
export async function findDuplicates(actor: Actor, input: Pick<CustomerInput, "phone" | "email" | "displayName" | "city">): Promise<Duplicate[]> {
  const { name_key } = nameKeys(input.displayName);
  const cityKey = toSearchKey(input.city);
  const rows = await db()
    .selectFrom("customers")
    .innerJoin("brands", "brands.id", "customers.brand_id")
    .select(["customers.id", "customers.phone", "customers.email", "customers.display_name", "customers.registered_at", "brands.protection_days"])
    .select((eb) => [
      eb.exists(eb.selectFrom("customer_partners as cp").select("cp.partner_id").whereRef("cp.customer_id", "=", "customers.id").where("cp.partner_id", "in", actor.scope === "network" ? [""] : actor.scope)).as("served"),
      eb.exists(eb.selectFrom("serve_requests as sr").select("sr.id").whereRef("sr.customer_id", "=", "customers.id").where("sr.partner_id", "=", actor.partnerId ?? "").where("sr.status", "=", "pending")).as("pending"),
    ])
    .where("customers.brand_id", "=", actor.brandId)
    .where((eb) => {
      const any = [eb("customers.phone", "=", input.phone), eb.and([eb("customers.name_key", "=", name_key), eb("customers.city_key", "=", cityKey)])];
      if (input.email) any.push(eb("customers.email", "=", input.email));
      return eb.or(any);
    })
    .limit(5)
    .execute();
  return rows.map((r): Duplicate => {
    const protectedUntil = protectionEnd(r.registered_at, r.protection_days);
    const fact = {
      match: r.phone === input.phone ? "phone" : input.email && r.email === input.email ? "email" : "name_city",
      registeredAt: r.registered_at,
      protectedUntil: protectedUntil > new Date() ? protectedUntil : null,
      pendingRequest: Boolean(r.pending),
    } as const;
    return r.served ? { ...fact, servedByYou: true, id: r.id, displayName: r.display_name } : { ...fact, servedByYou: false };
  });
}

/** How the customer gave or withdrew consent, as the recording user was told. */
export interface ConsentRecord {
  channel: ConsentChannel;
  givenAt: Date;
  note: string | null;
}

export async function recordConsents(trx: Transaction<DB>, actor: Actor, customerId: string, changes: Partial<Record<ConsentPurpose, boolean>>, at: Date, how?: ConsentRecord) {
  for (const [purpose, granted] of Object.entries(changes) as [ConsentPurpose, boolean][]) {
    await trx
      .insertInto("consent_events")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: customerId, purpose, granted, user_id: actor.userId, partner_id: actor.partnerId, recorded_at: at, channel: how?.channel ?? null, given_at: how?.givenAt ?? null, note: how?.note ?? null })
      .execute();
  }
}

export type RegisterResult = { id: string } | { duplicates: Duplicate[] } | { errors: FieldErrors };

/**
 * Registers an end customer for the actor's partner. Phone and email matches always stop the
 * registration (one record per customer); a same-name-and-city match stops it unless the rep
 * confirms it is a different person (`force`).
 */
export async function registerCustomer(actor: Actor, input: CustomerInput, opts: { force?: boolean } = {}): Promise<RegisterResult> {
  assertCan(actor, "customers.register");
  const duplicates = await findDuplicates(actor, input);
  const blocking = duplicates.filter((d) => d.match !== "name_city" || !opts.force);
  if (blocking.length) return { duplicates: blocking };
  const id = newId();
  const now = new Date();
  try {
    await transaction(async (trx) => {
      await trackCustomerCounts(
        trx,
        actor.brandId,
        [id],
        async () => {
          await trx
            .insertInto("customers")
            .values({
              id,
              brand_id: actor.brandId,
              ...customerColumns(input),
              consent_partner_contact: input.consents.partner_contact,
              consent_brand_contact: input.consents.brand_contact,
              consent_share_partners: input.consents.share_partners,
              registered_by_partner_id: actor.partnerId,
              registered_at: now,
              created_by_user_id: actor.userId,
              created_at: now,
              updated_at: now,
            })
            .execute();
          await addServingRows(trx, actor.brandId, actor.partnerId!, [id], now);
        },
        { created: true },
      );
      await recordConsents(trx, actor, id, input.consents, now);
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.registered", targetType: "customer", targetId: id }, trx);
    });
  } catch (e) {
    // Another partner registered the same phone or email a moment ago: show it as the duplicate it is.
    if (isDuplicateKey(e)) return { duplicates: await findDuplicates(actor, input) };
    throw e;
  }
  return { id };
}

/** The field a unique-key clash was about, for the customer being changed: the phone if another customer has it. */
export async function takenFieldError(brandId: string, customerId: string, phone: string): Promise<FieldErrors> {
  const phoneTaken = await db().selectFrom("customers").select("id").where("brand_id", "=", brandId).where("id", "!=", customerId).where("phone", "=", phone).executeTakeFirst();
  return phoneTaken ? { phone: { key: "customers:errors.phone_taken" } } : { email: { key: "customers:errors.email_taken" } };
}

/** The owner corrects the record; the brand too where it may see the contact fields (mayEditCustomer). */
export async function updateCustomer(actor: Actor, id: string, input: Omit<CustomerInput, "consents">): Promise<{ ok: true } | { errors: FieldErrors } | null> {
  assertAllowed(can(actor, "customers.register") || can(actor, "customers.steward"));
  const current = await getCustomer(actor, id);
  if (!current) return null;
  assertAllowed(mayEditCustomer(actor, current));
  try {
    await transaction(async (trx) => {
      await trx
        .updateTable("customers")
        .set({ ...customerColumns(input), updated_at: new Date() })
        .where("id", "=", id)
        .where("brand_id", "=", actor.brandId)
        .execute();
      await copyToServingRows(trx, actor.brandId, [id]);
      await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.updated", targetType: "customer", targetId: id }, trx);
    });
  } catch (e) {
    // The unique indexes decide, also when two edits race; say which field clashed.
    if (!isDuplicateKey(e)) throw e;
    return { errors: await takenFieldError(actor.brandId, id, input.phone) };
  }
  return { ok: true };
}

/**
 * Consent changes are kept as events (who, how, when given, which partner) and the current state on
 * the customer. Only the partner holding the relationship records them; the brand only withdrawals.
 */
export async function setConsents(actor: Actor, id: string, consents: Record<ConsentPurpose, boolean>, how: ConsentRecord): Promise<boolean> {
  assertAllowed(can(actor, "customers.register") || can(actor, "customers.steward"));
  if (!(await getCustomer(actor, id))) return false;
  await transaction(async (trx) => {
    // Read under a row lock, so two saves at once leave events that match the final state, and
    // the owner checked is the owner at the time of writing (not before a transfer).
    const current = await trx
      .selectFrom("customers")
      .select(["registered_by_partner_id", "consent_partner_contact", "consent_brand_contact", "consent_share_partners"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const before: Record<ConsentPurpose, boolean> = {
      partner_contact: Boolean(current.consent_partner_contact),
      brand_contact: Boolean(current.consent_brand_contact),
      share_partners: Boolean(current.consent_share_partners),
    };
    const changes = Object.fromEntries(Object.entries(consents).filter(([k, v]) => before[k as ConsentPurpose] !== v));
    assertAllowed(mayRecordConsent(actor, current, Object.values(changes).some(Boolean)));
    if (Object.keys(changes).length === 0) return;
    const now = new Date();
    // Sharing decides which partners see the customer's needs: the need counters move with it.
    await trackCustomerCounts(trx, actor.brandId, [id], () =>
      trx
        .updateTable("customers")
        .set({ consent_partner_contact: consents.partner_contact, consent_brand_contact: consents.brand_contact, consent_share_partners: consents.share_partners, updated_at: now })
        .where("id", "=", id)
        .where("brand_id", "=", actor.brandId)
        .execute(),
    );
    await recordConsents(trx, actor, id, changes, now, how);
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.consent_changed", targetType: "customer", targetId: id, details: { ...changes, channel: how.channel } }, trx);
  });
  return true;
}

export async function consentHistory(actor: Actor, customerId: string) {
  return db()
    .selectFrom("consent_events")
    .leftJoin("users", "users.id", "consent_events.user_id")
    .leftJoin("partners", "partners.id", "consent_events.partner_id")
    .select(["consent_events.id", "consent_events.purpose", "consent_events.granted", "consent_events.recorded_at", "consent_events.channel", "consent_events.given_at", "consent_events.note", "users.display_name as user_name", "partners.name_fa as partner_name_fa", "partners.name_en as partner_name_en"])
    .where("consent_events.customer_id", "=", customerId)
    .where(customerScope(actor, "consent_events.customer_id", "consent_events.brand_id"))
    .orderBy("consent_events.recorded_at", "desc")
    .limit(50)
    .execute();
}

/**
 * Home-page numbers: customers by value tier and the most common open needs, within the actor's
 * scope, read from the counters kept with every write (app/models/customer-counts.server.ts).
 */
export async function customerStats(actor: Actor) {
  const rows = await countsOfScope(actor);
  const byTier = { A: 0, B: 0, C: 0, none: 0 };
  const needs: { id: string; name_fa: string; name_en: string; n: number }[] = [];
  for (const r of rows) {
    if (r.metric === "tier") byTier[r.bucket as keyof typeof byTier] = Number(r.n);
    else if (r.name_fa !== null && r.name_en !== null) needs.push({ id: r.bucket, name_fa: r.name_fa, name_en: r.name_en, n: Number(r.n) });
  }
  // Customers, not needs: the number matches the list filtered by this category and "open".
  const topNeeds = needs.sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : 1)).slice(0, 5);
  return { total: Object.values(byTier).reduce((a, b) => a + b, 0), byTier, topNeeds };
}
