import { sql, type SqlBool } from "kysely";
import type { InteractionChannel, InteractionKind, NeedPriority, NeedStatus } from "#db/schema";
import type { Actor } from "~/domain/permissions";
import { db, transaction } from "~/utils/db.server";
import { newId } from "~/utils/ids";
import type { FieldErrors } from "~/utils/validation";
import { audit } from "./audit.server";
import { trackCustomerCounts } from "./customer-counts.server";
import { askCutoff } from "./customer-contact.server";
import { parseChanges, pendingCorrectionsQuery } from "./customer-corrections.server";
import { getCustomer } from "./customers.server";
import { copyToServingRows } from "./serving-rows.server";
import { can } from "~/domain/permissions";
import { assertAllowed, assertCan, customerScope, mayChangeNeed, needChangeable, needVisible, ownedByScope } from "./scope.server";

export async function needCategories(brandId: string) {
  return db().selectFrom("need_categories").select(["id", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("active", "=", true).orderBy("sort").execute();
}

export async function activeProducts(brandId: string) {
  return db().selectFrom("products").select(["id", "sku", "name_fa", "name_en"]).where("brand_id", "=", brandId).where("active", "=", true).orderBy("sku").execute();
}

/** The needs of a customer the actor may see. */
export async function listNeeds(actor: Actor, customerId: string) {
  return db()
    .selectFrom("customer_needs")
    .innerJoin("customers", "customers.id", "customer_needs.customer_id")
    .innerJoin("need_categories", "need_categories.id", "customer_needs.category_id")
    .leftJoin("products", "products.id", "customer_needs.product_id")
    .leftJoin("users", "users.id", "customer_needs.recorded_by_user_id")
    .leftJoin("partners", "partners.id", "customer_needs.partner_id")
    .select([
      "customer_needs.id",
      "customer_needs.partner_id",
      "customer_needs.body",
      "customer_needs.priority",
      "customer_needs.status",
      "customer_needs.category_id",
      "customer_needs.product_id",
      "customer_needs.created_at",
      "customer_needs.last_follow_up_at",
      "need_categories.name_fa as category_fa",
      "need_categories.name_en as category_en",
      "products.sku",
      "products.name_fa as product_fa",
      "products.name_en as product_en",
      "products.active as product_active",
      "users.display_name as recorded_by",
      "partners.name_fa as partner_fa",
      "partners.name_en as partner_en",
    ])
    .where("customer_needs.customer_id", "=", customerId)
    .where(customerScope(actor))
    .where(needVisible(actor))
    .orderBy(sql`customer_needs.status = 'open'`, "desc")
    .orderBy("customer_needs.created_at", "desc")
    .execute();
}

export interface NeedInput {
  categoryId: string;
  body: string;
  priority: NeedPriority;
  productId: string | null;
}

/** Records a need, and the fact on the timeline, in one transaction. */
export async function addNeed(actor: Actor, customerId: string, input: NeedInput): Promise<{ id: string } | { errors: FieldErrors } | null> {
  assertCan(actor, "customers.register");
  if (!(await getCustomer(actor, customerId))) return null;
  const [category, product] = await Promise.all([
    db().selectFrom("need_categories").select("id").where("id", "=", input.categoryId).where("brand_id", "=", actor.brandId).executeTakeFirst(),
    input.productId ? db().selectFrom("products").select("id").where("id", "=", input.productId).where("brand_id", "=", actor.brandId).executeTakeFirst() : null,
  ]);
  if (!category) return { errors: { categoryId: { key: "errors.choice" } } };
  if (input.productId && !product) return { errors: { productId: { key: "errors.choice" } } };
  const id = newId();
  const now = new Date();
  await transaction(async (trx) => {
    await trackCustomerCounts(trx, actor.brandId, [customerId], () =>
      trx
        .insertInto("customer_needs")
        .values({ id, brand_id: actor.brandId, customer_id: customerId, partner_id: actor.partnerId, category_id: input.categoryId, body: input.body, priority: input.priority, status: "open", product_id: input.productId, recorded_by_user_id: actor.userId, created_at: now, updated_at: now })
        .execute(),
    );
    await trx
      .insertInto("interactions")
      .values({ id: newId(), brand_id: actor.brandId, customer_id: customerId, partner_id: actor.partnerId, user_id: actor.userId, kind: "need_recorded", channel: null, note: input.body, need_id: id, occurred_at: now, created_at: now })
      .execute();
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.need_recorded", targetType: "customer", targetId: customerId }, trx);
  });
  return { id };
}

/** Marks a need met or declined (or reopens it); the timeline records a met need. Only its recorder's partner and the brand may. */
export async function setNeedStatus(actor: Actor, needId: string, status: NeedStatus): Promise<boolean> {
  assertAllowed(can(actor, "customers.register") || can(actor, "customers.steward"));
  const need = await db()
    .selectFrom("customer_needs")
    .innerJoin("customers", "customers.id", "customer_needs.customer_id")
    .select(["customer_needs.id", "customer_needs.customer_id", "customer_needs.partner_id", "customer_needs.status", "customer_needs.body"])
    .where("customer_needs.id", "=", needId)
    .where(customerScope(actor))
    .where(needVisible(actor))
    .executeTakeFirst();
  if (!need) return false;
  assertAllowed(mayChangeNeed(actor, need));
  if (need.status === status) return true;
  const now = new Date();
  await transaction(async (trx) => {
    // Conditional on the status read: a double click records the change (and the timeline entry) once.
    const changed = await trackCustomerCounts(trx, actor.brandId, [need.customer_id], () =>
      trx
        .updateTable("customer_needs")
        .set({ status, status_changed_at: now, updated_at: now })
        .where("id", "=", needId)
        .where("brand_id", "=", actor.brandId)
        .where("status", "=", need.status)
        .executeTakeFirst(),
    );
    if (Number(changed.numUpdatedRows) !== 1) return;
    if (status === "met") {
      await trx
        .insertInto("interactions")
        .values({ id: newId(), brand_id: actor.brandId, customer_id: need.customer_id, partner_id: actor.partnerId, user_id: actor.userId, kind: "need_met", channel: null, note: need.body, need_id: needId, occurred_at: now, created_at: now })
        .execute();
    }
    await audit({ brandId: actor.brandId, actorUserId: actor.userId, partnerId: actor.partnerId, action: "customer.need_status", targetType: "need", targetId: needId, details: { from: need.status, to: status } }, trx);
  });
  return true;
}

export interface InteractionInput {
  kind: InteractionKind;
  channel: InteractionChannel;
  note: string | null;
  occurredAt: Date;
  needId: string | null;
}

/**
 * Records a touchpoint. Last contact only moves forward (a conditional update, safe when two
 * reps log at once); a touchpoint about a need counts as its follow-up, when the need is the
 * actor's partner's own: another partner may refer to a shared need but not move it.
 */
export async function addInteraction(actor: Actor, customerId: string, input: InteractionInput): Promise<{ id: string } | { errors: FieldErrors } | null> {
  assertCan(actor, "customers.register");
  if (!(await getCustomer(actor, customerId))) return null;
  if (input.needId && !(await listNeeds(actor, customerId)).some((n) => n.id === input.needId)) return { errors: { needId: { key: "errors.choice" } } };
  const id = newId();
  await transaction(async (trx) => {
    await trx
      .insertInto("interactions")
      .values({ id, brand_id: actor.brandId, customer_id: customerId, partner_id: actor.partnerId, user_id: actor.userId, kind: input.kind, channel: input.channel, note: input.note, need_id: input.needId, occurred_at: input.occurredAt, created_at: new Date() })
      .execute();
    if (input.kind !== "note") {
      await trx
        .updateTable("customers")
        .set({ last_contact_at: input.occurredAt })
        .where("id", "=", customerId)
        .where("brand_id", "=", actor.brandId)
        .where((eb) => eb.or([eb("last_contact_at", "is", null), eb("last_contact_at", "<", input.occurredAt)]))
        .execute();
      await copyToServingRows(trx, actor.brandId, [customerId]);
    }
    if (input.needId) {
      await trx
        .updateTable("customer_needs")
        .set({ last_follow_up_at: input.occurredAt })
        .where("id", "=", input.needId)
        .where("customer_id", "=", customerId)
        .where(needChangeable(actor))
        .where((eb) => eb.or([eb("last_follow_up_at", "is", null), eb("last_follow_up_at", "<", input.occurredAt)]))
        .execute();
    }
  });
  return { id };
}

/**
 * The timeline: the actor's own partners' touchpoints (the brand sees all), newest first. A
 * touchpoint about a need names the need's category while the actor may see that need.
 */
export async function timeline(actor: Actor, customerId: string, limit = 100) {
  const needShown = (column: string) => sql<string | null>`case when ${needVisible(actor)} then ${sql.ref(column)} end`;
  return db()
    .selectFrom("interactions")
    .innerJoin("customers", "customers.id", "interactions.customer_id")
    .leftJoin("users", "users.id", "interactions.user_id")
    .leftJoin("partners", "partners.id", "interactions.partner_id")
    .leftJoin("customer_needs", "customer_needs.id", "interactions.need_id")
    .leftJoin("need_categories", "need_categories.id", "customer_needs.category_id")
    .select([
      "interactions.id",
      "interactions.kind",
      "interactions.channel",
      "interactions.action_code",
      "interactions.note",
      "interactions.occurred_at",
      needShown("customer_needs.id").as("need_id"),
      needShown("need_categories.name_fa").as("need_category_fa"),
      needShown("need_categories.name_en").as("need_category_en"),
      "users.display_name as user_name",
      "partners.name_fa as partner_fa",
      "partners.name_en as partner_en",
    ])
    .where("interactions.customer_id", "=", customerId)
    .where(customerScope(actor, "interactions.customer_id", "interactions.brand_id"))
    .where(ownedByScope(actor, "interactions.partner_id"))
    .orderBy("interactions.occurred_at", "desc")
    .orderBy("interactions.id", "desc")
    .limit(limit)
    .execute();
}

/** How many of the customer's latest orders the profile shows; the orders list has them all. */
export const ORDERS_PREVIEW = 3;

/**
 * The customer's latest orders placed through the actor's partners (the brand sees all), and (in the
 * same statement) how many there are in all.
 */
export async function customerOrders(actor: Actor, customerId: string) {
  const rows = await db()
    .selectFrom("orders")
    .leftJoin("partners", "partners.id", "orders.partner_id")
    .select(["orders.id", "orders.number", "orders.status", "orders.total_rial", "orders.placed_at", "partners.name_fa as partner_fa", "partners.name_en as partner_en", sql<number>`count(*) over ()`.as("total")])
    .where("orders.customer_id", "=", customerId)
    .where(customerScope(actor, "orders.customer_id", "orders.brand_id"))
    .where(ownedByScope(actor, "orders.partner_id"))
    .orderBy("orders.placed_at", "desc")
    .orderBy("orders.id", "desc")
    .limit(ORDERS_PREVIEW)
    .execute();
  return { latest: rows.map(({ total: _, ...o }) => o), total: Number(rows[0]?.total ?? 0) };
}

/**
 * The profile's small lists in one statement: the brand's active need categories and, when asked
 * (`products`: the need form's choices without JavaScript; with it the form loads them when it opens,
 * app/routes/products.choices.tsx), its active products, its preference keys with this customer's values (only when the actor may see the customer), the
 * partners serving the customer (within the actor's scope), the pending corrections the actor may
 * see and, for a partner user, its open ask to share the customer's contact. Each branch is tagged
 * with its list and numbered in that list's own order, so every list comes back in the order a
 * statement of its own would give; the columns are shared (`code`: a product's SKU; `value`: a
 * preference's value or a correction's changes; `at`: since when a partner serves, when a
 * correction or ask was made; `by`: who proposed a correction).
 */
export async function profileLists(actor: Actor, customer: { id: string; registered_by_partner_id: string | null }, opts: { products?: boolean } = {}, now = new Date()) {
  const visible = sql<SqlBool>`exists (select 1 from customers where customers.id = ${customer.id} and ${customerScope(actor)})`;
  const none = sql<string | null>`null`;
  const noDate = sql<Date | null>`null`;
  const rows = await db()
    .selectFrom("need_categories")
    .select([sql<string>`'category'`.as("list"), "id", none.as("code"), "name_fa", "name_en", none.as("value"), noDate.as("at"), none.as("by"), sql<number>`row_number() over (order by need_categories.sort)`.as("pos")])
    .where("brand_id", "=", actor.brandId)
    .where("active", "=", true)
    .$if(opts.products === true, (q) =>
      q.unionAll(
        db()
          .selectFrom("products")
          .select([sql<string>`'product'`.as("list"), "id", "sku as code", "name_fa", "name_en", none.as("value"), noDate.as("at"), none.as("by"), sql<number>`row_number() over (order by products.sku)`.as("pos")])
          .where("brand_id", "=", actor.brandId)
          .where("active", "=", true),
      ),
    )
    .unionAll(
      db()
        .selectFrom("preference_keys")
        .leftJoin("customer_preferences", (join) => join.onRef("customer_preferences.key_id", "=", "preference_keys.id").on("customer_preferences.customer_id", "=", customer.id).on(visible))
        .select([
          sql<string>`'preference'`.as("list"),
          "preference_keys.id",
          none.as("code"),
          "preference_keys.label_fa as name_fa",
          "preference_keys.label_en as name_en",
          "customer_preferences.value",
          noDate.as("at"),
          none.as("by"),
          sql<number>`row_number() over (order by preference_keys.sort)`.as("pos"),
        ])
        .where("preference_keys.brand_id", "=", actor.brandId),
    )
    .unionAll(
      db()
        .selectFrom("customer_partners")
        .innerJoin("partners", "partners.id", "customer_partners.partner_id")
        .select([sql<string>`'partner'`.as("list"), "partners.id", none.as("code"), "partners.name_fa", "partners.name_en", none.as("value"), "customer_partners.since as at", none.as("by"), sql<number>`row_number() over (order by customer_partners.since)`.as("pos")])
        .where("customer_partners.customer_id", "=", customer.id)
        .where(customerScope(actor, "customer_partners.customer_id", "customer_partners.brand_id")),
    )
    .unionAll(
      pendingCorrectionsQuery(actor, customer).select([
        sql<string>`'correction'`.as("list"),
        "customer_corrections.id",
        none.as("code"),
        sql<string>`partners.name_fa`.as("name_fa"),
        sql<string>`partners.name_en`.as("name_en"),
        "customer_corrections.changes as value",
        "customer_corrections.created_at as at",
        "users.display_name as by",
        sql<number>`row_number() over (order by customer_corrections.created_at)`.as("pos"),
      ]),
    )
    .$if(actor.partnerId !== null, (q) =>
      q.unionAll(
        db()
          .selectFrom("contact_asks")
          .select([sql<string>`'ask'`.as("list"), sql<string>`null`.as("id"), none.as("code"), sql<string>`null`.as("name_fa"), sql<string>`null`.as("name_en"), none.as("value"), sql<Date | null>`max(contact_asks.created_at)`.as("at"), none.as("by"), sql<number>`1`.as("pos")])
          .where("customer_id", "=", customer.id)
          .where("partner_id", "=", actor.partnerId!)
          .where("created_at", ">", askCutoff(now)),
      ),
    )
    .orderBy("list")
    .orderBy("pos")
    .execute();
  const of = (list: string) => rows.filter((r) => r.list === list);
  return {
    categories: of("category").map(({ id, name_fa, name_en }) => ({ id, name_fa, name_en })),
    products: opts.products ? of("product").map(({ id, code, name_fa, name_en }) => ({ id, sku: code!, name_fa, name_en })) : null,
    prefs: of("preference").map(({ id, name_fa, name_en, value }) => ({ id, label_fa: name_fa, label_en: name_en, value })),
    partners: of("partner").map(({ id, name_fa, name_en, at }) => ({ id, name_fa, name_en, since: at! })),
    corrections: of("correction").map(({ id, value, at, by, name_fa, name_en }) => ({ id, changes: parseChanges(value!), created_at: at!, proposed_by: by, partner_fa: name_fa as string | null, partner_en: name_en as string | null })),
    /** when the actor's partner last asked the holder to share the contact, while that ask is open */
    askedAt: of("ask")[0]?.at ?? null,
  };
}

/** Sets (or clears, with an empty value) the brand-defined preferences of a customer. */
export async function setPreferences(actor: Actor, customerId: string, values: Record<string, string>): Promise<boolean> {
  assertCan(actor, "customers.register");
  if (!(await getCustomer(actor, customerId))) return false;
  const keys = new Set((await db().selectFrom("preference_keys").select("id").where("brand_id", "=", actor.brandId).execute()).map((k) => k.id));
  const now = new Date();
  await transaction(async (trx) => {
    for (const [keyId, value] of Object.entries(values)) {
      if (!keys.has(keyId)) continue;
      if (value) {
        await trx
          .insertInto("customer_preferences")
          .values({ customer_id: customerId, key_id: keyId, brand_id: actor.brandId, value, updated_at: now })
          .onDuplicateKeyUpdate({ value, updated_at: now })
          .execute();
      } else {
        await trx.deleteFrom("customer_preferences").where("customer_id", "=", customerId).where("key_id", "=", keyId).execute();
      }
    }
  });
  return true;
}
